"""Each pre-check rule on both sides of its threshold, and what it does with a missing fact."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from credit.access import ConsentScope
from credit.financing import (
    EnterpriseFacts,
    FactKey,
    Known,
    Missing,
    MissingReason,
    RuleId,
    RuleReason,
    Verdict,
    evaluate,
)
from credit.financing.rules import whole_months
from credit.policy import PublicityPolicy
from credit.records import (
    RecordKind,
    RepairStatus,
    Severity,
    SocialInsuranceMonth,
    Source,
    TaxGrade,
    TaxGradeLetter,
    TaxPayment,
    UtilityBill,
    UtilityKind,
)
from tests.credit.financing.builders import (
    AT,
    DAY,
    FULL,
    add_defaulter,
    add_national_listing,
    clean,
    grades,
    known,
    last_months,
    payments,
    product,
    record,
    revoke_licence,
)

POLICY = PublicityPolicy()


def reason(
    facts: EnterpriseFacts, rule: RuleId, amount: Decimal = Decimal(10_000), **params: Any
) -> RuleReason:
    decision = evaluate(product(**params), facts, amount_yuan=amount, day=DAY, policy=POLICY)
    [found] = [r for r in decision.reasons if r.rule is rule]
    return found


def with_fact(
    facts: EnterpriseFacts, key: FactKey, value: object, source: Source
) -> EnterpriseFacts:
    return facts.with_fact(key, known(value, source))


def test_active_status() -> None:
    assert reason(clean(), RuleId.ACTIVE_STATUS).verdict is Verdict.PASS
    found = reason(revoke_licence(clean()), RuleId.ACTIVE_STATUS)
    assert found.verdict is Verdict.FAIL
    assert found.observed == "吊销"
    assert "存续" in found.message
    assert "第1项" in found.message


@pytest.mark.parametrize(
    ("established", "verdict"),
    [(dt.date(2024, 11, 22), Verdict.PASS), (dt.date(2024, 11, 23), Verdict.FAIL)],
)
def test_operating_months_counts_whole_months(established: dt.date, verdict: Verdict) -> None:
    found = reason(clean(established=established), RuleId.OPERATING_MONTHS)
    assert found.verdict is verdict
    assert found.threshold == "≥24个月"
    if verdict is Verdict.FAIL:
        assert found.observed is not None
        assert found.observed.startswith("23个月")
        assert "2026-11-23起" in found.advice


def test_whole_months_clamps_to_the_months_end() -> None:
    assert whole_months(dt.date(2025, 1, 31), dt.date(2025, 2, 28)) == 1
    assert whole_months(dt.date(2025, 1, 31), dt.date(2025, 2, 27)) == 0
    assert whole_months(dt.date(2026, 1, 1), dt.date(2025, 1, 1)) == 0


@pytest.mark.parametrize(
    ("monthly", "verdict"), [(Decimal("2500.00"), Verdict.PASS), (Decimal("2499.99"), Verdict.FAIL)]
)
def test_tax_paid_in_the_last_twelve_whole_months(monthly: Decimal, verdict: Verdict) -> None:
    facts = clean(monthly_tax=monthly)
    # a large payment this month (not a whole month yet) does not count
    this_month = TaxPayment(DAY.replace(day=1), Decimal(900_000), zero_return=False)
    rows = (*payments(monthly), this_month)
    found = reason(with_fact(facts, FactKey.TAX_PAYMENTS, rows, Source.TAX), RuleId.TAX_PAID)
    assert found.verdict is verdict
    assert found.observed == f"{monthly * 12:,.2f}元"
    assert found.threshold == "近12个月≥30,000.00元"


@pytest.mark.parametrize(
    ("zeros", "verdict"), [({21, 22}, Verdict.PASS), ({21, 22, 23}, Verdict.FAIL)]
)
def test_recent_payment_within_three_months(zeros: set[int], verdict: Verdict) -> None:
    rows = payments(Decimal(5000), frozenset(zeros))
    facts = with_fact(clean(), FactKey.TAX_PAYMENTS, rows, Source.TAX)
    assert reason(facts, RuleId.RECENT_TAX_PAYMENT).verdict is verdict


@pytest.mark.parametrize(
    ("zeros", "verdict", "observed"),
    [
        ({14, 15}, Verdict.PASS, "最长连续2个月，累计2个月"),
        ({14, 15, 16}, Verdict.FAIL, "最长连续3个月，累计3个月"),
        ({12, 14, 16, 18, 20}, Verdict.PASS, "最长连续1个月，累计5个月"),
        ({12, 14, 16, 18, 20, 22}, Verdict.FAIL, "最长连续1个月，累计6个月"),
        ({0, 1, 2, 3, 4, 5, 6, 7}, Verdict.PASS, "最长连续0个月，累计0个月"),  # before the window
    ],
)
def test_zero_returns_three_consecutive_or_six_in_all(
    zeros: set[int], verdict: Verdict, observed: str
) -> None:
    rows = payments(Decimal(9000), frozenset(zeros))
    found = reason(with_fact(clean(), FactKey.TAX_PAYMENTS, rows, Source.TAX), RuleId.ZERO_RETURNS)
    assert (found.verdict, found.observed) == (verdict, observed)


def test_tax_grade_accepted_refused_and_direct_d() -> None:
    assert reason(clean(grade=TaxGradeLetter.B), RuleId.TAX_GRADE).verdict is Verdict.PASS
    refused = reason(clean(grade=TaxGradeLetter.C), RuleId.TAX_GRADE)
    assert (refused.verdict, refused.observed, refused.threshold) == (
        Verdict.FAIL,
        "2025年度C级",
        "A、B级",
    )
    direct = TaxGrade(2025, TaxGradeLetter.D, None, True, dt.date(2025, 9, 1))
    facts = with_fact(
        clean(),
        FactKey.TAX_GRADES,
        (*grades(TaxGradeLetter.A, range(2020, 2025)), direct),
        Source.TAX,
    )
    found = reason(facts, RuleId.TAX_GRADE)
    assert (found.verdict, found.observed) == (Verdict.FAIL, "D级")
    assert "直接判为D级" in found.message
    none_yet = reason(with_fact(clean(), FactKey.TAX_GRADES, (), Source.TAX), RuleId.TAX_GRADE)
    assert (none_yet.verdict, none_yet.observed) == (Verdict.FAIL, "无")


def test_a_grade_takes_effect_when_it_is_published() -> None:
    # the 2025 grade is published in April 2026; on 2026-04-01 the 2024 grade still counts
    rows = (
        *grades(TaxGradeLetter.C, range(2020, 2025)),
        *grades(TaxGradeLetter.A, range(2025, 2026)),
    )
    facts = with_fact(clean(), FactKey.TAX_GRADES, rows, Source.TAX)
    early = evaluate(
        product(), facts, amount_yuan=Decimal(10_000), day=dt.date(2026, 4, 1), policy=POLICY
    )
    [grade] = [r for r in early.reasons if r.rule is RuleId.TAX_GRADE]
    assert grade.observed == "2024年度C级"


def test_judgment_defaulter_until_the_court_removes_it() -> None:
    found = reason(add_defaulter(clean()), RuleId.NOT_DEFAULTER)
    assert found.verdict is Verdict.FAIL
    assert found.record_ids
    assert "3个工作日" in found.advice
    performed_yesterday = record(
        RecordKind.JUDGMENT_DEFAULTER,
        Source.COURT,
        defaulter_ground=2,
        ended_on=DAY - dt.timedelta(days=1),
    )
    long_ago = record(
        RecordKind.JUDGMENT_DEFAULTER,
        Source.COURT,
        defaulter_ground=2,
        decided_on=dt.date(2020, 1, 1),
        ended_on=dt.date(2021, 1, 1),
    )
    still = with_fact(clean(), FactKey.COURT_RECORDS, (performed_yesterday,), Source.COURT)
    assert reason(still, RuleId.NOT_DEFAULTER).verdict is Verdict.FAIL
    gone = with_fact(clean(), FactKey.COURT_RECORDS, (long_ago,), Source.COURT)
    assert reason(gone, RuleId.NOT_DEFAULTER).verdict is Verdict.PASS


def test_abnormal_operations_and_its_escalation() -> None:
    policy_years = POLICY.abnormal_escalation_years
    recent = record(RecordKind.ABNORMAL_OPERATION, Source.MARKET, decided_on=dt.date(2025, 11, 22))
    facts = with_fact(clean(), FactKey.MARKET_RECORDS, (recent,), Source.MARKET)
    assert reason(facts, RuleId.NOT_ABNORMAL).verdict is Verdict.FAIL
    assert reason(facts, RuleId.NO_SERIOUS_LISTS).verdict is Verdict.PASS
    old = record(
        RecordKind.ABNORMAL_OPERATION,
        Source.MARKET,
        decided_on=dt.date(DAY.year - policy_years, DAY.month, DAY.day) - dt.timedelta(days=2),
    )
    due = with_fact(clean(), FactKey.MARKET_RECORDS, (old,), Source.MARKET)
    # 将被列入: due, not decided — the abnormal rule says so, the serious-list rule passes
    assert reason(due, RuleId.NO_SERIOUS_LISTS).verdict is Verdict.PASS
    assert "将被列入严重违法失信名单" in reason(due, RuleId.NOT_ABNORMAL).finding
    listing = record(
        RecordKind.SERIOUS_VIOLATION,
        Source.MARKET,
        decided_on=DAY - dt.timedelta(days=1),
        escalated_from_abnormal=True,
    )
    decided = with_fact(clean(), FactKey.MARKET_RECORDS, (old, listing), Source.MARKET)
    found = reason(decided, RuleId.NO_SERIOUS_LISTS)
    assert found.verdict is Verdict.FAIL
    assert "经营异常名录满期转入" in found.finding
    assert "国家企业信用信息公示系统" in found.advice


def test_a_national_listing_fails_even_when_market_is_missing() -> None:
    facts = add_national_listing(clean()).without(FactKey.MARKET_RECORDS)
    found = reason(facts, RuleId.NO_SERIOUS_LISTS)
    assert found.verdict is Verdict.FAIL  # a known negative counts; the gap does not hide it
    assert reason(clean().without(FactKey.MARKET_RECORDS), RuleId.NO_SERIOUS_LISTS).verdict is (
        Verdict.MISSING
    )


def test_serious_penalty_inside_its_window_unless_repaired() -> None:
    serious = record(RecordKind.ADMIN_PENALTY, Source.MARKET, severity=Severity.SERIOUS)
    facts = with_fact(clean(), FactKey.MARKET_RECORDS, (serious,), Source.MARKET)
    found = reason(facts, RuleId.NO_SERIOUS_PENALTY)
    assert found.verdict is Verdict.FAIL
    assert "国家发展改革委令第36号" in found.finding
    assert "信用修复" in found.advice
    repaired = dataclasses.replace(
        serious, repair_status=RepairStatus.REPAIRED, repaired_on=DAY - dt.timedelta(days=1)
    )
    general = dataclasses.replace(serious, severity=Severity.GENERAL)
    expired = dataclasses.replace(serious, decided_on=dt.date(2023, 11, 21))
    for other in (repaired, general, expired):
        facts = with_fact(clean(), FactKey.MARKET_RECORDS, (other,), Source.MARKET)
        assert reason(facts, RuleId.NO_SERIOUS_PENALTY).verdict is Verdict.PASS, other


def _social(paid_months: int) -> tuple[SocialInsuranceMonth, ...]:
    months = last_months(12)
    return tuple(
        SocialInsuranceMonth(m, 5, Decimal(9000), Decimal(0))
        if n < paid_months
        else SocialInsuranceMonth(m, 5, Decimal(0), Decimal(0), arrears_yuan=Decimal(9000))
        for n, m in enumerate(months)
    )


@pytest.mark.parametrize(("paid", "verdict"), [(6, Verdict.PASS), (5, Verdict.FAIL)])
def test_social_insurance_months_paid_in_full(paid: int, verdict: Verdict) -> None:
    facts = with_fact(clean(), FactKey.SOCIAL_INSURANCE, _social(paid), Source.HRSS)
    found = reason(facts, RuleId.SOCIAL_INSURANCE)
    assert (found.verdict, found.observed) == (verdict, f"{paid}个月")


def test_no_social_insurance_account_is_zero_months() -> None:
    facts = with_fact(clean(), FactKey.SOCIAL_INSURANCE, (), Source.HRSS)
    assert reason(facts, RuleId.SOCIAL_INSURANCE).verdict is Verdict.FAIL


def test_utility_arrears_inside_the_window_only() -> None:
    months = last_months(24)
    inside = UtilityBill(months[-1], UtilityKind.GAS, Decimal(300), arrears_yuan=Decimal("0.01"))
    outside = UtilityBill(months[0], UtilityKind.GAS, Decimal(300), arrears_yuan=Decimal(300))
    owing = with_fact(clean(), FactKey.UTILITIES, (inside,), Source.UTILITIES)
    assert reason(owing, RuleId.UTILITY_ARREARS).verdict is Verdict.FAIL
    settled = with_fact(clean(), FactKey.UTILITIES, (outside,), Source.UTILITIES)
    assert reason(settled, RuleId.UTILITY_ARREARS).verdict is Verdict.PASS
    lenient = reason(owing, RuleId.UTILITY_ARREARS, max_utility_arrears_yuan="0.01")
    assert lenient.verdict is Verdict.PASS


@pytest.mark.parametrize(
    ("birth", "verdict"),
    [
        (dt.date(1961, 11, 22), Verdict.PASS),  # 65 today
        (dt.date(1960, 11, 23), Verdict.PASS),  # 66 tomorrow
        (dt.date(1960, 11, 22), Verdict.FAIL),  # 66 today
        (dt.date(2008, 11, 22), Verdict.PASS),  # 18 today
        (dt.date(2008, 11, 23), Verdict.FAIL),  # 17
    ],
)
def test_legal_representative_age(birth: dt.date, verdict: Verdict) -> None:
    assert reason(clean(rep_birth=birth), RuleId.LEGAL_REP_AGE).verdict is verdict


def test_legal_representative_age_needs_their_own_consent() -> None:
    facts = clean().with_fact(
        FactKey.LEGAL_REP_BIRTH_DATE,
        Missing(Source.MARKET, MissingReason.NO_CONSENT, ConsentScope.FULL_REPORT),
    )
    found = reason(facts, RuleId.LEGAL_REP_AGE)
    assert found.verdict is Verdict.MISSING
    assert "法定代表人本人" in found.finding


def test_consent_names_the_scopes_missing() -> None:
    assert reason(clean(), RuleId.CONSENT).verdict is Verdict.PASS
    none = reason(clean(consents={}), RuleId.CONSENT)
    assert none.verdict is Verdict.MISSING
    assert "纳税信息" in none.finding
    assert "社保和公积金信息" in none.finding
    tax_only = reason(clean(consents={ConsentScope.TAX: "c-tax"}), RuleId.CONSENT)
    assert tax_only.verdict is Verdict.MISSING
    assert "纳税信息" not in tax_only.finding
    assert "水电气缴费信息" in tax_only.finding
    full = reason(clean(consents=FULL), RuleId.CONSENT)
    assert full.observed == "授权编号 consent-full"


def test_amount_against_the_suggested_limit() -> None:
    facts = clean(monthly_tax=Decimal(5000))  # grade A: 1,000,000; no tax multiple
    assert reason(facts, RuleId.AMOUNT_WITHIN_LIMIT, Decimal(1_000_000)).verdict is Verdict.PASS
    capped = reason(facts, RuleId.AMOUNT_WITHIN_LIMIT, Decimal(600_001), tax_paid_multiple="10")
    assert (capped.verdict, capped.threshold) == (Verdict.FAIL, "≤600,000.00元")
    unknown = reason(facts.without(FactKey.TAX_GRADES), RuleId.AMOUNT_WITHIN_LIMIT)
    assert unknown.verdict is Verdict.MISSING


def test_a_missing_fact_is_missing_never_passed() -> None:
    every = product(dict.fromkeys(RuleId, True))  # the optional rules too
    for key in FactKey:
        facts = clean().without(key)
        decision = evaluate(every, facts, amount_yuan=Decimal(10_000), day=DAY, policy=POLICY)
        missing = {r.rule for r in decision.reasons if r.verdict is Verdict.MISSING}
        assert missing, key
        assert all(
            "无法核验" in r.finding
            for r in decision.reasons
            if r.rule in missing - {RuleId.AMOUNT_WITHIN_LIMIT}
        )


def test_reasons_carry_the_provenance_of_the_facts_read() -> None:
    cached = dataclasses.replace(clean().tax_payments.provenance, cached=True, stale=True)  # type: ignore[union-attr]
    facts = clean()
    assert isinstance(facts.tax_payments, Known)
    facts = facts.with_fact(FactKey.TAX_PAYMENTS, Known(facts.tax_payments.value, cached))
    found = reason(facts, RuleId.TAX_PAID)
    assert found.sources == (Source.TAX,)
    assert [(p.source, p.fetched_at, p.cached, p.stale) for p in found.provenance] == [
        (Source.TAX, AT, True, True)
    ]
    lists = reason(clean(), RuleId.NO_SERIOUS_LISTS)
    assert lists.sources == (Source.MARKET, Source.NATIONAL)
