"""Deadlines on the project's one calendar, on both sides of holidays and 调休 working days."""

from __future__ import annotations

import datetime as dt

import pytest

from credit.calendar import STATUTORY, WorkingCalendar
from credit.policy import PublicityPolicy
from credit.records import Source
from credit.rights import (
    CaseKind,
    CaseState,
    CaseStatus,
    Deadline,
    ObjectionRule,
    RepairRule,
    RightsDesk,
    RightsPolicy,
    case_deadline,
    correction_due,
    decided_in_time,
    overdue,
)

POLICY = RightsPolicy()
D = dt.date
# The rules the bureaus' desks declare (connectors.court, .market, .national; tax re-evaluation).
DESKS = {
    Source.COURT: RightsDesk(objection=ObjectionRule.COURT_LIST),
    Source.MARKET: RightsDesk(repair=RepairRule.SAMR),
    Source.NATIONAL: RightsDesk(),
    Source.TAX: RightsDesk(objection=ObjectionRule.TAX_REEVALUATION),
}


def deadline(kind: CaseKind, source: Source, filed: dt.date, calendar: WorkingCalendar = STATUTORY,
             policy: RightsPolicy = POLICY) -> Deadline:  # fmt: skip
    return case_deadline(kind, source, DESKS[source], filed, calendar, policy)


@pytest.mark.parametrize(
    ("kind", "source", "filed", "due"),
    [
        # 2025 National Day: 10-01..08 off, Sunday 09-28 and Saturday 10-11 worked.
        (CaseKind.REPAIR, Source.MARKET, D(2025, 9, 26), D(2025, 10, 13)),  # 09-28 counts
        (CaseKind.REPAIR, Source.MARKET, D(2025, 9, 19), D(2025, 9, 29)),  # before: 09-28 counts
        (CaseKind.REPAIR, Source.MARKET, D(2025, 10, 9), D(2025, 10, 17)),  # after: 10-11 counts
        (CaseKind.REPAIR, Source.COURT, D(2025, 9, 26), D(2025, 10, 16)),  # 10 working days
        (CaseKind.OBJECTION, Source.TAX, D(2025, 9, 26), D(2025, 10, 23)),  # 15 working days
        (CaseKind.OBJECTION, Source.MARKET, D(2025, 12, 19), D(2026, 1, 12)),  # New Year 01-01
        # Court: 15 calendar days; ending on 2025-10-04 (holiday) → next working day 10-09.
        (CaseKind.OBJECTION, Source.COURT, D(2025, 9, 19), D(2025, 10, 9)),
        (CaseKind.OBJECTION, Source.COURT, D(2025, 9, 10), D(2025, 9, 25)),  # plain weekday
        (CaseKind.OBJECTION, Source.COURT, D(2025, 9, 13), D(2025, 9, 28)),  # a 调休 Sunday
    ],
)
def test_deadlines_count_the_statutory_calendar(
    kind: CaseKind, source: Source, filed: dt.date, due: dt.date
) -> None:
    assert deadline(kind, source, filed).due_on == due


def test_the_gateway_calendar_is_the_one_publicity_uses() -> None:
    # An operator's added holiday moves a rights deadline too: there is one calendar.
    extra = PublicityPolicy(holidays=(D(2031, 3, 3),)).working_calendar()
    plain = PublicityPolicy().working_calendar()
    filed = D(2031, 2, 28)  # a Friday, in a year the data does not cover
    assert deadline(CaseKind.REPAIR, Source.MARKET, filed, plain).due_on == D(2031, 3, 11)
    assert deadline(CaseKind.REPAIR, Source.MARKET, filed, extra).due_on == D(2031, 3, 12)


def test_each_deadline_cites_its_rule() -> None:
    court = deadline(CaseKind.OBJECTION, Source.COURT, D(2026, 3, 2))
    assert "第十二条" in court.basis
    assert "3个工作日内纠正" in court.basis
    repair = deadline(CaseKind.REPAIR, Source.NATIONAL, D(2026, 3, 2))
    assert "国办发〔2025〕22号" in repair.basis


def test_court_corrections_are_due_three_working_days_after_the_decision() -> None:
    court, market = DESKS[Source.COURT], DESKS[Source.MARKET]
    assert correction_due(court, D(2025, 9, 30), STATUTORY, POLICY) == D(2025, 10, 11)
    assert correction_due(market, D(2025, 9, 30), STATUTORY, POLICY) is None


def test_overdue_and_in_time() -> None:
    filed = dt.datetime(2025, 9, 26, 2, tzinfo=dt.UTC)
    due = deadline(CaseKind.REPAIR, Source.MARKET, filed.date())
    open_case = CaseState(CaseKind.REPAIR, CaseStatus.OPEN, filed, 1)
    assert not overdue(open_case, due, D(2025, 10, 13))
    assert overdue(open_case, due, D(2025, 10, 14))
    cst = dt.timezone(dt.timedelta(hours=8))
    on_time = CaseState(CaseKind.REPAIR, CaseStatus.ACCEPTED, filed, 2,
                        decided_at=dt.datetime(2025, 10, 13, 15, 59, tzinfo=dt.UTC))  # fmt: skip
    late = CaseState(
        CaseKind.REPAIR,
        CaseStatus.ACCEPTED,
        filed,
        2,
        decided_at=dt.datetime(2025, 10, 13, 16, 1, tzinfo=dt.UTC),
    )  # 00:01 CST
    assert decided_in_time(on_time, due, cst) is True
    assert decided_in_time(late, due, cst) is False
    assert not overdue(late, due, D(2025, 12, 1))  # decided: no longer overdue
    assert decided_in_time(open_case, due, cst) is None


def test_a_bureau_without_a_statutory_deadline_has_its_own_setting() -> None:
    # DOMAIN.md §4 [U]: no statutory deadline for other public credit information — a setting
    # per bureau (default 15 working days); "realestate" stands for any such bureau.
    general = RightsDesk()
    policy = RightsPolicy(objection_working_days_by_source={"realestate": 20})
    filed = D(2026, 3, 2)  # a Monday, no holidays ahead
    own = case_deadline(CaseKind.OBJECTION, "realestate", general, filed, STATUTORY, policy)
    default = case_deadline(CaseKind.OBJECTION, "ip", general, filed, STATUTORY, policy)
    assert (own.due_on, default.due_on) == (D(2026, 3, 30), D(2026, 3, 23))
    assert own.basis == "未见法定时限，按本平台配置：20个工作日内处理"
    with pytest.raises(ValueError, match="objection_working_days_by_source"):
        RightsPolicy(objection_working_days_by_source={"customs": 0})


@pytest.mark.parametrize(
    ("filed", "due"),
    [
        (D(2026, 3, 2), D(2026, 3, 23)),  # calendar days; Sunday 03-22 → Monday (民法典 203)
        (D(2025, 9, 15), D(2025, 10, 9)),  # 10-05, in the National Day break → 10-09
        (D(2025, 9, 18), D(2025, 10, 9)),  # 10-08, its last day off → 10-09
    ],
)
def test_customs_review_objections_within_twenty_days(filed: dt.date, due: dt.date) -> None:
    customs = RightsDesk(objection=ObjectionRule.CUSTOMS_REVIEW)
    found = case_deadline(CaseKind.OBJECTION, "customs", customs, filed, STATUTORY, POLICY)
    assert found.due_on == due
    assert found.basis == "《海关注册登记和备案企业信用管理办法》：收到异议申请之日起20日内复核"
    longer = RightsPolicy(customs_review_days=30)
    assert (
        case_deadline(CaseKind.OBJECTION, "customs", customs, filed, STATUTORY, longer).due_on
        > found.due_on
    )
