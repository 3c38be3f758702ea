"""The connector contract, written once and run over every HTTP connector (STYLE.md §12).

Each test talks to the real simulator of its bureau (session fixtures in tests/conftest.py),
flips the bureau's faults through ``state.behaviour``, and checks both what the connector
returned and what the bureau saw (``state.calls``) or the client sent (``sent``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from connectors.breaker import BreakerState
from connectors.clock import SYSTEM_CLOCK, Clock
from connectors.config import BureauConfig
from connectors.errors import (
    BreakerOpen,
    ConnectorError,
    SourceProtocolError,
    SourceRejected,
    SourceTimeout,
    SourceUnavailable,
)
from connectors.http import HttpBureau
from connectors.provenance import Sourced
from simulators.behaviour import Behaviour
from simulators.runner import RunningBureau
from simulators.world import World
from tests.connectors.cases import BATCH_CASES, CASES, ConnectorCase, mint, unknown_uscc
from tests.connectors.conftest import SentLog
from tests.connectors.fake_clock import FakeClock

FAST = {"retry_base_delay_s": 0.001, "retry_max_delay_s": 0.5, "timeout_s": 2.0}
BATCH = pytest.mark.parametrize("case", BATCH_CASES, ids=str)

Build = Callable[..., HttpBureau]
Fetch = Callable[..., Awaitable[Mapping[str, Sourced[Any]]]]


@pytest.fixture(params=CASES, ids=str)
def case(request: pytest.FixtureRequest) -> ConnectorCase:
    param: ConnectorCase = request.param
    return param


@pytest.fixture
def bureau(case: ConnectorCase, bureaus: dict[str, RunningBureau]) -> RunningBureau:
    return bureaus[case.bureau]


@pytest.fixture
async def build(
    case: ConnectorCase,
    bureau: RunningBureau,
    bureau_keys: dict[str, str],
    http: httpx.AsyncClient,
    clock: FakeClock,
) -> AsyncIterator[Build]:
    """``build(**config_overrides)`` → a connector to this case's simulator, closed after."""
    made: list[HttpBureau] = []

    def make(*, clock_: Clock = clock, **overrides: Any) -> HttpBureau:
        settings = {"url": bureau.url, "api_key": SecretStr(bureau_keys[case.bureau]), **FAST}
        config = BureauConfig(**{**settings, **overrides})
        connector = case.build(http, config, clock_)
        made.append(connector)
        return connector

    yield make
    for connector in made:
        await connector.aclose()


@pytest.fixture
def fetch(case: ConnectorCase, bureau_secrets: dict[str, bytes]) -> Fetch:
    """``await fetch(connector, codes)`` — with a grant per code when the method is gated."""

    async def run(
        connector: HttpBureau, codes: Sequence[str], *, consent_id: str = "consent-1"
    ) -> Mapping[str, Sourced[Any]]:
        if case.scope is None:
            return await case.call(connector, codes)
        grants = mint(bureau_secrets[case.bureau], case.scope, codes, consent_id)
        return await case.call(connector, grants)

    return run


def _state(connector: Any) -> BreakerState:
    """Read afresh: the state changes under the calls between two checks."""
    state: BreakerState = connector.breaker.state
    return state


def assert_clean(error: BaseException, bureau: RunningBureau, *secrets: str) -> None:
    """Messages name the source only: no URL, host, port, key or subject."""
    for text in (str(error), repr(error), *map(str, error.args)):
        assert bureau.url not in text
        assert bureau.url.split("//")[1] not in text
        assert "http:" not in text.lower()
        for secret in secrets:
            assert secret not in text


# --- answers ---------------------------------------------------------------------------------


async def test_success_maps_values_with_provenance(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    clock: FakeClock,
) -> None:
    codes = case.known(world)[:3]
    found = await fetch(build(), codes)
    assert set(found) == set(codes)
    for code in codes:
        assert found[code].value == case.expected(world, code)
        prov = found[code].provenance
        assert prov.source == case.bureau
        assert prov.fetched_at == clock.now()
        assert (prov.cached, prov.stale) == (False, False)
    assert bureau.service.state.total_calls == (len(codes) if not case.kind else 1)


@BATCH
async def test_unknown_subject_is_absent_or_empty(
    case: ConnectorCase, build: Build, fetch: Fetch, world: World
) -> None:
    [known] = case.known(world)[:1]
    [unknown] = unknown_uscc(world)
    found = await fetch(build(), [known, unknown])
    if case.unknown_is_empty:
        assert found[unknown].value == ()
    else:
        assert set(found) == {known}


@BATCH
async def test_hundred_subjects_make_one_upstream_call(
    case: ConnectorCase, build: Build, fetch: Fetch, world: World, bureau: RunningBureau
) -> None:
    known = case.known(world)[:90]
    found = await fetch(build(), known + unknown_uscc(world, 10))
    assert len(found) == (100 if case.unknown_is_empty else 90)
    assert all(found[code].value == case.expected(world, code) for code in known)
    assert bureau.service.state.total_calls == 1


# --- failures --------------------------------------------------------------------------------


async def test_hang_times_out(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    bureau_keys: dict[str, str],
    sent: SentLog,
) -> None:
    bureau.service.state.behaviour = Behaviour(hang=True)
    [code] = case.known(world)[:1]
    with pytest.raises(SourceTimeout) as caught:
        await fetch(build(timeout_s=0.05, retry_attempts=2), [code])
    assert caught.value.code == "SOURCE_TIMEOUT"
    assert caught.value.source == case.bureau
    assert len(sent) == 2  # a read is retried once, then gives up
    # Counted by the client: an attempt whose 50 ms ran out while the loop stalled (a loaded
    # machine, a full collection) before its connection was made never reaches the bureau.
    assert bureau.service.state.total_calls <= 2
    assert_clean(caught.value, bureau, bureau_keys[case.bureau], code)


async def test_5xx_then_success_after_retry(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    clock: FakeClock,
) -> None:
    bureau.service.state.behaviour = Behaviour(fail_next=2)
    [code] = case.known(world)[:1]
    found = await fetch(build(retry_attempts=3), [code])
    assert found[code].value == case.expected(world, code)
    assert bureau.service.state.total_calls == 3
    assert len(clock.sleeps) == 2


async def test_5xx_exhausts_attempts(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    bureau_keys: dict[str, str],
) -> None:
    bureau.service.state.behaviour = Behaviour(down=True)
    [code] = case.known(world)[:1]
    with pytest.raises(SourceUnavailable) as caught:
        await fetch(build(retry_attempts=3), [code])
    assert type(caught.value) is SourceUnavailable
    assert bureau.service.state.total_calls == 3
    assert_clean(caught.value, bureau, bureau_keys[case.bureau], code)


async def test_4xx_is_not_retried(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    sent: SentLog,
    bureau: RunningBureau,
) -> None:
    connector = build(retry_attempts=3, api_key=SecretStr("wrong-key-0000"))
    [code] = case.known(world)[:1]
    with pytest.raises(SourceRejected) as caught:
        await fetch(connector, [code])
    assert caught.value.status == 401
    assert caught.value.code == "SOURCE_REJECTED"
    assert len(sent) == 1
    assert_clean(caught.value, bureau, "wrong-key-0000", code)


async def test_malformed_payload_is_a_protocol_error(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    bureau_keys: dict[str, str],
) -> None:
    bureau.service.state.behaviour = Behaviour(malformed=True)
    [code] = case.known(world)[:1]
    with pytest.raises(SourceProtocolError) as caught:
        await fetch(build(retry_attempts=3), [code])
    assert caught.value.code == "SOURCE_PROTOCOL_ERROR"
    assert bureau.service.state.total_calls == 1  # the same bytes again would not help
    assert_clean(caught.value, bureau, bureau_keys[case.bureau], code)


async def test_429_waits_at_least_retry_after(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    sent: SentLog,
) -> None:
    bureau.service.state.behaviour = Behaviour(throttle_next=1, retry_after_s=0.05)
    [code] = case.known(world)[:1]
    found = await fetch(build(clock_=SYSTEM_CLOCK, retry_base_delay_s=0.0), [code])
    assert code in found
    assert bureau.service.state.total_calls == 2
    (first, _), (second, _) = sent.sent
    assert second - first >= 0.05


async def test_retry_after_beyond_the_longest_wait_is_not_waited_for(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    clock: FakeClock,
) -> None:
    bureau.service.state.behaviour = Behaviour(throttle_next=1, retry_after_s=30)
    with pytest.raises(SourceUnavailable) as caught:
        await fetch(build(retry_max_delay_s=2.0), case.known(world)[:1])
    assert caught.value.retry_after == 30
    assert clock.sleeps == []
    assert bureau.service.state.total_calls == 1


async def test_retry_budget_stops_retries_multiplying_load(
    case: ConnectorCase, build: Build, fetch: Fetch, world: World, bureau: RunningBureau
) -> None:
    connector = build(
        retry_attempts=3, retry_budget_tokens=2, retry_budget_refill=0.1, breaker_failures=100
    )
    bureau.service.state.behaviour = Behaviour(down=True)
    for _ in range(3):
        with pytest.raises(SourceUnavailable):
            await fetch(connector, case.known(world)[:1])
    assert bureau.service.state.total_calls == 3 + 1 + 1  # two retries, then the budget is dry


# --- breaker ---------------------------------------------------------------------------------


async def test_breaker_opens_fails_fast_and_recovers(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    sent: SentLog,
    clock: FakeClock,
) -> None:
    connector = build(retry_attempts=1, breaker_failures=3, breaker_cooldown_s=10, ttl_s=0)
    codes = case.known(world)[:1]
    bureau.service.state.behaviour = Behaviour(down=True)
    for _ in range(3):
        with pytest.raises(SourceUnavailable):
            await fetch(connector, codes)
    assert _state(connector) is BreakerState.OPEN
    before = (bureau.service.state.total_calls, len(sent))

    with pytest.raises(BreakerOpen) as caught:
        await fetch(connector, codes)
    assert (bureau.service.state.total_calls, len(sent)) == before  # no network touched
    assert caught.value.code == "SOURCE_UNAVAILABLE"
    assert caught.value.retry_after == pytest.approx(10)

    bureau.service.state.behaviour = Behaviour()
    clock.advance(10)
    assert _state(connector) is BreakerState.HALF_OPEN
    assert codes[0] in await fetch(connector, codes)  # the probe
    assert _state(connector) is BreakerState.CLOSED
    assert bureau.service.state.total_calls == 4


async def test_failed_probe_reopens(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    clock: FakeClock,
) -> None:
    connector = build(retry_attempts=1, breaker_failures=1, breaker_cooldown_s=5)
    bureau.service.state.behaviour = Behaviour(down=True)
    with pytest.raises(SourceUnavailable):
        await fetch(connector, case.known(world)[:1])
    clock.advance(5)
    with pytest.raises(SourceUnavailable) as caught:
        await fetch(connector, case.known(world)[:1])
    assert not isinstance(caught.value, BreakerOpen)  # the probe went out, and failed
    assert _state(connector) is BreakerState.OPEN
    assert bureau.service.state.total_calls == 2


# --- cache -----------------------------------------------------------------------------------


@BATCH
async def test_cache_hit_then_expiry(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    clock: FakeClock,
) -> None:
    connector = build(ttl_by_kind_s={case.kind: 60})
    codes = case.known(world)[:2]
    first = await fetch(connector, codes)
    fetched_at = clock.now()
    clock.advance(59)
    again = await fetch(connector, codes)
    assert bureau.service.state.total_calls == 1
    for code in codes:
        assert again[code].value == first[code].value
        assert again[code].provenance.cached is True
        assert again[code].provenance.fetched_at == fetched_at
        assert again[code].provenance.age_s(clock.now()) == pytest.approx(59)
    clock.advance(1)
    fresh = await fetch(connector, codes)
    assert bureau.service.state.total_calls == 2
    assert all(not fresh[c].provenance.cached for c in codes)


@BATCH
async def test_batch_fetches_only_what_is_not_cached(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    sent: SentLog,
) -> None:
    connector = build()
    a, b, c = case.known(world)[:3]
    await fetch(connector, [a])
    found = await fetch(connector, [a, b, c])
    assert set(found) == {a, b, c}
    assert found[a].provenance.cached
    assert not found[b].provenance.cached
    assert bureau.service.state.total_calls == 2
    assert len(sent) == 2


@BATCH
async def test_unknown_subjects_are_remembered_too(
    case: ConnectorCase, build: Build, fetch: Fetch, world: World, bureau: RunningBureau
) -> None:
    connector = build()
    unknown = unknown_uscc(world)
    first = await fetch(connector, unknown)
    again = await fetch(connector, unknown)
    assert {c: s.value for c, s in first.items()} == {c: s.value for c, s in again.items()}
    assert bureau.service.state.total_calls == 1


@BATCH
async def test_failures_are_not_cached(
    case: ConnectorCase, build: Build, fetch: Fetch, world: World, bureau: RunningBureau
) -> None:
    connector = build(retry_attempts=1)
    codes = case.known(world)[:1]
    bureau.service.state.behaviour = Behaviour(fail_next=1)
    with pytest.raises(SourceUnavailable):
        await fetch(connector, codes)
    found = await fetch(connector, codes)
    assert not found[codes[0]].provenance.cached
    assert bureau.service.state.total_calls == 2


@BATCH
async def test_stale_if_error(
    case: ConnectorCase,
    build: Build,
    fetch: Fetch,
    world: World,
    bureau: RunningBureau,
    clock: FakeClock,
) -> None:
    connector = build(retry_attempts=1, ttl_s=60, stale_if_error_s=600, breaker_failures=100)
    codes = case.known(world)[:2]
    first = await fetch(connector, codes[:1])
    clock.advance(61)
    bureau.service.state.behaviour = Behaviour(down=True)

    served = await fetch(connector, codes[:1])
    old = served[codes[0]]
    assert old.value == first[codes[0]].value
    assert (old.provenance.cached, old.provenance.stale) == (True, True)
    assert old.provenance.fetched_at == first[codes[0]].provenance.fetched_at

    # a subject never fetched has nothing stale: the error stands, with what could be served
    with pytest.raises(SourceUnavailable) as caught:
        await fetch(connector, codes)
    assert set(caught.value.partial) == {codes[0]}
    assert caught.value.partial[codes[0]].provenance.stale
    assert set(caught.value.failed) == {codes[1]}

    clock.advance(600)
    with pytest.raises(SourceUnavailable):
        await fetch(connector, codes[:1])  # past the stale window


@BATCH
async def test_concurrent_requests_share_one_upstream_call(
    case: ConnectorCase, build: Build, fetch: Fetch, world: World, bureau: RunningBureau
) -> None:
    connector = build()
    a, b = case.known(world)[:2]
    one, two = await asyncio.gather(fetch(connector, [a, b]), fetch(connector, [b]))
    assert bureau.service.state.total_calls == 1
    assert set(one) == {a, b}
    assert two[b].value == one[b].value


@BATCH
async def test_a_waiter_survives_the_first_caller_giving_up(
    case: ConnectorCase, build: Build, fetch: Fetch, world: World, bureau: RunningBureau
) -> None:
    connector = build()
    bureau.service.state.behaviour = Behaviour(latency_ms=(30, 30))
    codes = case.known(world)[:1]
    first = asyncio.ensure_future(fetch(connector, codes))
    await asyncio.sleep(0)  # let it register its fetch
    second = asyncio.ensure_future(fetch(connector, codes))
    await asyncio.sleep(0)
    first.cancel()
    assert codes[0] in await second
    assert bureau.service.state.total_calls == 1


# --- lifecycle -------------------------------------------------------------------------------


async def test_close_is_idempotent_and_final(
    case: ConnectorCase, build: Build, fetch: Fetch, world: World, bureau: RunningBureau
) -> None:
    connector = build()
    await connector.aclose()
    await connector.aclose()
    with pytest.raises(ConnectorError):
        await fetch(connector, case.known(world)[:1])
    assert bureau.service.state.total_calls == 0


async def test_close_does_not_close_the_client_it_was_handed(
    case: ConnectorCase, build: Build, http: httpx.AsyncClient
) -> None:
    await build().aclose()
    assert not http.is_closed
