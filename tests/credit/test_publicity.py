"""Publicity and bank-sharing windows, regime by regime: the day before and after each limit,
and of each dated regime's first day (older records keep their older regime)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pydantic
import pytest

from credit.publicity import (
    PublicityPolicy,
    active_listings,
    bank_sharing_until,
    escalation,
    escalation_due,
    escalation_reported,
    publicity_window,
    repairable_from,
    shareable_with_bank,
    visible_to_public,
)
from credit.records import CreditRecord, RecordKind, RepairStatus, Severity
from credit.regimes import DEFAULT_REGIMES, Family
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


# --- administrative penalties (NDRC regimes: Order 58, then Order 36 from 2026-04-01) ---------


def test_general_penalty_min_3_months_max_1_year_from_the_decision() -> None:
    # Order 36: "公示期限自司法、行政公务文书认定之日起开始计算" — the decision, not publication
    penalty = rec(
        K.ADMIN_PENALTY, D(2026, 4, 15), severity=Severity.GENERAL, publish_from=D(2026, 4, 20)
    )
    window = publicity_window(penalty, POLICY)
    assert window.min_until == D(2026, 7, 15)
    assert window.max_until == window.visible_until == D(2027, 4, 15)
    assert window.repairable_from == repairable_from(penalty, POLICY) == D(2026, 7, 16)
    assert window.legal_basis == (
        "《信用修复管理办法》（国家发展改革委令第36号）：一般失信信息公示期最短3个月、最长1年，"
        "自决定之日起计算"
    )
    assert not visible(penalty, D(2026, 4, 19))  # shown from its publication
    assert visible(penalty, D(2026, 4, 20))
    # the minimum does not end publicity: it opens the repair route
    assert visible(penalty, D(2026, 7, 16))
    shown_through(penalty, D(2027, 4, 15))


def test_ndrc_regime_changes_on_2026_04_01() -> None:
    """The day before Order 36: Order 58, counted from publication; from it: the decision."""
    before = rec(K.ADMIN_PENALTY, D(2026, 3, 31), publish_from=D(2026, 4, 10))
    after = rec(K.ADMIN_PENALTY, D(2026, 4, 1), publish_from=D(2026, 4, 10))
    old, new = publicity_window(before, POLICY), publicity_window(after, POLICY)
    assert old.regime is not None
    assert old.regime.number == "国家发展改革委令第58号"
    assert new.regime is not None
    assert new.regime.number == "国家发展改革委令第36号"
    assert old.max_until == D(2027, 4, 10)
    assert new.max_until == D(2027, 4, 1)
    assert "国家发展改革委令第58号" in old.legal_basis
    assert "自公示之日起计算" in old.legal_basis
    shown_through(before, D(2027, 4, 10))
    shown_through(after, D(2027, 4, 1))


def test_older_records_keep_the_older_ndrc_regime() -> None:
    # judged today (2026-11-22) a 2025 decision still follows Order 58's counting
    penalty = rec(K.ADMIN_PENALTY, D(2025, 11, 20), publish_from=D(2025, 11, 25))
    assert "国家发展改革委令第58号" in publicity_window(penalty, POLICY).legal_basis
    shown_through(penalty, D(2026, 11, 25))


def test_penalty_without_severity_is_general() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2026, 5, 15))
    assert publicity_window(penalty, POLICY).max_until == D(2027, 5, 15)


def test_serious_penalty_min_1_year_max_3_years() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2024, 2, 29), severity=Severity.SERIOUS)
    window = publicity_window(penalty, POLICY)
    assert window.min_until == D(2025, 2, 28)
    assert repairable_from(penalty, POLICY) == D(2025, 3, 1)
    assert window.max_until == D(2027, 2, 28)
    assert "严重失信信息公示期最短1年、最长3年" in window.legal_basis
    shown_through(penalty, D(2027, 2, 28))


@pytest.mark.parametrize("decided", [D(2026, 3, 31), D(2026, 4, 1)])
def test_minor_penalty_is_not_published(decided: dt.date) -> None:
    penalty = rec(K.ADMIN_PENALTY, decided, severity=Severity.MINOR)
    simple = rec(K.ADMIN_PENALTY, decided, severity=Severity.GENERAL, simple_procedure=True)
    for record in (penalty, simple):  # 简易程序 decisions are minor (Order 36 [S])
        window = publicity_window(record, POLICY)
        assert not window.published
        assert window.max_until is None
        assert window.repairable_from is None
        assert "轻微失信信息原则上不予公示" in window.legal_basis
        for day in (decided, decided + ONE, D(2027, 1, 1)):
            assert not visible(record, day)
            assert not shareable_with_bank(record, day, POLICY)


def _with_regime(index: int, **changes: object) -> PublicityPolicy:
    regimes = list(DEFAULT_REGIMES)
    regimes[index] = dataclasses.replace(regimes[index], **changes)  # type: ignore[arg-type]
    return PublicityPolicy(regimes=tuple(regimes))


def test_minor_penalty_at_most_3_months_where_a_regime_publishes_it() -> None:
    policy = _with_regime(1, minor_published=True)
    penalty = rec(K.ADMIN_PENALTY, D(2026, 5, 15), severity=Severity.MINOR)
    assert publicity_window(penalty, policy).repairable_from is None
    shown_through(penalty, D(2026, 8, 15), policy)


def test_declared_end_shortens_but_never_lengthens() -> None:
    shorter = rec(K.ADMIN_PENALTY, D(2026, 5, 15), declared_publicity_until=D(2026, 10, 1))
    shown_through(shorter, D(2026, 10, 1))
    longer = rec(K.ADMIN_PENALTY, D(2026, 5, 15), declared_publicity_until=D(2028, 1, 1))
    shown_through(longer, D(2027, 5, 15))


def test_periods_come_from_the_regime_table() -> None:
    policy = _with_regime(1, general_max_months=6)
    penalty = rec(K.ADMIN_PENALTY, D(2026, 5, 15))
    window = publicity_window(penalty, policy)
    assert window.max_until == D(2026, 11, 15)
    assert "最长6个月" in window.legal_basis


def test_an_added_regime_judges_decisions_from_its_first_day() -> None:
    added = dataclasses.replace(
        DEFAULT_REGIMES[1], number="某部门令第1号", first_day=D(2027, 1, 1), general_max_months=9
    )
    policy = PublicityPolicy(added_regimes=(added,))
    assert publicity_window(rec(K.ADMIN_PENALTY, D(2026, 12, 31)), policy).max_until == D(
        2027, 12, 31
    )
    window = publicity_window(rec(K.ADMIN_PENALTY, D(2027, 1, 1)), policy)
    assert window.max_until == D(2027, 10, 1)
    assert "某部门令第1号" in window.legal_basis


# --- market-regulation penalties (3号 + Order 45 before 2025-12-25, Order 107 from it) -------

_FINE = {"sanctions": ("罚款",)}


def test_market_regime_changes_on_2025_12_25() -> None:
    before = rec(K.MARKET_PENALTY, D(2025, 12, 24), **_FINE)
    after = rec(K.MARKET_PENALTY, D(2025, 12, 25), **_FINE)
    old, new = publicity_window(before, POLICY), publicity_window(after, POLICY)
    # 3号 第六条: repair after 6 months; Order 45 第十三条: 3 years from publication
    assert old.repairable_from == D(2026, 6, 25)
    assert old.max_until == D(2028, 12, 24)
    assert "国市监信规〔2021〕3号" in old.legal_basis
    assert "第十三条" in old.legal_basis
    # Order 107: general 3 months / 1 year
    assert new.repairable_from == D(2026, 3, 26)
    assert new.max_until == D(2026, 12, 25)
    assert "市场监管总局令第107号" in new.legal_basis
    shown_through(before, D(2028, 12, 24))
    shown_through(after, D(2026, 12, 25))


def test_food_drugs_special_equipment_wait_a_year_under_3hao_only() -> None:
    basis = "《中华人民共和国食品安全法》第一百二十四条第一款"
    old = rec(K.MARKET_PENALTY, D(2025, 6, 1), legal_basis=basis, **_FINE)
    assert repairable_from(old, POLICY) == D(2026, 6, 2)
    new = rec(K.MARKET_PENALTY, D(2026, 6, 1), legal_basis=basis, **_FINE)
    assert repairable_from(new, POLICY) == D(2026, 9, 2)


def test_market_serious_penalty_under_order_107() -> None:
    penalty = rec(K.MARKET_PENALTY, D(2026, 1, 10), severity=Severity.SERIOUS, **_FINE)
    window = publicity_window(penalty, POLICY)
    assert (window.repairable_from, window.max_until) == (D(2027, 1, 11), D(2029, 1, 10))


@pytest.mark.parametrize(
    ("decided", "last"), [(D(2025, 12, 24), D(2026, 3, 31)), (D(2025, 12, 25), D(2026, 3, 25))]
)
def test_market_small_fine_3_months(decided: dt.date, last: dt.date) -> None:
    # before Order 107 from publication (here a week later), from it from the decision
    penalty = rec(
        K.MARKET_PENALTY, decided, minor_sanction=True, publish_from=D(2025, 12, 31), **_FINE
    )
    assert repairable_from(penalty, POLICY) is None  # it ends by itself
    assert "轻微失信信息公示期最长3个月" in publicity_window(penalty, POLICY).legal_basis
    shown_through(penalty, last)


@pytest.mark.parametrize("decided", [D(2025, 12, 24), D(2025, 12, 25)])
@pytest.mark.parametrize(
    "facts",
    [{"sanctions": ("警告",)}, {"sanctions": ("罚款",), "simple_procedure": True}],
    ids=["warning only", "简易程序"],
)
def test_market_warning_only_or_simple_procedure_is_never_published(
    decided: dt.date, facts: dict[str, object]
) -> None:
    penalty = rec(K.MARKET_PENALTY, decided, minor_sanction=True, **facts)
    window = publicity_window(penalty, POLICY)
    assert not window.published
    assert window.legal_basis.startswith(
        "《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）第二条"
    )
    for day in (decided, decided + ONE, D(2026, 2, 1)):
        assert not visible(penalty, day)
        assert not shareable_with_bank(penalty, day, POLICY)


@pytest.mark.parametrize("sanction", ["责令停产停业", "吊销许可证", "吊销营业执照", "限制从业"])
def test_barred_sanctions_are_never_repairable(sanction: str) -> None:
    for decided in (D(2025, 12, 24), D(2025, 12, 25)):
        penalty = rec(K.MARKET_PENALTY, decided, sanctions=("罚款", sanction))
        window = publicity_window(penalty, POLICY)
        assert window.repairable_from is None
        assert not window.repairable
        assert f"含{sanction}的处罚信息不可申请信用修复" in window.legal_basis
        assert window.visible_until == window.max_until  # it ends with its longest period
    plain = rec(K.MARKET_PENALTY, D(2025, 12, 25), sanctions=("罚款",))
    assert publicity_window(plain, POLICY).repairable


# --- 失信被执行人 (最高法2017年规定) ---------------------------------------------------------


def test_defaulter_grounds_2_to_6_until_3_working_days_after_the_term() -> None:
    # the term ends on Sunday 2026-03-01; deletion within Mon 2, Tue 3, Wed 4
    entry = rec(K.JUDGMENT_DEFAULTER, D(2024, 3, 1), defaulter_ground=3)
    window = publicity_window(entry, POLICY)
    assert window.repairable_from is None
    assert window.max_until == D(2026, 3, 1)
    assert "第二条" in window.legal_basis
    assert "期限2年" in window.legal_basis
    assert "期限届满后3个工作日内删除" in window.legal_basis
    shown_through(entry, D(2026, 3, 4))
    assert active_listings(entry, D(2026, 3, 4), POLICY) == {K.JUDGMENT_DEFAULTER}
    assert active_listings(entry, D(2026, 3, 5), POLICY) == frozenset()


def test_defaulter_grounds_2_to_6_stay_listed_when_performed_early() -> None:
    performed = rec(K.JUDGMENT_DEFAULTER, D(2024, 3, 1), defaulter_ground=4, ended_on=D(2025, 6, 2))
    assert visible(performed, D(2025, 6, 6))  # once removed by the Thursday; no longer
    shown_through(performed, D(2026, 3, 4))


def test_defaulter_early_deletion_reported_by_the_court_ends_the_listing() -> None:
    deleted = rec(
        K.JUDGMENT_DEFAULTER,
        D(2024, 3, 1),
        defaulter_ground=4,
        ended_on=D(2025, 6, 2),
        deleted_on=D(2025, 6, 5),
    )
    shown_through(deleted, D(2025, 6, 4))
    assert not shareable_with_bank(deleted, D(2025, 6, 5), POLICY)


def test_defaulter_aggravated_adds_years_up_to_the_cap() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2024, 3, 1), defaulter_ground=2, aggravated_years=1)
    assert "延长1年" in publicity_window(entry, POLICY).legal_basis
    shown_through(entry, D(2027, 3, 4))  # the term ends Monday 2027-03-01
    capped = rec(K.JUDGMENT_DEFAULTER, D(2024, 3, 1), defaulter_ground=2, aggravated_years=9)
    shown_through(capped, D(2029, 3, 6))  # Thursday 2029-03-01: Fri 2, Mon 5, Tue 6


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


def test_defaulter_ground_1_deleted_within_3_working_days_on_the_statutory_calendar() -> None:
    # performed Friday 2026-01-02 (元旦 1-3 January off); Sunday 4 January is worked (调休):
    # Sun 4, Mon 5, Tue 6 are the 3 working days
    entry = rec(K.JUDGMENT_DEFAULTER, D(2020, 3, 1), defaulter_ground=1, ended_on=D(2026, 1, 2))
    assert "3个工作日内删除" in publicity_window(entry, POLICY).legal_basis
    shown_through(entry, D(2026, 1, 6))
    # performed Friday 2026-02-13: Saturday 14 worked, 春节 15-23 off, then Tue 24, Wed 25
    festival = rec(K.JUDGMENT_DEFAULTER, D(2020, 3, 1), defaulter_ground=1, ended_on=D(2026, 2, 13))
    shown_through(festival, D(2026, 2, 25))


def test_holidays_added_in_settings_join_the_statutory_calendar() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2020, 3, 1), defaulter_ground=1, ended_on=D(2026, 1, 2))
    shown_through(entry, D(2026, 1, 7), PublicityPolicy(holidays=(D(2026, 1, 5),)))


# --- 经营异常名录 and its escalation (企业信息公示暂行条例 第十七条) -------------------------


def test_abnormal_listing_until_performed() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2025, 2, 10), ended_on=D(2025, 9, 1))
    assert escalation(entry, POLICY) is None
    assert repairable_from(entry, POLICY) is None
    shown_through(entry, D(2025, 9, 1))


def test_abnormal_listing_is_due_to_escalate_after_3_years_not_listed() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30))
    escalated = escalation(entry, POLICY)
    assert escalated is not None
    assert escalated.due_on == D(2025, 7, 1)
    assert "第十七条" in escalated.legal_basis
    assert escalation_due(entry, D(2025, 6, 30), POLICY, reported=False) is None
    assert escalation_due(entry, D(2025, 7, 1), POLICY, reported=False) == escalated
    # due is not listed: only the bureau's decision (its own record) is a listing
    assert active_listings(entry, D(2025, 7, 1), POLICY) == {K.ABNORMAL_OPERATION}
    assert escalation_due(entry, D(2025, 7, 1), POLICY, reported=True) is None


def test_the_bureaus_escalated_listing_is_reported_as_its_own_record() -> None:
    listing = rec(K.SERIOUS_VIOLATION, D(2025, 7, 21), escalated_from_abnormal=True)
    assert not escalation_reported([listing], D(2025, 7, 20))
    assert escalation_reported([listing], D(2025, 7, 21))
    assert not escalation_reported([rec(K.SERIOUS_VIOLATION, D(2025, 7, 21))], D(2025, 8, 1))
    # 条例 第十七条: an escalated listing lasts 5 years
    shown_through(listing, D(2030, 7, 21))


def test_a_due_escalation_ends_when_the_entry_is_removed() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30), ended_on=D(2026, 1, 1))
    assert escalation_due(entry, D(2026, 1, 1), POLICY, reported=False) is not None
    assert escalation_due(entry, D(2026, 1, 2), POLICY, reported=False) is None
    assert not visible(entry, D(2026, 1, 2))


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


# --- bank sharing: stops at the maximum period or on repair (no blanket 5 years) -----------


def test_penalty_shared_only_while_public() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2026, 4, 15), ended_on=D(2026, 5, 1))
    assert bank_sharing_until(penalty, POLICY) == D(2027, 4, 15)
    assert shareable_with_bank(penalty, D(2027, 4, 15), POLICY)
    assert not shareable_with_bank(penalty, D(2027, 4, 16), POLICY)  # once: 5 more years
    assert not shareable_with_bank(penalty, D(2026, 4, 14), POLICY)


def test_performed_listing_is_not_shared_after_deletion() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2020, 1, 1), defaulter_ground=1)
    assert bank_sharing_until(entry, POLICY) is None  # still listed: shared while it lasts
    performed = rec(K.JUDGMENT_DEFAULTER, D(2020, 1, 1), defaulter_ground=1, ended_on=D(2026, 1, 2))
    assert bank_sharing_until(performed, POLICY) == D(2026, 1, 6)
    assert not shareable_with_bank(performed, D(2026, 1, 7), POLICY)


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


def test_repair_ends_a_due_escalation() -> None:
    entry = rec(
        K.ABNORMAL_OPERATION,
        D(2022, 6, 30),
        repair_status=RepairStatus.REPAIRED,
        repaired_on=D(2026, 9, 1),
    )
    assert escalation_due(entry, D(2026, 8, 31), POLICY, reported=False) is not None
    assert escalation_due(entry, D(2026, 9, 1), POLICY, reported=False) is None
    assert not visible(entry, D(2026, 9, 1))
    assert not shareable_with_bank(entry, D(2026, 9, 1), POLICY)


# --- the policy object -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"defaulter_years": -1},
        {"serious_violation_min_years": 4},
        {"tax_grade_published_month": 13},
        {"regimes": DEFAULT_REGIMES[:2]},  # no market regime at all
        {"added_regimes": DEFAULT_REGIMES[1:2]},  # two NDRC regimes from 2026-04-01
    ],
)
def test_policy_rejects_inconsistent_periods(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"不能|应在|没有|同一天"):
        PublicityPolicy(**bad)  # type: ignore[arg-type]


def test_a_regime_rejects_a_minimum_above_its_maximum() -> None:
    with pytest.raises(ValueError, match="general_min_months 不能大于"):
        dataclasses.replace(DEFAULT_REGIMES[1], general_min_months=13)


class _Settings(pydantic.BaseModel):
    policy: PublicityPolicy = PublicityPolicy()


def test_policy_embeds_in_pydantic_settings() -> None:
    assert _Settings().policy == POLICY
    added = {
        "family": "NDRC", "instrument": "《某办法》", "number": "某令第1号",
        "first_day": "2027-01-01", "counted_from": "DECISION", "minor_published": False,
        "minor_max_months": 3, "general_min_months": 3, "general_max_months": 6,
        "serious_min_months": 12, "serious_max_months": 36,
    }  # fmt: skip
    loaded = _Settings.model_validate(
        {"policy": {"added_regimes": [added], "holidays": ["2027-01-01"]}}
    )
    assert loaded.policy.regime(Family.NDRC, D(2027, 1, 1)).number == "某令第1号"
    assert loaded.policy.holidays == (D(2027, 1, 1),)
    assert 2027 in loaded.policy.working_calendar().years
    with pytest.raises(pydantic.ValidationError, match="serious_min_months"):
        _Settings.model_validate(
            {"policy": {"added_regimes": [added | {"serious_min_months": 40}]}}
        )
