"""What a pre-check knows about one enterprise: each fact known (with provenance) or missing.

A fact is :class:`Known` — its value and where it came from, as plain values
(:class:`FactProvenance`: source, fetched when, from cache, stale) — or :class:`Missing` with
the reason it could not be had: the bureau failed, or no live consent covered it (a
consent-gated bureau is not even asked then).  Rules never guess from a missing fact
(DOMAIN.md §5: "a missing fact never passes a rule").

    facts = EnterpriseFacts(uscc, registration=Known(reg, FactProvenance(Source.MARKET, at)),
                            ..., tax_payments=Missing(Source.TAX, MissingReason.NO_CONSENT))
    facts.get(FactKey.TAX_PAYMENTS)          # Missing(...)
    facts.without(FactKey.COURT_RECORDS)     # the same facts with the court's answer missing

``consents`` maps each consent scope the bank holds a live consent for to that consent's id;
the bank-tax rules read it to say which authorisation is missing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from credit.access import ConsentScope
from credit.records import (
    CreditRecord,
    Registration,
    SocialInsuranceMonth,
    Source,
    TaxGrade,
    TaxPayment,
    UtilityBill,
)

__all__ = [
    "CONSENT_SCOPE_OF",
    "SOURCE_OF",
    "EnterpriseFacts",
    "Fact",
    "FactKey",
    "FactProvenance",
    "Known",
    "Missing",
    "MissingReason",
    "Records",
]

T = TypeVar("T")
Records = tuple[CreditRecord, ...]


@dataclass(frozen=True, slots=True)
class FactProvenance:
    """Where a fact came from (a plain copy of the connector's provenance)."""

    source: Source
    fetched_at: dt.datetime  # when the source answered (UTC)
    cached: bool = False
    stale: bool = False  # served past its lifetime because the source failed


class MissingReason(StrEnum):
    SOURCE_UNAVAILABLE = "SOURCE_UNAVAILABLE"  # failed, timed out, or broke its format
    NO_CONSENT = "NO_CONSENT"  # no live consent of the subject to this bank for this purpose
    CONSENT_REJECTED = "CONSENT_REJECTED"  # the bureau refused the authorisation presented


_MISSING_TEXT = {
    MissingReason.SOURCE_UNAVAILABLE: "数据来源部门暂时无法提供",
    MissingReason.NO_CONSENT: "未取得企业（或本人）对本机构、本用途的有效授权",
    MissingReason.CONSENT_REJECTED: "数据来源部门未认可所出示的授权",
}


@dataclass(frozen=True, slots=True)
class Missing:
    """A fact that could not be had, and why."""

    source: Source
    reason: MissingReason
    scope: ConsentScope | None = None  # the consent that was missing or refused

    def text(self) -> str:
        return _MISSING_TEXT[self.reason]


@dataclass(frozen=True, slots=True)
class Known(Generic[T]):
    value: T
    provenance: FactProvenance


Fact = Known[T] | Missing


class FactKey(StrEnum):
    """Each fact of :class:`EnterpriseFacts` by name (the field it is held in)."""

    REGISTRATION = "registration"
    MARKET_RECORDS = "market_records"  # penalties, abnormal operations, serious violations
    COURT_RECORDS = "court_records"  # the enterprise's 失信被执行人 entries, restrictions
    NATIONAL_RECORDS = "national_records"  # national serious-dishonesty lists
    TAX_GRADES = "tax_grades"
    TAX_PAYMENTS = "tax_payments"
    SOCIAL_INSURANCE = "social_insurance"
    UTILITIES = "utilities"
    LEGAL_REP_RECORDS = "legal_rep_records"  # the court's entries on the legal representative
    LEGAL_REP_BIRTH_DATE = "legal_rep_birth_date"  # needs that person's own consent
    CUSTOMS_RECORDS = "customs_records"  # 海关: registration, 高级认证 or 失信
    IP_RECORDS = "ip_records"  # 知识产权: patents and trademarks held, pledges


# The bureaus that declare their own sources (connectors.customs, connectors.ip), named here
# because rules read their records.
CUSTOMS = Source.declare("customs")
IP = Source.declare("ip")


SOURCE_OF = {
    FactKey.REGISTRATION: Source.MARKET,
    FactKey.MARKET_RECORDS: Source.MARKET,
    FactKey.COURT_RECORDS: Source.COURT,
    FactKey.NATIONAL_RECORDS: Source.NATIONAL,
    FactKey.TAX_GRADES: Source.TAX,
    FactKey.TAX_PAYMENTS: Source.TAX,
    FactKey.SOCIAL_INSURANCE: Source.HRSS,
    FactKey.UTILITIES: Source.UTILITIES,
    FactKey.LEGAL_REP_RECORDS: Source.COURT,
    FactKey.LEGAL_REP_BIRTH_DATE: Source.MARKET,
    FactKey.CUSTOMS_RECORDS: CUSTOMS,
    FactKey.IP_RECORDS: IP,
}
"""The source each fact comes from (a missing fact is reported against it)."""


CONSENT_SCOPE_OF = {
    FactKey.TAX_GRADES: ConsentScope.TAX,
    FactKey.TAX_PAYMENTS: ConsentScope.TAX,
    FactKey.SOCIAL_INSURANCE: ConsentScope.HRSS,
    FactKey.UTILITIES: ConsentScope.UTILITIES,
}
"""The consent scope each consent-gated fact needs (the others are public)."""


@dataclass(frozen=True, slots=True)
class EnterpriseFacts:
    """Everything one pre-check reads about one enterprise."""

    uscc: str
    registration: Fact[Registration]
    market_records: Fact[Records]
    court_records: Fact[Records]
    national_records: Fact[Records]
    tax_grades: Fact[tuple[TaxGrade, ...]]
    tax_payments: Fact[tuple[TaxPayment, ...]]
    social_insurance: Fact[tuple[SocialInsuranceMonth, ...]]
    utilities: Fact[tuple[UtilityBill, ...]]
    legal_rep_records: Fact[Records]
    legal_rep_birth_date: Fact[dt.date]
    # the added bureaus' records: read only by the rules that need them (unread: missing)
    customs_records: Fact[Records] = Missing(CUSTOMS, MissingReason.SOURCE_UNAVAILABLE)
    ip_records: Fact[Records] = Missing(IP, MissingReason.SOURCE_UNAVAILABLE)
    consents: Mapping[ConsentScope, str] = field(default_factory=dict)

    def get(self, key: FactKey) -> Fact[object]:
        value: Fact[object] = getattr(self, key.value)
        return value

    def without(
        self, key: FactKey, reason: MissingReason = MissingReason.SOURCE_UNAVAILABLE
    ) -> EnterpriseFacts:
        """The same facts with ``key`` missing (``reason``) — what a failed bureau leaves."""
        scope = (
            CONSENT_SCOPE_OF.get(key) if reason is not MissingReason.SOURCE_UNAVAILABLE else None
        )
        return self.with_fact(key, Missing(SOURCE_OF[key], reason, scope))

    def with_fact(self, key: FactKey, fact: Fact[Any]) -> EnterpriseFacts:
        """The same facts with ``key`` replaced (the caller keeps the value's type right)."""
        changes: dict[str, Any] = {key.value: fact}
        return dataclasses.replace(self, **changes)
