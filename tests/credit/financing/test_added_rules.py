"""Golden pre-checks for the optional rules on the added bureaus' records: 海关失信 never
passes; an IP pledge product needs a patent or trademark in force."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from credit.financing import FactKey, Known, Outcome, RuleId, Verdict, evaluate
from credit.financing.facts import CUSTOMS, IP, FactProvenance
from credit.policy import PublicityPolicy
from credit.records import CreditRecord, RecordKind
from tests.credit.financing.builders import AT, DAY, clean, product, record

POLICY = PublicityPolicy()
AMOUNT = Decimal(100_000)
CUSTOMS_LOAN = product({RuleId.ACTIVE_STATUS: True, RuleId.CUSTOMS_NOT_DISHONEST: True})
IP_PLEDGE_LOAN = product({RuleId.ACTIVE_STATUS: True, RuleId.IP_PLEDGEABLE: True})


def _with(key: FactKey, *records: CreditRecord) -> Known[tuple[CreditRecord, ...]]:
    source = CUSTOMS if key is FactKey.CUSTOMS_RECORDS else IP
    return Known(tuple(records), FactProvenance(source, AT))


def _customs(rating_kind: str, **fields: object) -> CreditRecord:
    return record(RecordKind(rating_kind), CUSTOMS, **fields)


def _decide(loan: object, key: FactKey, *records: CreditRecord) -> tuple[Outcome, Verdict, str]:
    facts = clean().with_fact(key, _with(key, *records))
    decision = evaluate(loan, facts, amount_yuan=AMOUNT, day=DAY, policy=POLICY)  # type: ignore[arg-type]
    (reason,) = [r for r in decision.reasons if r.rule is not RuleId.ACTIVE_STATUS]
    return decision.outcome, reason.verdict, reason.message


def test_a_firm_customs_rates_dishonest_never_passes() -> None:
    outcome, verdict, message = _decide(
        CUSTOMS_LOAN, FactKey.CUSTOMS_RECORDS, _customs("CUSTOMS_DISHONEST")
    )
    assert (outcome, verdict) == (Outcome.DECLINE, Verdict.FAIL)
    assert "被海关认定为失信企业" in message
    assert "海关注册登记和备案企业信用管理办法" in message


def test_certified_general_or_a_repaired_rating_passes() -> None:
    repaired = _customs("CUSTOMS_DISHONEST", ended_on=DAY - dt.timedelta(days=1))
    for held in ((), (_customs("CUSTOMS_CERTIFIED"),), (repaired,)):
        outcome, verdict, _ = _decide(CUSTOMS_LOAN, FactKey.CUSTOMS_RECORDS, *held)
        assert (outcome, verdict) == (Outcome.PASS, Verdict.PASS), held


def test_customs_unknown_is_missing_not_passed() -> None:
    facts = clean()  # the customs answer was never had
    decision = evaluate(CUSTOMS_LOAN, facts, amount_yuan=AMOUNT, day=DAY, policy=POLICY)
    assert decision.outcome is Outcome.REFER
    assert {r.verdict for r in decision.reasons if r.rule is RuleId.CUSTOMS_NOT_DISHONEST} == {
        Verdict.MISSING
    }


def test_an_ip_pledge_product_needs_a_right_in_force() -> None:
    patent = record(RecordKind("PATENT"), IP)
    outcome, verdict, message = _decide(IP_PLEDGE_LOAN, FactKey.IP_RECORDS, patent)
    assert (outcome, verdict) == (Outcome.PASS, Verdict.PASS)
    assert "1项有效专利或注册商标" in message
    lapsed = dataclasses.replace(patent, ended_on=DAY - dt.timedelta(days=1))
    pledge = record(RecordKind("IP_PLEDGE"), IP)
    outcome, verdict, message = _decide(IP_PLEDGE_LOAN, FactKey.IP_RECORDS, lapsed, pledge)
    assert (outcome, verdict) == (Outcome.DECLINE, Verdict.FAIL)
    assert "未持有有效的专利或注册商标" in message
