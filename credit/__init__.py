"""The credit domain: pure, synchronous rules and nouns.  No I/O, and nothing of ours imported."""

from __future__ import annotations

from credit.advice import Advice, AdviceCode, repair_channel
from credit.classification import Badge, Classification, CreditClass, Reason, classify
from credit.errors import DomainError
from credit.identifiers import (
    AmbiguousCreditCode,
    CodeKind,
    InvalidCodeReason,
    InvalidCreditCode,
    validate_citizen_id,
    validate_code,
    validate_uscc,
)
from credit.measures import MEASURES, Matter, Measure, Trigger
from credit.policy import PublicityPolicy
from credit.publicity import (
    PublicityWindow,
    publicity_window,
    repairable_from,
    shareable_with_bank,
    visible_to_public,
)
from credit.records import (
    CreditRecord,
    EntityType,
    OperatingStatus,
    RecordKind,
    Registration,
    RepairStatus,
    Severity,
    Source,
)
from credit.regimes import Regime
from credit.report import CreditReport, InvalidReportPeriod, ReportSection, credit_report
from credit.sanctions import Sanction, discipline_check, sanctions_for

__all__ = [
    "MEASURES",
    "Advice",
    "AdviceCode",
    "AmbiguousCreditCode",
    "Badge",
    "Classification",
    "CodeKind",
    "CreditClass",
    "CreditRecord",
    "CreditReport",
    "DomainError",
    "EntityType",
    "InvalidCodeReason",
    "InvalidCreditCode",
    "InvalidReportPeriod",
    "Matter",
    "Measure",
    "OperatingStatus",
    "PublicityPolicy",
    "PublicityWindow",
    "Reason",
    "RecordKind",
    "Regime",
    "Registration",
    "RepairStatus",
    "ReportSection",
    "Sanction",
    "Severity",
    "Source",
    "Trigger",
    "classify",
    "credit_report",
    "discipline_check",
    "publicity_window",
    "repair_channel",
    "repairable_from",
    "sanctions_for",
    "shareable_with_bank",
    "validate_citizen_id",
    "validate_code",
    "validate_uscc",
    "visible_to_public",
]
