"""Migrations: each once, in order, in a transaction; twice and concurrently safe; no drift."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from gateway.database import Database
from gateway.migrations import Migration, MigrationDrift, apply_migrations, discover
from tests.conftest import fresh_database


@pytest.fixture
async def empty_db(pg_dsn: str) -> AsyncIterator[str]:
    async with fresh_database(pg_dsn) as dsn:
        yield dsn


async def test_discovers_numbered_sql_in_order() -> None:
    found = discover()
    assert found, "no migrations packaged"
    versions = [m.version for m in found]
    assert versions == sorted(versions)
    assert versions[0] == 1


async def test_apply_twice_applies_once(empty_db: str) -> None:
    conn = await asyncpg.connect(empty_db)
    try:
        first = await apply_migrations(conn)
        second = await apply_migrations(conn)
        assert first == [m.version for m in discover()]
        assert second == []
        rows = await conn.fetch("SELECT version FROM schema_migrations ORDER BY version")
        assert [r["version"] for r in rows] == first
    finally:
        await conn.close()


async def test_two_processes_at_once_apply_each_exactly_once(empty_db: str) -> None:
    # Two connections stand in for two gateway processes starting together.
    slow = [
        Migration(1, "one", "CREATE TABLE t1 (x int); SELECT pg_sleep(0.2);"),
        Migration(2, "two", "CREATE TABLE t2 (x int);"),
    ]
    a, b = await asyncpg.connect(empty_db), await asyncpg.connect(empty_db)
    try:
        done_a, done_b = await asyncio.gather(apply_migrations(a, slow), apply_migrations(b, slow))
        assert sorted(done_a + done_b) == [1, 2]
        assert await a.fetchval("SELECT count(*) FROM schema_migrations") == 2
    finally:
        await a.close()
        await b.close()


async def test_failed_migration_leaves_nothing_half_done(empty_db: str) -> None:
    broken = [Migration(1, "broken", "CREATE TABLE half (x int); SELECT no_such_function();")]
    conn = await asyncpg.connect(empty_db)
    try:
        with pytest.raises(asyncpg.UndefinedFunctionError):
            await apply_migrations(conn, broken)
        assert await conn.fetchval("SELECT to_regclass('half')") is None
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == 0
    finally:
        await conn.close()


async def test_changed_applied_migration_is_refused(empty_db: str) -> None:
    conn = await asyncpg.connect(empty_db)
    try:
        await apply_migrations(conn, [Migration(1, "one", "CREATE TABLE t1 (x int);")])
        with pytest.raises(MigrationDrift):
            await apply_migrations(conn, [Migration(1, "one", "CREATE TABLE t1 (y int);")])
    finally:
        await conn.close()


async def test_gateway_database_is_migrated(database: Database, client: object) -> None:
    assert await database.pool.fetchval("SELECT to_regclass('world_seed')") is not None
