"""Citizens' and firms' rights over their records: objection (异议) and credit repair (信用修复).

Pure, like the rest of :mod:`credit`: the state machines (:mod:`~credit.rights.cases`), the
deciding bureaus' rules (:mod:`~credit.rights.desks`), the deadlines
(:mod:`~credit.rights.deadlines`, on the project's one working-day calendar), who may file
what (:mod:`~credit.rights.eligibility`), the 信用承诺书 (:mod:`~credit.rights.commitment`) and
what a decision does to a record (:mod:`~credit.rights.marks`).  The gateway stores the
events and delivers decisions; the bureaus apply them.
"""

from __future__ import annotations

from credit.rights.cases import (
    FINAL,
    CaseKind,
    CaseState,
    CaseStatus,
    Correction,
    CorrectionAction,
    Event,
    EventType,
    ObjectionTarget,
    Outcome,
    apply,
    replay,
)
from credit.rights.commitment import COMMITMENT_VERSION, commitment_text
from credit.rights.deadlines import (
    Deadline,
    case_deadline,
    correction_due,
    decided_in_time,
    overdue,
)
from credit.rights.desks import ObjectionRule, RepairRule, RightsDesk
from credit.rights.eligibility import (
    RepairRoute,
    check_attachment,
    check_objection,
    check_repair,
    check_text,
)
from credit.rights.errors import RightsError
from credit.rights.marks import RecordMark, RightsState, corrected, marked, rights_state
from credit.rights.policy import ALLOWED_MEDIA_TYPES, RightsPolicy

__all__ = [
    "ALLOWED_MEDIA_TYPES",
    "COMMITMENT_VERSION",
    "FINAL",
    "CaseKind",
    "CaseState",
    "CaseStatus",
    "Correction",
    "CorrectionAction",
    "Deadline",
    "Event",
    "EventType",
    "ObjectionRule",
    "ObjectionTarget",
    "Outcome",
    "RecordMark",
    "RepairRoute",
    "RepairRule",
    "RightsDesk",
    "RightsError",
    "RightsPolicy",
    "RightsState",
    "apply",
    "case_deadline",
    "check_attachment",
    "check_objection",
    "check_repair",
    "check_text",
    "commitment_text",
    "corrected",
    "correction_due",
    "decided_in_time",
    "marked",
    "overdue",
    "replay",
    "rights_state",
]
