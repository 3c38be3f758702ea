"""The two rights workflows as state machines over an append-only event log.

A case — an objection (异议) or a credit-repair application (信用修复) — is the events that
happened to it, in order: it is *filed*, then it is either *withdrawn* by its subject or
*decided* by the bureau that recorded the information (谁认定、谁修复).  The current state is
never stored: :func:`replay` folds the events with :func:`apply`, which refuses every
transition the rules do not allow (a decision after withdrawal, a second decision, a
withdrawal after the decision).  Once final, a case never changes again; a rejected objection
is objected to again by a *new* case (:mod:`credit.rights.eligibility` says when).

::

    OPEN ──decide(UPHELD | REJECTED | ACCEPTED | REFUSED)──▶ decided (final)
      └───withdraw──────────────────────────────────────────▶ WITHDRAWN (final)

    >>> at = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    >>> filed = Event(EventType.FILED, at, "citizen", CaseKind.REPAIR)
    >>> decided = Event(EventType.DECIDED, at, "officer", outcome=Outcome.ACCEPTED,
    ...                 reasons=("已履行法定义务并作出信用承诺",))
    >>> replay([filed, decided]).status
    <CaseStatus.ACCEPTED: '准予修复'>

A decision carries its reasons (个人信息保护法 第二十四条: every decision says why) and, when
it changes the record, a :class:`Correction` the bureau applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from credit.records import Severity
from credit.rights.errors import CaseAlreadyDecided, CaseWithdrawn, InvalidCaseInput

__all__ = [
    "FINAL",
    "CaseKind",
    "CaseState",
    "CaseStatus",
    "Correction",
    "CorrectionAction",
    "Event",
    "EventType",
    "ObjectionTarget",
    "Outcome",
    "apply",
    "replay",
]


class CaseKind(StrEnum):
    OBJECTION = "OBJECTION"  # 异议
    REPAIR = "REPAIR"  # 信用修复


class ObjectionTarget(StrEnum):
    """What an objection disputes (DOMAIN.md §4)."""

    CONTENT = "CONTENT"  # the record's content: wrong facts, wrong subject
    PUBLICITY_PERIOD = "PUBLICITY_PERIOD"  # shown for longer than the rules allow
    REPAIR_DECISION = "REPAIR_DECISION"  # a refused repair


class CaseStatus(StrEnum):
    OPEN = "处理中"
    UPHELD = "异议成立"
    REJECTED = "异议不成立"
    ACCEPTED = "准予修复"
    REFUSED = "不予修复"
    WITHDRAWN = "已撤回"


FINAL = frozenset(set(CaseStatus) - {CaseStatus.OPEN})
"""States no event leaves."""


class Outcome(StrEnum):
    UPHELD = "UPHELD"  # objection: the record is corrected, withdrawn or its publicity ended
    REJECTED = "REJECTED"
    ACCEPTED = "ACCEPTED"  # repair: publicity and bank sharing end at once
    REFUSED = "REFUSED"


_OUTCOMES = {
    CaseKind.OBJECTION: {Outcome.UPHELD: CaseStatus.UPHELD, Outcome.REJECTED: CaseStatus.REJECTED},
    CaseKind.REPAIR: {Outcome.ACCEPTED: CaseStatus.ACCEPTED, Outcome.REFUSED: CaseStatus.REFUSED},
}


class EventType(StrEnum):
    FILED = "FILED"
    WITHDRAWN = "WITHDRAWN"
    DECIDED = "DECIDED"


class CorrectionAction(StrEnum):
    """What the bureau does to the record when a case goes the subject's way."""

    WITHDRAW = "WITHDRAW"  # the record was wrong: deleted from the decision day
    AMEND_SEVERITY = "AMEND_SEVERITY"  # wrongly classed: ``severity`` is the right one
    END_PUBLICITY = "END_PUBLICITY"  # shown too long: ``publicity_until`` is its last day
    REPAIR = "REPAIR"  # repaired: no longer public, no longer shared (国家发展改革委令第36号)


@dataclass(frozen=True, slots=True)
class Correction:
    action: CorrectionAction
    severity: Severity | None = None
    publicity_until: dt.date | None = None

    def __post_init__(self) -> None:
        if (self.action is CorrectionAction.AMEND_SEVERITY) != (self.severity is not None):
            raise InvalidCaseInput("更正严重程度时须且仅须给出新的严重程度", "correction.severity")
        if (self.action is CorrectionAction.END_PUBLICITY) != (self.publicity_until is not None):
            raise InvalidCaseInput("终止公示时须且仅须给出最后公示日", "correction.publicityUntil")


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened to a case: who (``actor``), when, what, and why."""

    type: EventType
    at: dt.datetime
    actor: str
    kind: CaseKind | None = None  # FILED only
    outcome: Outcome | None = None  # DECIDED only
    reasons: tuple[str, ...] = ()
    correction: Correction | None = None  # DECIDED in the subject's favour


@dataclass(frozen=True, slots=True)
class CaseState:
    kind: CaseKind
    status: CaseStatus
    filed_at: dt.datetime
    events: int
    decided_at: dt.datetime | None = None
    decided_by: str | None = None
    outcome: Outcome | None = None
    reasons: tuple[str, ...] = ()
    correction: Correction | None = None
    withdrawn_at: dt.datetime | None = None

    @property
    def final(self) -> bool:
        return self.status in FINAL


def _decided(state: CaseState, event: Event) -> CaseState:
    if event.outcome is None or event.outcome not in _OUTCOMES[state.kind]:
        raise InvalidCaseInput("处理结果与申请类别不符", "outcome")
    if not any(r.strip() for r in event.reasons):
        raise InvalidCaseInput("处理决定须说明理由", "reasons")
    correction = event.correction
    if event.outcome is Outcome.ACCEPTED:
        correction = Correction(CorrectionAction.REPAIR)
    elif event.outcome is Outcome.UPHELD and correction is None:
        raise InvalidCaseInput("异议成立时须说明如何更正该记录", "correction")
    elif event.outcome in (Outcome.REJECTED, Outcome.REFUSED) and correction is not None:
        raise InvalidCaseInput("不予支持的决定不更正记录", "correction")
    return replace(
        state,
        status=_OUTCOMES[state.kind][event.outcome],
        events=state.events + 1,
        decided_at=event.at,
        decided_by=event.actor,
        outcome=event.outcome,
        reasons=event.reasons,
        correction=correction,
    )


def apply(state: CaseState | None, event: Event) -> CaseState:
    """The state after ``event``; raises (and changes nothing) when the rules refuse it.

    A log always starts with FILED; anything else first, or FILED again, is a programming
    error (``ValueError``).  The rest are the citizens' and officers' refusals.
    """
    if state is None:
        if event.type is not EventType.FILED or event.kind is None:
            raise ValueError("a case's log starts with FILED and its kind")
        return CaseState(event.kind, CaseStatus.OPEN, event.at, 1)
    if event.type is EventType.FILED:
        raise ValueError("a case is filed once")
    if state.status is CaseStatus.WITHDRAWN:
        raise CaseWithdrawn
    if state.final:
        raise CaseAlreadyDecided
    if event.type is EventType.WITHDRAWN:
        return replace(
            state, status=CaseStatus.WITHDRAWN, events=state.events + 1, withdrawn_at=event.at
        )
    return _decided(state, event)


def replay(events: Iterable[Event]) -> CaseState:
    """The state the log describes (every event in it was accepted by :func:`apply`)."""
    state: CaseState | None = None
    for event in events:
        state = apply(state, event)
    if state is None:
        raise ValueError("an empty log is no case")
    return state
