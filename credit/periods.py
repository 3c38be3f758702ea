"""Which periods apply to one record, and why: :func:`rule_for` (DOMAIN.md §2).

One :class:`Rule` per record kind — for penalties the dated regime of :mod:`credit.regimes` in
force on the decision date — giving the anchor its months count from, the shortest and longest
publicity, a fact-based end, whether repair is possible, and the basis text citing the
instrument.  :mod:`credit.publicity` turns a rule into dates (others read windows, not rules).

    >>> from credit.records import Source
    >>> fine = CreditRecord(id="P1", kind=RecordKind.MARKET_PENALTY, source=Source.MARKET,
    ...     subject_code="91640104MA0K3P7W64", title="销售不合格产品",
    ...     decided_on=dt.date(2025, 12, 25), sanctions=("罚款",))
    >>> rule = rule_for(fine, PublicityPolicy())
    >>> rule.min_months, rule.max_months, rule.regime and rule.regime.number
    (3, 12, '市场监管总局令第107号')
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from credit.calendar import add_months
from credit.policy import PublicityPolicy
from credit.records import KIND_TRAITS, CreditRecord, RecordKind, Severity
from credit.regimes import Anchor, Family, Regime

__all__ = ["DISCLOSURE", "SAMR_PUBLICITY", "Rule", "never_published", "rule_for", "span"]

SAMR_PUBLICITY = "《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）"
_SPC = "《最高人民法院关于公布失信被执行人名单信息的若干规定》"
DISCLOSURE = "《企业信息公示暂行条例》第十七条"
_SERIOUS_LIST = "《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）"
_CONSUME = "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》"
_COUNTED = {Anchor.DECISION: "，自决定之日起计算", Anchor.PUBLICATION: "，自公示之日起计算"}
_POSITIVE = {
    RecordKind.PERMIT: "行政许可信息在许可有效期内公示",
    RecordKind.RED_LIST: "守信激励名单在列入期间公示",
    RecordKind.COMMITMENT: "信用承诺在承诺有效期内公示",
    RecordKind.EVALUATION: "信用评价结果在有效期内公示",
}


class Rule(NamedTuple):
    """The periods of one record.  ``ends``: a last day the facts set (performance, removal,
    the deletion deadline); ``repairable``: whether repair can end it early."""

    basis: str
    anchor: dt.date
    min_months: int | None = None
    max_months: int | None = None
    ends: dt.date | None = None
    published: bool = True
    repairable: bool = True
    regime: Regime | None = None


def span(months: int) -> str:
    """ "3个月", "1年": a period as the instruments write it."""
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


def _start(record: CreditRecord) -> dt.date:
    return record.publish_from or record.decided_on


def _anchor(record: CreditRecord, regime: Regime) -> dt.date:
    return record.decided_on if regime.counted_from is Anchor.DECISION else _start(record)


def _classed(record: CreditRecord, regime: Regime, minor: bool) -> Rule:
    """A penalty's periods by class (轻微/一般/严重) under ``regime``."""
    anchor, cite, counted = _anchor(record, regime), regime.citation, _COUNTED[regime.counted_from]
    if minor:
        if not regime.minor_published:
            basis = f"{cite}：轻微失信信息原则上不予公示"
            return Rule(basis, anchor, published=False, regime=regime)
        hi = regime.minor_max_months
        return Rule(f"{cite}：轻微失信信息公示期最长{span(hi)}{counted}", anchor, None, hi,
                    regime=regime)  # fmt: skip
    if record.severity is Severity.SERIOUS:
        lo, hi, label = regime.serious_min_months, regime.serious_max_months, "严重"
    else:
        lo, hi, label = regime.general_min_months, regime.general_max_months, "一般"
    if regime.sector_min_months is not None and any(
        word in record.legal_basis for word in regime.sector_keywords
    ):
        lo = regime.sector_min_months  # 3号 第六条: food, drugs, special equipment
    basis = f"{cite}：{label}失信信息公示期最短{span(lo)}、最长{span(hi)}{counted}"
    return Rule(basis, anchor, lo, hi, regime=regime)


def never_published(record: CreditRecord) -> bool:
    """A market penalty the law never publishes: a warning alone, or a 简易程序 decision
    (市场监管总局令第45号 第二条: only 普通程序 decisions; 仅受到警告行政处罚的不予公示).  The
    market connector drops these; the rule keeps them private wherever they come from."""
    return record.kind is RecordKind.MARKET_PENALTY and (
        record.simple_procedure or record.sanctions == ("警告",)
    )


def _market(record: CreditRecord, policy: PublicityPolicy) -> Rule:
    if never_published(record):
        basis = f"{SAMR_PUBLICITY}第二条：仅受到警告或适用简易程序作出的行政处罚信息不予公示"
        return Rule(basis, record.decided_on, published=False)
    regime = policy.regime(Family.MARKET, record.decided_on)
    minor = record.minor_sanction or record.severity is Severity.MINOR
    rule = _classed(record, regime, minor)
    barred = [s for s in record.sanctions if any(w in s for w in policy.unrepairable_sanctions)]
    if not barred:  # the common case: nothing but fines, seizures and warnings
        return rule
    barred_text = "、".join(barred)
    basis = f"{rule.basis}；含{barred_text}的处罚信息不可申请信用修复（{SAMR_PUBLICITY}第十四条）"
    return rule._replace(basis=basis, repairable=False)


def _defaulter(record: CreditRecord, policy: PublicityPolicy) -> Rule:
    days = policy.defaulter_removal_working_days
    delete_by = policy.working_calendar().add_working_days
    ground, start = record.defaulter_ground, _start(record)
    if ground is not None and 2 <= ground <= 6:
        extra = max(0, min(record.aggravated_years, policy.defaulter_max_aggravated_years))
        months = 12 * (policy.defaulter_years + extra)
        basis = f"{_SPC}第二条：因第一条第{ground}项情形纳入的，期限{policy.defaulter_years}年"
        if extra:
            basis += f"，情节严重延长{extra}年"
        basis += f"；第十条第二款：期限届满后{days}个工作日内删除，提前履行的不适用提前删除"
        term_end = add_months(start, months)
        return Rule(basis, start, None, months, delete_by(term_end, days), repairable=False)
    # ground 1, or a ground the court did not state: no fixed term, listed until performed
    if ground == 1:
        basis = f"{_SPC}第一条第一项：有履行能力而拒不履行的，无固定期限"
    else:
        basis = f"{_SPC}：未载明纳入情形的，按无固定期限处理"
    basis += f"；第十条：已履行生效法律文书确定的义务的，{days}个工作日内删除"
    performed = record.ended_on
    ends = delete_by(performed, days) if performed else None
    return Rule(basis, start, ends=ends, repairable=False)


def rule_for(record: CreditRecord, policy: PublicityPolicy) -> Rule:
    """The periods that judge ``record`` under ``policy``."""
    kind, start = record.kind, _start(record)
    if kind is RecordKind.ADMIN_PENALTY:
        regime = policy.regime(Family.NDRC, record.decided_on)
        minor = record.severity is Severity.MINOR or record.simple_procedure
        return _classed(record, regime, minor)
    if kind is RecordKind.MARKET_PENALTY:
        return _market(record, policy)
    if kind is RecordKind.JUDGMENT_DEFAULTER:
        return _defaulter(record, policy)
    if kind is RecordKind.ABNORMAL_OPERATION:
        years = policy.abnormal_escalation_years
        basis = (
            f"{DISCLOSURE}：履行公示义务后移出经营异常名录；满{years}年仍未履行的，"
            f"由市场监督管理部门列入严重违法失信名单{policy.escalated_serious_violation_years}年"
        )
        return Rule(basis, start, ends=record.ended_on, repairable=False)
    if kind is RecordKind.SERIOUS_VIOLATION:
        lo, hi = 12 * policy.serious_violation_min_years, 12 * policy.serious_violation_years
        if record.escalated_from_abnormal:
            hi = 12 * policy.escalated_serious_violation_years
        basis = f"{_SERIOUS_LIST}：列入满{span(hi)}移出，满{span(lo)}可申请提前移出"
        return Rule(basis, start, lo, hi, record.ended_on)
    if kind is RecordKind.SERIOUS_DISHONESTY:
        name = record.list_name or "严重失信主体名单"
        if policy.serious_dishonesty_until_removed:
            return Rule(f"{name}：至列入部门移出名单时止", start, ends=record.ended_on)
        hi = 12 * policy.serious_dishonesty_years
        return Rule(f"{name}：列入期限{span(hi)}", start, None, hi, record.ended_on)
    if kind is RecordKind.CONSUMPTION_RESTRICTION:
        basis = f"{_CONSUME}：至人民法院解除限制消费令时止"
        return Rule(basis, start, ends=record.ended_on, repairable=False)
    declared = KIND_TRAITS.get(kind)
    if declared is None:
        return Rule(_POSITIVE[kind], start, ends=record.ended_on, repairable=False)
    after = declared.repair_after_months  # None: no repair route, it ends when the bureau ends it
    return Rule(declared.basis, start, after, ends=record.ended_on, repairable=after is not None)
