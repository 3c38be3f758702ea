"""One request's audit trail: which subjects a bank or an officer read, which fields, under
which consents — written before the answer leaves — and the access log a subject may read.

    trail = AuditTrail(principal, purpose, pool, request_id, clock)
    trail.note_read(uscc, "subject.taxPayments", scope=ConsentScope.TAX, consent_id=grant_id)
    await trail.flush_audit()    # raises AuditWriteFailed; nothing is returned then
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg

from credit import access as rules
from credit.access import ConsentScope, Principal
from gateway import audit
from resolvers.access import AccessLogItem, AccessLogPage, Forbidden

__all__ = ["AuditTrail"]


@dataclass
class _Reads:
    fields: set[str] = field(default_factory=set)
    scopes: set[str] = field(default_factory=set)
    consent_ids: set[str] = field(default_factory=set)

    def consent_ids_or_none(self) -> list[str | None]:
        """One audit row per consent relied on; one row without a consent otherwise."""
        return [*sorted(self.consent_ids)] or [None]


class AuditTrail:
    def __init__(
        self,
        principal: Principal,
        purpose: str | None,
        pool: asyncpg.Pool,
        request_id: str,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._principal = principal
        self.purpose = purpose
        self._pool = pool
        self._request_id = request_id
        self._clock = clock
        self._reads: dict[str, _Reads] = defaultdict(_Reads)
        self._noted = False

    def note_read(
        self,
        subject_key: str,
        field: str,
        *,
        scope: ConsentScope | None = None,
        consent_id: str | None = None,
    ) -> None:
        if not rules.requires_audit(self._principal):
            return
        self._noted = True
        reads = self._reads[subject_key]
        reads.fields.add(field)
        if scope is not None:
            reads.scopes.add(scope.value)
        if consent_id is not None:
            reads.consent_ids.add(consent_id)

    @property
    def noted(self) -> bool:
        """Whether this request has noted an audited read (not yet flushed or flushed)."""
        return self._noted

    async def flush_audit(self) -> int:
        """Write one row per subject read (per consent used); raises ``AuditWriteFailed``."""
        if not self._reads:
            return 0
        at = self._clock()
        entries = [
            audit.AuditEntry.of(
                self._principal,
                at=at,
                subject_key=key,
                request_id=self._request_id,
                purpose=self.purpose,
                consent_id=consent_id,
                scopes=sorted(reads.scopes),
                fields=sorted(reads.fields),
            )
            for key, reads in self._reads.items()
            for consent_id in reads.consent_ids_or_none()
        ]
        async with self._pool.acquire() as conn:
            await audit.write(conn, entries)
        self._reads.clear()
        return len(entries)

    async def access_log(self, subject_key: str, first: int, after: str | None) -> AccessLogPage:
        if not rules.may_read_access_log(self._principal, subject_key):
            raise Forbidden("查询记录仅本人（或其法定代表人）和运维人员可见")
        async with self._pool.acquire() as conn:
            page = await audit.access_log(conn, subject_key, first=first, after=after)
        return AccessLogPage(
            items=tuple(
                AccessLogItem(
                    at=e.at,
                    who=e.principal_name,
                    principal_kind=e.principal_kind,
                    purpose=e.purpose,
                    consent_id=e.consent_id,
                    scopes=e.scopes,
                    cursor=e.cursor,
                )
                for e in page.entries
            ),
            end_cursor=page.end_cursor,
            has_next_page=page.has_next_page,
        )
