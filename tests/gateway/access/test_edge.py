"""The assembled edge: middleware order, CORS, lifecycle, and Redis fan-out between replicas."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os

import httpx
import orjson
import pytest
from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from credit.access import ConsentScope, Principal, PrincipalKind
from gateway.consents import ConsentRevoked, grant, revoke
from gateway.database import Database
from gateway.limits import Edge, MemoryRateLimiter
from gateway.settings import RateLimits, load_settings
from tests.fakes.raw_http import RawConnection
from tests.fakes.servers import serve_app
from tests.gateway.access.conftest import DEFAULT_REDIS, open_test_redis
from tests.gateway.access.graph_app import Ctx, View, graph_app

JSON_TYPE = {"Content-Type": "application/json"}

WEB = "https://web.credit.example"


class BrokenView(View):
    """A bug outside any resolver: what only a mock can produce."""

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Ctx:
        raise RuntimeError("a bug")


async def test_an_unexpected_exception_is_a_json_500_and_the_connection_stays(
    migrated: Database, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(redis_url=None)
    built = graph_app(Edge(settings, rate_limiter=MemoryRateLimiter()), migrated, BrokenView)
    async with serve_app(built.app) as url, RawConnection.open(url) as conn:
        for _ in range(2):  # the second request goes over the same connection
            answer = await conn.send("POST", "/graphql", b'{"query": "{ hello }"}', JSON_TYPE)
            assert answer.status == 500
            [error] = orjson.loads(answer.body)["errors"]
            assert error["extensions"]["code"] == "INTERNAL"
            assert answer.headers["x-request-id"] in error["message"]
    logged = next(r for r in caplog.records if r.name == "gateway.edge_view")
    assert logged.levelno == logging.ERROR
    assert logged.exc_info is not None


async def test_cors_and_request_ids_reach_every_refusal(migrated: Database) -> None:
    settings = load_settings(redis_url=None, cors_origins=[WEB], rate_limits=RateLimits(public=1))
    built = graph_app(Edge(settings, rate_limiter=MemoryRateLimiter()), migrated)
    async with serve_app(built.app) as url, httpx.AsyncClient(base_url=url) as http:
        preflight = await http.options(
            "/graphql",
            headers={
                "origin": WEB,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type, authorization, x-subject-token",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == WEB
        assert "x-subject-token" in preflight.headers["access-control-allow-headers"].lower()

        from_web = {"origin": WEB, "x-request-id": "req-cors-0001"}
        ok = await http.post("/graphql", json={"query": "{ hello }"}, headers=from_web)
        assert ok.headers["access-control-allow-origin"] == WEB
        limited = await http.post("/graphql", json={"query": "{ hello }"}, headers=from_web)
        assert limited.status_code == 429
        assert limited.headers["access-control-allow-origin"] == WEB
        assert "retry-after" in limited.headers["access-control-expose-headers"].lower()
        assert limited.json()["extensions"] == {"requestId": "req-cors-0001"}
        assert limited.headers["x-request-id"] == "req-cors-0001"

        bad_key = {**from_web, "authorization": "Bearer nope"}
        refused = await http.post("/graphql", json={"query": "{ hello }"}, headers=bad_key)
        assert refused.status_code == 401
        assert refused.headers["access-control-allow-origin"] == WEB
        assert refused.json()["extensions"] == {"requestId": "req-cors-0001"}

        elsewhere = await http.post(
            "/graphql", json={"query": "{ hello }"}, headers={"origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in elsewhere.headers


def test_no_cors_middleware_without_origins() -> None:
    edge = Edge(load_settings(redis_url=None))
    names = [getattr(m.cls, "__name__", "") for m in edge.middleware()]
    assert names == [
        "RequestIdMiddleware",
        "BodyLimitMiddleware",
        "JsonContentTypeMiddleware",
        "AuthenticationMiddleware",
        "RateLimitMiddleware",
    ]
    without = edge.middleware(request_id=False)
    assert "RequestIdMiddleware" not in [getattr(m.cls, "__name__", "") for m in without]


async def test_running_binds_the_pool_and_prepares_audit_partitions(migrated: Database) -> None:
    edge = Edge(load_settings(redis_url=None, audit_partitions_ahead=3))
    with pytest.raises(RuntimeError, match="not running"):
        _ = edge.pool
    # The day before start-up: the edge counts from its own day (this one or, past midnight
    # UTC, the next), so the month three ahead of this one is among those it prepares.
    today = dt.datetime.now(dt.UTC).date()
    async with edge.running(migrated.pool):
        assert edge.pool is migrated.pool
        ahead = (today.replace(day=1) + dt.timedelta(days=32 * 3)).replace(day=1)
        name = f"audit_log_y{ahead:%Y}m{ahead:%m}"
        assert await migrated.pool.fetchval("SELECT to_regclass($1) IS NOT NULL", name)
    with pytest.raises(RuntimeError, match="not running"):
        _ = edge.pool


@pytest.mark.redis
async def test_a_revocation_reaches_the_other_replica(migrated: Database, unique: str) -> None:
    await (await open_test_redis()).aclose()  # fails or skips per the Redis rules
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    settings = load_settings(redis_url=SecretStr(url))
    here, there = Edge(settings), Edge(settings)
    heard = asyncio.Event()
    granted: list[str] = []
    dropped: list[str] = []  # every revocation heard, other runs' too: the channel is shared

    def drop(event: ConsentRevoked) -> None:
        dropped.append(event.consent_id)
        if event.consent_id in granted:
            heard.set()

    there.revocations.subscribe(drop)
    citizen = Principal(PrincipalKind.CITIZEN, subject_key=f"p:{unique}")
    now = dt.datetime.now(dt.UTC)
    async with here.running(migrated.pool), there.running(migrated.pool):
        async with migrated.pool.acquire() as conn:
            c = await grant(
                conn,
                by=citizen,
                subject_code=f"p:{unique}",
                bank_id="bank-a",
                scopes=[ConsentScope.TAX],
                purpose="信易贷贷前审查",
                ends_on=now.date() + dt.timedelta(days=30),
                now=now,
                max_days=90,
            )
            granted.append(c.id)
            await revoke(conn, c.id, by=citizen, now=now, bus=here.revocations)
        await asyncio.wait_for(heard.wait(), timeout=10)
    assert [d for d in dropped if d == c.id] == [c.id]  # once, whatever other runs revoked


async def test_an_unreachable_redis_stops_start_up(migrated: Database) -> None:
    edge = Edge(load_settings(redis_url=SecretStr("redis://127.0.0.1:1/0")))
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        async with edge.running(migrated.pool):
            pass
