"""Fixtures for the access-control tests: a migrated database, and the real Redis.

Redis: ``REDIS_URL`` when set (the session fails if it does not answer); otherwise the server
at 127.0.0.1:6379 when one answers; otherwise the Redis tests are skipped with the reason
shown in the summary (``-ra``), never silently.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator

import asyncpg
import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from gateway.database import Database
from gateway.migrations import apply_migrations
from tests.conftest import fresh_database

DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="session")
async def migrated(database: Database) -> Database:
    async with database.pool.acquire() as conn:
        await apply_migrations(conn)
    return database


@pytest.fixture
async def private_db(pg_dsn: str) -> AsyncIterator[Database]:
    """A fresh, migrated database of this test's own: for tests that reset shared rows (the
    demo clients) which the session's other tests rely on."""
    async with fresh_database(pg_dsn) as dsn:
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
        try:
            async with pool.acquire() as conn:
                await apply_migrations(conn)
            yield Database(pool=pool, dsn=dsn)
        finally:
            await pool.close()


async def open_test_redis() -> aioredis.Redis:
    """A client for the test Redis, per the rules above (fails or skips, never silently)."""
    configured = os.environ.get("REDIS_URL")
    pool = aioredis.BlockingConnectionPool.from_url(
        configured or DEFAULT_REDIS, max_connections=32, timeout=5
    )
    client = aioredis.Redis.from_pool(pool)
    try:
        await client.ping()
    except (RedisConnectionError, OSError) as exc:
        await client.aclose()
        if configured:
            pytest.fail(f"REDIS_URL is set but Redis does not answer: {exc}")
        pytest.skip(f"no REDIS_URL and no Redis answering at {DEFAULT_REDIS}")
    return client


@pytest.fixture
async def redis_client() -> AsyncIterator[aioredis.Redis]:
    client = await open_test_redis()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def unique() -> str:
    """A short random token to keep one test's rows and keys apart from every other's."""
    return secrets.token_hex(6)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "edge_settings(**changes): settings overrides for the test's inline edge"
    )
