"""The enterprise's explanation: plain Chinese, refusals first, what to fix once."""

from __future__ import annotations

from decimal import Decimal

from credit.financing import FactKey, Outcome, evaluate, explain
from credit.policy import PublicityPolicy
from credit.records import TaxGradeLetter
from tests.credit.financing.builders import DAY, add_abnormal, add_defaulter, clean, product


def test_a_refusal_says_why_and_what_to_fix() -> None:
    facts = add_abnormal(add_defaulter(clean(grade=TaxGradeLetter.C))).without(FactKey.UTILITIES)
    decision = evaluate(
        product(), facts, amount_yuan=Decimal(10_000), day=DAY, policy=PublicityPolicy()
    )
    assert decision.outcome is Outcome.DECLINE
    e = explain(
        decision.outcome, decision.reasons, bank_name="甲银行", product_name="银税贷", day=DAY
    )
    assert e.summary.startswith("甲银行于2026-11-22用“银税贷”对贵企业做了融资预审，结果：未通过")
    titles = [w.split("：")[0] for w in e.why_not]
    assert titles[:3] == ["企业失信被执行人", "经营异常名录", "纳税信用等级"]
    assert titles[-1] == "水电气欠费"  # what could not be checked comes last
    assert any("3个工作日内删除" in f for f in e.to_fix)
    assert len(e.to_fix) == len(set(e.to_fix))
    assert "为什么没有通过：1. 企业失信被执行人" in e.text
    assert "怎么改进：1. " in e.text


def test_a_pass_has_nothing_to_fix() -> None:
    decision = evaluate(
        product(), clean(), amount_yuan=Decimal(10_000), day=DAY, policy=PublicityPolicy()
    )
    e = explain(
        decision.outcome, decision.reasons, bank_name="甲银行", product_name="银税贷", day=DAY
    )
    assert (e.why_not, e.to_fix) == ((), ())
    assert e.text == e.summary
    assert "是否放款由银行最终决定" in e.summary


def test_a_referral_says_a_person_will_look() -> None:
    decision = evaluate(
        product(),
        clean().without(FactKey.COURT_RECORDS),
        amount_yuan=Decimal(10_000),
        day=DAY,
        policy=PublicityPolicy(),
    )
    e = explain(
        decision.outcome, decision.reasons, bank_name="甲银行", product_name="银税贷", day=DAY
    )
    assert "需要银行人工审核" in e.summary
    assert e.why_not == ("企业失信被执行人：无法核验：数据来源部门暂时无法提供",)
    assert e.to_fix == ("数据来源部门恢复后可重新预审",)
