"""Platform connector: the credit platform's own records in the gateway's PostgreSQL —
守信激励 red lists, 信用承诺 commitments and 信用评价 evaluations (``0002_platform.sql``).

The pool is handed in and never closed here.  Each batch method is one short query
(``subject_code = ANY($1)``, bound, served by the ``*_by_subject`` indexes), and every
requested code gets a tuple, empty when the platform holds nothing for it.  Nothing is cached:
the platform's own writes must show at once.  asyncpg and socket errors become
:class:`SourceUnavailable` (:class:`SourceTimeout` past ``timeout_s``) here and nowhere else.

    platform = PlatformConnector(pool)
    await platform.red_lists(codes)     # dict[code, Sourced[tuple[CreditRecord, ...]]] RED_LIST
    await platform.commitments(codes)   # COMMITMENT: details content, status, related_record_id
    await platform.evaluations(codes)   # EVALUATION: details level, score
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import asyncpg

from connectors.bureau import Bureau, BureauParts
from connectors.clock import SYSTEM_CLOCK, Clock
from connectors.errors import SourceTimeout, SourceUnavailable
from connectors.provenance import Provenance, Sourced
from credit.records import CreditRecord, RecordKind, Source
from credit.vocabulary import Label

__all__ = ["PlatformConnector"]

Records = tuple[CreditRecord, ...]

_RED_LISTS = """
    SELECT id, subject_code, list_name, authority, legal_basis, listed_on, valid_until
    FROM red_list_entries WHERE subject_code = ANY($1::text[])
    ORDER BY subject_code, listed_on, id"""
_COMMITMENTS = """
    SELECT id, subject_code, commitment_type, content, authority, made_on, valid_until, status,
           related_record_id
    FROM credit_commitments WHERE subject_code = ANY($1::text[])
    ORDER BY subject_code, made_on, id"""
_EVALUATIONS = """
    SELECT id, subject_code, scheme, evaluator, level, score, evaluated_on, valid_until
    FROM credit_evaluations WHERE subject_code = ANY($1::text[])
    ORDER BY subject_code, evaluated_on, id"""


def _red_list(row: Mapping[str, Any]) -> CreditRecord:
    return CreditRecord(
        id=row["id"],
        kind=RecordKind.RED_LIST,
        source=Source.PLATFORM,
        subject_code=row["subject_code"],
        title=row["list_name"],
        decided_on=row["listed_on"],
        authority=row["authority"],
        legal_basis=row["legal_basis"],
        publish_from=row["listed_on"],
        ended_on=row["valid_until"],
        list_name=row["list_name"],
    )


def _commitment(row: Mapping[str, Any]) -> CreditRecord:
    details = {"content": row["content"], "status": row["status"]}
    if row["related_record_id"]:
        details["related_record_id"] = row["related_record_id"]
    return CreditRecord(
        id=row["id"],
        kind=RecordKind.COMMITMENT,
        source=Source.PLATFORM,
        subject_code=row["subject_code"],
        title=row["commitment_type"],
        decided_on=row["made_on"],
        authority=row["authority"],
        publish_from=row["made_on"],
        ended_on=row["valid_until"],
        details=details,
    )


def _evaluation(row: Mapping[str, Any]) -> CreditRecord:
    details = {"level": row["level"]}
    if row["score"] is not None:
        details["score"] = f"{row['score'].normalize():f}"  # 98.0 → "98", as stated
    return CreditRecord(
        id=row["id"],
        kind=RecordKind.EVALUATION,
        source=Source.PLATFORM,
        subject_code=row["subject_code"],
        title=row["scheme"],
        decided_on=row["evaluated_on"],
        authority=row["evaluator"],
        publish_from=row["evaluated_on"],
        ended_on=row["valid_until"],
        details=details,
    )


class PlatformConnector:
    """Reads the platform tables through a pool it was handed."""

    source = Source.PLATFORM.value

    def __init__(
        self, pool: asyncpg.Pool, *, clock: Clock = SYSTEM_CLOCK, timeout_s: float = 2.0
    ) -> None:
        self._pool = pool
        self._clock = clock
        self._timeout_s = timeout_s
        self._closed = False

    async def red_lists(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self._records(_RED_LISTS, codes, _red_list)

    async def commitments(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self._records(_COMMITMENTS, codes, _commitment)

    async def evaluations(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self._records(_EVALUATIONS, codes, _evaluation)

    async def records(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        """Red lists, commitments and evaluations together (the oldest answer's provenance)."""
        answers = await asyncio.gather(
            self.red_lists(codes), self.commitments(codes), self.evaluations(codes)
        )
        merged: dict[str, Sourced[Records]] = {}
        for code in codes:
            parts = [a[code] for a in answers if code in a]
            if parts:
                oldest = min(parts, key=lambda p: p.provenance.fetched_at).provenance
                merged[code] = Sourced(tuple(r for p in parts for r in p.value), oldest)
        return merged

    async def _records(
        self, query: str, codes: Sequence[str], mapper: Callable[[Mapping[str, Any]], CreditRecord]
    ) -> dict[str, Sourced[Records]]:
        if self._closed:
            raise SourceUnavailable(self.source, "连接器已关闭")
        wanted = list(dict.fromkeys(codes))
        rows = await self._fetch(query, wanted)
        grouped: dict[str, list[CreditRecord]] = {code: [] for code in wanted}
        for row in rows:
            grouped[row["subject_code"]].append(mapper(row))
        provenance = Provenance(source=self.source, fetched_at=self._clock.now())
        return {code: Sourced(tuple(found), provenance) for code, found in grouped.items()}

    async def _fetch(self, query: str, codes: list[str]) -> list[asyncpg.Record]:
        """The one place asyncpg's failures become connector errors."""
        if not codes:
            return []
        try:
            async with self._pool.acquire(timeout=self._timeout_s) as conn:
                rows: list[asyncpg.Record] = await conn.fetch(query, codes, timeout=self._timeout_s)
        except TimeoutError:
            raise SourceTimeout(self.source, "平台数据库在规定时间内未应答") from None
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise SourceUnavailable(
                self.source, f"平台数据库暂不可用（{type(exc).__name__}）"
            ) from None
        return rows

    async def aclose(self) -> None:
        """Idempotent.  The pool belongs to whoever handed it in and is not closed here."""
        self._closed = True


def _platform(parts: BureauParts) -> PlatformConnector:
    return PlatformConnector(parts.pool, clock=parts.clock)


BUREAU = Bureau(
    source=Source.declare("platform", Label("信用平台自有数据", "The platform's own data")),
    rank=1000,
    build=_platform,
    feeds=("RED_LIST", "COMMITMENT", "EVALUATION"),
    records="records",
    remote=False,
)
