"""Seed the platform tables (``0002_platform.sql``) from a synthetic world.

    async with pool.acquire() as conn:
        await apply_migrations(conn)
        await seed_platform(conn, world)

One transaction: the three tables are emptied and refilled with ``COPY``
(``copy_records_to_table``), and ``world_seed`` records which world they came from — so readers
see either the old rows or the new ones, and seeding the same world twice leaves the same rows.
Red lists, commitments and evaluations come from ``World.records`` (organisations only: the
platform keeps no person's data).  Expects the migrations applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import asyncpg

from credit.records import CreditRecord
from simulators.world import World

__all__ = ["PlatformRows", "platform_rows", "seed_platform"]

RED_LIST_COLUMNS = (
    "id", "subject_code", "subject_name", "list_name", "authority", "legal_basis", "listed_on",
    "valid_until",
)  # fmt: skip
COMMITMENT_COLUMNS = (
    "id", "subject_code", "subject_name", "commitment_type", "content", "authority", "made_on",
    "valid_until", "status", "related_record_id",
)  # fmt: skip
EVALUATION_COLUMNS = (
    "id", "subject_code", "subject_name", "scheme", "evaluator", "level", "score",
    "evaluated_on", "valid_until",
)  # fmt: skip

Row = tuple[str | dt.date | Decimal | None, ...]


@dataclass
class PlatformRows:
    """The rows of the three platform tables, in their column order."""

    red_lists: list[Row] = field(default_factory=list)
    commitments: list[Row] = field(default_factory=list)
    evaluations: list[Row] = field(default_factory=list)


def _red_list(r: CreditRecord, name: str) -> Row:
    return (
        r.id, r.subject_code, name, r.list_name or r.title, r.authority, r.legal_basis,
        r.decided_on, r.ended_on,
    )  # fmt: skip


def _commitment(r: CreditRecord, name: str) -> Row:
    return (
        r.id, r.subject_code, name, r.title, r.details.get("content", ""), r.authority,
        r.decided_on, r.ended_on, r.details.get("status", "履约中"),
        r.details.get("related_record_id"),
    )  # fmt: skip


def _evaluation(r: CreditRecord, name: str) -> Row:
    score = r.details.get("score")
    return (
        r.id, r.subject_code, name, r.title, r.authority, r.details["level"],
        Decimal(score) if score is not None else None, r.decided_on, r.ended_on,
    )  # fmt: skip


def platform_rows(world: World) -> PlatformRows:
    """Every organisation's platform records, as table rows."""
    rows = PlatformRows()
    for code in world.registrations:
        facts = world.records(code)
        if facts is None:
            continue
        name = world.registrations[code].name
        rows.red_lists.extend(_red_list(r, name) for r in facts.red_lists)
        rows.commitments.extend(_commitment(r, name) for r in facts.commitments)
        rows.evaluations.extend(_evaluation(r, name) for r in facts.evaluations)
    return rows


async def seed_platform(conn: asyncpg.Connection, world: World) -> None:
    """Replace the platform tables' rows with ``world``'s, atomically; record the seed."""
    rows = platform_rows(world)
    async with conn.transaction():
        await conn.execute("TRUNCATE red_list_entries, credit_commitments, credit_evaluations")
        await conn.copy_records_to_table(
            "red_list_entries", records=rows.red_lists, columns=RED_LIST_COLUMNS
        )
        await conn.copy_records_to_table(
            "credit_commitments", records=rows.commitments, columns=COMMITMENT_COLUMNS
        )
        await conn.copy_records_to_table(
            "credit_evaluations", records=rows.evaluations, columns=EVALUATION_COLUMNS
        )
        await conn.execute(
            """INSERT INTO world_seed (seed, enterprises) VALUES ($1, $2)
               ON CONFLICT (id) DO UPDATE SET seed = $1, enterprises = $2, seeded_at = now()""",
            world.config.seed,
            world.config.enterprises,
        )
    # Fresh statistics so batched lookups by subject use the indexes straight away.
    await conn.execute("ANALYZE red_list_entries, credit_commitments, credit_evaluations")
