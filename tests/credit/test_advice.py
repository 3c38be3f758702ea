"""Advice: concrete, dated, and citing the rule for each record that can be improved."""

from __future__ import annotations

import datetime as dt

from credit.advice import Advice, AdviceCode, advise
from credit.publicity import PublicityPolicy
from credit.records import CreditRecord, RecordKind, RepairStatus, Severity, TaxGrade
from tests.credit.factories import grade, rec

D = dt.date
POLICY = PublicityPolicy()
K = RecordKind


def only(
    records: list[CreditRecord],
    day: dt.date,
    policy: PublicityPolicy = POLICY,
    grades: list[TaxGrade] | None = None,
) -> Advice:
    [advice] = advise(records, day, policy, tax_grades=grades or [])
    return advice


def test_repair_date_ahead() -> None:
    penalty = rec(
        K.ADMIN_PENALTY, D(2025, 1, 15), title="虚假宣传", authority="银川市市场监督管理局"
    )
    advice = only([penalty], D(2025, 3, 1))
    assert advice.code is AdviceCode.REPAIR_LATER
    assert advice.record_id == penalty.id
    assert advice.message == (
        "“虚假宣传”（银川市市场监督管理局，2025-01-15）最短公示期将于2025-04-15届满，"
        "纠正失信行为、履行相关义务并作出信用承诺后，自2025-04-16起可通过“信用中国”网站"
        "申请信用修复。依据：《信用修复管理办法》（国家发展改革委令第36号）"
    )


def test_repair_available_now() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15), severity=Severity.SERIOUS)
    advice = only([penalty], D(2026, 2, 1))
    assert advice.code is AdviceCode.REPAIR_AVAILABLE
    assert "最短公示期已于2026-01-15届满" in advice.message
    assert "自2026-01-16起可通过“信用中国”网站申请信用修复" in advice.message


def test_serious_violation_early_removal_cites_its_rule() -> None:
    entry = rec(K.SERIOUS_VIOLATION, D(2025, 3, 10))
    advice = only([entry], D(2025, 6, 1))
    assert advice.code is AdviceCode.REPAIR_LATER
    assert "自2026-03-11起" in advice.message
    assert advice.message.endswith(
        "。依据：《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）"
    )


def test_market_penalty_repair_cites_samr() -> None:
    entry = rec(K.MARKET_PENALTY, D(2025, 3, 10))
    assert only([entry], D(2025, 6, 1)).message.endswith(
        "。依据：《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）"
    )


def test_pending_repair() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15), repair_status=RepairStatus.APPLIED)
    advice = only([penalty], D(2025, 6, 1))
    assert advice.code is AdviceCode.REPAIR_PENDING
    assert "正在审核中" in advice.message


def test_short_window_ends_by_itself() -> None:
    warning = rec(K.MARKET_PENALTY, D(2025, 5, 31), minor_sanction=True)
    advice = only([warning], D(2025, 6, 1))
    assert advice.code is AdviceCode.EXPIRES_BY_ITSELF
    assert "公示期至2025-08-31届满后自动停止公示，无需申请信用修复" in advice.message


def test_perform_the_judgment() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2025, 1, 1), defaulter_ground=1, title="(2025)宁01执9号")
    advice = only([entry], D(2025, 6, 1))
    assert advice.code is AdviceCode.PERFORM_JUDGMENT
    assert "履行生效法律文书确定的义务后，人民法院应在3个工作日内删除失信信息" in advice.message
    assert advice.message.endswith(
        "。依据：《最高人民法院关于公布失信被执行人名单信息的若干规定》第十条"
    )
    five = only([entry], D(2025, 6, 1), PublicityPolicy(defaulter_removal_working_days=5))
    assert "5个工作日内" in five.message


def test_performed_judgment_removal_date() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2025, 1, 1), defaulter_ground=1, ended_on=D(2026, 1, 2))
    advice = only([entry], D(2026, 1, 5))
    assert advice.code is AdviceCode.REMOVAL_DUE
    assert "义务已于2026-01-02履行，人民法院应于2026-01-07前删除失信信息" in advice.message


def test_file_the_annual_report_before_escalation() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2025, 6, 30), title="未按期公示年度报告")
    advice = only([entry], D(2025, 9, 1))
    assert advice.code is AdviceCode.LEAVE_ABNORMAL_LIST
    assert "补报年度报告或履行相应公示义务后，可申请移出经营异常名录" in advice.message
    assert "将自2028-07-01起列入严重违法失信名单5年" in advice.message
    assert advice.message.endswith("。依据：《企业信息公示暂行条例》第十七条")


def test_escalated_abnormal_entry() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30))
    codes = [a.code for a in advise([entry], D(2026, 1, 1), POLICY)]
    assert codes == [AdviceCode.LEAVE_ABNORMAL_LIST, AdviceCode.LEAVE_SERIOUS_LIST]
    performed = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30), ended_on=D(2025, 9, 1))
    advice = only([performed], D(2026, 1, 1))
    assert advice.code is AdviceCode.LEAVE_SERIOUS_LIST
    assert "已转入严重违法失信名单，至2030-07-01止" in advice.message
    assert "补报" not in advice.message


def test_lift_a_consumption_restriction() -> None:
    order = rec(K.CONSUMPTION_RESTRICTION, D(2025, 1, 1))
    advice = only([order], D(2025, 6, 1))
    assert advice.code is AdviceCode.LIFT_RESTRICTION
    assert "限制被执行人高消费" in advice.message


def test_leave_a_national_list() -> None:
    entry = rec(K.SERIOUS_DISHONESTY, D(2025, 1, 1), list_name="重大税收违法失信主体")
    advice = only([entry], D(2025, 6, 1))
    assert advice.code is AdviceCode.LEAVE_SERIOUS_LIST
    assert "重大税收违法失信主体" in advice.message


def test_keep_an_a_grade() -> None:
    codes = [a.code for a in advise([], D(2025, 6, 1), POLICY, tax_grades=[grade(2024, "A")])]
    assert codes == [AdviceCode.KEEP_A_GRADE, AdviceCode.KEEP_GOOD_RECORD]
    text = advise([], D(2025, 6, 1), POLICY, tax_grades=[grade(2024, "A")])[0].message
    assert text.startswith("2024年度纳税信用等级为A级：请继续依法按时申报缴税，保持A级")


def test_improve_a_low_grade() -> None:
    advice = only([], D(2025, 6, 1), grades=[grade(2024, "C")])
    assert advice.code is AdviceCode.IMPROVE_TAX_GRADE
    assert "2024年度纳税信用等级为C级" in advice.message
    assert "可在下一评价年度提升等级" in advice.message
    assert advice.message.endswith("。依据：《纳税缴费信用管理办法》")


def test_a_direct_d_is_not_promised_a_better_grade_next_year() -> None:
    direct = grade(2024, "D", assigned_directly=True)
    advice = only([], D(2025, 6, 1), grades=[direct])
    assert advice.code is AdviceCode.IMPROVE_TAX_GRADE
    assert "直接判为D级的，D级评价保留2年" in advice.message
    assert "下一评价年度" not in advice.message


def test_expired_and_repaired_records_get_no_advice() -> None:
    expired = rec(K.ADMIN_PENALTY, D(2024, 1, 1))
    repaired = rec(
        K.ADMIN_PENALTY,
        D(2025, 1, 1),
        repair_status=RepairStatus.REPAIRED,
        repaired_on=D(2025, 5, 1),
    )
    permit = rec(K.PERMIT, D(2025, 1, 1))
    advice = only([expired, repaired, permit], D(2025, 6, 1))
    assert advice.code is AdviceCode.KEEP_GOOD_RECORD
    assert advice.record_id is None
