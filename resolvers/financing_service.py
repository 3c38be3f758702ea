"""What the financing resolvers ask of the gateway: products, consents, stored decisions.

The resolvers (:mod:`resolvers.financing`) validate, gather facts and decide; a
:class:`FinancingService` — the gateway's :class:`gateway.financing.GatewayFinancing`, one per
request — owns the database: products and their versions, the live consents of many subjects
for a stated purpose (one query), the decisions with their evidence (stored and audited in one
transaction, so no decision leaves without its audit rows), loan outcomes and statistics.

    consents = await service.consents(purpose, {uscc: uscc, rep_key: rep_id})
    stored = await service.store(NewPrecheck(...))       # or IdempotencyConflict

Refusals are :mod:`credit.financing.errors`; an audit that cannot be written is
``AUDIT_UNAVAILABLE`` and nothing is returned or kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from connectors.protocol import Grant
from credit.access import ConsentScope
from credit.errors import DomainError
from credit.financing.engine import Decision
from credit.financing.products import Product, ProductChange
from credit.financing.requests import LoanOutcomeReport, PrecheckRequest

__all__ = [
    "ApprovalStats",
    "BatchRequest",
    "FinancingService",
    "NewPrecheck",
    "PrecheckPage",
    "PrecheckRunner",
    "ReadNote",
    "ReportedOutcome",
    "StoredPrecheck",
    "SubjectConsents",
]


@dataclass(frozen=True, slots=True)
class SubjectConsents:
    """One subject's live consents to the calling bank for the stated purpose.

    ``consent_ids``: scope → consent id; ``grants``: scope → the authorisation a
    consent-gated bureau accepts for it (tax, hrss, utilities; FULL_REPORT covers all three).
    """

    consent_ids: Mapping[ConsentScope, str] = field(default_factory=dict)
    grants: Mapping[ConsentScope, Grant] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReadNote:
    """One subject read by a pre-check, for the audit log."""

    subject_key: str  # a USCC, or a person's subject key
    fields: tuple[str, ...]
    scopes: tuple[ConsentScope, ...] = ()
    consent_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NewPrecheck:
    """A decision to store: what was asked, what was decided, what was read under which consent."""

    uscc: str
    purpose: str
    fingerprint: str
    decision: Decision
    consent_ids: tuple[str, ...]
    reads: tuple[ReadNote, ...]
    idempotency_key: str | None = None  # None inside a batch
    position: int | None = None  # inside a batch: the firm's index in the request


@dataclass(frozen=True, slots=True)
class ReportedOutcome:
    report: LoanOutcomeReport
    reported_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoredPrecheck:
    id: str
    bank_id: str
    bank_name: str  # who ran it, as the enterprise is shown it
    uscc: str
    purpose: str
    decision: Decision
    consent_ids: tuple[str, ...]
    created_at: dt.datetime
    loan: ReportedOutcome | None = None
    position: int | None = None  # inside a batch: the firm's index in the request


@dataclass(frozen=True, slots=True)
class PrecheckPage:
    items: tuple[StoredPrecheck, ...]
    cursors: tuple[str, ...]  # each item's own (keyset) cursor
    has_next_page: bool
    total: int


@dataclass(frozen=True, slots=True)
class ApprovalStats:
    """One product's pre-checks and reported loans in one month (by the pre-check's day)."""

    product_code: str
    month: dt.date  # its first day
    prechecks: int
    passed: int
    referred: int
    declined: int
    reported: int
    approved: int
    approved_amount_yuan: Decimal


class FinancingService(Protocol):
    """The gateway side of the financing pre-check, bound to one request's caller."""

    async def products(self, *, include_inactive: bool) -> Sequence[Product]: ...

    async def product(self, code: str, version: int | None = None) -> Product | None: ...

    async def product_versions(self, code: str) -> Sequence[Product]: ...

    async def set_product(self, change: ProductChange) -> Product:
        """A new version (operators only: the resolver checks)."""
        ...

    async def consents(
        self, purpose: str, subjects: Mapping[str, str]
    ) -> dict[str, SubjectConsents]:
        """Live consents to the calling bank for ``purpose``: subject key → code the bureaus
        know it by (a USCC, or a person's ID number).  One query for all."""
        ...

    async def replay(self, key: str, fingerprint: str) -> StoredPrecheck | None:
        """The decision stored under the calling bank's ``key`` (audited again as a read);
        ``IdempotencyConflict`` when it was for another input."""
        ...

    async def store(self, new: NewPrecheck) -> StoredPrecheck:
        """Store and audit in one transaction; a concurrent twin with the same key and input
        wins and is returned instead."""
        ...

    async def replay_batch(self, key: str, fingerprint: str) -> list[StoredPrecheck] | None: ...

    async def store_batch(
        self, key: str, fingerprint: str, items: Sequence[NewPrecheck]
    ) -> list[StoredPrecheck]: ...

    async def precheck(self, precheck_id: str) -> StoredPrecheck | None: ...

    async def note_reads(self, purpose: str | None, reads: Sequence[ReadNote]) -> None:
        """Audit a later read of stored decisions (before they are returned)."""
        ...

    async def prechecks_on(
        self, usccs: Sequence[str], first: int, after: str | None
    ) -> PrecheckPage: ...

    async def report_outcome(self, precheck_id: str, report: LoanOutcomeReport) -> StoredPrecheck:
        """Record what the calling bank did; ``PRECHECK_NOT_FOUND`` for another bank's."""
        ...

    async def approval_stats(
        self, product_code: str | None, since: dt.date, until: dt.date
    ) -> Sequence[ApprovalStats]: ...


@dataclass(frozen=True, slots=True)
class BatchRequest:
    """One product, one purpose, many firms (USCC and amount asked, as the bank sent them)."""

    product_code: str
    purpose: str
    items: Sequence[tuple[str, Decimal]]


class PrecheckRunner(Protocol):
    """The pre-check workflow (the gateway's :class:`gateway.precheck_workflow.PrecheckWorkflow`):
    replay, offer checks, facts, evaluation and storage for one bank."""

    async def precheck(
        self, bank_id: str, request: PrecheckRequest, key: str, *, path: str
    ) -> StoredPrecheck: ...

    async def precheck_batch(
        self, bank_id: str, batch: BatchRequest, key: str, *, path: str
    ) -> list[StoredPrecheck | DomainError]: ...
