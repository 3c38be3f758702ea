"""The gateway's :class:`~resolvers.financing_service.FinancingService`, one per request.

    service = GatewayFinancing.for_request(state, principal, request_id)
    consents = await service.consents("信易贷贷前审查", {uscc: uscc})
    stored = await service.store(new_precheck)     # decision + audit rows, one transaction

It owns the SQL (through :mod:`gateway.products` and :mod:`gateway.prechecks`), the consent
look-up for the purpose a pre-check states (the request's ``X-Purpose`` header does not apply:
the pre-check names its purpose in its input) and the per-bureau secrets that sign the
authorisations consent-gated bureaus accept.  Every decision a bank gets — new, replayed or
read again — is written to the audit log first, in the transaction that stores it; when the
audit cannot be written, :class:`FinancingAuditFailed` (``AUDIT_UNAVAILABLE``) and nothing is
kept or returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import asyncpg

from connectors.http import utc_now
from connectors.protocol import Grant
from credit import access as rules
from credit.access import ConsentScope, Principal
from credit.errors import DomainError
from credit.financing.errors import IdempotencyConflict
from credit.financing.products import Product, ProductChange
from credit.financing.requests import LoanOutcomeReport
from gateway import audit, prechecks, products
from gateway.grants import ConsentPath
from gateway.request_tally import current_tally
from gateway.settings import Settings
from gateway.state import GatewayState
from resolvers.financing_service import (
    ApprovalStats,
    NewPrecheck,
    PrecheckPage,
    ReadNote,
    StoredPrecheck,
    SubjectConsents,
)

__all__ = ["FinancingAuditFailed", "GatewayFinancing"]


def _count_decisions(decided: Sequence[StoredPrecheck]) -> None:
    """New decisions, once committed, for the request's metrics (replays are not new)."""
    tally = current_tally()
    if tally is not None:
        for stored in decided:
            tally.prechecks[stored.decision.outcome.value] += 1


def _one_row_per_consent(read: ReadNote) -> list[str | None]:
    ids: list[str | None] = [*sorted(set(read.consent_ids))]
    return ids or [None]


class FinancingAuditFailed(DomainError):
    code = "AUDIT_UNAVAILABLE"

    def __init__(self) -> None:
        super().__init__(
            "查询记录写入失败，为保护信息主体权益，本次预审结果不予保存和返回，请稍后重试"
        )


class GatewayFinancing:
    def __init__(
        self,
        pool: asyncpg.Pool,
        settings: Settings,
        principal: Principal,
        request_id: str,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._principal = principal
        self._request_id = request_id
        self._clock = clock
        self._path = ConsentPath(pool, settings, clock)
        self._versions: dict[tuple[str, int], Product] = {}  # rows never change: keep them

    @classmethod
    def for_request(
        cls, state: GatewayState, principal: Principal, request_id: str
    ) -> GatewayFinancing:
        return cls(state.database.pool, state.settings, principal, request_id)

    def _caller(self) -> prechecks.Caller:
        bank_id, client_id = self._principal.bank_id, self._principal.client_id
        if bank_id is None or client_id is None:
            raise ValueError("only a bank client stores pre-checks")  # the resolvers check first
        return prechecks.Caller(bank_id, client_id, self._principal.display_name, self._request_id)

    # --- products ----------------------------------------------------------------------------

    async def products(self, *, include_inactive: bool) -> Sequence[Product]:
        async with self._pool.acquire() as conn:
            return await products.list_products(conn, include_inactive=include_inactive)

    async def product(self, code: str, version: int | None = None) -> Product | None:
        if version is not None and (code, version) in self._versions:
            return self._versions[code, version]
        async with self._pool.acquire() as conn:
            found = await products.get_product(conn, code, version)
        if found is not None and version is not None:
            self._versions[code, version] = found
        return found

    async def product_versions(self, code: str) -> Sequence[Product]:
        async with self._pool.acquire() as conn:
            return await products.product_versions(conn, code)

    async def set_product(self, change: ProductChange) -> Product:
        by = self._principal.client_id or self._principal.display_name
        async with self._pool.acquire() as conn:
            return await products.set_product(conn, change, by=by)

    # --- consents ----------------------------------------------------------------------------

    async def consents(
        self, purpose: str, subjects: Mapping[str, str]
    ) -> dict[str, SubjectConsents]:
        bank_id = self._caller().bank_id
        live = await self._path.live(bank_id, list(subjects))
        gated = self._path.gated_scopes
        found: dict[str, SubjectConsents] = {}
        for key, code in subjects.items():
            ids: dict[ConsentScope, str] = {}
            grants: dict[ConsentScope, Grant] = {}
            for scope in (*gated, ConsentScope.FULL_REPORT):
                consent = self._path.find(live[key], key, bank_id, scope, purpose)
                if consent is None:
                    continue
                ids[scope] = consent.id
                if scope in gated:
                    grants[scope] = self._path.mint(consent, scope, subject=code)
            found[key] = SubjectConsents(ids, grants)
        return found

    # --- decisions ---------------------------------------------------------------------------

    async def _audit(
        self, conn: asyncpg.Connection, purpose: str | None, reads: Sequence[ReadNote]
    ) -> None:
        if not rules.requires_audit(self._principal):
            return
        at = self._clock()
        entries = [
            audit.AuditEntry.of(
                self._principal,
                at=at,
                subject_key=read.subject_key,
                request_id=self._request_id,
                purpose=purpose,
                consent_id=consent_id,
                scopes=[s.value for s in read.scopes],
                fields=read.fields,
            )
            for read in reads
            for consent_id in _one_row_per_consent(read)
        ]
        try:
            await audit.write(conn, entries)
        except audit.AuditWriteFailed:
            raise FinancingAuditFailed from None

    @staticmethod
    def _reread(stored: StoredPrecheck) -> ReadNote:
        return ReadNote(stored.uscc, ("financingPrecheck",), consent_ids=stored.consent_ids)

    async def replay(self, key: str, fingerprint: str) -> StoredPrecheck | None:
        async with self._pool.acquire() as conn:  # most keys are new: no transaction to look
            found = await prechecks.find_by_key(conn, bank_id=self._caller().bank_id, key=key)
            if found is None:
                return None
            if found[0] != fingerprint:
                raise IdempotencyConflict
            await self._audit(conn, found[1].purpose, [self._reread(found[1])])
            return found[1]

    async def store(self, new: NewPrecheck) -> StoredPrecheck:
        caller = self._caller()
        assert new.idempotency_key is not None
        async with self._pool.acquire() as conn, conn.transaction():
            stored = await prechecks.insert_prechecks(conn, caller, [new], batch_id=None)
            if not stored:  # a twin request with this key committed first: answer with its
                twin = await prechecks.find_by_key(
                    conn, bank_id=caller.bank_id, key=new.idempotency_key
                )
                assert twin is not None
                if twin[0] != new.fingerprint:
                    raise IdempotencyConflict
                stored = [twin[1]]
                decided = []
            else:
                decided = stored
            await self._audit(conn, new.purpose, new.reads)
        _count_decisions(decided)
        return stored[0]

    async def replay_batch(self, key: str, fingerprint: str) -> list[StoredPrecheck] | None:
        async with self._pool.acquire() as conn:
            found = await prechecks.find_batch(conn, bank_id=self._caller().bank_id, key=key)
            if found is None:
                return None
            if found[0] != fingerprint:
                raise IdempotencyConflict
            purpose = found[1][0].purpose if found[1] else None
            await self._audit(conn, purpose, [self._reread(s) for s in found[1]])
            return found[1]

    async def store_batch(
        self, key: str, fingerprint: str, items: Sequence[NewPrecheck]
    ) -> list[StoredPrecheck]:
        caller = self._caller()
        reads = [read for item in items for read in item.reads]
        purpose = items[0].purpose if items else None
        async with self._pool.acquire() as conn, conn.transaction():
            batch_id = await prechecks.claim_batch(
                conn, bank_id=caller.bank_id, key=key, fingerprint=fingerprint
            )
            if batch_id is None:
                twin = await prechecks.find_batch(conn, bank_id=caller.bank_id, key=key)
                assert twin is not None
                if twin[0] != fingerprint:
                    raise IdempotencyConflict
                stored, decided = twin[1], []
            else:
                stored = await prechecks.insert_prechecks(conn, caller, items, batch_id=batch_id)
                decided = stored
            await self._audit(conn, purpose, reads)
        _count_decisions(decided)
        return stored

    async def precheck(self, precheck_id: str) -> StoredPrecheck | None:
        async with self._pool.acquire() as conn:
            return await prechecks.get_precheck(conn, precheck_id)

    async def note_reads(self, purpose: str | None, reads: Sequence[ReadNote]) -> None:
        async with self._pool.acquire() as conn:
            await self._audit(conn, purpose, reads)

    async def prechecks_on(
        self, usccs: Sequence[str], first: int, after: str | None
    ) -> PrecheckPage:
        async with self._pool.acquire() as conn:
            return await prechecks.prechecks_on(conn, usccs, first=first, after=after)

    async def report_outcome(self, precheck_id: str, report: LoanOutcomeReport) -> StoredPrecheck:
        caller = self._caller()
        async with self._pool.acquire() as conn:
            return await prechecks.report_outcome(
                conn,
                precheck_id,
                bank_id=caller.bank_id,
                client_id=caller.client_id,
                report=report,
            )

    async def approval_stats(
        self, product_code: str | None, since: dt.date, until: dt.date
    ) -> Sequence[ApprovalStats]:
        async with self._pool.acquire() as conn:
            return await prechecks.approval_stats(
                conn, product_code=product_code, since=since, until=until
            )
