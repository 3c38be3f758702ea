"""The credit domain: pure, synchronous rules and nouns.  No I/O, and nothing of ours imported."""

from __future__ import annotations

from credit.errors import DomainError
from credit.identifiers import (
    CodeKind,
    InvalidCodeReason,
    InvalidCreditCode,
    validate_citizen_id,
    validate_code,
    validate_uscc,
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

__all__ = [
    "CodeKind",
    "CreditRecord",
    "DomainError",
    "EntityType",
    "InvalidCodeReason",
    "InvalidCreditCode",
    "OperatingStatus",
    "RecordKind",
    "Registration",
    "RepairStatus",
    "Severity",
    "Source",
    "validate_citizen_id",
    "validate_code",
    "validate_uscc",
]
