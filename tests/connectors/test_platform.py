"""The platform connector against the real PostgreSQL, seeded from the test world."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import asyncpg
import pytest

from connectors.errors import SourceUnavailable
from connectors.platform import PlatformConnector
from credit.records import CreditRecord
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
