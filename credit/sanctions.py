"""Joint punishment in force on a day ("一处失信、处处受制"), each linked to its measure and cause.

:func:`sanctions_for` turns a subject's active listings
(:func:`credit.publicity.active_listings`, so expired, removed and repaired
entries set nothing off, nor does an escalation merely due) and tax grade into
one :class:`Sanction` per (cause, measure) pair of the catalogue in
:mod:`credit.measures`. :func:`discipline_check` is the 逢办必查 question: which of
those restrict this matter?

A tax D grade (the current grade, or a direct D within its two years) is a cause too; its
sanctions carry the grade instead of a record.

    >>> from credit.records import CreditRecord, RecordKind, Source
    >>> entry = CreditRecord(id="C1", kind=RecordKind.JUDGMENT_DEFAULTER, source=Source.COURT,
    ...     subject_code="91640104MA0K3P7W64", title="(2025)宁01执1号",
    ...     decided_on=dt.date(2025, 3, 1), defaulter_ground=1)
    >>> hits = discipline_check(
    ...     [entry], Matter.GOVERNMENT_PROCUREMENT, dt.date(2026, 5, 1), PublicityPolicy())
    >>> [(s.measure.id, s.trigger.value, s.record and s.record.id) for s in hits]
    [('JC-05', '失信被执行人', 'C1')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from credit.calendar import add_years
from credit.classification import active_direct_d, current_tax_grade, grade_published_on
from credit.measures import MEASURES, Matter, Measure, Trigger
from credit.policy import PublicityPolicy
from credit.publicity import active_listings, publicity_window
from credit.records import CreditRecord, RecordKind, TaxGrade, TaxGradeLetter

__all__ = ["Sanction", "discipline_check", "sanctions_for"]

_TRIGGER_OF = {
    RecordKind.JUDGMENT_DEFAULTER: Trigger.JUDGMENT_DEFAULTER,
    RecordKind.CONSUMPTION_RESTRICTION: Trigger.CONSUMPTION_RESTRICTION,
    RecordKind.ABNORMAL_OPERATION: Trigger.ABNORMAL_OPERATION,
    RecordKind.SERIOUS_VIOLATION: Trigger.SERIOUS_VIOLATION,
    RecordKind.SERIOUS_DISHONESTY: Trigger.SERIOUS_DISHONESTY,
}


@dataclass(frozen=True, slots=True)
class Sanction:
    """One measure applied because of one cause: a record's listing, or a tax D grade.

    ``until`` is the last day the cause is known to last (``None``: until it is removed or
    the grade is replaced).
    """

    measure: Measure
    trigger: Trigger
    record: CreditRecord | None
    tax_grade: TaxGrade | None
    until: dt.date | None


def _triggers(record: CreditRecord, kind: RecordKind) -> tuple[Trigger, ...]:
    if kind is RecordKind.SERIOUS_VIOLATION and record.escalated_from_abnormal:
        return (Trigger.SERIOUS_VIOLATION, Trigger.ESCALATED_SERIOUS_VIOLATION)
    return (_TRIGGER_OF[kind],)


def _tax_cause(
    grades: Iterable[TaxGrade], day: dt.date, policy: PublicityPolicy
) -> tuple[TaxGrade, dt.date | None] | None:
    grades = list(grades)
    direct = active_direct_d(grades, day, policy)
    if direct is not None:
        return direct, add_years(grade_published_on(direct, policy), policy.tax_direct_d_years)
    current = current_tax_grade(grades, day, policy)
    if current is not None and current.grade is TaxGradeLetter.D:
        return current, None
    return None


def sanctions_for(
    records: Iterable[CreditRecord],
    day: dt.date,
    policy: PublicityPolicy,
    *,
    tax_grades: Iterable[TaxGrade] = (),
) -> list[Sanction]:
    """Every sanction in force on ``day``: records in the given order, then the tax grade;
    measures in catalogue order within each cause."""
    found: list[Sanction] = []
    for record in records:
        listed = active_listings(record, day, policy)
        until = publicity_window(record, policy).visible_until
        for kind in sorted(listed, key=RecordKind.members().index):
            for trigger in _triggers(record, kind):
                found.extend(
                    Sanction(m, trigger, record, None, until)
                    for m in MEASURES
                    if trigger in m.triggers
                )
    cause = _tax_cause(tax_grades, day, policy)
    if cause is not None:
        grade, until = cause
        found.extend(
            Sanction(m, Trigger.TAX_GRADE_D, None, grade, until)
            for m in MEASURES
            if Trigger.TAX_GRADE_D in m.triggers
        )
    return found


def discipline_check(
    records: Iterable[CreditRecord],
    matter: Matter,
    day: dt.date,
    policy: PublicityPolicy,
    *,
    tax_grades: Iterable[TaxGrade] = (),
) -> list[Sanction]:
    """逢办必查: the sanctions restricting ``matter`` on ``day`` (empty: nothing in the way)."""
    return [
        s
        for s in sanctions_for(records, day, policy, tax_grades=tax_grades)
        if matter in s.measure.matters
    ]
