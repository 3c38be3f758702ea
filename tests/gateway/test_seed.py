"""Seeding the platform tables: the world's rows, idempotent, one world at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import asyncpg
import pytest

from credit.records import CreditRecord, RecordKind
from gateway.database import Database
from gateway.migrations import apply_migrations
from gateway.seed import platform_rows, seed_platform
from simulators.world import World, WorldConfig

TABLES = ("red_list_entries", "credit_commitments", "credit_evaluations")


@pytest.fixture
async def conn(database: Database) -> AsyncIterator[asyncpg.Connection]:
    async with database.pool.acquire() as connection:
        await apply_migrations(connection)
        yield connection


async def _dump(conn: asyncpg.Connection) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: [tuple(r) for r in await conn.fetch(f"SELECT * FROM {table} ORDER BY id")]  # noqa: S608
        for table in TABLES
    }


async def test_seeding_twice_leaves_the_same_rows(conn: asyncpg.Connection, world: World) -> None:
    await seed_platform(conn, world)
    first = await _dump(conn)
    await seed_platform(conn, world)
    assert await _dump(conn) == first
    rows = platform_rows(world)
    assert [len(first[t]) for t in TABLES] == [
        len(rows.red_lists),
        len(rows.commitments),
        len(rows.evaluations),
    ]
    assert all(first.values()), "every table has rows"
    seeded = await conn.fetchrow("SELECT seed, enterprises FROM world_seed")
    assert tuple(seeded) == (world.config.seed, world.config.enterprises)


async def test_rows_match_the_world(conn: asyncpg.Connection, world: World) -> None:
    await seed_platform(conn, world)
    codes = [world.boundary[c] for c in ("clean_a_grade", "penalty_repaired", "every_kind")]
    red = await conn.fetch(
        "SELECT * FROM red_list_entries WHERE subject_code = ANY($1::text[]) ORDER BY id", codes
    )
    pledges = await conn.fetch(
        "SELECT * FROM credit_commitments WHERE subject_code = ANY($1::text[]) ORDER BY id", codes
    )
    ratings = await conn.fetch(
        "SELECT * FROM credit_evaluations WHERE subject_code = ANY($1::text[]) ORDER BY id", codes
    )
    expected: dict[RecordKind, list[CreditRecord]] = {
        RecordKind.RED_LIST: [],
        RecordKind.COMMITMENT: [],
    }
    for code in codes:
        facts = world.facts(code)
        assert facts is not None
        expected[RecordKind.RED_LIST] += list(facts.red_lists)
        expected[RecordKind.COMMITMENT] += list(facts.commitments)
        for row in (r for r in ratings if r["subject_code"] == code):
            [record] = [e for e in facts.evaluations if e.id == row["id"]]
            assert row["level"] == record.details["level"]
            score = record.details.get("score")
            assert row["score"] == (Decimal(score) if score else None)
    by_id = {r.id: r for r in expected[RecordKind.RED_LIST]}
    assert sorted(by_id) == [r["id"] for r in red]
    for row in red:
        record = by_id[row["id"]]
        assert (row["list_name"], row["listed_on"], row["valid_until"]) == (
            record.list_name,
            record.decided_on,
            record.ended_on,
        )
        assert row["subject_name"] == world.registrations[row["subject_code"]].name
    assert sorted(r.id for r in expected[RecordKind.COMMITMENT]) == [r["id"] for r in pledges]
    repaired = world.facts(world.boundary["penalty_repaired"])
    assert repaired is not None
    [penalty] = repaired.penalties
    assert any(p["related_record_id"] == penalty.id for p in pledges)
    assert any(r["list_name"] == "A级纳税人" for r in red)


async def test_another_world_replaces_the_rows(conn: asyncpg.Connection, world: World) -> None:
    await seed_platform(conn, world)
    before = await _dump(conn)
    other = World.generate(WorldConfig(seed=5, enterprises=60))
    await seed_platform(conn, other)
    replaced = await _dump(conn)
    assert {row[1] for rows in replaced.values() for row in rows} <= set(other.registrations)
    assert replaced != before
    await seed_platform(conn, world)
    assert await _dump(conn) == before
