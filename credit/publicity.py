"""How long a record is shown to the public and shared with banks (DOMAIN.md §2).

Every period lives in one object, :class:`PublicityPolicy` (the gateway's settings embed it);
penalties are judged by the dated regime in force on their decision date (:mod:`credit.regimes`),
and the windows are derived from a record's facts by :func:`publicity_window`.  Conventions:

* every ``*_until`` date is the **last** day of the period, inclusive; a period of N months from
  its anchor (the decision or the publication, as the regime says) ends on
  ``add_months(anchor, N)`` (民法典 第二百零一、二百零二条);
* ``CreditRecord.ended_on`` is the last day an entry is in force (a permit's valid-to, the day a
  listing was removed or the obligation performed); a judgment defaulter listed on ground 1
  stays listed until the court's deletion deadline, 3 working days after performance; one listed
  on grounds 2-6 until 3 working days after its term, performed or not (最高法2017年规定 第十条
  第二款), unless the court reports an earlier deletion (``deleted_on``);
* a repair (``repair_status == REPAIRED``) ends visibility and bank sharing from ``repaired_on``;
* a bureau's printed end (``declared_publicity_until``) can shorten a window, never lengthen it;
* an abnormal-operations entry still listed after 3 years is *due* to be listed as a serious
  violation (:func:`escalation`); only the market bureau's decision, reported as its own
  ``SERIOUS_VIOLATION`` record, puts the firm on that list.

"Visible to the public" and "shareable with banks" are two answers with one window today:
sharing stops at the maximum period or on repair, like publicity (《信用修复管理办法》第三条
[V]: a repair ends publicity *and* sharing; no basis was found for sharing longer).

    >>> from credit.records import Source
    >>> penalty = CreditRecord(id="P1", kind=RecordKind.ADMIN_PENALTY, source=Source.NATIONAL,
    ...     subject_code="91640104MA0K3P7W64", title="超标排放", decided_on=dt.date(2026, 4, 1),
    ...     publish_from=dt.date(2026, 4, 8))
    >>> window = publicity_window(penalty, PublicityPolicy())
    >>> window.min_until, window.repairable_from, window.max_until
    (datetime.date(2026, 7, 1), datetime.date(2026, 7, 2), datetime.date(2027, 4, 1))
    >>> window.legal_basis
    '《信用修复管理办法》（国家发展改革委令第36号）：一般失信信息公示期最短3个月、最长1年，自决定之日起计算'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from credit.calendar import add_months, add_years
from credit.periods import DISCLOSURE, never_published, rule_for
from credit.policy import PublicityPolicy
from credit.records import CreditRecord, RecordKind, RepairStatus
from credit.regimes import Regime

__all__ = [
    "LISTING_KINDS",
    "Escalation",
    "PublicityPolicy",
    "PublicityWindow",
    "active_listings",
    "bank_sharing_until",
    "escalation",
    "escalation_due",
    "escalation_reported",
    "never_published",
    "publicity_window",
    "repairable_from",
    "shareable_with_bank",
    "visible_to_public",
]

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


@dataclass(frozen=True, slots=True)
class PublicityWindow:
    """When a record is public, and why.  All dates inclusive; ``None`` means open-ended.

    ``max_until`` is the end the rule allows; ``visible_until`` is the actual last public day
    after performance, deletion, the bureau's printed end and repair.  When ``published`` is
    false (a penalty the rule keeps private) every date but ``publish_from`` is ``None``.
    ``repairable_from`` is ``None`` when repair cannot end the record early (``repairable``
    false: never repairable, or removed on performance instead); ``regime`` is the dated
    regime that judged a penalty.
    """

    published: bool
    publish_from: dt.date
    min_until: dt.date | None
    max_until: dt.date | None
    repairable_from: dt.date | None
    visible_until: dt.date | None
    legal_basis: str
    repairable: bool = True
    regime: Regime | None = None


@dataclass(frozen=True, slots=True)
class Escalation:
    """An abnormal-operations entry still listed after the escalation period (条例 第十七条):
    due to be listed as a serious violation from ``due_on`` (将被列入) until the market bureau
    reports its decision as a ``SERIOUS_VIOLATION`` record (see :func:`escalation_reported`)."""

    due_on: dt.date
    legal_basis: str


def _earliest(*days: dt.date | None) -> dt.date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def publicity_window(record: CreditRecord, policy: PublicityPolicy) -> PublicityWindow:
    """The record's publicity window under ``policy`` (and the regime of its decision date)."""
    start = record.publish_from or record.decided_on
    rule = rule_for(record, policy)
    if not rule.published:
        return PublicityWindow(False, start, None, None, None, None, rule.basis, False, rule.regime)
    lo, hi = rule.min_months, rule.max_months
    min_until = add_months(rule.anchor, lo) if lo is not None else None
    max_until = add_months(rule.anchor, hi) if hi is not None else None
    repairable = None
    if rule.repairable and min_until is not None:
        repairable = min_until + dt.timedelta(days=1)
    repaired = record.repaired_on if record.repair_status is RepairStatus.REPAIRED else None
    visible_until = _earliest(
        rule.ends if rule.ends is not None else max_until,
        record.declared_publicity_until,
        repaired - dt.timedelta(days=1) if repaired else None,
        record.deleted_on - dt.timedelta(days=1) if record.deleted_on else None,
    )
    return PublicityWindow(
        True, start, min_until, max_until, repairable, visible_until, rule.basis,
        rule.repairable, rule.regime,
    )  # fmt: skip


def escalation(record: CreditRecord, policy: PublicityPolicy) -> Escalation | None:
    """The serious-violation listing an abnormal-operations entry is due for, if it is."""
    if record.kind is not RecordKind.ABNORMAL_OPERATION:
        return None
    start = record.publish_from or record.decided_on
    due_on = add_years(start, policy.abnormal_escalation_years) + dt.timedelta(days=1)
    if record.ended_on is not None and record.ended_on < due_on:
        return None
    years = policy.escalated_serious_violation_years
    basis = (
        f"{DISCLOSURE}：列入经营异常名录满{policy.abnormal_escalation_years}年仍未履行公示义务的，"
        f"由省级市场监督管理部门列入严重违法失信名单（{years}年）"
    )
    return Escalation(due_on, basis)


def escalation_due(
    record: CreditRecord, day: dt.date, policy: PublicityPolicy, reported: bool
) -> Escalation | None:
    """The escalation shown as 将被列入 on ``day``: due, still listed, not yet reported."""
    escalated = escalation(record, policy)
    if escalated is None or reported or day < escalated.due_on or _repaired_by(record, day):
        return None
    if record.ended_on is not None and record.ended_on < day:
        return None
    return escalated


def escalation_reported(records: Iterable[CreditRecord], day: dt.date) -> bool:
    """Whether the market bureau has reported a serious-violation listing escalated from the
    abnormal list that is in force on ``day`` (it supersedes the 将被列入 notice)."""
    return any(
        r.kind is RecordKind.SERIOUS_VIOLATION
        and r.escalated_from_abnormal
        and (r.publish_from or r.decided_on) <= day
        for r in records
    )


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
    return window.published and _within(day, window.publish_from, window.visible_until)


def bank_sharing_until(record: CreditRecord, policy: PublicityPolicy) -> dt.date | None:
    """Last day ``record`` may be shared with banks: its last public day.

    Sharing stops at the maximum period or on repair (国家发展改革委令第36号 第三条: a repair
    stops publicity and sharing; DOMAIN.md §2: 征信业管理条例 第十六条 covers credit-reporting
    agencies' data on individuals, not public credit information, so no longer period applies).
    ``None``: open-ended (a listing not yet removed).
    """
    return publicity_window(record, policy).visible_until


def shareable_with_bank(record: CreditRecord, day: dt.date, policy: PublicityPolicy) -> bool:
    """Whether ``record`` may be shared with a bank on ``day``: while it is public (see
    :func:`bank_sharing_until`); a record never published is never shared."""
    return visible_to_public(record, day, policy)


def repairable_from(record: CreditRecord, policy: PublicityPolicy) -> dt.date | None:
    """First day a repair may be applied for; ``None`` when the regime has no repair route.

    Entries removed on performance (judgment defaulters, abnormal operations, consumption
    restrictions) have none: performing the obligation is the way out; market penalties with a
    sanction of ``unrepairable_sanctions`` have none at all.  Already repaired: None.
    """
    if record.repair_status is RepairStatus.REPAIRED:
        return None
    return publicity_window(record, policy).repairable_from


def active_listings(
    record: CreditRecord, day: dt.date, policy: PublicityPolicy
) -> frozenset[RecordKind]:
    """The lists ``record`` keeps its subject on, on ``day``: its own kind while a listing kind
    is visible.  An escalation merely due (:func:`escalation_due`) is no listing."""
    if record.kind in LISTING_KINDS and visible_to_public(record, day, policy):
        return frozenset({record.kind})
    return frozenset()
