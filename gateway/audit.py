"""The audit log: who read whose data, when and why (征信业管理条例 第二十二条, kept ≥ 5 years).

Every read of a subject by a bank or an officer is written here *before* the data leaves:

    await write(conn, [AuditEntry.of(principal, at=now, subject_key=code, request_id=rid,
                                     purpose="信易贷贷前审查", consent_id=c.id, scopes=["tax"])])
    page = await access_log(conn, code, first=20, after=None)   # the subject's "who looked"

:func:`write` inserts all entries in one statement (creating a missing month's partition on
demand) and raises :class:`AuditWriteFailed` when it cannot: the caller must then not return
the data.  Rows are append-only — the database itself refuses UPDATE, DELETE and TRUNCATE
(migration 0003) — and there is no function here that changes one.

    AuditError
     └── AuditWriteFailed        the rows were not written (cause chained)
    InvalidAuditCursor           (DomainError, INVALID_CURSOR) an ``after`` we did not issue
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import asyncpg
import orjson

from credit.access import Principal
from credit.errors import DomainError
from gateway.request_tally import current_tally

__all__ = [
    "AccessLogEntry",
    "AccessLogPage",
    "AuditEntry",
    "AuditError",
    "AuditWriteFailed",
    "InvalidAuditCursor",
    "access_log",
    "ensure_partitions",
    "write",
]

_INSERT = """
INSERT INTO audit_log (at, principal_kind, client_id, principal_name, subject_key, purpose,
                       consent_id, scopes, fields, request_id)
SELECT at, principal_kind, client_id, principal_name, subject_key, purpose, consent_id,
       scopes, fields, request_id
FROM jsonb_to_recordset($1::jsonb) AS e(
    at timestamptz, principal_kind text, client_id text, principal_name text, subject_key text,
    purpose text, consent_id text, scopes text[], fields text[], request_id text)
"""


class AuditError(Exception):
    """The audit log could not do what was asked."""


class AuditWriteFailed(AuditError):
    def __init__(self) -> None:
        super().__init__("审计记录写入失败，数据未返回")


class InvalidAuditCursor(DomainError):
    code = "INVALID_CURSOR"

    def __init__(self) -> None:
        super().__init__("分页游标无效：请使用上一页返回的 endCursor")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One read of one subject.  ``fields`` or ``scopes`` say what was read."""

    at: dt.datetime
    principal_kind: str
    client_id: str | None
    principal_name: str
    subject_key: str
    request_id: str
    purpose: str | None = None
    consent_id: str | None = None
    scopes: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("at must be timezone-aware")

    @classmethod
    def of(
        cls,
        principal: Principal,
        *,
        at: dt.datetime,
        subject_key: str,
        request_id: str,
        purpose: str | None = None,
        consent_id: str | None = None,
        scopes: Iterable[str] = (),
        fields: Iterable[str] = (),
    ) -> AuditEntry:
        return cls(
            at=at,
            principal_kind=principal.kind.value,
            client_id=principal.client_id,
            principal_name=principal.display_name,
            subject_key=subject_key,
            request_id=request_id,
            purpose=purpose,
            consent_id=consent_id,
            scopes=tuple(sorted(set(scopes))),
            fields=tuple(sorted(set(fields))),
        )


@dataclass(frozen=True, slots=True)
class AccessLogEntry:
    id: int
    at: dt.datetime
    principal_kind: str
    client_id: str | None
    principal_name: str
    purpose: str | None
    consent_id: str | None
    scopes: tuple[str, ...]
    fields: tuple[str, ...]
    request_id: str
    cursor: str


@dataclass(frozen=True, slots=True)
class AccessLogPage:
    entries: list[AccessLogEntry]
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.entries[-1].cursor if self.entries else None


def _payload(entries: Sequence[AuditEntry]) -> str:
    return orjson.dumps(
        [
            {
                "at": e.at.isoformat(),
                "principal_kind": e.principal_kind,
                "client_id": e.client_id,
                "principal_name": e.principal_name,
                "subject_key": e.subject_key,
                "purpose": e.purpose,
                "consent_id": e.consent_id,
                "scopes": list(e.scopes),
                "fields": list(e.fields),
                "request_id": e.request_id,
            }
            for e in entries
        ]
    ).decode()


async def write(conn: asyncpg.Connection, entries: Sequence[AuditEntry]) -> None:
    """Insert ``entries`` in one statement, or raise :class:`AuditWriteFailed`."""
    if not entries:
        return
    payload = _payload(entries)
    tally = current_tally()
    try:
        try:
            # A savepoint when the caller holds a transaction, so the retry can still run.
            async with conn.transaction():
                await conn.execute(_INSERT, payload)
        except asyncpg.CheckViolationError:
            # "no partition of relation audit_log found for row": a month not prepared yet.
            async with conn.transaction():
                for day in sorted({e.at.astimezone(dt.UTC).date() for e in entries}):
                    await conn.execute("SELECT audit_log_ensure_partition($1)", day)
                await conn.execute(_INSERT, payload)
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as exc:
        if tally is not None:
            tally.audit_failures += len(entries)
        raise AuditWriteFailed from exc
    if tally is not None:
        tally.audit_rows += len(entries)


async def ensure_partitions(conn: asyncpg.Connection, today: dt.date, ahead: int) -> list[str]:
    """Create this month's partition and the next ``ahead`` months' (UTC); return their names."""
    rows = await conn.fetch(
        """SELECT audit_log_ensure_partition(($1::date + make_interval(months => m))::date)
           FROM generate_series(0, $2::int) AS m""",
        today,
        ahead,
    )
    return [str(row[0]) for row in rows]


def _encode_cursor(at: dt.datetime, row_id: int) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{row_id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        at_text, _, id_text = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        at, row_id = dt.datetime.fromisoformat(at_text), int(id_text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidAuditCursor from None
    if at.tzinfo is None:
        raise InvalidAuditCursor
    return at, row_id


async def access_log(
    conn: asyncpg.Connection, subject_key: str, *, first: int, after: str | None
) -> AccessLogPage:
    """Reads of ``subject_key``, newest first, ``first`` at a time (keyset pagination)."""
    if first < 0:
        raise ValueError("first must be ≥ 0")
    at, row_id = _decode_cursor(after) if after is not None else (None, None)
    rows = await conn.fetch(
        """SELECT id, at, principal_kind, client_id, principal_name, purpose, consent_id,
                  scopes, fields, request_id
           FROM audit_log
           WHERE subject_key = $1 AND ($2::timestamptz IS NULL OR (at, id) < ($2, $3))
           ORDER BY at DESC, id DESC
           LIMIT $4""",
        subject_key,
        at,
        row_id,
        first + 1,
    )
    entries = [
        AccessLogEntry(
            id=r["id"],
            at=r["at"],
            principal_kind=r["principal_kind"],
            client_id=r["client_id"],
            principal_name=r["principal_name"],
            purpose=r["purpose"],
            consent_id=r["consent_id"],
            scopes=tuple(r["scopes"]),
            fields=tuple(r["fields"]),
            request_id=r["request_id"],
            cursor=_encode_cursor(r["at"], r["id"]),
        )
        for r in rows[:first]
    ]
    return AccessLogPage(entries=entries, has_next_page=len(rows) > first)
