"""The decision: outcome from the rules' verdicts, the score, the suggested limit."""

from __future__ import annotations

from decimal import Decimal

from credit.financing import (
    FactKey,
    MissingReason,
    Outcome,
    RuleId,
    Verdict,
    evaluate,
    facts_read,
    suggested_limit,
)
from credit.financing.engine import DECLINE_SCORE_CAP, REFER_SCORE_CAP
from credit.policy import PublicityPolicy
from credit.records import TaxGradeLetter
from tests.credit.financing.builders import (
    ADDED_RULES,
    DAY,
    DOMAIN_RULES,
    add_defaulter,
    clean,
    product,
)

POLICY = PublicityPolicy()
AMOUNT = Decimal(100_000)


def test_a_clean_enterprise_passes_with_full_marks() -> None:
    decision = evaluate(product(), clean(), amount_yuan=AMOUNT, day=DAY, policy=POLICY)
    assert decision.outcome is Outcome.PASS
    assert decision.score == 100
    assert decision.suggested_limit_yuan == Decimal(1_000_000)
    assert [r.rule for r in decision.reasons] == list(DOMAIN_RULES)  # one per rule, in order
    assert all(r.verdict is Verdict.PASS and r.advice == "" for r in decision.reasons)
    assert (decision.product_code, decision.product_version, decision.day) == ("TEST_LOAN", 1, DAY)


def test_a_hard_failure_declines_with_no_limit_and_a_low_score() -> None:
    decision = evaluate(
        product(), add_defaulter(clean()), amount_yuan=AMOUNT, day=DAY, policy=POLICY
    )
    assert decision.outcome is Outcome.DECLINE
    assert decision.score <= DECLINE_SCORE_CAP
    assert decision.suggested_limit_yuan == 0
    [failed] = [r for r in decision.reasons if r.verdict is not Verdict.PASS]
    assert failed.rule is RuleId.NOT_DEFAULTER
    assert failed.message.startswith("【企业失信被执行人】未通过（否决项）")


def test_a_soft_failure_refers_and_keeps_the_limit() -> None:
    rules = dict.fromkeys(DOMAIN_RULES, True) | {RuleId.NOT_DEFAULTER: False}
    decision = evaluate(
        product(rules), add_defaulter(clean()), amount_yuan=AMOUNT, day=DAY, policy=POLICY
    )
    assert decision.outcome is Outcome.REFER
    assert REFER_SCORE_CAP >= decision.score > DECLINE_SCORE_CAP
    assert decision.suggested_limit_yuan == Decimal(1_000_000)
    [failed] = [r for r in decision.reasons if r.verdict is not Verdict.PASS]
    assert "未通过（转人工审核）" in failed.message


def test_a_missing_fact_refers_even_when_every_known_fact_passes() -> None:
    decision = evaluate(
        product(),
        clean().without(FactKey.COURT_RECORDS),
        amount_yuan=AMOUNT,
        day=DAY,
        policy=POLICY,
    )
    assert decision.outcome is Outcome.REFER
    [missing] = [r for r in decision.reasons if r.verdict is not Verdict.PASS]
    assert (missing.rule, missing.verdict) == (RuleId.NOT_DEFAULTER, Verdict.MISSING)
    assert "待核验（转人工审核）" in missing.message
    assert missing.provenance == ()


def test_no_consent_refers_and_says_which() -> None:
    facts = clean(consents={})
    for key in (
        FactKey.TAX_GRADES,
        FactKey.TAX_PAYMENTS,
        FactKey.SOCIAL_INSURANCE,
        FactKey.UTILITIES,
    ):
        facts = facts.without(key, MissingReason.NO_CONSENT)
    decision = evaluate(product(), facts, amount_yuan=AMOUNT, day=DAY, policy=POLICY)
    assert decision.outcome is Outcome.REFER
    assert decision.suggested_limit_yuan is None
    consent = next(r for r in decision.reasons if r.rule is RuleId.CONSENT)
    assert consent.verdict is Verdict.MISSING
    assert "未取得企业对本机构、本用途的" in consent.finding


def test_the_limit_is_the_grade_limit_capped_by_the_tax_multiple_in_thousands() -> None:
    p = product(tax_paid_multiple="10")
    facts = clean(grade=TaxGradeLetter.B, monthly_tax=Decimal("2345.67"))  # 28,148.04 a year
    assert suggested_limit(p, facts, DAY, POLICY) == Decimal(281_000)
    rich = clean(grade=TaxGradeLetter.B, monthly_tax=Decimal(90_000))
    assert suggested_limit(p, rich, DAY, POLICY) == Decimal(800_000)  # B's limit
    assert suggested_limit(p, clean(grade=TaxGradeLetter.C), DAY, POLICY) == 0  # not accepted
    assert suggested_limit(p, clean().without(FactKey.TAX_PAYMENTS), DAY, POLICY) is None


def test_the_score_grades_tax_grade_and_tax_paid() -> None:
    best = evaluate(product(), clean(), amount_yuan=AMOUNT, day=DAY, policy=POLICY)
    b = evaluate(
        product(), clean(grade=TaxGradeLetter.B), amount_yuan=AMOUNT, day=DAY, policy=POLICY
    )
    thin = evaluate(
        product(), clean(monthly_tax=Decimal(2600)), amount_yuan=AMOUNT, day=DAY, policy=POLICY
    )
    assert best.score > b.score
    assert best.score > thin.score
    assert thin.outcome is b.outcome is Outcome.PASS


def test_the_same_input_gives_the_same_decision() -> None:
    facts = add_defaulter(clean(grade=TaxGradeLetter.B))
    first = evaluate(product(), facts, amount_yuan=AMOUNT, day=DAY, policy=POLICY)
    assert evaluate(product(), facts, amount_yuan=AMOUNT, day=DAY, policy=POLICY) == first


def test_facts_read_follow_the_products_rules() -> None:
    tax_only = product({RuleId.TAX_GRADE: True, RuleId.AMOUNT_WITHIN_LIMIT: False})
    assert facts_read(tax_only) == {FactKey.TAX_GRADES}
    with_multiple = product({RuleId.AMOUNT_WITHIN_LIMIT: False}, tax_paid_multiple="5")
    assert facts_read(with_multiple) == {FactKey.TAX_PAYMENTS}
    added = {FactKey.CUSTOMS_RECORDS, FactKey.IP_RECORDS}  # read by the optional rules only
    assert facts_read(product()) == set(FactKey) - added
    assert facts_read(product(dict.fromkeys(ADDED_RULES, True))) >= added
