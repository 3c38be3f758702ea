"""Advice: concrete, dated, and citing the rule for each record that can be improved."""

from __future__ import annotations

import datetime as dt

import pytest

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


_22 = "；《关于进一步完善信用修复制度的实施方案》（国办发〔2025〕22号）"


def test_repair_date_ahead_through_credit_china_citing_the_regime() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2026, 4, 15), title="超标排放", authority="银川市生态环境局")
    advice = only([penalty], D(2026, 5, 1))
    assert advice.code is AdviceCode.REPAIR_LATER
    assert advice.record_id == penalty.id
    assert advice.message == (
        "“超标排放”（银川市生态环境局，2026-04-15）最短公示期将于2026-07-15届满，"
        "纠正失信行为、履行相关义务并作出信用承诺后，自2026-07-16起可通过“信用中国”网站"
        "申请信用修复。依据：《信用修复管理办法》（国家发展改革委令第36号）" + _22
    )


def test_an_older_penalty_cites_the_older_regime() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15), severity=Severity.SERIOUS)
    advice = only([penalty], D(2026, 2, 1))
    assert advice.code is AdviceCode.REPAIR_AVAILABLE
    assert "最短公示期已于2026-01-15届满" in advice.message
    assert "自2026-01-16起可通过“信用中国”网站申请信用修复" in advice.message
    assert "（国家发展改革委令第58号）" in advice.message


def test_serious_violation_repair_through_the_market_system() -> None:
    entry = rec(K.SERIOUS_VIOLATION, D(2025, 3, 10))
    advice = only([entry], D(2025, 6, 1))
    assert advice.code is AdviceCode.REPAIR_LATER
    assert "自2026-03-11起可通过国家企业信用信息公示系统申请信用修复" in advice.message
    assert advice.message.endswith(
        "。依据：《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）" + _22
    )


@pytest.mark.parametrize(
    ("decided", "instrument"),
    [
        (D(2025, 12, 24), "（国市监信规〔2021〕3号）第六条"),
        (D(2025, 12, 25), "（市场监管总局令第107号）"),
    ],
)
def test_market_penalty_repair_names_the_market_channel_and_regime(
    decided: dt.date, instrument: str
) -> None:
    entry = rec(K.MARKET_PENALTY, decided, sanctions=("罚款",))
    message = only([entry], D(2026, 1, 1)).message
    assert "可通过国家企业信用信息公示系统申请信用修复" in message
    assert "信用中国" not in message
    assert f"《市场监督管理信用修复管理办法》{instrument}" in message


def test_market_penalty_with_a_barred_sanction_says_it_cannot_be_repaired() -> None:
    entry = rec(K.MARKET_PENALTY, D(2026, 1, 10), sanctions=("罚款", "吊销营业执照"))
    advice = only([entry], D(2026, 6, 1))
    assert advice.code is AdviceCode.NOT_REPAIRABLE
    assert advice.message == (
        f"{entry_label(entry)}依法不可申请信用修复，公示期至2027-01-10届满后停止公示。"
        "依据：《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）第十四条"
    )


def entry_label(record: CreditRecord) -> str:
    return f"“{record.title}”（{record.authority}，{record.decided_on.isoformat()}）"


def test_pending_repair() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 1, 15), repair_status=RepairStatus.APPLIED)
    advice = only([penalty], D(2025, 6, 1))
    assert advice.code is AdviceCode.REPAIR_PENDING
    assert "正在审核中，请留意“信用中国”网站的反馈" in advice.message
    market = rec(K.MARKET_PENALTY, D(2025, 1, 15), repair_status=RepairStatus.APPLIED)
    assert "请留意国家企业信用信息公示系统的反馈" in only([market], D(2025, 6, 1)).message


def test_short_window_ends_by_itself() -> None:
    small_fine = rec(K.MARKET_PENALTY, D(2025, 5, 31), minor_sanction=True)
    advice = only([small_fine], D(2025, 6, 1))
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
    # Friday 2026-01-02; Sunday 4 January is a 调休 working day: deleted by Tuesday 6
    entry = rec(K.JUDGMENT_DEFAULTER, D(2025, 1, 1), defaulter_ground=1, ended_on=D(2026, 1, 2))
    advice = only([entry], D(2026, 1, 5))
    assert advice.code is AdviceCode.REMOVAL_DUE
    assert "义务已于2026-01-02履行，人民法院应于2026-01-06前删除失信信息" in advice.message


def test_fixed_term_defaulter_is_deleted_after_the_term_even_if_performed() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2024, 3, 1), defaulter_ground=3, ended_on=D(2025, 6, 2))
    advice = only([entry], D(2025, 7, 1))
    assert advice.code is AdviceCode.REMOVAL_DUE
    assert "纳入期限至2026-03-01，人民法院应在期限届满后3个工作日内（2026-03-04前）删除" in (
        advice.message
    )
    assert "期限内履行义务的不提前删除" in advice.message
    # deletion after the term (第十条第二款), early deletion by the court (第二条第二款)
    assert advice.message.endswith("第十条第二款、第二条第二款")


def test_file_the_annual_report_before_escalation() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2025, 6, 30), title="未按期公示年度报告")
    advice = only([entry], D(2025, 9, 1))
    assert advice.code is AdviceCode.LEAVE_ABNORMAL_LIST
    assert "补报年度报告或履行相应公示义务后，可申请移出经营异常名录" in advice.message
    assert "逾期未移出的，自2028-07-01起将被列入严重违法失信名单" in advice.message
    assert advice.message.endswith("。依据：《企业信息公示暂行条例》第十七条")


def test_an_abnormal_entry_past_3_years_is_due_for_the_serious_list() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30))
    before = [a.code for a in advise([entry], D(2025, 6, 30), POLICY)]
    assert before == [AdviceCode.LEAVE_ABNORMAL_LIST]
    found = advise([entry], D(2025, 7, 1), POLICY)
    assert [a.code for a in found] == [AdviceCode.LEAVE_ABNORMAL_LIST, AdviceCode.ESCALATION_DUE]
    assert (
        "将被列入严重违法失信名单（自2025-07-01起应予列入，以市场监督管理部门作出的列入决定为准）"
        in (found[1].message)
    )


def test_a_reported_escalation_replaces_the_due_notice() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2022, 6, 30))
    listing = rec(K.SERIOUS_VIOLATION, D(2025, 7, 21), escalated_from_abnormal=True)
    codes = [a.code for a in advise([entry, listing], D(2025, 8, 1), POLICY)]
    assert codes == [AdviceCode.LEAVE_ABNORMAL_LIST, AdviceCode.REPAIR_LATER]


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
