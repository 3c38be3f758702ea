"""The presence index: a Bloom filter of the keys a table holds, kept while a listener hears."""

from __future__ import annotations

import asyncio
import random
import string

import pytest

from connectors.presence import PresenceFilter, PresenceIndex


def _keys(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(string.ascii_uppercase + string.digits, k=18)) for _ in range(n)]


def test_the_filter_never_denies_a_key_it_was_given_and_rarely_admits_another() -> None:
    held = _keys(5000, seed=1)
    found = PresenceFilter(held, false_positive_rate=0.01)
    assert all(key in found for key in held)
    given = set(held)
    others = [k for k in _keys(20000, seed=2) if k not in given]
    admitted = sum(key in found for key in others) / len(others)
    assert admitted < 0.02  # sized for twice the keys at 1 %: well under it here
    assert 5 not in found  # not a string: never held


def test_the_filter_says_when_more_keys_came_than_it_was_sized_for() -> None:
    found = PresenceFilter()
    for key in _keys(found.capacity, seed=3):
        found.add(key)
    assert not found.full
    found.add("one more")
    assert found.full


class Table:
    """What a presence index loads from: keys, and a gate to hold a load half-way."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = list(keys)
        self.loads = 0
        self.gate: asyncio.Event | None = None
        self.fail = False

    async def load(self) -> list[str]:
        self.loads += 1
        snapshot = list(self.keys)  # the load's snapshot is taken before it is held
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            raise ConnectionError("database gone")
        return snapshot


async def test_until_loaded_every_key_may_hold_rows_then_only_those_held() -> None:
    table = Table(["A", "B"])
    index = PresenceIndex("test", table.load)
    assert index.may_hold("Z")
    assert not index.ready
    index.start()
    await index.wait_ready()
    assert index.ready
    assert index.may_hold("A")
    assert index.may_hold("B")
    assert not index.may_hold("Z")
    index.add("Z")  # heard: Z has rows now
    assert index.may_hold("Z")
    index.stop()  # the listener is gone
    assert index.may_hold("Q")
    assert not index.ready


async def test_a_key_heard_while_loading_is_not_lost() -> None:
    table = Table(["A"])
    table.gate = asyncio.Event()
    index = PresenceIndex("test", table.load)
    index.start()
    await asyncio.sleep(0)  # the load has taken its snapshot and waits
    table.keys.append("LATE")
    index.add("LATE")  # its NOTIFY arrives while the load is under way
    table.gate.set()
    await index.wait_ready()
    assert index.may_hold("LATE")
    assert index.may_hold("A")
    assert not index.may_hold("NEVER")
    assert table.loads == 1


async def test_many_changed_unnamed_loads_again_even_during_a_load() -> None:
    table = Table(["A"])
    table.gate = asyncio.Event()
    index = PresenceIndex("test", table.load)
    index.start()
    await asyncio.sleep(0)
    table.keys += ["BULK1", "BULK2"]  # a bulk insert: one '*' names none of them
    index.add("*")
    table.gate.set()
    await index.wait_ready()
    assert table.loads == 2  # the first snapshot predates the bulk insert
    assert index.may_hold("BULK1")
    assert index.may_hold("BULK2")
    index.add("*")
    assert not index.ready
    assert index.may_hold("ANY")
    await index.wait_ready()
    assert not index.may_hold("ANY")


async def test_a_filled_filter_is_loaded_again_in_the_background_and_kept_meanwhile() -> None:
    table = Table([])
    index = PresenceIndex("test", table.load)
    index.start()
    await index.wait_ready()
    added = _keys(1100, seed=4)  # sized for 1,024 at least
    for key in added:
        table.keys.append(key)
        index.add(key)
    assert index.ready  # still answering while it loads again
    await index.wait_ready()
    assert table.loads == 2
    assert all(index.may_hold(key) for key in added)


async def test_a_failed_load_leaves_every_key_possible(caplog: pytest.LogCaptureFixture) -> None:
    table = Table(["A"])
    table.fail = True
    index = PresenceIndex("test", table.load)
    index.start()
    await index.wait_ready()
    assert not index.ready
    assert index.may_hold("Z")
    assert "could not load the test presence index (ConnectionError)" in caplog.text
