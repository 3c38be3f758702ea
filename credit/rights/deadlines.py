"""When a case must be decided, and whether it was: deadlines in working days.

One rule per case kind and the bureau's :class:`~credit.rights.desks.RightsDesk`, citing its
source (the periods are :class:`~credit.rights.policy.RightsPolicy` settings): working-day
periods count on the project's one calendar (statutory holidays and 调休 working days); the
court's 15-day and customs' 20-day reviews count calendar days, and a period whose last day is
a holiday ends on the next working day (民法典 第二百零三条).  The day of filing is not counted
(民法典 第二百零一条).

    >>> from credit.calendar import STATUTORY
    >>> market = RightsDesk(repair=RepairRule.SAMR)
    >>> d = case_deadline(CaseKind.REPAIR, "market", market, dt.date(2025, 9, 26), STATUTORY,
    ...                   RightsPolicy())
    >>> d.due_on  # 10-01..08 off; Sunday 09-28 and Saturday 10-11 worked (调休)
    datetime.date(2025, 10, 13)
    >>> d.basis.endswith("7个工作日内办结")
    True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from credit.calendar import WorkingCalendar
from credit.rights.cases import CaseKind, CaseState, CaseStatus
from credit.rights.desks import ObjectionRule, RepairRule, RightsDesk
from credit.rights.policy import RightsPolicy

__all__ = ["Deadline", "case_deadline", "correction_due", "decided_in_time", "overdue"]

_SPC = "《最高人民法院关于公布失信被执行人名单信息的若干规定》第十二条"
_TAX = "《纳税信用评价复评规则》"
_STATE_COUNCIL = "《关于进一步完善信用修复制度的实施方案》（国办发〔2025〕22号）"
_SAMR = "《市场监督管理信用修复管理办法》（市场监管总局令第107号）"
_CUSTOMS = "《海关注册登记和备案企业信用管理办法》"
_UNKNOWN = "未见法定时限，按本平台配置"


@dataclass(frozen=True, slots=True)
class Deadline:
    due_on: dt.date  # the last day a decision is in time (inclusive)
    basis: str


def _calendar_days(start: dt.date, days: int, calendar: WorkingCalendar) -> dt.date:
    due = start + dt.timedelta(days=days)
    while not calendar.is_working_day(due):  # 民法典 第二百零三条
        due += dt.timedelta(days=1)
    return due


def case_deadline(
    kind: CaseKind,
    source: str,
    desk: RightsDesk,
    filed_on: dt.date,
    calendar: WorkingCalendar,
    policy: RightsPolicy,
) -> Deadline:
    """The deadline of a case of ``kind`` about a record of ``source`` (deciding at ``desk``)
    filed on ``filed_on``."""
    wd = calendar.add_working_days
    if kind is CaseKind.REPAIR:
        if desk.repair is RepairRule.SAMR:
            n = policy.market_repair_working_days
            return Deadline(wd(filed_on, n), f"{_SAMR}：{n}个工作日内办结")
        n = policy.repair_answer_working_days
        return Deadline(wd(filed_on, n), f"{_STATE_COUNCIL}：{n}个工作日内答复申请人")
    if desk.objection is ObjectionRule.COURT_LIST:
        n = policy.court_review_days
        return Deadline(
            _calendar_days(filed_on, n, calendar),
            f"{_SPC}：收到纠正申请之日起{n}日内审查"
            f"（理由成立的，{policy.court_correction_working_days}个工作日内纠正）",
        )
    if desk.objection is ObjectionRule.TAX_REEVALUATION:
        n = policy.tax_reevaluation_working_days
        return Deadline(wd(filed_on, n), f"{_TAX}：{n}个工作日内完成复评")
    if desk.objection is ObjectionRule.CUSTOMS_REVIEW:
        n = policy.customs_review_days
        return Deadline(
            _calendar_days(filed_on, n, calendar), f"{_CUSTOMS}：收到异议申请之日起{n}日内复核"
        )
    n = policy.objection_days(source)
    return Deadline(wd(filed_on, n), f"{_UNKNOWN}：{n}个工作日内处理")


def correction_due(
    desk: RightsDesk, decided_on: dt.date, calendar: WorkingCalendar, policy: RightsPolicy
) -> dt.date | None:
    """The court corrects an upheld entry within 3 working days of the decision; ``None``
    where no separate correction period applies (the correction is part of the decision)."""
    if not desk.corrects_separately:
        return None
    return calendar.add_working_days(decided_on, policy.court_correction_working_days)


def overdue(state: CaseState, deadline: Deadline, today: dt.date) -> bool:
    """Still open after its last day."""
    return state.status is CaseStatus.OPEN and today > deadline.due_on


def decided_in_time(state: CaseState, deadline: Deadline, tz: dt.tzinfo) -> bool | None:
    """Whether a decided case was decided by its last day (in ``tz``'s calendar); ``None``
    while open or when withdrawn."""
    if state.decided_at is None:
        return None
    return state.decided_at.astimezone(tz).date() <= deadline.due_on
