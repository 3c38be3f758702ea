"""What the rights resolvers ask of the gateway: cases filed, withdrawn, decided and listed.

The resolvers (:mod:`resolvers.rights`) validate arguments, find the record through the
request's loaders and shape answers; a :class:`RightsService` — the gateway's
:class:`gateway.rights.service.GatewayRights`, one per request — owns the database: the case
and its first event, an attachment, a decision and its outbox row, each written in one
transaction with the audit row; the marks every record answer carries (:meth:`marks`).

    view = await service.file(NewCase(kind=CaseKind.REPAIR, record=record, ...))
    view = await service.decide(case_id, Outcome.ACCEPTED, ("已履行",), None)

Refusals are :mod:`credit.rights.errors` (and ``IDEMPOTENCY_CONFLICT``, ``FORBIDDEN``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from credit.records import CreditRecord
from credit.rights import CaseKind, CaseState, Correction, ObjectionTarget, Outcome, RecordMark

__all__ = [
    "AttachmentIn",
    "AttachmentMeta",
    "BureauStats",
    "CaseView",
    "NewCase",
    "RightsService",
]


@dataclass(frozen=True, slots=True)
class AttachmentIn:
    name: str
    media_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class AttachmentMeta:
    name: str
    media_type: str
    size: int


@dataclass(frozen=True, slots=True)
class NewCase:
    """An objection or a repair application, as the citizen filed it."""

    kind: CaseKind
    subject_key: str  # a USCC or a person's subject key
    subject_name: str
    record: CreditRecord
    statement: str  # the objection's reason, or the repair's account of performance
    attachments: tuple[AttachmentIn, ...] = ()
    target: ObjectionTarget | None = None  # objections only
    commitment_accepted: bool = False  # repairs: the 信用承诺书 was shown and accepted
    idempotency_key: str | None = None
    notify_ref: str | None = None  # the relaying bot's chat, told when a decision arrives


@dataclass(frozen=True, slots=True)
class CaseView:
    """One case as its reader may see it (``statement`` only for the filer and officers)."""

    id: str
    kind: CaseKind
    target: ObjectionTarget | None
    round: int
    subject_key: str
    subject_name: str
    source: str
    record_id: str
    record_title: str
    filed_at: dt.datetime
    filed_on: dt.date  # the gateway's calendar day it was filed (deadlines count from it)
    due_on: dt.date
    deadline_basis: str
    channel: str | None
    state: CaseState
    overdue: bool
    decided_in_time: bool | None
    statement: str | None
    commitment: str | None
    attachments: tuple[AttachmentMeta, ...]
    delivered_at: dt.datetime | None
    correction_due: dt.date | None


@dataclass(frozen=True, slots=True)
class BureauStats:
    """One bureau's cases filed in one month (the month in China Standard Time)."""

    source: str
    month: dt.date  # first day
    kind: CaseKind
    received: int
    decided: int
    decided_in_time: int
    overdue: int  # open past the deadline, or decided after it
    upheld: int  # objections upheld, repairs accepted

    @property
    def upheld_rate(self) -> float | None:
        return self.upheld / self.decided if self.decided else None


class RightsService(Protocol):
    async def file(self, new: NewCase) -> CaseView: ...

    async def withdraw(self, case_id: str, kind: CaseKind) -> CaseView: ...

    async def decide(
        self,
        case_id: str,
        outcome: Outcome,
        reasons: Sequence[str],
        correction: Correction | None,
    ) -> CaseView: ...

    async def my_cases(self) -> list[CaseView]: ...

    async def notices(self, first: int) -> list[tuple[str, CaseView]]: ...

    async def acknowledge(self, case_ids: Sequence[str]) -> int: ...

    async def queue(self, source: str | None, include_decided: bool) -> list[CaseView]: ...

    async def stats(self, source: str | None, month: dt.date | None) -> list[BureauStats]: ...

    async def marks(
        self, keys: Sequence[tuple[str, str]]
    ) -> Mapping[tuple[str, str], RecordMark]: ...
