"""The four-class evaluation of the Ningxia plan (守信 / 警示 / 失信 / 严重失信) and report badges.

:func:`classify` reads a subject's records, tax grades and registration on one day.  Every
finding is a :class:`Reason` naming the class it implies, a stable code, a Chinese message that
cites its rule, and the record it comes from; the worst class found wins.  Only what is in
force on the day counts: records inside their publicity window (:mod:`credit.publicity`), not
repaired; the current tax grade; a direct D for its two years.

Rules (each finding → class):

* 严重失信: an active 失信被执行人 entry; a 严重违法失信名单 entry (also one the market bureau
  listed after three years on the 经营异常名录); a national serious-dishonesty listing; a
  directly assigned tax D grade.
* 失信: a visible general or serious penalty (administrative or market); a 经营异常名录 entry,
  and one *due* for the serious list (将被列入) until the bureau reports its decision; a
  current tax D grade.
* 警示: a visible minor penalty (a published minor one, a market 通报批评 or small fine; a
  warning alone or a 简易程序 decision is never published, so never counts);
  a current tax C grade; a consumption restriction; a revoked business licence (吊销).
* 守信: none of the above; red-list entries and an A grade are listed as its reasons.

Badges: 存续 / 注销 / 吊销 from the registration; 守信激励对象 for a visible red-list entry or a
current A grade, unless the class is 失信 or worse; 失信惩戒对象 while on a serious list.

    >>> from credit.records import CreditRecord, RecordKind, Source
    >>> penalty = CreditRecord(id="P1", kind=RecordKind.ADMIN_PENALTY, source=Source.MARKET,
    ...     subject_code="91640104MA0K3P7W64", title="虚假宣传", decided_on=dt.date(2025, 6, 1))
    >>> result = classify([penalty], dt.date(2026, 5, 1), PublicityPolicy())
    >>> result.credit_class, [r.code.value for r in result.reasons]
    (<CreditClass.DISHONEST: '失信'>, ['GENERAL_PENALTY'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from credit.calendar import add_years
from credit.policy import PublicityPolicy
from credit.publicity import (
    active_listings,
    escalation_due,
    escalation_reported,
    publicity_window,
    visible_to_public,
)
from credit.records import (
    CreditRecord,
    OperatingStatus,
    RecordKind,
    Registration,
    Severity,
    TaxGrade,
    TaxGradeLetter,
)

__all__ = [
    "Badge",
    "Classification",
    "CreditClass",
    "Reason",
    "ReasonCode",
    "active_direct_d",
    "classify",
    "current_tax_grade",
    "grade_published_on",
]


class CreditClass(StrEnum):
    TRUSTWORTHY = "守信"
    WARNING = "警示"
    DISHONEST = "失信"
    SERIOUSLY_DISHONEST = "严重失信"

    @property
    def rank(self) -> int:
        """0 for 守信 up to 3 for 严重失信: the larger, the worse."""
        return list(CreditClass).index(self)


class ReasonCode(StrEnum):
    JUDGMENT_DEFAULTER = "JUDGMENT_DEFAULTER"
    SERIOUS_VIOLATION_LIST = "SERIOUS_VIOLATION_LIST"
    SERIOUS_DISHONESTY_LIST = "SERIOUS_DISHONESTY_LIST"
    TAX_DIRECT_D = "TAX_DIRECT_D"
    SERIOUS_PENALTY = "SERIOUS_PENALTY"
    GENERAL_PENALTY = "GENERAL_PENALTY"
    ABNORMAL_OPERATION = "ABNORMAL_OPERATION"
    ESCALATION_DUE = "ESCALATION_DUE"  # 将被列入: due for the serious list, not yet decided
    TAX_D = "TAX_D"
    MINOR_PENALTY = "MINOR_PENALTY"
    TAX_C = "TAX_C"
    CONSUMPTION_RESTRICTION = "CONSUMPTION_RESTRICTION"
    LICENCE_REVOKED = "LICENCE_REVOKED"
    NO_NEGATIVE_RECORD = "NO_NEGATIVE_RECORD"
    RED_LIST = "RED_LIST"
    TAX_A = "TAX_A"


class Badge(StrEnum):
    ACTIVE = "存续"
    DEREGISTERED = "注销"
    REVOKED = "吊销"
    INCENTIVE = "守信激励对象"
    PUNISHMENT = "失信惩戒对象"


@dataclass(frozen=True, slots=True)
class Reason:
    """One finding: which class it implies, why (in Chinese, citing the rule), from what."""

    code: ReasonCode
    credit_class: CreditClass
    message: str
    record_id: str | None = None


@dataclass(frozen=True, slots=True)
class Classification:
    """The class, the reasons that put the subject there, lesser findings, and badges."""

    credit_class: CreditClass
    reasons: tuple[Reason, ...]
    lesser_reasons: tuple[Reason, ...]
    badges: tuple[Badge, ...]
    day: dt.date


_SERIOUS_LISTS = frozenset(
    {RecordKind.JUDGMENT_DEFAULTER, RecordKind.SERIOUS_VIOLATION, RecordKind.SERIOUS_DISHONESTY}
)
_TAX_RULE = "《纳税缴费信用管理办法》"
_STATUS_BADGE = {
    OperatingStatus.ACTIVE: Badge.ACTIVE,
    OperatingStatus.DEREGISTERED: Badge.DEREGISTERED,
    OperatingStatus.REVOKED: Badge.REVOKED,
}


def grade_published_on(grade: TaxGrade, policy: PublicityPolicy) -> dt.date:
    """When a grade took effect: its assignment day, else the April after its year."""
    return grade.assigned_on or dt.date(grade.year + 1, policy.tax_grade_published_month, 1)


def current_tax_grade(
    grades: Iterable[TaxGrade], day: dt.date, policy: PublicityPolicy
) -> TaxGrade | None:
    """The latest grade published on or before ``day``."""
    known = [g for g in grades if grade_published_on(g, policy) <= day]
    return max(known, key=lambda g: (g.year, grade_published_on(g, policy)), default=None)


def active_direct_d(
    grades: Iterable[TaxGrade], day: dt.date, policy: PublicityPolicy
) -> TaxGrade | None:
    """A directly assigned D still within its ``tax_direct_d_years`` on ``day``."""
    for grade in grades:
        if grade.grade is TaxGradeLetter.D and grade.assigned_directly:
            start = grade_published_on(grade, policy)
            if start <= day <= add_years(start, policy.tax_direct_d_years):
                return grade
    return None


def _record_reasons(
    record: CreditRecord, day: dt.date, policy: PublicityPolicy, reported: bool
) -> Iterable[Reason]:
    listed = active_listings(record, day, policy)
    basis = publicity_window(record, policy).legal_basis
    label = f"（{record.title}，{record.authority or '—'}，{record.decided_on.isoformat()}）"
    rid = record.id
    cls = CreditClass
    if RecordKind.JUDGMENT_DEFAULTER in listed:
        yield Reason(
            ReasonCode.JUDGMENT_DEFAULTER,
            cls.SERIOUSLY_DISHONEST,
            f"被列入失信被执行人名单{label}。依据：{basis}",
            rid,
        )
    if RecordKind.SERIOUS_VIOLATION in listed:
        route = "（经营异常名录满期转入）" if record.escalated_from_abnormal else ""
        text = f"被列入严重违法失信名单{route}{label}。依据：{basis}"
        yield Reason(ReasonCode.SERIOUS_VIOLATION_LIST, cls.SERIOUSLY_DISHONEST, text, rid)
    due = escalation_due(record, day, policy, reported)
    if due is not None:
        text = (
            f"经营异常名录记录{label}满{policy.abnormal_escalation_years}年仍未移出，"
            f"将被列入严重违法失信名单（自{due.due_on.isoformat()}起应予列入，"
            f"待市场监督管理部门作出列入决定）。依据：{due.legal_basis}"
        )
        yield Reason(ReasonCode.ESCALATION_DUE, cls.DISHONEST, text, rid)
    if RecordKind.SERIOUS_DISHONESTY in listed:
        name = record.list_name or "严重失信主体名单"
        yield Reason(
            ReasonCode.SERIOUS_DISHONESTY_LIST,
            cls.SERIOUSLY_DISHONEST,
            f"被列入{name}{label}。依据：{basis}",
            rid,
        )
    if RecordKind.ABNORMAL_OPERATION in listed:
        yield Reason(
            ReasonCode.ABNORMAL_OPERATION,
            cls.DISHONEST,
            f"被列入经营异常名录{label}。依据：{basis}",
            rid,
        )
    if RecordKind.CONSUMPTION_RESTRICTION in listed:
        yield Reason(
            ReasonCode.CONSUMPTION_RESTRICTION,
            cls.WARNING,
            f"被人民法院采取限制消费措施{label}。依据：{basis}",
            rid,
        )
    penalty = record.kind in {RecordKind.ADMIN_PENALTY, RecordKind.MARKET_PENALTY}
    if penalty and visible_to_public(record, day, policy):
        if record.minor_sanction or record.severity is Severity.MINOR:
            code, credit_class, what = ReasonCode.MINOR_PENALTY, cls.WARNING, "轻微行政处罚"
        elif record.severity is Severity.SERIOUS:
            code, credit_class, what = ReasonCode.SERIOUS_PENALTY, cls.DISHONEST, "严重行政处罚"
        else:
            code, credit_class, what = ReasonCode.GENERAL_PENALTY, cls.DISHONEST, "一般行政处罚"
        yield Reason(code, credit_class, f"受到{what}{label}，处于公示期内。依据：{basis}", rid)
    if record.kind is RecordKind.RED_LIST and visible_to_public(record, day, policy):
        name = record.list_name or record.title
        yield Reason(ReasonCode.RED_LIST, cls.TRUSTWORTHY, f"列入守信激励名单：{name}", rid)


def _tax_reasons(
    grades: Iterable[TaxGrade], day: dt.date, policy: PublicityPolicy
) -> Iterable[Reason]:
    grades = list(grades)
    direct = active_direct_d(grades, day, policy)
    if direct is not None:
        until = add_years(grade_published_on(direct, policy), policy.tax_direct_d_years)
        yield Reason(
            ReasonCode.TAX_DIRECT_D,
            CreditClass.SERIOUSLY_DISHONEST,
            f"{direct.year}年度纳税信用被直接判为D级，保留至{until.isoformat()}"
            f"（{_TAX_RULE}：直接判级的D级保留{policy.tax_direct_d_years}年）",
        )
    current = current_tax_grade(grades, day, policy)
    if current is None or current is direct:
        return
    by_letter = {
        TaxGradeLetter.D: (ReasonCode.TAX_D, CreditClass.DISHONEST),
        TaxGradeLetter.C: (ReasonCode.TAX_C, CreditClass.WARNING),
        TaxGradeLetter.A: (ReasonCode.TAX_A, CreditClass.TRUSTWORTHY),
    }
    if current.grade in by_letter:
        code, credit_class = by_letter[current.grade]
        text = f"{current.year}年度纳税信用等级为{current.grade.value}级（{_TAX_RULE}）"
        yield Reason(code, credit_class, text)


def classify(
    records: Iterable[CreditRecord],
    day: dt.date,
    policy: PublicityPolicy,
    *,
    tax_grades: Iterable[TaxGrade] = (),
    registration: Registration | None = None,
) -> Classification:
    """Classify a subject on ``day``; see the module docstring for the rules."""
    records = list(records)
    found: list[Reason] = []
    reported = escalation_reported(records, day)
    for record in records:
        found.extend(_record_reasons(record, day, policy, reported))
    found.extend(_tax_reasons(tax_grades, day, policy))
    if registration is not None and registration.status is OperatingStatus.REVOKED:
        found.append(
            Reason(
                ReasonCode.LICENCE_REVOKED,
                CreditClass.WARNING,
                "营业执照已被吊销（登记状态：吊销）",
            )
        )
    worst = max((r.credit_class for r in found), key=lambda c: c.rank, default=None)
    if worst is None or worst is CreditClass.TRUSTWORTHY:
        no_negative = Reason(
            ReasonCode.NO_NEGATIVE_RECORD, CreditClass.TRUSTWORTHY, "查询日无失信或警示类信用记录"
        )
        found.insert(0, no_negative)
        worst = CreditClass.TRUSTWORTHY
    found.sort(key=lambda r: -r.credit_class.rank)  # stable: record order within a class
    reasons = tuple(r for r in found if r.credit_class is worst)
    lesser = tuple(r for r in found if r.credit_class is not worst)

    badges: list[Badge] = []
    if registration is not None:
        badges.append(_STATUS_BADGE[registration.status])
    incentive = any(r.code in {ReasonCode.RED_LIST, ReasonCode.TAX_A} for r in found)
    if incentive and worst.rank <= CreditClass.WARNING.rank:
        badges.append(Badge.INCENTIVE)
    if any(active_listings(r, day, policy) & _SERIOUS_LISTS for r in records):
        badges.append(Badge.PUNISHMENT)
    return Classification(worst, reasons, lesser, tuple(badges), day)
