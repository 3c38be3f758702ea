"""The platform connector against the real PostgreSQL, seeded from the test world."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence

import asyncpg
import pytest

from connectors.errors import SourceUnavailable
from connectors.platform import PlatformCache, PlatformConnector
from credit.records import CreditRecord
from gateway.auth.client_cache import listening
from gateway.database import Database
from gateway.migrations import apply_migrations
from gateway.seed import seed_platform
from simulators.facts import SubjectFacts
from simulators.world import World
from tests.connectors.cases import unknown_uscc
from tests.connectors.fake_clock import FakeClock


@pytest.fixture(scope="module")
async def seeded(database: Database, world: World) -> Database:
    async with database.pool.acquire() as conn:
        await apply_migrations(conn)
        await seed_platform(conn, world)
    return database


def _with(world: World, pick: Callable[[SubjectFacts], Sequence[CreditRecord]]) -> list[str]:
    return [c for c in sorted(world.registrations) if pick(world.facts(c))][:5]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("method", "pick"),
    [
        ("red_lists", lambda f: f.red_lists),
        ("commitments", lambda f: f.commitments),
        ("evaluations", lambda f: f.evaluations),
    ],
)
async def test_reads_what_the_platform_holds(
    seeded: Database,
    world: World,
    clock: FakeClock,
    method: str,
    pick: Callable[[SubjectFacts], Sequence[CreditRecord]],
) -> None:
    platform = PlatformConnector(seeded.pool, clock=clock)
    codes = _with(world, pick)
    assert codes
    [unknown] = unknown_uscc(world)
    found = await getattr(platform, method)([*codes, unknown])
    assert set(found) == {*codes, unknown}
    assert found[unknown].value == ()
    for code in codes:
        expected = pick(world.facts(code))  # type: ignore[arg-type]
        assert sorted(found[code].value, key=lambda r: r.id) == sorted(expected, key=lambda r: r.id)
        assert found[code].provenance.source == "platform"
        assert found[code].provenance.fetched_at == clock.now()


async def test_a_closed_pool_is_unavailable_and_close_is_idempotent(
    pg_dsn: str, seeded: Database, world: World
) -> None:
    pool = await asyncpg.create_pool(pg_dsn, min_size=1, max_size=1)
    platform = PlatformConnector(pool)
    await pool.close()
    with pytest.raises(SourceUnavailable) as caught:
        await platform.red_lists(sorted(world.registrations)[:1])
    assert pg_dsn not in str(caught.value)
    await platform.aclose()
    await platform.aclose()
    with pytest.raises(SourceUnavailable):
        await platform.commitments(["91640104MA7K3P2Q1X"])


async def test_no_codes_no_query(seeded: Database) -> None:
    assert await PlatformConnector(seeded.pool).red_lists([]) == {}


# --- the cache, kept while NOTIFY tells of changes (0008_platform_notify.sql) ---------------


class HeardCache(PlatformCache):
    """A PlatformCache that lets a test wait for the next notification it hears."""

    def __init__(self) -> None:
        super().__init__(ttl_s=3600, maxsize=1000)
        self.heard: asyncio.Queue[str] = asyncio.Queue()

    def _notified(self, conn: object, pid: int, channel: str, payload: object) -> None:
        super()._notified(conn, pid, channel, payload)
        self.heard.put_nowait(str(payload))


@pytest.fixture
async def cached(seeded: Database) -> AsyncIterator[tuple[PlatformConnector, HeardCache]]:
    platform = PlatformConnector(seeded.pool)
    cache = HeardCache()
    async with listening(seeded.dsn, platform.use_cache(cache)):
        yield platform, cache


async def _red_list(conn: asyncpg.Connection, entry_id: str, code: str) -> None:
    await conn.execute(
        """INSERT INTO red_list_entries (id, subject_code, subject_name, list_name, authority,
                                         listed_on)
           VALUES ($1, $2, '测试企业', '守合同重信用企业', '市场监督管理局', '2026-01-05')""",
        entry_id,
        code,
    )


async def test_cached_answers_go_when_the_platform_writes(
    cached: tuple[PlatformConnector, HeardCache], seeded: Database, world: World
) -> None:
    platform, cache = cached
    [code] = unknown_uscc(world)
    first = await platform.red_lists([code])
    assert first[code].value == ()
    assert not first[code].provenance.cached
    again = await platform.red_lists([code])
    assert again[code].value == ()
    assert again[code].provenance.cached  # no query: the table was not read again
    async with seeded.pool.acquire() as conn:
        await _red_list(conn, "RL-CACHE-TEST-1", code)
        try:
            assert await asyncio.wait_for(cache.heard.get(), 10) == code
            after = await platform.red_lists([code])
            assert [r.id for r in after[code].value] == ["RL-CACHE-TEST-1"]
            assert not after[code].provenance.cached
        finally:
            await conn.execute("DELETE FROM red_list_entries WHERE id = 'RL-CACHE-TEST-1'")
        assert await asyncio.wait_for(cache.heard.get(), 10) == code
    assert (await platform.red_lists([code]))[code].value == ()


async def test_a_rolled_back_write_says_nothing_and_a_wide_one_drops_everything(
    cached: tuple[PlatformConnector, HeardCache], seeded: Database, world: World
) -> None:
    platform, cache = cached
    codes = sorted(world.registrations)[:3]
    await platform.evaluations(codes)
    assert all(v.provenance.cached for v in (await platform.evaluations(codes)).values())
    async with seeded.pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        await _red_list(conn, "RL-CACHE-TEST-2", codes[0])
        await tx.rollback()
        # A statement touching more than 100 subjects names none of them: '*'.
        await conn.execute(
            "UPDATE credit_evaluations SET level = level WHERE id IN "
            "(SELECT id FROM credit_evaluations ORDER BY subject_code LIMIT 500)"
        )
    assert await asyncio.wait_for(cache.heard.get(), 10) == "*"  # the rollback sent nothing
    assert not any(v.provenance.cached for v in (await platform.evaluations(codes)).values())


async def test_nothing_is_kept_without_the_listener_nor_by_a_read_begun_before_a_drop(
    seeded: Database, world: World
) -> None:
    platform = PlatformConnector(seeded.pool)
    cache = platform.use_cache(PlatformCache(ttl_s=3600, maxsize=1000))
    codes = sorted(world.registrations)[:2]
    await platform.commitments(codes)
    assert not any(v.provenance.cached for v in (await platform.commitments(codes)).values())
    cache._hear()  # as the listener does once connected
    began = cache.generation
    cache.drop(codes[0])  # a change heard while a read was in flight
    found = await platform.commitments(codes)
    cache.put("query", codes[1], found[codes[1]], generation=began)
    assert cache.get("query", codes[1]) is None


async def test_records_reads_the_three_tables_in_one_query_and_keeps_each(
    cached: tuple[PlatformConnector, HeardCache], seeded: Database, world: World
) -> None:
    platform, _ = cached
    codes = [
        c
        for c in sorted(world.registrations)
        if (f := world.facts(c)) is not None and f.red_lists and f.commitments and f.evaluations
    ][:3]
    [unknown] = unknown_uscc(world)
    found = await platform.records([*codes, unknown])
    for code in codes:
        apart = [
            *(await platform.red_lists([code]))[code].value,
            *(await platform.commitments([code]))[code].value,
            *(await platform.evaluations([code]))[code].value,
        ]
        assert list(found[code].value) == apart
        assert found[code].provenance.source == "platform"
    assert found[unknown].value == ()
    again = await platform.records(codes)
    assert all(v.provenance.cached for v in again.values())  # each table's answer was kept


class CountingPool:
    """The seeded pool, counting the connections taken from it (one per query here)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.taken = 0

    def acquire(self, **kwargs: object) -> object:
        self.taken += 1
        return self.pool.acquire(**kwargs)


async def test_a_subject_with_no_platform_row_costs_no_query_once_the_index_is_loaded(
    seeded: Database, world: World
) -> None:
    counting = CountingPool(seeded.pool)
    platform = PlatformConnector(counting)
    cache = HeardCache()
    held = _with(world, lambda f: f.red_lists)[0]
    [unknown] = unknown_uscc(world)
    async with listening(seeded.dsn, platform.use_cache(cache)):
        assert cache.presence is not None
        await cache.presence.wait_ready()
        taken = counting.taken  # the index's own load
        found = await platform.records([unknown])
        assert found[unknown].value == ()
        assert counting.taken == taken  # answered from the index: no query
        assert (await platform.records([held]))[held].value
        assert counting.taken == taken + 1
        async with seeded.pool.acquire() as conn:
            await _red_list(conn, "RL-PRESENCE-1", unknown)
            try:
                assert await asyncio.wait_for(cache.heard.get(), 10) == unknown
                after = await platform.red_lists([unknown])
                assert [r.id for r in after[unknown].value] == ["RL-PRESENCE-1"]
            finally:
                await conn.execute("DELETE FROM red_list_entries WHERE id = 'RL-PRESENCE-1'")
            assert await asyncio.wait_for(cache.heard.get(), 10) == unknown
        cache._deafen()  # the listener lost: every subject is read again
        before = counting.taken
        await platform.records([unknown])
        assert counting.taken == before + 1
