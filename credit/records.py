"""The domain's nouns: what the bureaus know about a credit subject, in one vocabulary.

Connectors map each bureau's payload to these types in one place (units converted there: amounts
are always yuan as :class:`~decimal.Decimal`).  The types hold facts only; rules that read them
(publicity windows, classification, eligibility) live in their own modules.

    >>> Registration(uscc="91640100MA00000000", name="宁夏示例科技有限公司", ...)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from credit.vocabulary import Label, OpenEnum

__all__ = [
    "KIND_TRAITS",
    "CreditRecord",
    "EntityType",
    "KindTraits",
    "OperatingStatus",
    "Performance",
    "Person",
    "Polarity",
    "RecordKind",
    "Registration",
    "RepairStatus",
    "Severity",
    "Shareholding",
    "SocialInsuranceMonth",
    "Source",
    "TaxGrade",
    "TaxGradeLetter",
    "TaxPayment",
    "UtilityBill",
    "UtilityKind",
    "declare_kind",
]


class Source(OpenEnum):
    """Where a fact comes from: one bureau, or the platform's own database.

    An open set: the domain names the bureaus its rules read; a connector module bringing a new
    bureau declares its source (``Source.declare("customs")``, see ``connectors.bureau``).
    """

    COURT: ClassVar[Source]
    MARKET: ClassVar[Source]
    TAX: ClassVar[Source]
    HRSS: ClassVar[Source]
    UTILITIES: ClassVar[Source]
    NATIONAL: ClassVar[Source]
    IDENTITY: ClassVar[Source]
    PLATFORM: ClassVar[Source]


Source.COURT = Source.declare("court")
Source.MARKET = Source.declare("market")
Source.TAX = Source.declare("tax")
Source.HRSS = Source.declare("hrss")
Source.UTILITIES = Source.declare("utilities")
Source.NATIONAL = Source.declare("national")
Source.IDENTITY = Source.declare("identity")
Source.PLATFORM = Source.declare("platform")


class EntityType(StrEnum):
    """Organisation type, from USCC positions 1-2 (GB 32100)."""

    ENTERPRISE = "ENTERPRISE"  # 91 企业
    INDIVIDUAL_BUSINESS = "INDIVIDUAL_BUSINESS"  # 92 个体工商户
    COOPERATIVE = "COOPERATIVE"  # 93 农民专业合作社
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"  # 12 事业单位
    SOCIAL_ORGANISATION = "SOCIAL_ORGANISATION"  # 51/52 社会团体、民办非企业单位
    RURAL_COLLECTIVE = "RURAL_COLLECTIVE"  # N 农村集体经济组织
    OTHER = "OTHER"


class OperatingStatus(StrEnum):
    ACTIVE = "存续"
    DEREGISTERED = "注销"
    REVOKED = "吊销"


@dataclass(frozen=True, slots=True)
class Registration:
    """Registration basics from market regulation (or the registering authority)."""

    uscc: str
    name: str
    entity_type: EntityType
    status: OperatingStatus
    established_on: dt.date
    registered_capital_yuan: Decimal
    address: str
    division_code: str
    industry: str
    legal_rep_name: str
    legal_rep_id: str  # clear ID number: masked at the edge for everyone but its owner
    phone: str = ""  # masked at the edge likewise
    deregistered_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A natural person: legal representative, shareholder or individual (GB 11643 ID number)."""

    id_number: str  # clear ID number: masked at the edge for everyone but its owner
    name: str
    birth_date: dt.date
    male: bool  # the ID number's sequence digit is odd
    division_code: str  # of the ID number's address code
    phone: str = ""  # the mobile number registered to this ID (三要素核验); masked at the edge


@dataclass(frozen=True, slots=True)
class Shareholding:
    """A natural-person shareholder of an enterprise (market regulation's register)."""

    person_id: str  # clear ID number: masked at the edge for everyone but its owner
    name: str
    share_percent: Decimal  # of the registered capital, two decimals
    subscribed_yuan: Decimal  # 认缴出资额, already converted from 万元


class Severity(StrEnum):
    MINOR = "轻微"
    GENERAL = "一般"
    SERIOUS = "严重"


class RepairStatus(StrEnum):
    NONE = "NONE"  # never applied
    APPLIED = "APPLIED"  # an application is under review
    REPAIRED = "REPAIRED"  # repaired: no longer shown or shared


class Performance(StrEnum):
    """履行情况 of a 失信被执行人 entry, as the court prints it."""

    NONE = "全部未履行"
    PARTIAL = "部分履行"
    FULL = "全部履行"


class Polarity(StrEnum):
    """Whether records of a kind count against their subject: what repair and objection
    offers are about (the bot's 怎么修复 / 我要异议 / 申请信用修复 lists)."""

    NEGATIVE = "NEGATIVE"  # 失信、警示 information (DOMAIN.md §2 "negative record")
    POSITIVE = "POSITIVE"  # 守信激励, permits and rights granted, commitments, evaluations
    NEUTRAL = "NEUTRAL"  # facts that are neither: registrations, declarations, holdings


_POLARITY: dict[str, Polarity] = {}


class RecordKind(OpenEnum):
    """Each kind is one publicity regime of DOMAIN.md §2 (or a positive record).

    An open set: a bureau bringing records of a new kind declares it with
    :func:`declare_kind` (its label, its polarity, its report section and the rule that keeps
    it public).
    """

    ADMIN_PENALTY: ClassVar[RecordKind]  # 行政处罚 (双公示), NDRC Order 36
    MARKET_PENALTY: ClassVar[RecordKind]  # 市场监管行政处罚, SAMR Order 45 Art. 13
    PERMIT: ClassVar[RecordKind]  # 行政许可
    JUDGMENT_DEFAULTER: ClassVar[RecordKind]  # 失信被执行人, SPC 2017
    CONSUMPTION_RESTRICTION: ClassVar[RecordKind]  # 限制消费令
    ABNORMAL_OPERATION: ClassVar[RecordKind]  # 经营异常名录
    SERIOUS_VIOLATION: ClassVar[RecordKind]  # 严重违法失信名单 (market regulation)
    SERIOUS_DISHONESTY: ClassVar[RecordKind]  # national serious-dishonesty lists
    RED_LIST: ClassVar[RecordKind]  # 守信激励 (platform)
    COMMITMENT: ClassVar[RecordKind]  # 信用承诺 (platform)
    EVALUATION: ClassVar[RecordKind]  # 信用评价 (platform)

    @property
    def polarity(self) -> Polarity:
        """Whether its records count against their subject (as declared with the kind)."""
        return _POLARITY[self]


def _kind(value: str, label: Label, polarity: Polarity) -> RecordKind:
    kind = RecordKind.declare(value, label)
    _POLARITY[kind] = polarity
    return kind


RecordKind.ADMIN_PENALTY = _kind(
    "ADMIN_PENALTY", Label("行政处罚（双公示）", "Administrative penalty"), Polarity.NEGATIVE
)
RecordKind.MARKET_PENALTY = _kind(
    "MARKET_PENALTY", Label("市场监管行政处罚", "Market-regulation penalty"), Polarity.NEGATIVE
)
RecordKind.PERMIT = _kind("PERMIT", Label("行政许可", "Administrative permit"), Polarity.POSITIVE)
RecordKind.JUDGMENT_DEFAULTER = _kind(
    "JUDGMENT_DEFAULTER", Label("失信被执行人", "Judgment defaulter"), Polarity.NEGATIVE
)
RecordKind.CONSUMPTION_RESTRICTION = _kind(
    "CONSUMPTION_RESTRICTION",
    Label("限制消费令", "Consumption restriction order"),
    Polarity.NEGATIVE,
)
RecordKind.ABNORMAL_OPERATION = _kind(
    "ABNORMAL_OPERATION", Label("经营异常名录", "Abnormal-operations list"), Polarity.NEGATIVE
)
RecordKind.SERIOUS_VIOLATION = _kind(
    "SERIOUS_VIOLATION", Label("严重违法失信名单", "Serious-violation list"), Polarity.NEGATIVE
)
RecordKind.SERIOUS_DISHONESTY = _kind(
    "SERIOUS_DISHONESTY",
    Label("严重失信主体名单（全国）", "National serious-dishonesty list"),
    Polarity.NEGATIVE,
)
RecordKind.RED_LIST = _kind("RED_LIST", Label("守信激励（红名单）", "Red list"), Polarity.POSITIVE)
RecordKind.COMMITMENT = _kind(
    "COMMITMENT", Label("信用承诺", "Credit commitment"), Polarity.POSITIVE
)
RecordKind.EVALUATION = _kind(
    "EVALUATION", Label("信用评价", "Credit evaluation"), Polarity.POSITIVE
)


@dataclass(frozen=True, slots=True)
class KindTraits:
    """What a bureau declares about a record kind of its own (see :func:`declare_kind`)."""

    source: Source  # the bureau that records it
    section: str | None  # its credit-report section (a report.SectionKey name); None: a kind
    # read only under consent, which never enters the public report
    basis: str  # the rule that keeps it public, shown while in force (until ``ended_on``)
    repair_after_months: int | None = None  # a repair may be applied for this long after the
    # record's start (None: no repair route — it ends when the bureau ends it)
    repair_channel: str | None = None  # where that repair is applied for (None: 信用中国)


KIND_TRAITS: dict[RecordKind, KindTraits] = {}
"""The declared kinds' traits; the kinds above are placed by the domain's own tables."""


def declare_kind(
    value: str,
    label: Label,
    *,
    polarity: Polarity,
    source: Source,
    section: str | None,
    basis: str,
    repair_after_months: int | None = None,
    repair_channel: str | None = None,
) -> RecordKind:
    """A record kind a bureau brings: named, negative or not, placed in the report, shown
    while in force; repairable ``repair_after_months`` after its start where its rules say so
    (applied for at ``repair_channel``)."""
    if repair_after_months is not None and repair_after_months < 0:
        raise ValueError("repair_after_months must not be negative")
    kind = _kind(value, label, polarity)
    KIND_TRAITS[kind] = KindTraits(source, section, basis, repair_after_months, repair_channel)
    return kind


@dataclass(frozen=True, slots=True)
class CreditRecord:
    """One record about a subject, positive or negative, as its bureau states it.

    Only the facts a regime needs are filled; the publicity window is derived from them by
    ``credit.publicity`` so that every period lives in the policy, not in the data.
    """

    id: str  # unique within its source
    kind: RecordKind
    source: Source
    subject_code: str
    title: str  # e.g. the violation type, the case number, the list name
    decided_on: dt.date
    authority: str = ""  # deciding organ or court
    legal_basis: str = ""
    severity: Severity | None = None
    publish_from: dt.date | None = None
    declared_publicity_until: dt.date | None = None  # what the bureau printed (CF_GSJZQ), if any
    ended_on: dt.date | None = None  # obligation performed / removed from the list
    repair_status: RepairStatus = RepairStatus.NONE
    repaired_on: dt.date | None = None
    amount_yuan: Decimal | None = None  # fines, arrears: already converted from 万元
    # JUDGMENT_DEFAULTER: ground 1-6 (SPC 2017 Art. 1) and extra years if aggravated (0-3)
    defaulter_ground: int | None = None
    aggravated_years: int = 0
    # MARKET_PENALTY: 通报批评 or a small fine only (SAMR Order 45 Art. 13 — 3 months)
    minor_sanction: bool = False
    # penalties: the sanctions decided (处罚种类, e.g. 警告, 罚款, 吊销营业执照); a warning alone
    # or a 简易程序 decision is never published by market regulation (SAMR Order 45 Art. 2)
    sanctions: tuple[str, ...] = ()
    simple_procedure: bool = False
    deleted_on: dt.date | None = None  # the court/bureau reports the entry deleted (early) on
    # SERIOUS_VIOLATION: listed because an abnormal-operations entry passed 3 years (条例 第十七条)
    escalated_from_abnormal: bool = False
    list_name: str = ""  # SERIOUS_DISHONESTY / RED_LIST: which list
    # What the bureaus' own reports print, where the bureau states it ("" / None: not stated):
    authority_code: str = ""  # the deciding authority's 统一社会信用代码 (CF_CFJGDM, courtCode)
    case_number: str = ""  # 案号 (courts) or 决定书文号 (CF_WSH, XK_WSH)
    executing_court: str = ""  # 执行法院 (court records)
    performance: Performance | None = None  # 履行情况 (失信被执行人)
    details: Mapping[str, str] = field(default_factory=dict)  # raw named fields, e.g. CF_WSH
    # an objection about it is open on the platform: shown as 异议处理中, never hidden
    objection_pending: bool = False


class TaxGradeLetter(StrEnum):
    A = "A"
    B = "B"
    M = "M"
    C = "C"
    D = "D"


@dataclass(frozen=True, slots=True)
class TaxGrade:
    """纳税信用等级 for one year (published each April)."""

    year: int
    grade: TaxGradeLetter
    score: int | None  # None when assigned directly
    assigned_directly: bool = False  # a direct D for a serious violation lasts 2 years
    assigned_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class TaxPayment:
    month: dt.date  # first day of the month
    amount_yuan: Decimal
    zero_return: bool  # 零申报


@dataclass(frozen=True, slots=True)
class SocialInsuranceMonth:
    month: dt.date
    headcount: int
    social_insurance_paid_yuan: Decimal
    housing_fund_paid_yuan: Decimal
    arrears_yuan: Decimal = Decimal(0)


class UtilityKind(StrEnum):
    WATER = "WATER"
    ELECTRICITY = "ELECTRICITY"
    GAS = "GAS"


@dataclass(frozen=True, slots=True)
class UtilityBill:
    month: dt.date
    kind: UtilityKind
    amount_yuan: Decimal
    arrears_yuan: Decimal = Decimal(0)
