"""The audit log against the real PostgreSQL: one-statement writes, partitions, append-only."""

from __future__ import annotations

import datetime as dt

import asyncpg
import pytest

from credit.access import Principal, PrincipalKind
from gateway.audit import (
    AuditEntry,
    AuditWriteFailed,
    InvalidAuditCursor,
    access_log,
    ensure_partitions,
    write,
)
from gateway.database import Database

BANK = Principal(PrincipalKind.BANK, client_id="bankclient01", display_name="甲银行", bank_id="a")
T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


def entry(subject: str, minutes: int, **changes: object) -> AuditEntry:
    args: dict[str, object] = {
        "at": T0 + dt.timedelta(minutes=minutes),
        "subject_key": subject,
        "request_id": f"req-{minutes}",
        "purpose": "信易贷贷前审查",
        "consent_id": "c-1",
        "scopes": ["tax", "tax", "hrss"],
    }
    args.update(changes)
    return AuditEntry.of(BANK, **args)  # type: ignore[arg-type]


async def test_written_entries_come_back_newest_first_in_pages(
    migrated: Database, unique: str
) -> None:
    subject = f"p:{unique}"
    async with migrated.pool.acquire() as conn:
        await write(conn, [entry(subject, m) for m in range(5)] + [entry("p:other", 9)])
        first = await access_log(conn, subject, first=2, after=None)
        assert [e.request_id for e in first.entries] == ["req-4", "req-3"]
        assert first.has_next_page
        top = first.entries[0]
        assert (top.principal_kind, top.client_id, top.principal_name) == (
            "bank",
            "bankclient01",
            "甲银行",
        )
        assert top.scopes == ("hrss", "tax")
        assert top.purpose == "信易贷贷前审查"
        assert top.at == T0 + dt.timedelta(minutes=4)
        second = await access_log(conn, subject, first=2, after=first.end_cursor)
        assert [e.request_id for e in second.entries] == ["req-2", "req-1"]
        last = await access_log(conn, subject, first=2, after=second.end_cursor)
        assert [e.request_id for e in last.entries] == ["req-0"]
        assert not last.has_next_page
        empty = await access_log(conn, subject, first=0, after=None)
        assert empty.entries == []
        assert empty.end_cursor is None
        assert empty.has_next_page


async def test_same_instant_rows_are_paged_by_id(migrated: Database, unique: str) -> None:
    subject = f"p:{unique}"
    async with migrated.pool.acquire() as conn:
        await write(conn, [entry(subject, 0, request_id=f"r{i}") for i in range(3)])
        seen: list[str] = []
        after = None
        while True:
            page = await access_log(conn, subject, first=1, after=after)
            seen += [e.request_id for e in page.entries]
            if not page.has_next_page:
                break
            after = page.end_cursor
        assert sorted(seen) == ["r0", "r1", "r2"]


async def test_one_statement_all_or_nothing(migrated: Database, unique: str) -> None:
    subject = f"p:{unique}"
    bad = entry(subject, 1, request_id="bad\x00id")  # PostgreSQL text cannot hold NUL
    async with migrated.pool.acquire() as conn:
        with pytest.raises(AuditWriteFailed) as caught:
            await write(conn, [entry(subject, 0), bad])
        assert isinstance(caught.value.__cause__, asyncpg.PostgresError)
        assert (await access_log(conn, subject, first=10, after=None)).entries == []


async def test_a_month_without_a_partition_is_created_on_demand(
    migrated: Database, unique: str
) -> None:
    far = dt.datetime(2031, 5, 17, 12, 0, tzinfo=dt.UTC)
    subject = f"p:{unique}"
    async with migrated.pool.acquire() as conn, conn.transaction():
        # Inside the caller's transaction too: the retry runs in a savepoint.
        await write(conn, [entry(subject, 0, at=far)])
        assert await conn.fetchval("SELECT to_regclass('audit_log_y2031m05') IS NOT NULL")
        [got] = (await access_log(conn, subject, first=5, after=None)).entries
        assert got.at == far


async def test_partitions_are_prepared_ahead(migrated: Database) -> None:
    async with migrated.pool.acquire() as conn:
        names = await ensure_partitions(conn, dt.date(2033, 11, 30), ahead=2)
        assert names == ["audit_log_y2033m11", "audit_log_y2033m12", "audit_log_y2034m01"]
        # idempotent
        assert await ensure_partitions(conn, dt.date(2033, 11, 1), ahead=2) == names


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {table} SET purpose = 'changed'",
        "DELETE FROM {table}",
        "DELETE FROM {table} WHERE false",
        "TRUNCATE {table}",
    ],
)
@pytest.mark.parametrize("table", ["audit_log", "audit_log_y2026m11"])
async def test_rows_cannot_be_changed_or_removed(
    migrated: Database, unique: str, statement: str, table: str
) -> None:
    async with migrated.pool.acquire() as conn:
        await write(conn, [entry(f"p:{unique}", 0)])
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await conn.execute(statement.format(table=table))
        assert len((await access_log(conn, f"p:{unique}", first=5, after=None)).entries) == 1


async def test_change_privileges_are_revoked(migrated: Database) -> None:
    async with migrated.pool.acquire() as conn:
        granted = {
            r["privilege_type"]
            for r in await conn.fetch(
                """SELECT privilege_type FROM information_schema.role_table_grants
                   WHERE table_name = 'audit_log'"""
            )
        }
    assert "INSERT" in granted
    assert "SELECT" in granted
    assert not granted & {"UPDATE", "DELETE", "TRUNCATE"}


async def test_a_failed_connection_is_an_audit_failure(migrated: Database) -> None:
    conn = await asyncpg.connect(migrated.dsn)
    await conn.close()
    with pytest.raises(AuditWriteFailed, match="审计"):
        await write(conn, [entry("p:x", 0)])


async def test_nothing_to_write_is_a_no_op(migrated: Database) -> None:
    async with migrated.pool.acquire() as conn:
        await write(conn, [])


@pytest.mark.parametrize("cursor", ["not base64!", "Zm9v", "MjAyNi0xMS0yMFQwODowMDowMHwx"])
async def test_foreign_cursors_are_refused(migrated: Database, cursor: str) -> None:
    async with migrated.pool.acquire() as conn:
        with pytest.raises(InvalidAuditCursor):
            await access_log(conn, "p:x", first=5, after=cursor)


def test_entries_need_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        entry("p:x", 0, at=dt.datetime(2026, 11, 20, 8, 0))
