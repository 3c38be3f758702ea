"""The rights tables (migration 0007): cases, their events, attachments and the outbox.

Only SQL lives here; the rules are :mod:`credit.rights` and the service that combines both is
:mod:`gateway.rights.service`.  A case's state is never stored: :func:`load` reads its events
and :func:`credit.rights.replay` derives it.  Events, cases and attachments are append-only
(the database refuses UPDATE and DELETE on them); the outbox alone changes (delivery).

    rows = await load(conn, "c.record_id = ANY($1::text[])", ids)
    await append(conn, case_id, seq=2, event=decided, actor_kind="officer")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson

from credit.records import Severity
from credit.rights import (
    CaseKind,
    CaseState,
    Correction,
    CorrectionAction,
    Event,
    EventType,
    ObjectionTarget,
    Outcome,
    replay,
)
from resolvers.rights_service import AttachmentIn, AttachmentMeta

__all__ = [
    "StoredCase",
    "append",
    "enqueue",
    "insert_attachments",
    "insert_case",
    "load",
    "lock_record",
]

_LOCK_SALT = 0x5249_4748  # "RIGH": record locks of this application


@dataclass(frozen=True, slots=True)
class StoredCase:
    id: str
    kind: CaseKind
    target: ObjectionTarget | None
    round: int
    subject_key: str
    subject_name: str
    filed_by: str
    source: str
    record_id: str
    record_title: str
    filed_at: dt.datetime
    filed_on: dt.date
    due_on: dt.date
    deadline_basis: str
    channel: str | None
    fingerprint: str
    filed_via: str | None
    notify_ref: str | None
    events: tuple[Event, ...]
    bodies: tuple[dict[str, Any], ...]
    attachments: tuple[AttachmentMeta, ...]
    delivered_at: dt.datetime | None

    @property
    def state(self) -> CaseState:
        return replay(self.events)

    @property
    def filed_body(self) -> dict[str, Any]:
        return self.bodies[0]


def correction_json(correction: Correction | None) -> dict[str, Any] | None:
    if correction is None:
        return None
    return {
        "action": correction.action.value,
        "severity": correction.severity.value if correction.severity else None,
        "publicityUntil": correction.publicity_until.isoformat()
        if correction.publicity_until
        else None,
    }


def _correction(data: Any) -> Correction | None:
    if not data:
        return None
    until = data.get("publicityUntil")
    return Correction(
        CorrectionAction(data["action"]),
        Severity(data["severity"]) if data.get("severity") else None,
        dt.date.fromisoformat(until) if until else None,
    )


def event_body(event: Event, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = dict(extra or {})
    if event.kind is not None:
        body["kind"] = event.kind.value
    if event.outcome is not None:
        body["outcome"] = event.outcome.value
    if event.reasons:
        body["reasons"] = list(event.reasons)
    if event.correction is not None:
        body["correction"] = correction_json(event.correction)
    return body


def _event(row: dict[str, Any]) -> Event:
    body = row["body"]
    return Event(
        EventType(row["type"]),
        dt.datetime.fromisoformat(row["at"]),
        row["actor"],
        CaseKind(body["kind"]) if "kind" in body else None,
        Outcome(body["outcome"]) if "outcome" in body else None,
        tuple(body.get("reasons", ())),
        _correction(body.get("correction")),
    )


_SELECT = """
SELECT c.*,
       (SELECT o.delivered_at FROM rights_outbox o WHERE o.case_id = c.id) AS delivered_at,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('name', a.name, 'media_type', a.media_type,
                                                     'size', a.size) ORDER BY a.position),
                        '[]'::jsonb)
        FROM rights_attachments a WHERE a.case_id = c.id) AS attachments,
       (SELECT jsonb_agg(jsonb_build_object('type', e.type, 'at', e.at, 'actor', e.actor,
                                            'body', e.body) ORDER BY e.seq)
        FROM rights_events e WHERE e.case_id = c.id) AS events
FROM rights_cases c
WHERE {where}
ORDER BY {order}
LIMIT {limit}
"""


async def load(
    conn: asyncpg.Connection,
    where: str,
    *args: object,
    order: str = "c.filed_at, c.id",
    limit: int = 1000,
    for_update: bool = False,
) -> list[StoredCase]:
    """Cases matching ``where`` (a fixed SQL condition on ``c``, parameters bound)."""
    sql = _SELECT.format(where=where, order=order, limit=int(limit))
    if for_update:
        sql += " FOR UPDATE OF c"
    rows = await conn.fetch(sql, *args)
    found = []
    for r in rows:
        events = orjson.loads(r["events"])
        found.append(
            StoredCase(
                id=str(r["id"]),
                kind=CaseKind(r["kind"]),
                target=ObjectionTarget(r["target"]) if r["target"] else None,
                round=r["round"],
                subject_key=r["subject_key"],
                subject_name=r["subject_name"],
                filed_by=r["filed_by"],
                source=r["source"],
                record_id=r["record_id"],
                record_title=r["record_title"],
                filed_at=r["filed_at"],
                filed_on=r["filed_on"],
                due_on=r["due_on"],
                deadline_basis=r["deadline_basis"],
                channel=r["channel"],
                fingerprint=r["fingerprint"],
                filed_via=r["filed_via"],
                notify_ref=r["notify_ref"],
                events=tuple(_event(e) for e in events),
                bodies=tuple(e["body"] for e in events),
                attachments=tuple(
                    AttachmentMeta(a["name"], a["media_type"], a["size"])
                    for a in orjson.loads(r["attachments"])
                ),
                delivered_at=r["delivered_at"],
            )
        )
    return found


async def lock_record(conn: asyncpg.Connection, source: str, record_id: str) -> None:
    """Serialise filings about one record until the transaction ends (one open objection)."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2))", _LOCK_SALT, f"{source}\x1f{record_id}"
    )


async def insert_case(conn: asyncpg.Connection, **values: object) -> str:
    columns = list(values)
    placeholders = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    # The column names come from this module's callers, never from input.
    case_id = await conn.fetchval(
        f"INSERT INTO rights_cases ({', '.join(columns)}) VALUES ({placeholders}) RETURNING id",  # noqa: S608
        *values.values(),
    )
    return str(case_id)


async def append(
    conn: asyncpg.Connection,
    case_id: str,
    seq: int,
    event: Event,
    actor_kind: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Append event ``seq``; a racing writer that took ``seq`` first makes this raise
    :class:`asyncpg.UniqueViolationError`."""
    await conn.execute(
        """INSERT INTO rights_events (case_id, seq, type, at, actor_kind, actor, body)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)""",
        case_id,
        seq,
        event.type.value,
        event.at,
        actor_kind,
        event.actor,
        orjson.dumps(event_body(event, extra)).decode(),
    )


async def insert_attachments(
    conn: asyncpg.Connection, case_id: str, attachments: Sequence[AttachmentIn]
) -> None:
    await conn.executemany(
        """INSERT INTO rights_attachments (case_id, position, name, media_type, size, content)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        [
            (case_id, i, a.name.strip()[:200] or "附件", a.media_type, len(a.content), a.content)
            for i, a in enumerate(attachments)
        ],
    )


async def enqueue(
    conn: asyncpg.Connection,
    case_id: str,
    source: str,
    payload: dict[str, Any],
    now: dt.datetime,
) -> None:
    """Queue a decision for its bureau, in the caller's (the decision's) transaction."""
    await conn.execute(
        """INSERT INTO rights_outbox (case_id, source, payload, created_at, next_attempt_at)
           VALUES ($1, $2, $3::jsonb, $4, $4)""",
        case_id,
        source,
        orjson.dumps(payload).decode(),
        now,
    )


async def notify(
    conn: asyncpg.Connection, case_id: str, client_id: str, chat_ref: str, now: dt.datetime
) -> None:
    """Queue the decision's notice for the client that relayed the filing (the bot)."""
    await conn.execute(
        """INSERT INTO rights_notices (case_id, client_id, chat_ref, created_at)
           VALUES ($1, $2, $3, $4)""",
        case_id,
        client_id,
        chat_ref,
        now,
    )


async def pending_notices(conn: asyncpg.Connection, client_id: str, first: int) -> dict[str, str]:
    """Case id → chat of ``client_id``'s notices not acknowledged yet, oldest first."""
    rows = await conn.fetch(
        """SELECT case_id::text, chat_ref FROM rights_notices
           WHERE client_id = $1 AND acknowledged_at IS NULL
           ORDER BY created_at, case_id LIMIT $2""",
        client_id,
        first,
    )
    return {r["case_id"]: r["chat_ref"] for r in rows}


async def acknowledge(
    conn: asyncpg.Connection, client_id: str, case_ids: Sequence[str], now: dt.datetime
) -> int:
    """Mark these notices told; how many were pending (``DataError``: not UUIDs)."""
    done = await conn.fetch(
        """UPDATE rights_notices SET acknowledged_at = $3
           WHERE client_id = $1 AND case_id = ANY($2::uuid[]) AND acknowledged_at IS NULL
           RETURNING case_id""",
        client_id,
        list(case_ids),
        now,
    )
    return len(done)
