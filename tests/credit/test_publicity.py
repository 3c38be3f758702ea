"""Publicity and bank-sharing windows, regime by regime: the day before and after each limit."""

from __future__ import annotations

import datetime as dt

import pydantic
import pytest

from credit.publicity import (
    PublicityPolicy,
    active_listings,
    bank_sharing_until,
    escalation,
    publicity_window,
    repairable_from,
    shareable_with_bank,
    visible_to_public,
)
from credit.records import CreditRecord, RecordKind, RepairStatus, Severity
from tests.credit.factories import rec

D = dt.date
ONE = dt.timedelta(days=1)
POLICY = PublicityPolicy()
K = RecordKind


def visible(record: CreditRecord, day: dt.date, policy: PublicityPolicy = POLICY) -> bool:
    return visible_to_public(record, day, policy)


def shown_through(record: CreditRecord, last: dt.date, policy: PublicityPolicy = POLICY) -> None:
    """Visible on ``last`` and not the day after."""
    assert visible(record, last, policy)
    assert not visible(record, last + ONE, policy)


# --- administrative penalties (国家发展改革委令第36号) ---------------------------------------


def test_general_penalty_min_3_months_max_1_year() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15), severity=Severity.GENERAL)
    window = publicity_window(penalty, POLICY)
    assert window.min_until == D(2025, 4, 15)
    assert window.max_until == window.visible_until == D(2026, 1, 15)
    assert window.repairable_from == repairable_from(penalty, POLICY) == D(2025, 4, 16)
    assert window.legal_basis == (
        "《信用修复管理办法》（国家发展改革委令第36号）：一般失信信息公示期最短3个月、最长1年"
    )
    assert not visible(penalty, D(2025, 1, 14))
    assert visible(penalty, D(2025, 1, 15))
    # the minimum does not end publicity: it opens the repair route
    assert visible(penalty, D(2025, 4, 15))
    assert visible(penalty, D(2025, 4, 16))
    shown_through(penalty, D(2026, 1, 15))


def test_penalty_without_severity_is_general() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15))
    assert publicity_window(penalty, POLICY).max_until == D(2026, 1, 15)


def test_serious_penalty_min_1_year_max_3_years() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2024, 2, 29), severity=Severity.SERIOUS)
    window = publicity_window(penalty, POLICY)
    assert window.min_until == D(2025, 2, 28)
    assert repairable_from(penalty, POLICY) == D(2025, 3, 1)
    assert window.max_until == D(2027, 2, 28)
    assert "严重失信信息公示期最短1年、最长3年" in window.legal_basis
    shown_through(penalty, D(2027, 2, 28))


def test_publish_from_counts_rather_than_the_decision() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 10), publish_from=D(2025, 1, 15))
    assert not visible(penalty, D(2025, 1, 14))
    shown_through(penalty, D(2026, 1, 15))


def test_minor_penalty_is_not_published() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15), severity=Severity.MINOR)
    window = publicity_window(penalty, POLICY)
    assert not window.published
    assert window.max_until is None
    assert window.repairable_from is None
    assert "不予公示" in window.legal_basis
    for day in (D(2025, 1, 15), D(2025, 2, 1), D(2026, 1, 1)):
        assert not visible(penalty, day)
        assert not shareable_with_bank(penalty, day, POLICY)


def test_minor_penalty_at_most_3_months_where_published() -> None:
    policy = PublicityPolicy(admin_minor_published=True)
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15), severity=Severity.MINOR)
    assert publicity_window(penalty, policy).repairable_from is None
    shown_through(penalty, D(2025, 4, 15), policy)


def test_declared_end_shortens_but_never_lengthens() -> None:
    shorter = rec(K.ADMIN_PENALTY, D(2025, 1, 15), declared_publicity_until=D(2025, 10, 1))
    shown_through(shorter, D(2025, 10, 1))
    longer = rec(K.ADMIN_PENALTY, D(2025, 1, 15), declared_publicity_until=D(2027, 1, 1))
    shown_through(longer, D(2026, 1, 15))


def test_periods_come_from_the_policy() -> None:
    policy = PublicityPolicy(admin_general_max_months=6)
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15))
    window = publicity_window(penalty, policy)
    assert window.max_until == D(2025, 7, 15)
    assert "最长6个月" in window.legal_basis


# --- market-regulation penalties (市场监管总局令第45号 第十三条) ------------------------------


def test_market_warning_or_small_fine_3_months() -> None:
    penalty = rec(K.MARKET_PENALTY, D(2025, 5, 31), minor_sanction=True)
    assert repairable_from(penalty, POLICY) is None  # it ends by itself
    assert publicity_window(penalty, POLICY).legal_basis == (
        "《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）："
        "仅受到通报批评或者较低数额罚款的，公示3个月（第十三条）"
    )
    shown_through(penalty, D(2025, 8, 31))


def test_other_market_penalty_3_years_repairable_after_1() -> None:
    penalty = rec(K.MARKET_PENALTY, D(2025, 5, 31))
    assert repairable_from(penalty, POLICY) == D(2026, 6, 1)
    basis = publicity_window(penalty, POLICY).legal_basis
    assert "其他行政处罚信息公示3年（第十三条）" in basis
    assert basis.endswith("达到规定时限（1年）后可申请提前停止公示（第十四条）")
    shown_through(penalty, D(2028, 5, 31))


# --- 失信被执行人 (最高法2017年规定) ---------------------------------------------------------


def test_defaulter_grounds_2_to_6_two_years() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2024, 3, 1), defaulter_ground=3)
    window = publicity_window(entry, POLICY)
    assert window.repairable_from is None
    assert "第二条" in window.legal_basis
    assert "期限2年" in window.legal_basis
    shown_through(entry, D(2026, 3, 1))
    assert active_listings(entry, D(2026, 3, 1), POLICY) == {K.JUDGMENT_DEFAULTER}
    assert active_listings(entry, D(2026, 3, 2), POLICY) == frozenset()


def test_defaulter_aggravated_adds_years_up_to_the_cap() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2024, 3, 1), defaulter_ground=2, aggravated_years=1)
    assert "延长1年" in publicity_window(entry, POLICY).legal_basis
    shown_through(entry, D(2027, 3, 1))
    capped = rec(K.JUDGMENT_DEFAULTER, D(2024, 3, 1), defaulter_ground=2, aggravated_years=9)
    shown_through(capped, D(2029, 3, 1))


def test_defaulter_ground_1_until_performed() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2020, 3, 1), defaulter_ground=1)
    window = publicity_window(entry, POLICY)
    assert window.max_until is None
    assert window.visible_until is None
    assert visible(entry, D(2035, 1, 1))
    assert "第一条第一项：有履行能力而拒不履行的，无固定期限" in window.legal_basis


def test_defaulter_without_a_ground_is_not_cited_as_ground_1() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2020, 3, 1))
    basis = publicity_window(entry, POLICY).legal_basis
    assert "未载明纳入情形的，按无固定期限处理" in basis
    assert "第一条第一项" not in basis


def test_defaulter_removed_within_3_working_days_after_performance() -> None:
    # performed on Friday 2026-01-02: Mon 5, Tue 6, Wed 7 are the 3 working days
    entry = rec(K.JUDGMENT_DEFAULTER, D(2020, 3, 1), defaulter_ground=1, ended_on=D(2026, 1, 2))
    assert "3个工作日内删除" in publicity_window(entry, POLICY).legal_basis
    shown_through(entry, D(2026, 1, 7))


def test_defaulter_removal_follows_the_holiday_calendar() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2020, 3, 1), defaulter_ground=1, ended_on=D(2026, 1, 2))
    holiday = PublicityPolicy(holidays=(D(2026, 1, 5),))
    shown_through(entry, D(2026, 1, 8), holiday)
    make_up = PublicityPolicy(makeup_workdays=(D(2026, 1, 3),))
    shown_through(entry, D(2026, 1, 6), make_up)


def test_defaulter_performance_ends_a_fixed_period_early() -> None:
    entry = rec(
        K.JUDGMENT_DEFAULTER, D(2024, 3, 1), defaulter_ground=4, ended_on=D(2025, 6, 2)
    )  # a Monday: removed by Thursday
    shown_through(entry, D(2025, 6, 5))


# --- 经营异常名录 and its escalation (企业信息公示暂行条例 第十七条) -------------------------


def test_abnormal_listing_until_performed() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2025, 2, 10), ended_on=D(2025, 9, 1))
    assert escalation(entry, POLICY) is None
    assert repairable_from(entry, POLICY) is None
    shown_through(entry, D(2025, 9, 1))


def test_abnormal_listing_escalates_after_3_years_for_5_years() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30))
    escalated = escalation(entry, POLICY)
    assert escalated is not None
    assert escalated.listed_from == D(2025, 7, 1)
    assert escalated.until == D(2030, 7, 1)
    assert "第十七条" in escalated.legal_basis
    assert active_listings(entry, D(2025, 6, 30), POLICY) == {K.ABNORMAL_OPERATION}
    assert active_listings(entry, D(2025, 7, 1), POLICY) == {
        K.ABNORMAL_OPERATION,
        K.SERIOUS_VIOLATION,
    }


def test_escalated_listing_outlives_late_performance() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30), ended_on=D(2026, 1, 1))
    assert active_listings(entry, D(2026, 1, 2), POLICY) == {K.SERIOUS_VIOLATION}
    shown_through(entry, D(2030, 7, 1))
    assert active_listings(entry, D(2030, 7, 2), POLICY) == frozenset()


def test_performance_on_the_last_day_prevents_escalation() -> None:
    just_in_time = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30), ended_on=D(2025, 6, 30))
    assert escalation(just_in_time, POLICY) is None
    one_day_late = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30), ended_on=D(2025, 7, 1))
    assert escalation(one_day_late, POLICY) is not None


# --- serious lists ---------------------------------------------------------------------------


def test_serious_violation_list_3_years_early_removal_after_1() -> None:
    entry = rec(K.SERIOUS_VIOLATION, D(2025, 3, 10))
    assert repairable_from(entry, POLICY) == D(2026, 3, 11)
    shown_through(entry, D(2028, 3, 10))
    removed = rec(K.SERIOUS_VIOLATION, D(2025, 3, 10), ended_on=D(2026, 4, 1))
    shown_through(removed, D(2026, 4, 1))


def test_national_serious_dishonesty_until_removed() -> None:
    entry = rec(K.SERIOUS_DISHONESTY, D(2021, 1, 1), list_name="重大税收违法失信主体")
    window = publicity_window(entry, POLICY)
    assert window.max_until is None
    assert window.legal_basis.startswith("重大税收违法失信主体")
    assert visible(entry, D(2035, 1, 1))
    removed = rec(K.SERIOUS_DISHONESTY, D(2021, 1, 1), ended_on=D(2024, 5, 5))
    shown_through(removed, D(2024, 5, 5))


def test_national_serious_dishonesty_fixed_period_when_configured() -> None:
    policy = PublicityPolicy(serious_dishonesty_until_removed=False)
    entry = rec(K.SERIOUS_DISHONESTY, D(2021, 1, 1))
    shown_through(entry, D(2024, 1, 1), policy)


def test_consumption_restriction_until_lifted() -> None:
    order = rec(K.CONSUMPTION_RESTRICTION, D(2024, 1, 1), ended_on=D(2025, 2, 2))
    shown_through(order, D(2025, 2, 2))
    assert active_listings(order, D(2025, 2, 2), POLICY) == {K.CONSUMPTION_RESTRICTION}


# --- positive records ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [K.PERMIT, K.RED_LIST, K.COMMITMENT, K.EVALUATION])
def test_positive_records_visible_while_valid(kind: RecordKind) -> None:
    valid = rec(kind, D(2025, 1, 1), ended_on=D(2027, 12, 31))
    assert not visible(valid, D(2024, 12, 31))
    shown_through(valid, D(2027, 12, 31))
    assert bank_sharing_until(valid, POLICY) == D(2027, 12, 31)
    assert not shareable_with_bank(valid, D(2028, 1, 1), POLICY)
    open_ended = rec(kind, D(2025, 1, 1))
    assert visible(open_ended, D(2040, 1, 1))
    assert active_listings(open_ended, D(2030, 1, 1), POLICY) == frozenset()


# --- bank sharing (征信业管理条例 第十六条) ---------------------------------------------------


def test_penalty_shared_5_years_after_the_conduct_ended() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15), ended_on=D(2025, 3, 1))
    assert bank_sharing_until(penalty, POLICY) == D(2030, 3, 1)
    assert not visible(penalty, D(2027, 1, 1))
    assert shareable_with_bank(penalty, D(2027, 1, 1), POLICY)  # no longer public, still shared
    assert shareable_with_bank(penalty, D(2030, 3, 1), POLICY)
    assert not shareable_with_bank(penalty, D(2030, 3, 2), POLICY)
    assert not shareable_with_bank(penalty, D(2025, 1, 14), POLICY)


def test_penalty_without_an_end_is_dated_from_the_decision() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15))
    assert bank_sharing_until(penalty, POLICY) == D(2030, 1, 15)


def test_ongoing_listing_is_shared_while_it_goes_on() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2020, 1, 1), defaulter_ground=1)
    assert bank_sharing_until(entry, POLICY) is None
    performed = rec(K.JUDGMENT_DEFAULTER, D(2020, 1, 1), defaulter_ground=1, ended_on=D(2026, 1, 2))
    assert bank_sharing_until(performed, POLICY) == D(2031, 1, 2)
    assert not visible(performed, D(2026, 2, 1))
    assert shareable_with_bank(performed, D(2031, 1, 2), POLICY)
    assert not shareable_with_bank(performed, D(2031, 1, 3), POLICY)


def test_public_records_are_always_shareable() -> None:
    # escalated listing public until 2030-07-01; the conduct ended 2025-08-01 (+5y = 2030-08-01)
    entry = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30), ended_on=D(2025, 8, 1))
    assert shareable_with_bank(entry, D(2030, 7, 1), POLICY)
    entry_early = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30), ended_on=D(2025, 7, 1))
    assert visible(entry_early, D(2030, 7, 1))
    assert bank_sharing_until(entry_early, POLICY) == D(2030, 7, 1)


# --- repair ----------------------------------------------------------------------------------


def test_repair_ends_publicity_and_sharing_from_the_repair_day() -> None:
    penalty = rec(
        K.ADMIN_PENALTY,
        D(2025, 1, 15),
        severity=Severity.SERIOUS,
        repair_status=RepairStatus.REPAIRED,
        repaired_on=D(2026, 2, 1),
    )
    assert publicity_window(penalty, POLICY).visible_until == D(2026, 1, 31)
    shown_through(penalty, D(2026, 1, 31))
    assert shareable_with_bank(penalty, D(2026, 1, 31), POLICY)
    assert not shareable_with_bank(penalty, D(2026, 2, 1), POLICY)
    assert repairable_from(penalty, POLICY) is None


def test_pending_repair_changes_nothing() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15), repair_status=RepairStatus.APPLIED)
    shown_through(penalty, D(2026, 1, 15))
    assert repairable_from(penalty, POLICY) == D(2025, 4, 16)


def test_repair_ends_an_escalated_listing() -> None:
    entry = rec(
        K.ABNORMAL_OPERATION,
        D(2022, 6, 30),
        ended_on=D(2025, 8, 1),
        repair_status=RepairStatus.REPAIRED,
        repaired_on=D(2026, 9, 1),
    )
    assert active_listings(entry, D(2026, 8, 31), POLICY) == {K.SERIOUS_VIOLATION}
    assert active_listings(entry, D(2026, 9, 1), POLICY) == frozenset()
    assert not visible(entry, D(2026, 9, 1))
    assert not shareable_with_bank(entry, D(2026, 9, 1), POLICY)


# --- the policy object -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"admin_general_max_months": -1},
        {"admin_general_min_months": 13},
        {"serious_violation_min_years": 4},
        {"tax_grade_published_month": 13},
    ],
)
def test_policy_rejects_inconsistent_periods(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match=r"不能|应在"):
        PublicityPolicy(**bad)


class _Settings(pydantic.BaseModel):
    policy: PublicityPolicy = PublicityPolicy()


def test_policy_embeds_in_pydantic_settings() -> None:
    assert _Settings().policy == POLICY
    loaded = _Settings.model_validate(
        {"policy": {"admin_general_max_months": 6, "holidays": ["2026-01-05"]}}
    )
    assert loaded.policy.admin_general_max_months == 6
    assert loaded.policy.holidays == (D(2026, 1, 5),)
    with pytest.raises(pydantic.ValidationError, match="admin_serious_min_months"):
        _Settings.model_validate({"policy": {"admin_serious_min_months": 40}})
