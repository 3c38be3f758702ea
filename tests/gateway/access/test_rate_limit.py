"""One token-bucket suite over both limiters (in-process, and the real Redis), then the 429."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from credit.access import ANONYMOUS, Principal, PrincipalKind
from gateway.auth import ClientKind, add_client
from gateway.database import Database
from gateway.limits import (
    Edge,
    FallbackRateLimiter,
    MemoryRateLimiter,
    RateLimiter,
    RedisRateLimiter,
    bucket_for,
)
from gateway.limits.edge import redis_client
from gateway.settings import RateLimits, load_settings
from tests.fakes.servers import serve_app
from tests.gateway.access.conftest import open_test_redis
from tests.gateway.access.graph_app import graph_app


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def limiter(
    request: pytest.FixtureRequest, clock: FakeClock, unique: str
) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        yield MemoryRateLimiter(clock=clock)
        return
    client = await open_test_redis()
    prefix = f"test:rate:{unique}:"
    try:
        yield RedisRateLimiter(client, prefix=prefix, clock=clock)
    finally:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def takes(limiter: RateLimiter, key: str, n: int, per_minute: int) -> list[bool]:
    return [(await limiter.take(key, per_minute=per_minute)).allowed for _ in range(n)]


async def test_a_full_bucket_allows_a_minutes_burst(limiter: RateLimiter) -> None:
    assert await takes(limiter, "k", 60, per_minute=60) == [True] * 60
    refused = await limiter.take("k", per_minute=60)
    assert not refused.allowed
    assert refused.retry_after_s == pytest.approx(1.0)  # one token a second


async def test_tokens_come_back_with_time(limiter: RateLimiter, clock: FakeClock) -> None:
    await takes(limiter, "k", 6, per_minute=6)  # one token per 10 s
    clock.now += 5
    refused = await limiter.take("k", per_minute=6)
    assert not refused.allowed
    assert refused.retry_after_s == pytest.approx(5.0)
    clock.now += 5
    assert (await limiter.take("k", per_minute=6)).allowed
    assert not (await limiter.take("k", per_minute=6)).allowed


async def test_an_idle_bucket_holds_no_more_than_its_size(
    limiter: RateLimiter, clock: FakeClock
) -> None:
    await limiter.take("k", per_minute=3)
    clock.now += 3600
    assert await takes(limiter, "k", 4, per_minute=3) == [True, True, True, False]


async def test_buckets_are_separate(limiter: RateLimiter) -> None:
    await takes(limiter, "a", 2, per_minute=2)
    assert not (await limiter.take("a", per_minute=2)).allowed
    assert (await limiter.take("b", per_minute=2)).allowed


async def test_concurrent_takes_never_overspend(limiter: RateLimiter) -> None:
    results = await asyncio.gather(*(limiter.take("k", per_minute=50) for _ in range(120)))
    assert sum(r.allowed for r in results) == 50


async def test_a_clock_behind_the_last_take_does_not_refill(
    limiter: RateLimiter, clock: FakeClock
) -> None:
    await takes(limiter, "k", 2, per_minute=2)
    clock.now -= 100  # another replica whose clock is behind
    assert not (await limiter.take("k", per_minute=2)).allowed


async def test_redis_down_falls_back_to_in_process(clock: FakeClock) -> None:
    dead = redis_client("redis://127.0.0.1:1/0")  # as production builds it: fails at once
    try:
        limiter = FallbackRateLimiter(RedisRateLimiter(dead), MemoryRateLimiter(clock=clock))
        assert await takes(limiter, "k", 3, per_minute=2) == [True, True, False]
    finally:
        await dead.aclose()


def test_bucket_keys_and_rates() -> None:
    limits = RateLimits(public=10, bot=100, citizen=20, bank=30, officer=40, operator=50)
    assert bucket_for(ANONYMOUS, "10.0.0.1", limits) == ("addr:10.0.0.1", 10)
    bank = Principal(PrincipalKind.BANK, client_id="b1", bank_id="x", rate_limit_class="bank")
    assert bucket_for(bank, "10.0.0.1", limits) == ("client:b1", 30)
    own = Principal(
        PrincipalKind.BANK,
        client_id="b1",
        bank_id="x",
        rate_limit_class="bank",
        rate_limit_per_minute=7,
    )
    assert bucket_for(own, "10.0.0.1", limits) == ("client:b1", 7)
    citizen = Principal(
        PrincipalKind.CITIZEN, client_id="bot", subject_key="p:1", rate_limit_class="citizen"
    )
    assert bucket_for(citizen, "10.0.0.1", limits) == ("citizen:p:1", 20)
    bot = Principal(PrincipalKind.PUBLIC, client_id="bot", rate_limit_class="bot", via_bot=True)
    assert bucket_for(bot, "10.0.0.1", limits) == ("client:bot", 100)


# --- the middleware ---------------------------------------------------------------------------


async def test_429_with_retry_after_per_address_and_per_client(migrated: Database) -> None:
    settings = load_settings(
        redis_url=None,
        admin_key=SecretStr("admin-" + "b" * 40),
        rate_limits=RateLimits(public=2, bank=3),
        trusted_documents_only=[],
    )
    async with migrated.pool.acquire() as conn:
        _, bank_key = await add_client(
            conn,
            kind=ClientKind.BANK,
            name="限流测试银行",
            scopes=[],
            bank_id="bank-r",
            expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
        )
    built = graph_app(Edge(settings, rate_limiter=MemoryRateLimiter()), migrated)
    async with serve_app(built.app) as url, httpx.AsyncClient(base_url=url) as http:

        async def ask(**headers: str) -> httpx.Response:
            return await http.post("/graphql", json={"query": "{ hello }"}, headers=headers)

        assert [(await ask()).status_code for _ in range(2)] == [200, 200]
        refused = await ask()
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "30"  # 2 a minute: one token per 30 s
        [error] = refused.json()["errors"]
        assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 30}
        assert "30 秒" in error["message"]

        bank = {"authorization": f"Bearer {bank_key}"}
        statuses = [(await ask(**bank)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert built.calls["hello"] == 5


async def test_the_in_process_limiter_tracks_at_most_rate_limit_memory_keys() -> None:
    # ~300 bytes a caller: a bound from settings, least recent first (a forgotten caller
    # starts again with a full bucket).
    settings = load_settings().model_copy(update={"rate_limit_memory_keys": 2, "redis_url": None})
    limiter = Edge(settings).rate_limiter
    assert await takes(limiter, "a", 2, per_minute=1) == [True, False]
    assert await takes(limiter, "b", 1, per_minute=1) == [True]
    assert await takes(limiter, "a", 1, per_minute=1) == [False]  # still tracked
    assert await takes(limiter, "c", 1, per_minute=1) == [True]  # "b" goes, then "a"
    assert await takes(limiter, "d", 1, per_minute=1) == [True]
    assert await takes(limiter, "a", 1, per_minute=1) == [True]
