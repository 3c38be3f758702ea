"""One daily-budget suite over both counters (in-process, and the real Redis), then the wiring:
whom a seal counts against, and the budget an edge builds from settings."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from credit.access import ANONYMOUS, Principal, PrincipalKind
from gateway.limits import (
    Edge,
    FallbackSealBudget,
    MemorySealBudget,
    RedisSealBudget,
    SealBudget,
    Slot,
    caller_key,
    client_address,
)
from gateway.limits.edge import redis_client
from gateway.settings import load_settings
from tests.gateway.access.conftest import DEFAULT_REDIS, open_test_redis

DAY = dt.date(2026, 11, 22)
NEXT_DAY = DAY + dt.timedelta(days=1)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def budget(request: pytest.FixtureRequest, unique: str) -> AsyncIterator[SealBudget]:
    if request.param == "memory":
        yield MemorySealBudget()
        return
    client = await open_test_redis()
    prefix = f"test:seals:{unique}:"
    try:
        yield RedisSealBudget(client, prefix=prefix)
    finally:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def takes(
    budget: SealBudget, caller: str, n: int, *, per_day: int, day: dt.date = DAY
) -> list[Slot | None]:
    return [await budget.take(caller, day, per_day=per_day) for _ in range(n)]


def granted(slots: list[Slot | None]) -> list[bool]:
    return [slot is not None for slot in slots]


async def test_a_caller_has_per_day_slots_and_no_more(budget: SealBudget) -> None:
    assert granted(await takes(budget, "addr:a", 4, per_day=3)) == [True, True, True, False]
    assert await budget.take("addr:a", DAY, per_day=3) is None  # a refusal takes nothing


async def test_a_slot_given_back_can_be_taken_again(budget: SealBudget) -> None:
    first, *_ = await takes(budget, "addr:a", 2, per_day=2)
    assert first is not None
    assert await budget.take("addr:a", DAY, per_day=2) is None
    await first.give_back()
    assert await budget.take("addr:a", DAY, per_day=2) is not None
    assert await budget.take("addr:a", DAY, per_day=2) is None


async def test_giving_back_never_goes_below_nothing(budget: SealBudget) -> None:
    [slot] = await takes(budget, "addr:a", 1, per_day=2)
    assert slot is not None
    await slot.give_back()
    await slot.give_back()  # twice: still only the day's two
    assert granted(await takes(budget, "addr:a", 3, per_day=2)) == [True, True, False]


async def test_callers_are_counted_apart(budget: SealBudget) -> None:
    await takes(budget, "addr:a", 2, per_day=2)
    assert await budget.take("addr:a", DAY, per_day=2) is None
    assert await budget.take("addr:b", DAY, per_day=2) is not None


async def test_the_next_day_starts_again(budget: SealBudget) -> None:
    late = await takes(budget, "addr:a", 2, per_day=2)
    assert await budget.take("addr:a", DAY, per_day=2) is None
    assert granted(await takes(budget, "addr:a", 3, per_day=2, day=NEXT_DAY)) == [
        True,
        True,
        False,
    ]
    # A report of the day before that failed after midnight gives back to its own day only.
    assert late[0] is not None
    await late[0].give_back()
    assert await budget.take("addr:a", NEXT_DAY, per_day=2) is None
    assert await budget.take("addr:a", DAY, per_day=2) is not None


async def test_concurrent_takes_never_overspend(budget: SealBudget) -> None:
    slots = await asyncio.gather(*(budget.take("addr:a", DAY, per_day=20) for _ in range(60)))
    assert sum(slot is not None for slot in slots) == 20


@pytest.mark.redis
async def test_a_days_counts_expire_a_day_after_it(unique: str) -> None:
    client = await open_test_redis()
    prefix = f"test:seals:{unique}:"
    try:
        budget = RedisSealBudget(client, prefix=prefix)
        await budget.take("addr:a", DAY, per_day=2)
        key = budget.key("addr:a", DAY)
        assert key == f"{prefix}20261122:addr:a"
        assert await client.get(key) == b"1"
        assert 86_400 < await client.ttl(key) <= 2 * 86_400
    finally:
        await client.delete(*[k async for k in client.scan_iter(match=prefix + "*")])
        await client.aclose()


async def test_redis_down_falls_back_to_in_process() -> None:
    dead = redis_client("redis://127.0.0.1:1/0")  # as production builds it: fails at once
    try:
        budget = FallbackSealBudget(RedisSealBudget(dead), MemorySealBudget())
        assert granted(await takes(budget, "addr:a", 3, per_day=2)) == [True, True, False]
    finally:
        await dead.aclose()


@pytest.mark.redis
async def test_a_slot_redis_cannot_take_back_is_lost_not_raised(
    unique: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The report was not issued either way: a failed give-back costs the caller that slot,
    logged, and never turns the report's own error into another."""
    client = await open_test_redis()
    prefix = f"test:seals:{unique}:"
    try:
        budget = RedisSealBudget(client, prefix=prefix)
        slot = await budget.take("addr:a", DAY, per_day=2)
        assert slot is not None
        key = budget.key("addr:a", DAY)
        await client.delete(key)
        await client.hset(key, "not", "a count")  # Redis now refuses (WRONGTYPE) to give back
        await slot.give_back()
        assert "a slot was not given back" in caplog.text
    finally:
        await client.delete(*[k async for k in client.scan_iter(match=prefix + "*")])
        await client.aclose()


# --- whom a seal counts against ---------------------------------------------------------------


def test_a_seal_counts_against_the_caller_the_rate_limit_counts() -> None:
    assert caller_key(ANONYMOUS, "203.0.113.7") == "addr:203.0.113.7"
    bank = Principal(PrincipalKind.BANK, client_id="b1", bank_id="x", rate_limit_class="bank")
    assert caller_key(bank, "203.0.113.7") == "client:b1"
    bot = Principal(PrincipalKind.PUBLIC, client_id="bot", rate_limit_class="bot", via_bot=True)
    assert caller_key(bot, "203.0.113.7") == "client:bot"  # the bot's relayed requests: one
    assert client_address({"type": "http", "client": ("198.51.100.4", 50000)}) == "198.51.100.4"
    assert client_address({"type": "http", "client": None}) == "unknown"


async def test_an_edge_counts_in_process_without_redis_within_the_memory_bound() -> None:
    settings = load_settings().model_copy(update={"rate_limit_memory_keys": 2, "redis_url": None})
    budget = Edge(settings).seal_budget("db")
    assert isinstance(budget, MemorySealBudget)
    assert granted(await takes(budget, "addr:a", 2, per_day=1)) == [True, False]
    await takes(budget, "addr:b", 1, per_day=1)
    await takes(budget, "addr:c", 1, per_day=1)  # "a" is forgotten: it starts again
    assert granted(await takes(budget, "addr:a", 1, per_day=1)) == [True]


async def test_an_edge_with_unreachable_redis_counts_in_process() -> None:
    settings = load_settings().model_copy(update={"redis_url": SecretStr("redis://127.0.0.1:1/0")})
    edge = Edge(settings)
    try:
        budget = edge.seal_budget("cgw_test")
        assert isinstance(budget, FallbackSealBudget)
        assert granted(await takes(budget, "addr:a", 2, per_day=1)) == [True, False]
    finally:
        assert edge.redis is not None
        await edge.redis.aclose()


@pytest.mark.redis
async def test_an_edge_with_redis_counts_per_report_registry(unique: str) -> None:
    """Replicas on one database share a caller's count; a gateway on another database (another
    registry, other numbers) does not."""
    await (await open_test_redis()).aclose()  # Redis answers (or the test fails or skips)
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    settings = load_settings().model_copy(update={"redis_url": SecretStr(url)})
    one, two, other = Edge(settings), Edge(settings), Edge(settings)
    namespace = f"test_{unique}"
    try:
        assert await one.seal_budget(namespace).take("addr:a", DAY, per_day=1) is not None
        assert await two.seal_budget(namespace).take("addr:a", DAY, per_day=1) is None
        assert await other.seal_budget(namespace + "_b").take("addr:a", DAY, per_day=1)
        assert one.redis is not None
        assert await one.redis.exists(f"creditgw:seals:{namespace}:20261122:addr:a")
    finally:
        for edge in (one, two, other):
            assert edge.redis is not None
            async for key in edge.redis.scan_iter(match=f"creditgw:seals:{namespace}*"):
                await edge.redis.delete(key)
            await edge.redis.aclose()
