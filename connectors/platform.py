"""Platform connector: the credit platform's own records in the gateway's PostgreSQL —
守信激励 red lists, 信用承诺 commitments and 信用评价 evaluations (``0002_platform.sql``).

The pool is handed in and never closed here.  Each batch method is one short query
(``subject_code = ANY($1)``, bound, served by the ``*_by_subject`` indexes), and every
requested code gets a tuple, empty when the platform holds nothing for it.  asyncpg and socket
errors become :class:`SourceUnavailable` (:class:`SourceTimeout` past ``timeout_s``) here and
nowhere else.

The platform's own writes must show at once, so answers are cached only with a
:class:`PlatformCache` handed in (:meth:`PlatformConnector.use_cache`) and only while it hears
changes: every insert, update, delete or truncate of the three tables sends ``NOTIFY
creditgw_platform, '<subject code>'`` (``'*'``: many or all changed; ``0008_platform_notify.sql``)
in the committing transaction, and the gateway's listener drops what it names.  Without the
listener nothing is kept; an entry lives at most ``ttl_s`` if a notification goes astray.
While it listens the cache also knows which subjects have any platform row at all (a
:class:`~connectors.presence.PresenceIndex` of their codes, told of each new one by the same
notifications), so a subject with none — most of those a cold request asks about — is answered
without a query.

    platform = PlatformConnector(pool)
    await platform.red_lists(codes)     # dict[code, Sourced[tuple[CreditRecord, ...]]] RED_LIST
    await platform.commitments(codes)   # COMMITMENT: details content, status, related_record_id
    await platform.evaluations(codes)   # EVALUATION: details level, score
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import asyncpg
from cachetools import TTLCache

from connectors.bureau import Bureau, BureauParts
from connectors.clock import SYSTEM_CLOCK, Clock
from connectors.errors import SourceTimeout, SourceUnavailable
from connectors.presence import PresenceIndex
from connectors.provenance import Provenance, Sourced
from credit.records import CreditRecord, RecordKind, Source
from credit.vocabulary import Label

__all__ = ["PLATFORM_CHANNEL", "PlatformCache", "PlatformConnector"]

Records = tuple[CreditRecord, ...]

PLATFORM_CHANNEL = "creditgw_platform"
"""NOTIFY channel: the payload is the subject code whose platform rows changed, or ``*``."""

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

# All three in one round trip (one pooled connection, one reset), for a profile that needs
# every kind: each part fills its own columns, the others NULL.
_ALL = """
    SELECT 1 AS part, id, subject_code, list_name, authority, legal_basis, listed_on,
           valid_until, NULL::text AS commitment_type, NULL::text AS content,
           NULL::date AS made_on, NULL::text AS status, NULL::text AS related_record_id,
           NULL::text AS scheme, NULL::text AS evaluator, NULL::text AS level,
           NULL::numeric AS score, NULL::date AS evaluated_on, listed_on AS on_day
    FROM red_list_entries WHERE subject_code = ANY($1::text[])
    UNION ALL
    SELECT 2, id, subject_code, NULL, authority, NULL, NULL, valid_until, commitment_type,
           content, made_on, status, related_record_id, NULL, NULL, NULL, NULL, NULL, made_on
    FROM credit_commitments WHERE subject_code = ANY($1::text[])
    UNION ALL
    SELECT 3, id, subject_code, NULL, NULL, NULL, NULL, valid_until, NULL, NULL, NULL, NULL,
           NULL, scheme, evaluator, level, score, evaluated_on, evaluated_on
    FROM credit_evaluations WHERE subject_code = ANY($1::text[])
    ORDER BY part, subject_code, on_day, id"""

_SUBJECTS = """
    SELECT subject_code FROM red_list_entries
    UNION SELECT subject_code FROM credit_commitments
    UNION SELECT subject_code FROM credit_evaluations"""
_SUBJECTS_TIMEOUT_S = 120.0  # a background load at start-up, not a request's


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


class PlatformCache:
    """Platform answers by (table query, subject code), kept only while a listener hears
    :data:`PLATFORM_CHANNEL` (the gateway's ``listening``, as for verified API keys)."""

    channel = PLATFORM_CHANNEL

    def __init__(self, *, ttl_s: float, maxsize: int, clock: Clock = SYSTEM_CLOCK) -> None:
        self._entries: TTLCache[tuple[str, str], Sourced[Records]] = TTLCache(
            maxsize, ttl=ttl_s, timer=clock.monotonic
        )
        self._listening = False
        self.generation = 0  # advances on every drop: a read begun before one stores nothing
        self.on_change: list[Callable[[], None]] = []  # told of every drop (kept answers go)
        self.presence: PresenceIndex | None = None  # subjects with any row (set by use_cache)

    @property
    def listening(self) -> bool:
        return self._listening

    def get(self, query: str, code: str) -> Sourced[Records] | None:
        return self._entries.get((query, code)) if self._listening else None

    def may_hold(self, code: str) -> bool:
        """False only when the platform surely holds no row about ``code``."""
        presence = self.presence
        return not self._listening or presence is None or presence.may_hold(code)

    def put(self, query: str, code: str, value: Sourced[Records], *, generation: int) -> None:
        if self._listening and generation == self.generation:
            self._entries[(query, code)] = value

    def drop(self, code: str) -> None:
        """Forget ``code``'s answers (``*``: every answer)."""
        self.generation += 1
        for changed in self.on_change:
            changed()
        if code == "*":
            self._entries.clear()
            return
        for query in (_RED_LISTS, _COMMITMENTS, _EVALUATIONS):
            self._entries.pop((query, code), None)

    def clear(self) -> None:
        self.drop("*")

    def _hear(self) -> None:
        self._listening = True
        if self.presence is not None:
            self.presence.start()

    def _deafen(self) -> None:
        self._listening = False
        if self.presence is not None:
            self.presence.stop()
        self.clear()

    def _notified(self, conn: object, pid: int, channel: str, payload: object) -> None:
        if self.presence is not None:
            self.presence.add(str(payload))
        self.drop(str(payload))


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
        self._cache: PlatformCache | None = None

    def use_cache(self, cache: PlatformCache) -> PlatformCache:
        """Keep answers in ``cache`` (while it listens); returns it, for the listener."""
        self._cache = cache
        cache.presence = PresenceIndex("platform", self._subjects)
        return cache

    async def _subjects(self) -> list[str]:
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(_SUBJECTS, timeout=_SUBJECTS_TIMEOUT_S)
        return [row["subject_code"] for row in rows]

    def clear_cache(self) -> None:
        if self._cache is not None:
            self._cache.clear()

    async def red_lists(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self._records(_RED_LISTS, codes, _red_list)

    async def commitments(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self._records(_COMMITMENTS, codes, _commitment)

    async def evaluations(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self._records(_EVALUATIONS, codes, _evaluation)

    async def records(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        """Red lists, commitments and evaluations together (in that order), in one query for
        the codes any of them is not cached for; the oldest answer's provenance."""
        if self._closed:
            raise SourceUnavailable(self.source, "连接器已关闭")
        parts = ((_RED_LISTS, _red_list), (_COMMITMENTS, _commitment), (_EVALUATIONS, _evaluation))
        wanted = list(dict.fromkeys(codes))
        cache = self._cache
        found: dict[str, list[Sourced[Records]]] = {}
        if cache is not None:
            for code in wanted:
                hits = [cache.get(query, code) for query, _ in parts]
                if all(hit is not None for hit in hits):
                    found[code] = [hit for hit in hits if hit is not None]
        missing = [code for code in wanted if code not in found]
        if missing:
            generation = cache.generation if cache is not None else 0
            rows = await self._fetch(_ALL, self._may_hold(missing))
            grouped: dict[str, tuple[list[CreditRecord], ...]] = {
                code: ([], [], []) for code in missing
            }
            for row in rows:
                part = row["part"] - 1
                grouped[row["subject_code"]][part].append(parts[part][1](row))
            provenance = Provenance(source=self.source, fetched_at=self._clock.now())
            kept = provenance.as_cached()
            for code, kinds in grouped.items():
                found[code] = []
                for (query, _), records in zip(parts, kinds, strict=True):
                    value = tuple(records)
                    found[code].append(Sourced(value, provenance))
                    if cache is not None:
                        cache.put(query, code, Sourced(value, kept), generation=generation)
        merged: dict[str, Sourced[Records]] = {}
        for code in wanted:
            answers = found[code]
            oldest = min(answers, key=lambda a: a.provenance.fetched_at).provenance
            merged[code] = Sourced(tuple(r for a in answers for r in a.value), oldest)
        return merged

    async def _records(
        self, query: str, codes: Sequence[str], mapper: Callable[[Mapping[str, Any]], CreditRecord]
    ) -> dict[str, Sourced[Records]]:
        if self._closed:
            raise SourceUnavailable(self.source, "连接器已关闭")
        wanted = list(dict.fromkeys(codes))
        cache = self._cache
        found: dict[str, Sourced[Records]] = {}
        if cache is not None:
            for code in wanted:
                hit = cache.get(query, code)
                if hit is not None:
                    found[code] = hit
            if len(found) == len(wanted):
                return found
        generation = cache.generation if cache is not None else 0
        missing = [code for code in wanted if code not in found]
        rows = await self._fetch(query, self._may_hold(missing))
        grouped: dict[str, list[CreditRecord]] = {code: [] for code in missing}
        for row in rows:
            grouped[row["subject_code"]].append(mapper(row))
        provenance = Provenance(source=self.source, fetched_at=self._clock.now())
        kept = provenance.as_cached()
        for code, records in grouped.items():
            value = tuple(records)
            found[code] = Sourced(value, provenance)
            if cache is not None:
                cache.put(query, code, Sourced(value, kept), generation=generation)
        return {code: found[code] for code in wanted}

    def _may_hold(self, codes: list[str]) -> list[str]:
        """The codes worth a query: those the platform may hold rows about."""
        cache = self._cache
        return codes if cache is None else [code for code in codes if cache.may_hold(code)]

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
