"""The pre-check store (migration 0004): decisions with their evidence, batches, loan outcomes.

    stored = await insert_prechecks(conn, who, [new], batch=None)   # [] when the key is taken
    await find_by_key(conn, bank_id="bank-a", key="k-1")
    await claim_batch(conn, bank_id=..., key=..., fingerprint=...)  # batch id, or None
    await report_outcome(conn, precheck_id, bank_id=..., client_id=..., report=...)
    await approval_stats(conn, product_code=None, since=..., until=...)

Rows are append-only (the database refuses UPDATE and DELETE).  A decision's reasons are
stored as JSON with every field of :class:`~credit.financing.RuleReason`, so a stored decision
reads back equal to the one made.  Callers hold the transaction (:mod:`gateway.financing`).

Errors: :class:`~credit.financing.OutcomeConflict` (another outcome already reported),
:class:`~credit.financing.PrecheckNotFound`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg
import orjson

from credit.financing.engine import Decision, Outcome, RuleReason
from credit.financing.errors import OutcomeConflict, PrecheckNotFound
from credit.financing.facts import FactProvenance
from credit.financing.products import RuleId
from credit.financing.requests import LoanOutcomeKind, LoanOutcomeReport
from credit.financing.rules import Verdict
from credit.records import Source
from resolvers.financing_service import (
    ApprovalStats,
    NewPrecheck,
    PrecheckPage,
    ReportedOutcome,
    StoredPrecheck,
)
from resolvers.pagination import InvalidCursor

__all__ = [
    "Caller",
    "approval_stats",
    "claim_batch",
    "find_batch",
    "find_by_key",
    "get_precheck",
    "insert_prechecks",
    "prechecks_on",
    "reasons_from_json",
    "reasons_to_json",
    "report_outcome",
]


@dataclass(frozen=True, slots=True)
class Caller:
    """The bank client a decision is stored for."""

    bank_id: str
    client_id: str
    bank_name: str
    request_id: str


def reasons_to_json(reasons: Sequence[RuleReason]) -> list[dict[str, Any]]:
    return [
        {
            "rule": r.rule.value,
            "title": r.title,
            "hard": r.hard,
            "verdict": r.verdict.value,
            "finding": r.finding,
            "message": r.message,
            "observed": r.observed,
            "threshold": r.threshold,
            "advice": r.advice,
            "sources": [s.value for s in r.sources],
            "provenance": [
                {
                    "source": p.source.value,
                    "fetched_at": p.fetched_at.isoformat(),
                    "cached": p.cached,
                    "stale": p.stale,
                }
                for p in r.provenance
            ],
            "record_ids": list(r.record_ids),
        }
        for r in reasons
    ]


def reasons_from_json(items: Sequence[Mapping[str, Any]]) -> tuple[RuleReason, ...]:
    return tuple(
        RuleReason(
            rule=RuleId(i["rule"]),
            title=i["title"],
            hard=i["hard"],
            verdict=Verdict(i["verdict"]),
            finding=i["finding"],
            message=i["message"],
            observed=i["observed"],
            threshold=i["threshold"],
            advice=i["advice"],
            sources=tuple(Source(s) for s in i["sources"]),
            provenance=tuple(
                FactProvenance(
                    Source(p["source"]),
                    dt.datetime.fromisoformat(p["fetched_at"]),
                    p["cached"],
                    p["stale"],
                )
                for p in i["provenance"]
            ),
            record_ids=tuple(i["record_ids"]),
        )
        for i in items
    )


_SELECT = """
SELECT p.id, p.bank_id, p.bank_name, p.uscc, p.purpose, p.product_code, p.product_version,
       p.amount, p.outcome, p.score, p.suggested_limit, p.reasons, p.consent_ids, p.decided_on,
       p.created_at, p.fingerprint, p.batch_position, o.outcome AS loan_outcome,
       o.amount AS loan_amount, o.annual_rate_percent, o.term_months, o.reported_at
FROM financing_prechecks p LEFT JOIN financing_loan_outcomes o ON o.precheck_id = p.id
"""


def _stored(row: Mapping[str, Any]) -> StoredPrecheck:
    loan = None
    if row["loan_outcome"] is not None:
        report = LoanOutcomeReport(
            LoanOutcomeKind(row["loan_outcome"]),
            row["loan_amount"],
            row["annual_rate_percent"],
            row["term_months"],
        )
        loan = ReportedOutcome(report, row["reported_at"])
    decision = Decision(
        outcome=Outcome(row["outcome"]),
        score=row["score"],
        suggested_limit_yuan=row["suggested_limit"],
        reasons=reasons_from_json(orjson.loads(row["reasons"])),
        product_code=row["product_code"],
        product_version=row["product_version"],
        amount_yuan=row["amount"],
        day=row["decided_on"],
    )
    return StoredPrecheck(
        id=str(row["id"]),
        bank_id=row["bank_id"],
        bank_name=row["bank_name"],
        uscc=row["uscc"],
        purpose=row["purpose"],
        decision=decision,
        consent_ids=tuple(row["consent_ids"]),
        created_at=row["created_at"],
        loan=loan,
        position=row["batch_position"],
    )


async def find_by_key(
    conn: asyncpg.Connection, *, bank_id: str, key: str
) -> tuple[str, StoredPrecheck] | None:
    """(fingerprint, decision) stored under the bank's single-pre-check ``key``."""
    row = await conn.fetchrow(
        _SELECT + "WHERE p.bank_id = $1 AND p.idempotency_key = $2", bank_id, key
    )
    return (row["fingerprint"], _stored(row)) if row is not None else None


async def claim_batch(
    conn: asyncpg.Connection, *, bank_id: str, key: str, fingerprint: str
) -> uuid.UUID | None:
    """The new batch's id; None when the bank used ``key`` before (see :func:`find_batch`).

    A concurrent claim of the same key waits for the first transaction to end.
    """
    value = await conn.fetchval(
        """INSERT INTO financing_batches (bank_id, idempotency_key, fingerprint)
           VALUES ($1, $2, $3) ON CONFLICT (bank_id, idempotency_key) DO NOTHING
           RETURNING id""",
        bank_id,
        key,
        fingerprint,
    )
    return value if isinstance(value, uuid.UUID) else None


async def find_batch(
    conn: asyncpg.Connection, *, bank_id: str, key: str
) -> tuple[str, list[StoredPrecheck]] | None:
    """(fingerprint, decisions in request order) of the bank's batch ``key``."""
    batch = await conn.fetchrow(
        "SELECT id, fingerprint FROM financing_batches WHERE bank_id = $1 AND idempotency_key = $2",
        bank_id,
        key,
    )
    if batch is None:
        return None
    rows = await conn.fetch(
        _SELECT + "WHERE p.batch_id = $1 ORDER BY p.batch_position", batch["id"]
    )
    return batch["fingerprint"], [_stored(r) for r in rows]


_INSERT = """
INSERT INTO financing_prechecks
    (bank_id, client_id, bank_name, idempotency_key, batch_id, batch_position, fingerprint, uscc,
     product_code, product_version, amount, purpose, outcome, score, suggested_limit, reasons,
     consent_ids, decided_on, request_id)
SELECT $1, $2, $3, e.idempotency_key, $4, e.batch_position, e.fingerprint, e.uscc,
       e.product_code, e.product_version, e.amount, e.purpose, e.outcome, e.score,
       e.suggested_limit, e.reasons, e.consent_ids, e.decided_on, $5
FROM jsonb_to_recordset($6::jsonb) AS e(
    idempotency_key text, batch_position int, fingerprint text, uscc text, product_code text,
    product_version int, amount numeric, purpose text, outcome text, score int,
    suggested_limit numeric, reasons jsonb, consent_ids text[], decided_on date)
ON CONFLICT (bank_id, idempotency_key) DO NOTHING
RETURNING id, idempotency_key, batch_position, created_at
"""


async def insert_prechecks(
    conn: asyncpg.Connection,
    caller: Caller,
    items: Sequence[NewPrecheck],
    *,
    batch_id: uuid.UUID | None,
) -> list[StoredPrecheck]:
    """Insert decisions in one statement; a single one whose key is taken is left out."""
    payload = [
        {
            "idempotency_key": item.idempotency_key,
            "batch_position": item.position if batch_id is not None else None,
            "fingerprint": item.fingerprint,
            "uscc": item.uscc,
            "product_code": item.decision.product_code,
            "product_version": item.decision.product_version,
            "amount": str(item.decision.amount_yuan),
            "purpose": item.purpose,
            "outcome": item.decision.outcome.value,
            "score": item.decision.score,
            "suggested_limit": _text(item.decision.suggested_limit_yuan),
            "reasons": reasons_to_json(item.decision.reasons),
            "consent_ids": list(item.consent_ids),
            "decided_on": item.decision.day.isoformat(),
        }
        for item in items
    ]
    rows = await conn.fetch(
        _INSERT,
        caller.bank_id,
        caller.client_id,
        caller.bank_name,
        batch_id,
        caller.request_id,
        orjson.dumps(payload).decode(),
    )
    # RETURNING order is not promised: match rows by key (singles) or position (a batch)
    by_place = {(row["idempotency_key"], row["batch_position"]): row for row in rows}
    stored = []
    for item in items:
        place = (None, item.position) if batch_id is not None else (item.idempotency_key, None)
        row = by_place.get(place)
        if row is not None:
            stored.append(
                StoredPrecheck(
                    id=str(row["id"]),
                    bank_id=caller.bank_id,
                    bank_name=caller.bank_name,
                    uscc=item.uscc,
                    purpose=item.purpose,
                    decision=item.decision,
                    consent_ids=item.consent_ids,
                    created_at=row["created_at"],
                    position=row["batch_position"],
                )
            )
    return stored


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


async def get_precheck(conn: asyncpg.Connection, precheck_id: str) -> StoredPrecheck | None:
    key = _uuid(precheck_id)
    if key is None:
        return None
    row = await conn.fetchrow(_SELECT + "WHERE p.id = $1", key)
    return _stored(row) if row is not None else None


def _cursor(at: dt.datetime, precheck_id: str) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{precheck_id}".encode()).decode()


def _decode(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        at_text, _, id_text = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return dt.datetime.fromisoformat(at_text), uuid.UUID(id_text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursor from None


async def prechecks_on(
    conn: asyncpg.Connection, usccs: Sequence[str], *, first: int, after: str | None
) -> PrecheckPage:
    """Pre-checks made on any of ``usccs``, newest first (keyset pagination)."""
    at, key = _decode(after) if after is not None else (None, None)
    rows = await conn.fetch(
        _SELECT
        + """WHERE p.uscc = ANY($1::text[])
               AND ($2::timestamptz IS NULL OR (p.created_at, p.id) < ($2, $3))
             ORDER BY p.created_at DESC, p.id DESC LIMIT $4""",
        list(usccs),
        at,
        key,
        first + 1,
    )
    items = tuple(_stored(r) for r in rows[:first])
    total = await conn.fetchval(
        "SELECT count(*) FROM financing_prechecks WHERE uscc = ANY($1::text[])", list(usccs)
    )
    cursors = tuple(_cursor(s.created_at, s.id) for s in items)
    return PrecheckPage(items, cursors, len(rows) > first, total)


async def report_outcome(
    conn: asyncpg.Connection,
    precheck_id: str,
    *,
    bank_id: str,
    client_id: str,
    report: LoanOutcomeReport,
) -> StoredPrecheck:
    """Record the bank's outcome once; the same report again is a no-op, another one
    :class:`OutcomeConflict`.  Another bank's pre-check is "not found"."""
    key = _uuid(precheck_id)
    async with conn.transaction():
        owner = (
            await conn.fetchval("SELECT bank_id FROM financing_prechecks WHERE id = $1", key)
            if key is not None
            else None
        )
        if owner != bank_id:
            raise PrecheckNotFound
        await conn.execute(
            """INSERT INTO financing_loan_outcomes (precheck_id, outcome, amount,
                   annual_rate_percent, term_months, fingerprint, reported_by)
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (precheck_id) DO NOTHING""",
            key,
            report.outcome.value,
            report.amount_yuan,
            report.annual_rate_percent,
            report.term_months,
            report.fingerprint(),
            client_id,
        )
        stored = await conn.fetchval(
            "SELECT fingerprint FROM financing_loan_outcomes WHERE precheck_id = $1", key
        )
        if stored != report.fingerprint():
            raise OutcomeConflict
        row = await conn.fetchrow(_SELECT + "WHERE p.id = $1", key)
    return _stored(row)


async def approval_stats(
    conn: asyncpg.Connection, *, product_code: str | None, since: dt.date, until: dt.date
) -> list[ApprovalStats]:
    """Per product and month of the pre-check day, for days in [``since``, ``until``)."""
    rows = await conn.fetch(
        """SELECT p.product_code, date_trunc('month', p.decided_on)::date AS month,
                  count(*) AS prechecks,
                  count(*) FILTER (WHERE p.outcome = 'PASS') AS passed,
                  count(*) FILTER (WHERE p.outcome = 'REFER') AS referred,
                  count(*) FILTER (WHERE p.outcome = 'DECLINE') AS declined,
                  count(o.precheck_id) AS reported,
                  count(*) FILTER (WHERE o.outcome = 'APPROVED') AS approved,
                  coalesce(sum(o.amount) FILTER (WHERE o.outcome = 'APPROVED'), 0) AS amount
           FROM financing_prechecks p
           LEFT JOIN financing_loan_outcomes o ON o.precheck_id = p.id
           WHERE ($1::text IS NULL OR p.product_code = $1)
             AND p.decided_on >= $2 AND p.decided_on < $3
           GROUP BY 1, 2 ORDER BY 1, 2""",
        product_code,
        since,
        until,
    )
    return [
        ApprovalStats(
            product_code=r["product_code"],
            month=r["month"],
            prechecks=r["prechecks"],
            passed=r["passed"],
            referred=r["referred"],
            declined=r["declined"],
            reported=r["reported"],
            approved=r["approved"],
            approved_amount_yuan=r["amount"],
        )
        for r in rows
    ]
