"""The subject cache on its own: consent scopes, revocation during a fetch, odd failures.

The upstream here is a plain ``fetch`` function — the cache's own seam — so each test can hold
a fetch open on an event and decide how it ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import pytest

from connectors.cache import Key, SubjectCache
from connectors.errors import SourceRejected, SourceUnavailable
from tests.connectors.fake_clock import FakeClock


def cache(clock: FakeClock, ttl_s: float = 60, stale_if_error_s: float = 600) -> SubjectCache[str]:
    return SubjectCache(
        "tax", "grades", ttl_s=ttl_s, stale_if_error_s=stale_if_error_s, maxsize=100, clock=clock
    )


class Upstream:
    """Answers ``value-of-<code>`` for every key, counting calls; can be held open."""

    def __init__(self) -> None:
        self.calls: list[list[Key]] = []
        self.gate: asyncio.Event | None = None
        self.entered = asyncio.Event()
        self.error: Exception | None = None

    async def fetch(self, keys: list[Key]) -> Mapping[Key, str]:
        self.calls.append(keys)
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error
        return {key: f"value-of-{key[1]}" for key in keys}


async def test_keys_are_per_consent(clock: FakeClock) -> None:
    c, up = cache(clock), Upstream()
    await c.get_many([("consent-1", "A")], up.fetch)
    got = await c.get_many([("consent-1", "A"), ("consent-2", "A")], up.fetch)
    assert got[("consent-1", "A")].provenance.cached
    assert not got[("consent-2", "A")].provenance.cached
    assert up.calls == [[("consent-1", "A")], [("consent-2", "A")]]


async def test_dropping_a_consent_forgets_only_its_entries(clock: FakeClock) -> None:
    c, up = cache(clock), Upstream()
    await c.get_many([("c1", "A"), ("c1", "B"), ("c2", "A"), ("", "A")], up.fetch)
    assert c.drop_scope("c1") == 2
    got = await c.get_many([("c1", "A"), ("c2", "A"), ("", "A")], up.fetch)
    assert not got[("c1", "A")].provenance.cached
    assert got[("c2", "A")].provenance.cached
    assert got[("", "A")].provenance.cached


async def test_a_revoked_consent_does_not_serve_stale_either(clock: FakeClock) -> None:
    c, up = cache(clock), Upstream()
    await c.get_many([("c1", "A")], up.fetch)
    c.drop_scope("c1")
    clock.advance(61)
    up.error = SourceUnavailable("tax", "down")
    with pytest.raises(SourceUnavailable):
        await c.get_many([("c1", "A")], up.fetch)


async def test_an_answer_in_flight_at_revocation_is_not_stored(clock: FakeClock) -> None:
    c, up = cache(clock), Upstream()
    up.gate = asyncio.Event()
    first = asyncio.create_task(c.get_many([("c1", "A")], up.fetch))
    await up.entered.wait()
    c.drop_scope("c1")
    up.gate.set()
    assert ("c1", "A") in await first  # asked before the revocation: answered
    assert len(c) == 0  # but not kept
    up.gate = None
    await c.get_many([("c1", "A")], up.fetch)
    assert len(up.calls) == 2


async def test_a_request_after_revocation_does_not_join_the_old_fetch(clock: FakeClock) -> None:
    c, up = cache(clock), Upstream()
    up.gate = asyncio.Event()
    first = asyncio.create_task(c.get_many([("c1", "A")], up.fetch))
    await up.entered.wait()
    c.drop_scope("c1")
    second = asyncio.create_task(c.get_many([("c1", "A")], up.fetch))
    await asyncio.sleep(0)
    up.gate.set()
    await asyncio.gather(first, second)
    assert len(up.calls) == 2


async def test_a_refusal_is_not_served_stale(clock: FakeClock) -> None:
    c, up = cache(clock), Upstream()
    await c.get_many([("c1", "A")], up.fetch)
    clock.advance(61)
    up.error = SourceRejected("tax", "token refused", status=403)
    with pytest.raises(SourceRejected):
        await c.get_many([("c1", "A")], up.fetch)


async def test_an_unexpected_error_reaches_every_waiter(clock: FakeClock) -> None:
    c, up = cache(clock), Upstream()
    up.gate = asyncio.Event()
    up.error = KeyError("bug")
    first = asyncio.create_task(c.get_many([("", "A")], up.fetch))
    await up.entered.wait()
    second = asyncio.create_task(c.get_many([("", "A")], up.fetch))
    await asyncio.sleep(0)
    up.gate.set()
    for task in (first, second):
        with pytest.raises(KeyError):
            await task
    assert len(up.calls) == 1


async def test_close_cancels_fetches_and_fails_their_waiters(clock: FakeClock) -> None:
    c, up = cache(clock), Upstream()
    up.gate = asyncio.Event()
    waiting = asyncio.create_task(c.get_many([("", "A")], up.fetch))
    await up.entered.wait()
    await c.aclose()
    with pytest.raises(SourceUnavailable):
        await waiting


async def test_zero_ttl_still_keeps_entries_for_stale_if_error(clock: FakeClock) -> None:
    c, up = cache(clock, ttl_s=0), Upstream()
    await c.get_many([("", "A")], up.fetch)
    await c.get_many([("", "A")], up.fetch)
    assert len(up.calls) == 2
    up.error = SourceUnavailable("tax", "down")
    got = await c.get_many([("", "A")], up.fetch)
    assert got[("", "A")].provenance.stale
