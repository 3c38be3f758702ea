"""The case state machines: properties over random event sequences, and the refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credit.errors import DomainError
from credit.records import Severity
from credit.rights import (
    FINAL,
    CaseKind,
    CaseStatus,
    Correction,
    CorrectionAction,
    Event,
    EventType,
    Outcome,
    apply,
    replay,
)
from credit.rights.errors import CaseAlreadyDecided, CaseWithdrawn, InvalidCaseInput

AT = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)

corrections = st.one_of(
    st.none(),
    st.just(Correction(CorrectionAction.WITHDRAW)),
    st.sampled_from(Severity).map(lambda s: Correction(CorrectionAction.AMEND_SEVERITY, s)),
    st.just(Correction(CorrectionAction.END_PUBLICITY, publicity_until=dt.date(2026, 12, 1))),
)
later_events = st.builds(
    Event,
    type=st.sampled_from([EventType.WITHDRAWN, EventType.DECIDED]),
    at=st.just(AT),
    actor=st.sampled_from(["citizen", "officer"]),
    outcome=st.one_of(st.none(), st.sampled_from(Outcome)),
    reasons=st.lists(st.sampled_from(["", "  ", "证据充分"]), max_size=2).map(tuple),
    correction=corrections,
)


def run(kind: CaseKind, events: list[Event]) -> tuple[list[Event], list[CaseStatus]]:
    """Apply ``events`` after filing; keep those the rules accept, and each state reached."""
    state = apply(None, Event(EventType.FILED, AT, "citizen", kind))
    accepted = [Event(EventType.FILED, AT, "citizen", kind)]
    seen = [state.status]
    for event in events:
        try:
            after = apply(state, event)
        except DomainError:
            continue  # refused: nothing changes
        assert not state.final, "a transition out of a final state"
        state = after
        accepted.append(event)
        seen.append(state.status)
    return accepted, seen


@given(st.sampled_from(CaseKind), st.lists(later_events, max_size=8))
def test_no_transition_leaves_a_final_state(kind: CaseKind, events: list[Event]) -> None:
    _, seen = run(kind, events)
    first_final = next((i for i, s in enumerate(seen) if s in FINAL), None)
    if first_final is not None:
        assert seen[first_final:] == [seen[first_final]]  # it never changes again


@given(st.sampled_from(CaseKind), st.lists(later_events, max_size=8))
def test_every_path_ends_final_or_open(kind: CaseKind, events: list[Event]) -> None:
    accepted, seen = run(kind, events)
    assert seen[-1] in FINAL or seen[-1] is CaseStatus.OPEN
    assert len(accepted) <= 2  # filed, then at most one final event


@given(st.sampled_from(CaseKind), st.lists(later_events, max_size=8))
def test_the_log_replays_to_the_same_state(kind: CaseKind, events: list[Event]) -> None:
    accepted, _ = run(kind, events)
    state = None
    for event in accepted:
        state = apply(state, event)
    assert replay(accepted) == state
    assert replay(accepted).events == len(accepted)


@given(st.lists(later_events, max_size=8))
def test_outcomes_fit_the_kind(events: list[Event]) -> None:
    _, seen = run(CaseKind.REPAIR, events)
    assert not {CaseStatus.UPHELD, CaseStatus.REJECTED} & set(seen)
    _, seen = run(CaseKind.OBJECTION, events)
    assert not {CaseStatus.ACCEPTED, CaseStatus.REFUSED} & set(seen)


def filed(kind: CaseKind) -> list[Event]:
    return [Event(EventType.FILED, AT, "citizen", kind)]


def test_a_decision_after_withdrawal_is_refused_as_such() -> None:
    log = [*filed(CaseKind.REPAIR), Event(EventType.WITHDRAWN, AT, "citizen")]
    state = replay(log)
    with pytest.raises(CaseWithdrawn):
        apply(state, Event(EventType.DECIDED, AT, "officer", outcome=Outcome.ACCEPTED,
                           reasons=("已履行",)))  # fmt: skip


def test_a_second_decision_and_a_late_withdrawal_are_refused() -> None:
    decided = Event(EventType.DECIDED, AT, "officer", outcome=Outcome.REJECTED, reasons=("无据",))
    state = replay([*filed(CaseKind.OBJECTION), decided])
    with pytest.raises(CaseAlreadyDecided):
        apply(state, decided)
    with pytest.raises(CaseAlreadyDecided):
        apply(state, Event(EventType.WITHDRAWN, AT, "citizen"))


def test_a_decision_needs_reasons_and_an_upheld_objection_a_correction() -> None:
    state = replay(filed(CaseKind.OBJECTION))
    with pytest.raises(InvalidCaseInput) as no_reasons:
        apply(state, Event(EventType.DECIDED, AT, "officer", outcome=Outcome.REJECTED))
    assert no_reasons.value.field == "reasons"
    with pytest.raises(InvalidCaseInput) as no_fix:
        apply(state, Event(EventType.DECIDED, AT, "o", outcome=Outcome.UPHELD, reasons=("有误",)))
    assert no_fix.value.field == "correction"


def test_an_accepted_repair_carries_the_repair_correction() -> None:
    accepted = Event(EventType.DECIDED, AT, "officer", outcome=Outcome.ACCEPTED, reasons=("好",))
    state = replay([*filed(CaseKind.REPAIR), accepted])
    assert state.correction == Correction(CorrectionAction.REPAIR)
    assert state.decided_by == "officer"


def test_a_log_starts_with_filing_once() -> None:
    with pytest.raises(ValueError, match="starts with FILED"):
        replay([Event(EventType.WITHDRAWN, AT, "citizen")])
    with pytest.raises(ValueError, match="filed once"):
        replay([*filed(CaseKind.REPAIR), *filed(CaseKind.REPAIR)])
    with pytest.raises(ValueError, match="empty log"):
        replay([])
