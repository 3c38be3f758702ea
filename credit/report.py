"""The public credit report (信用中国 style, DOMAIN.md §6) over a query period, with advice.

:func:`credit_report` builds the basic information and eight sections — 行政管理, 诚实守信,
严重失信主体名单, 经营异常, 信用承诺, 信用评价, 司法判决, 其他 — from the records that are
**visible to the public on the report day** and **decided inside the period** (the market
bureau's listing of an abnormal-operations entry after three years is a serious list entry of its
own; until then the advice shows it as 将被列入); an empty section carries
``查询期内无相关信息``.  诚实守信 also lists the A grades published inside the period.
Advice (:mod:`credit.advice`) is about the subject's standing on the report day.

Each section names the bureaus that feed it (:data:`SECTION_SOURCES`).  When a bureau did not
answer, the report is still drawn: the sections it feeds say so (``unavailable``) and show what
the others gave, while the conclusions — class and advice — are withheld (``None``), never drawn
from part of the facts.

The legal representative's name is masked unless ``reveal_personal`` (the subject's own
report); no ID or phone number ever enters a report.

    >>> from credit.records import CreditRecord, RecordKind, Source
    >>> penalty = CreditRecord(id="P1", kind=RecordKind.ADMIN_PENALTY, source=Source.MARKET,
    ...     subject_code="91640104MA0K3P7W64", title="虚假宣传", decided_on=dt.date(2025, 6, 1))
    >>> report = credit_report("91640104MA0K3P7W64", dt.date(2025, 1, 1), dt.date(2025, 12, 31),
    ...     dt.date(2026, 1, 15), PublicityPolicy(), records=[penalty])
    >>> report.section(SectionKey.ADMINISTRATIVE).count
    1
    >>> report.section(SectionKey.ABNORMAL).empty_text
    '查询期内无相关信息'

Errors::

    DomainError
     └── InvalidReportPeriod   (the period starts after it ends)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from credit.advice import Advice, advise
from credit.classification import Classification, classify, grade_published_on
from credit.errors import DomainError
from credit.masking import mask_name
from credit.policy import PublicityPolicy
from credit.publicity import visible_to_public
from credit.records import (
    KIND_TRAITS,
    CreditRecord,
    EntityType,
    OperatingStatus,
    RecordKind,
    Registration,
    Source,
    TaxGrade,
    TaxGradeLetter,
)

__all__ = [
    "EMPTY_TEXT",
    "RECORDED_BY",
    "SECTION_SOURCES",
    "BasicInfo",
    "CreditReport",
    "InvalidReportPeriod",
    "ReportSection",
    "SectionKey",
    "credit_report",
    "section_of",
    "section_sources",
]

EMPTY_TEXT = "查询期内无相关信息"


class SectionKey(StrEnum):
    """The report's record sections, in report order; the value is the section title."""

    ADMINISTRATIVE = "行政管理信息"
    HONESTY = "诚实守信信息"
    SERIOUS_LISTS = "严重失信主体名单信息"
    ABNORMAL = "经营异常信息"
    COMMITMENT = "信用承诺信息"
    EVALUATION = "信用评价信息"
    JUDICIAL = "司法判决信息"
    OTHER = "其他信息"


_SECTION_OF = {
    RecordKind.PERMIT: SectionKey.ADMINISTRATIVE,
    RecordKind.ADMIN_PENALTY: SectionKey.ADMINISTRATIVE,
    RecordKind.MARKET_PENALTY: SectionKey.ADMINISTRATIVE,
    RecordKind.RED_LIST: SectionKey.HONESTY,
    RecordKind.JUDGMENT_DEFAULTER: SectionKey.SERIOUS_LISTS,
    RecordKind.SERIOUS_VIOLATION: SectionKey.SERIOUS_LISTS,
    RecordKind.SERIOUS_DISHONESTY: SectionKey.SERIOUS_LISTS,
    RecordKind.ABNORMAL_OPERATION: SectionKey.ABNORMAL,
    RecordKind.COMMITMENT: SectionKey.COMMITMENT,
    RecordKind.EVALUATION: SectionKey.EVALUATION,
    RecordKind.CONSUMPTION_RESTRICTION: SectionKey.JUDICIAL,
}  # a kind added later and not placed here lands in 其他信息

# Which bureau records each kind (DESIGN.md's component table), and so feeds which section.
RECORDED_BY: dict[RecordKind, Source] = {
    RecordKind.PERMIT: Source.MARKET,
    RecordKind.ADMIN_PENALTY: Source.MARKET,
    RecordKind.MARKET_PENALTY: Source.MARKET,
    RecordKind.ABNORMAL_OPERATION: Source.MARKET,
    RecordKind.SERIOUS_VIOLATION: Source.MARKET,
    RecordKind.JUDGMENT_DEFAULTER: Source.COURT,
    RecordKind.CONSUMPTION_RESTRICTION: Source.COURT,
    RecordKind.SERIOUS_DISHONESTY: Source.NATIONAL,
    RecordKind.RED_LIST: Source.PLATFORM,
    RecordKind.COMMITMENT: Source.PLATFORM,
    RecordKind.EVALUATION: Source.PLATFORM,
}
SECTION_SOURCES: dict[SectionKey, tuple[Source, ...]] = {
    key: tuple(
        source
        for source in Source.members()
        if any(
            RECORDED_BY.get(kind) is source and placed is key
            for kind, placed in _SECTION_OF.items()
        )
        or (key is SectionKey.HONESTY and source is Source.TAX)  # its A-grade taxpayers
    )
    for key in SectionKey
}


def section_of(kind: RecordKind) -> SectionKey:
    """The section a kind of record belongs in: the domain's table, or what its bureau declared
    (:func:`credit.records.declare_kind`); 其他信息 otherwise."""
    placed = _SECTION_OF.get(kind)
    if placed is not None:
        return placed
    declared = KIND_TRAITS.get(kind)
    if declared is None or declared.section is None:
        return SectionKey.OTHER
    return SectionKey[declared.section]


def section_sources(key: SectionKey) -> tuple[Source, ...]:
    """The bureaus that feed section ``key``: the domain's and the declared kinds' bureaus."""
    declared = [t.source for t in KIND_TRAITS.values() if t.section == key.name]
    return tuple(dict.fromkeys([*SECTION_SOURCES[key], *declared]))


class InvalidReportPeriod(DomainError):
    """The query period starts after it ends."""

    code = "INVALID_REPORT_PERIOD"

    def __init__(self) -> None:
        super().__init__("查询期间无效：起始日期不能晚于截止日期")


@dataclass(frozen=True, slots=True)
class BasicInfo:
    """基础信息: the public registration facts."""

    code: str
    name: str
    entity_type: EntityType
    status: OperatingStatus
    established_on: dt.date
    registered_capital_yuan: Decimal
    address: str
    division_code: str
    industry: str
    legal_rep_name: str  # masked unless the report is the subject's own
    deregistered_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ReportSection:
    """One section: its records (newest first) and, for 诚实守信, A grades; the bureaus that
    feed it, and those of them that did not answer (the section then shows only the rest)."""

    key: SectionKey
    records: tuple[CreditRecord, ...]
    tax_grades: tuple[TaxGrade, ...] = ()
    unavailable: tuple[Source, ...] = ()

    @property
    def sources(self) -> tuple[Source, ...]:
        return section_sources(self.key)

    @property
    def title(self) -> str:
        return self.key.value

    @property
    def count(self) -> int:
        return len(self.records) + len(self.tax_grades)

    @property
    def empty_text(self) -> str | None:
        """``查询期内无相关信息`` when the section is empty and complete, else ``None``."""
        return EMPTY_TEXT if self.count == 0 and not self.unavailable else None


@dataclass(frozen=True, slots=True)
class CreditReport:
    subject_code: str
    generated_on: dt.date
    period_from: dt.date
    period_to: dt.date
    basic: BasicInfo | None  # None for a natural person or an unknown registration
    sections: tuple[ReportSection, ...]  # one per SectionKey, in report order
    # Class, reasons and badges on ``generated_on``, and advice: None when a bureau did not answer.
    classification: Classification | None
    advice: tuple[Advice, ...] | None

    @property
    def basic_empty_text(self) -> str | None:
        return EMPTY_TEXT if self.basic is None else None

    def section(self, key: SectionKey) -> ReportSection:
        return next(s for s in self.sections if s.key is key)


def _basic(registration: Registration, reveal_personal: bool) -> BasicInfo:
    name = registration.legal_rep_name
    return BasicInfo(
        code=registration.uscc,
        name=registration.name,
        entity_type=registration.entity_type,
        status=registration.status,
        established_on=registration.established_on,
        registered_capital_yuan=registration.registered_capital_yuan,
        address=registration.address,
        division_code=registration.division_code,
        industry=registration.industry,
        legal_rep_name=name if reveal_personal else mask_name(name),
        deregistered_on=registration.deregistered_on,
    )


def credit_report(
    subject_code: str,
    period_from: dt.date,
    period_to: dt.date,
    day: dt.date,
    policy: PublicityPolicy,
    *,
    records: Iterable[CreditRecord] = (),
    tax_grades: Iterable[TaxGrade] = (),
    registration: Registration | None = None,
    reveal_personal: bool = False,
    unavailable: Iterable[Source] = (),
) -> CreditReport:
    """The report on ``day`` for the period ``period_from``-``period_to`` (both inclusive);
    ``unavailable`` names the bureaus that did not answer."""
    if period_from > period_to:
        raise InvalidReportPeriod()
    records, tax_grades = list(records), list(tax_grades)
    missing = frozenset(unavailable)
    placed: dict[SectionKey, list[CreditRecord]] = {key: [] for key in SectionKey}
    for record in records:
        if not period_from <= record.decided_on <= period_to:
            continue
        if not visible_to_public(record, day, policy):
            continue
        placed[section_of(record.kind)].append(record)
    a_grades = tuple(
        g
        for g in sorted(tax_grades, key=lambda g: -g.year)
        if g.grade is TaxGradeLetter.A
        and period_from <= grade_published_on(g, policy) <= min(period_to, day)
    )
    sections = tuple(
        ReportSection(
            key,
            tuple(sorted(placed[key], key=lambda r: (r.decided_on, r.id), reverse=True)),
            a_grades if key is SectionKey.HONESTY else (),
            tuple(s for s in section_sources(key) if s in missing),
        )
        for key in SectionKey
    )
    complete = not missing
    return CreditReport(
        subject_code=subject_code,
        generated_on=day,
        period_from=period_from,
        period_to=period_to,
        basic=_basic(registration, reveal_personal) if registration is not None else None,
        sections=sections,
        classification=(
            classify(records, day, policy, tax_grades=tax_grades, registration=registration)
            if complete
            else None
        ),
        advice=tuple(advise(records, day, policy, tax_grades=tax_grades)) if complete else None,
    )
