"""How long a record is shown to the public and shared with banks (DOMAIN.md §2).

Every period lives in one object, :class:`PublicityPolicy` (the gateway's settings embed it), and
the windows are derived from a record's facts by :func:`publicity_window`.  Conventions:

* every ``*_until`` date is the **last** day of the period, inclusive; a period of N months from
  ``publish_from`` ends on ``add_months(publish_from, N)`` (民法典 第二百零一、二百零二条);
* ``CreditRecord.ended_on`` is the last day an entry is in force (a permit's valid-to, the day a
  listing was removed or the obligation performed); a judgment defaulter stays listed until the
  court's removal deadline, 3 working days after performance;
* a repair (``repair_status == REPAIRED``) ends visibility and bank sharing from ``repaired_on``;
* a bureau's printed end (``declared_publicity_until``) can shorten a window, never lengthen it.

"Visible to the public" and "shareable with banks" are two answers: a negative record stays
shareable for ``bank_sharing_years`` after the conduct ended (征信业管理条例 第十六条), and
always while it is public.

    >>> from credit.records import Source
    >>> penalty = CreditRecord(id="P1", kind=RecordKind.ADMIN_PENALTY, source=Source.MARKET,
    ...     subject_code="91640104MA0K3P7W1C", title="虚假宣传", decided_on=dt.date(2025, 1, 15))
    >>> window = publicity_window(penalty, PublicityPolicy())
    >>> window.min_until, window.repairable_from, window.max_until
    (datetime.date(2025, 4, 15), datetime.date(2025, 4, 16), datetime.date(2026, 1, 15))
    >>> window.legal_basis
    '《信用修复管理办法》（国家发展改革委令第36号）：一般失信信息公示期最短3个月、最长1年'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credit.calendar import add_months, add_years
from credit.policy import PublicityPolicy
from credit.records import CreditRecord, RecordKind, RepairStatus, Severity

__all__ = [
    "LISTING_KINDS",
    "POSITIVE_KINDS",
    "Escalation",
    "PublicityPolicy",
    "PublicityWindow",
    "active_listings",
    "bank_sharing_until",
    "escalation",
    "publicity_window",
    "repairable_from",
    "shareable_with_bank",
    "visible_to_public",
]

POSITIVE_KINDS = frozenset(
    {RecordKind.PERMIT, RecordKind.RED_LIST, RecordKind.COMMITMENT, RecordKind.EVALUATION}
)
"""Records shown while valid (from ``publish_from`` through ``ended_on``)."""

LISTING_KINDS = frozenset(
    {
        RecordKind.JUDGMENT_DEFAULTER,
        RecordKind.CONSUMPTION_RESTRICTION,
        RecordKind.ABNORMAL_OPERATION,
        RecordKind.SERIOUS_VIOLATION,
        RecordKind.SERIOUS_DISHONESTY,
    }
)
"""Records that put a subject on a list while they are visible (sanctions trigger on these)."""

_NDRC = "《信用修复管理办法》（国家发展改革委令第36号）"
_SAMR = "《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）"
_SPC = "《最高人民法院关于公布失信被执行人名单信息的若干规定》"
_DISCLOSURE = "《企业信息公示暂行条例》第十七条"
_SERIOUS_LIST = "《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）"
_CONSUME = "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》"


@dataclass(frozen=True, slots=True)
class PublicityWindow:
    """When a record is public, and why.  All dates inclusive; ``None`` means open-ended.

    ``max_until`` is the end the rule allows; ``visible_until`` is the actual last public day
    after performance, removal, the bureau's printed end and repair.  When ``published`` is
    false (a minor penalty the rule keeps private) every date but ``publish_from`` is ``None``.
    """

    published: bool
    publish_from: dt.date
    min_until: dt.date | None
    max_until: dt.date | None
    repairable_from: dt.date | None
    visible_until: dt.date | None
    legal_basis: str


@dataclass(frozen=True, slots=True)
class Escalation:
    """An abnormal-operations entry still listed after the escalation period (条例 第十七条)."""

    listed_from: dt.date
    until: dt.date
    legal_basis: str


def _span(months: int) -> str:
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


def _earliest(*days: dt.date | None) -> dt.date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def _rule(
    record: CreditRecord, policy: PublicityPolicy
) -> tuple[int | None, int | None, dt.date | None, str]:
    """(min months, max months, an earlier end from the facts, legal basis) for one regime."""
    kind = record.kind
    if kind is RecordKind.ADMIN_PENALTY:
        severity = record.severity or Severity.GENERAL
        if severity is Severity.MINOR:
            limit = policy.admin_minor_max_months
            return None, limit, None, f"{_NDRC}：轻微失信信息公示期最长{_span(limit)}"
        if severity is Severity.SERIOUS:
            lo, hi, label = policy.admin_serious_min_months, policy.admin_serious_max_months, "严重"
        else:
            lo, hi, label = policy.admin_general_min_months, policy.admin_general_max_months, "一般"
        basis = f"{_NDRC}：{label}失信信息公示期最短{_span(lo)}、最长{_span(hi)}"
        return lo, hi, None, basis
    if kind is RecordKind.MARKET_PENALTY:
        if record.minor_sanction:
            hi = policy.market_minor_months
            basis = f"{_SAMR}：仅受到通报批评或者较低数额罚款的，公示{_span(hi)}（第十三条）"
            return None, hi, None, basis
        lo, hi = policy.market_repairable_after_months, policy.market_other_months
        basis = (
            f"{_SAMR}：其他行政处罚信息公示{_span(hi)}（第十三条），"
            f"达到规定时限（{_span(lo)}）后可申请提前停止公示（第十四条）"
        )
        return lo, hi, None, basis
    if kind is RecordKind.JUDGMENT_DEFAULTER:
        removal = policy.working_calendar().add_working_days
        performed = record.ended_on
        deadline = removal(performed, policy.defaulter_removal_working_days) if performed else None
        days = policy.defaulter_removal_working_days
        tail = f"；第十条：已履行生效法律文书确定的义务的，{days}个工作日内删除"
        ground = record.defaulter_ground
        if ground is not None and 2 <= ground <= 6:
            extra = max(0, min(record.aggravated_years, policy.defaulter_max_aggravated_years))
            years = policy.defaulter_years + extra
            basis = f"{_SPC}第二条：因第一条第{ground}项情形纳入的，期限{policy.defaulter_years}年"
            if extra:
                basis += f"，情节严重延长{extra}年"
            return None, 12 * years, deadline, basis + tail
        # ground 1, or a ground the court did not state: no fixed term, listed until performed
        if ground == 1:
            basis = f"{_SPC}第一条第一项：有履行能力而拒不履行的，无固定期限"
        else:
            basis = f"{_SPC}：未载明纳入情形的，按无固定期限处理"
        return None, None, deadline, basis + tail
    if kind is RecordKind.ABNORMAL_OPERATION:
        years = policy.abnormal_escalation_years
        basis = (
            f"{_DISCLOSURE}：履行公示义务后移出经营异常名录；满{years}年仍未履行的，"
            f"列入严重违法失信名单{policy.escalated_serious_violation_years}年"
        )
        return None, None, record.ended_on, basis
    if kind is RecordKind.SERIOUS_VIOLATION:
        lo, hi = 12 * policy.serious_violation_min_years, 12 * policy.serious_violation_years
        basis = f"{_SERIOUS_LIST}：列入满{_span(hi)}移出，满{_span(lo)}可申请提前移出"
        return lo, hi, record.ended_on, basis
    if kind is RecordKind.SERIOUS_DISHONESTY:
        name = record.list_name or "严重失信主体名单"
        if policy.serious_dishonesty_until_removed:
            return None, None, record.ended_on, f"{name}：至列入部门移出名单时止"
        hi = 12 * policy.serious_dishonesty_years
        return None, hi, record.ended_on, f"{name}：列入期限{_span(hi)}"
    if kind is RecordKind.CONSUMPTION_RESTRICTION:
        basis = f"{_CONSUME}：至人民法院解除限制消费令时止"
        return None, None, record.ended_on, basis
    texts = {
        RecordKind.PERMIT: "行政许可信息在许可有效期内公示",
        RecordKind.RED_LIST: "守信激励名单在列入期间公示",
        RecordKind.COMMITMENT: "信用承诺在承诺有效期内公示",
        RecordKind.EVALUATION: "信用评价结果在有效期内公示",
    }
    return None, None, record.ended_on, texts[kind]


def publicity_window(record: CreditRecord, policy: PublicityPolicy) -> PublicityWindow:
    """The record's publicity window under ``policy``."""
    start = record.publish_from or record.decided_on
    minor = record.kind is RecordKind.ADMIN_PENALTY and record.severity is Severity.MINOR
    if minor and not policy.admin_minor_published:
        return PublicityWindow(
            False, start, None, None, None, None, f"{_NDRC}：轻微失信信息原则上不予公示"
        )
    lo, hi, ends, basis = _rule(record, policy)
    min_until = add_months(start, lo) if lo is not None else None
    max_until = add_months(start, hi) if hi is not None else None
    repairable = min_until + dt.timedelta(days=1) if min_until is not None else None
    repaired = record.repaired_on if record.repair_status is RepairStatus.REPAIRED else None
    visible_until = _earliest(
        max_until,
        ends,
        record.declared_publicity_until,
        repaired - dt.timedelta(days=1) if repaired else None,
    )
    return PublicityWindow(True, start, min_until, max_until, repairable, visible_until, basis)


def escalation(record: CreditRecord, policy: PublicityPolicy) -> Escalation | None:
    """The serious-violation listing an abnormal-operations entry escalated to, if it did."""
    if record.kind is not RecordKind.ABNORMAL_OPERATION:
        return None
    start = record.publish_from or record.decided_on
    listed_from = add_years(start, policy.abnormal_escalation_years) + dt.timedelta(days=1)
    if record.ended_on is not None and record.ended_on < listed_from:
        return None
    years = policy.escalated_serious_violation_years
    basis = (
        f"{_DISCLOSURE}：列入经营异常名录满{policy.abnormal_escalation_years}年仍未履行公示义务，"
        f"列入严重违法失信名单{years}年"
    )
    return Escalation(listed_from, add_years(listed_from, years), basis)


def _repaired_by(record: CreditRecord, day: dt.date) -> bool:
    repaired = record.repaired_on
    return (
        record.repair_status is RepairStatus.REPAIRED and repaired is not None and day >= repaired
    )


def _within(day: dt.date, start: dt.date, until: dt.date | None) -> bool:
    return start <= day and (until is None or day <= until)


def visible_to_public(record: CreditRecord, day: dt.date, policy: PublicityPolicy) -> bool:
    """Whether the public may see ``record`` on ``day``."""
    if _repaired_by(record, day):
        return False
    window = publicity_window(record, policy)
    if window.published and _within(day, window.publish_from, window.visible_until):
        return True
    escalated = escalation(record, policy)
    return escalated is not None and escalated.listed_from <= day <= escalated.until


def bank_sharing_until(record: CreditRecord, policy: PublicityPolicy) -> dt.date | None:
    """Last day a negative record may be shared as credit information (征信业管理条例 第十六条).

    The conduct ends when the entry ends (``ended_on``); a penalty without one ended with its
    decision.  ``None``: the conduct goes on, so sharing does too.  Positive records: their
    ``visible_until``.
    """
    if record.kind in POSITIVE_KINDS:
        return publicity_window(record, policy).visible_until
    conduct_end = record.ended_on
    if conduct_end is None and record.kind not in LISTING_KINDS:
        conduct_end = record.decided_on
    return add_years(conduct_end, policy.bank_sharing_years) if conduct_end else None


def shareable_with_bank(record: CreditRecord, day: dt.date, policy: PublicityPolicy) -> bool:
    """Whether ``record`` may be shared with a bank on ``day``: public, or within 5 years."""
    if _repaired_by(record, day):
        return False
    if visible_to_public(record, day, policy):
        return True
    window = publicity_window(record, policy)
    if not window.published:
        return False  # a record the rule keeps private is not credit information to pass on
    return _within(day, window.publish_from, bank_sharing_until(record, policy))


def repairable_from(record: CreditRecord, policy: PublicityPolicy) -> dt.date | None:
    """First day a repair may be applied for; ``None`` when the regime has no repair route.

    Entries removed on performance (judgment defaulters, abnormal operations, consumption
    restrictions) have none: performing the obligation is the way out.  Already repaired: None.
    """
    if record.repair_status is RepairStatus.REPAIRED:
        return None
    return publicity_window(record, policy).repairable_from


def active_listings(
    record: CreditRecord, day: dt.date, policy: PublicityPolicy
) -> frozenset[RecordKind]:
    """The lists ``record`` keeps its subject on, on ``day``.

    Its own kind while a listing kind is visible, and ``SERIOUS_VIOLATION`` while an
    abnormal-operations entry is escalated.
    """
    if _repaired_by(record, day):
        return frozenset()
    kinds: set[RecordKind] = set()
    window = publicity_window(record, policy)
    if record.kind in LISTING_KINDS and _within(day, window.publish_from, window.visible_until):
        kinds.add(record.kind)
    escalated = escalation(record, policy)
    if escalated is not None and escalated.listed_from <= day <= escalated.until:
        kinds.add(RecordKind.SERIOUS_VIOLATION)
    return frozenset(kinds)
