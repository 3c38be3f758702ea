"""What the cases do to a record: its rights state, and a decided correction applied.

The bureau applies a decision when it is delivered; the gateway applies the same decision
from its own case store at once (so an accepted repair ends publicity and bank sharing on the
very next request, whether or not the bureau has been reached yet).  Both use
:func:`corrected`, so they cannot disagree.

    >>> from credit.records import RecordKind, Source
    >>> r = CreditRecord(id="P1", kind=RecordKind.ADMIN_PENALTY, source=Source.MARKET,
    ...     subject_code="91640104MA0K3P7W64", title="超标排放", decided_on=dt.date(2026, 1, 5))
    >>> rights_state(corrected(r, Correction(CorrectionAction.REPAIR), dt.date(2026, 12, 2)))
    <RightsState.REPAIRED: '已修复'>
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from credit.records import CreditRecord, RepairStatus
from credit.rights.cases import Correction, CorrectionAction

__all__ = ["RecordMark", "RightsState", "corrected", "marked", "rights_state"]


class RightsState(StrEnum):
    """A record's state in the rights workflows, shown wherever the record is."""

    OBJECTION_PENDING = "异议处理中"
    REPAIR_PENDING = "修复审核中"
    REPAIRED = "已修复"


@dataclass(frozen=True, slots=True)
class RecordMark:
    """The platform's cases about one record: open ones, and the decided corrections (each
    with the day it takes effect), in the order decided."""

    source: str
    record_id: str
    objection_open: bool = False
    repair_open: bool = False
    corrections: tuple[tuple[Correction, dt.date], ...] = ()


def corrected(record: CreditRecord, correction: Correction, on: dt.date) -> CreditRecord:
    """``record`` with ``correction`` applied from ``on``."""
    match correction.action:
        case CorrectionAction.WITHDRAW:
            return replace(record, deleted_on=min(on, record.deleted_on or on))
        case CorrectionAction.AMEND_SEVERITY:
            return replace(record, severity=correction.severity)
        case CorrectionAction.END_PUBLICITY:
            until = correction.publicity_until
            assert until is not None  # Correction checks it
            printed = record.declared_publicity_until
            return replace(record, declared_publicity_until=min(until, printed or until))
        case CorrectionAction.REPAIR:
            if record.repair_status is RepairStatus.REPAIRED:
                return record
            return replace(record, repair_status=RepairStatus.REPAIRED, repaired_on=on)


def marked(
    records: Iterable[CreditRecord], marks: Mapping[tuple[str, str], RecordMark]
) -> tuple[CreditRecord, ...]:
    """The records with their cases' marks: pending states, and decided corrections."""
    out: list[CreditRecord] = []
    for record in records:
        mark = marks.get((record.source.value, record.id))
        if mark is not None:
            for correction, on in mark.corrections:
                record = corrected(record, correction, on)
            if mark.objection_open:
                record = replace(record, objection_pending=True)
            if mark.repair_open and record.repair_status is RepairStatus.NONE:
                record = replace(record, repair_status=RepairStatus.APPLIED)
        out.append(record)
    return tuple(out)


def rights_state(record: CreditRecord) -> RightsState | None:
    if record.repair_status is RepairStatus.REPAIRED:
        return RightsState.REPAIRED
    if record.objection_pending:
        return RightsState.OBJECTION_PENDING
    if record.repair_status is RepairStatus.APPLIED:
        return RightsState.REPAIR_PENDING
    return None
