"""The pre-check: an enterprise's facts against one product → PASS, REFER or DECLINE.

    decision = evaluate(product, facts, amount_yuan=Decimal(500_000), day=today, policy=policy)
    decision.outcome, decision.score, decision.suggested_limit_yuan, decision.reasons

* ``DECLINE`` when a hard rule fails; else ``REFER`` (a person decides) when a soft rule
  fails or any rule could not be checked because a fact is missing; else ``PASS``.  A missing
  fact therefore never yields ``PASS`` (DOMAIN.md §5).
* One :class:`RuleReason` per rule the product applies, in the product's order: rule id,
  verdict, a Chinese message citing the rule, what was observed, the threshold, the sources
  and provenance of the facts read (个人信息保护法 第二十四条: explainable automated decisions).
* The score (0-100) is the weighted share of the rules passed, graded where a rule grades
  (tax grade, tax paid), capped at :data:`REFER_SCORE_CAP` / :data:`DECLINE_SCORE_CAP`.
* The suggested limit is the product's limit for the current tax grade, at most
  ``tax_paid_multiple`` × the tax paid in the lookback window, rounded down to whole thousands
  of yuan; 0 on DECLINE; ``None`` when a fact it needs is missing.

The same input always gives the same decision: nothing here reads a clock or a random source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from credit.classification import active_direct_d, current_tax_grade
from credit.financing.facts import (
    CONSENT_SCOPE_OF,
    SOURCE_OF,
    EnterpriseFacts,
    FactKey,
    FactProvenance,
    Known,
)
from credit.financing.ledger_rules import LEDGER_RULES, paid_in_window, window
from credit.financing.products import Product, RuleId
from credit.financing.rules import RECORD_RULES, RuleDef, RuleInput, Verdict
from credit.money import yuan
from credit.policy import PublicityPolicy
from credit.records import Source

__all__ = [
    "DECLINE_SCORE_CAP",
    "REFER_SCORE_CAP",
    "RULES",
    "Decision",
    "Outcome",
    "RuleReason",
    "evaluate",
    "facts_read",
    "limit_facts",
    "suggested_limit",
]

RULES: Mapping[RuleId, RuleDef] = {**RECORD_RULES, **LEDGER_RULES}
"""Every rule a product may apply."""

REFER_SCORE_CAP = 79
DECLINE_SCORE_CAP = 39
_LIMIT_STEP = Decimal(1000)


class Outcome(StrEnum):
    PASS = "PASS"  # noqa: S105 (a verdict, not a password)
    REFER = "REFER"
    DECLINE = "DECLINE"

    @property
    def rank(self) -> int:
        """2 for PASS down to 0 for DECLINE: the larger, the better for the enterprise."""
        return {Outcome.PASS: 2, Outcome.REFER: 1, Outcome.DECLINE: 0}[self]


@dataclass(frozen=True, slots=True)
class RuleReason:
    """One rule's part in a decision, with its evidence."""

    rule: RuleId
    title: str
    hard: bool
    verdict: Verdict
    finding: str  # plain Chinese: what was found
    message: str  # the finding with the rule and its basis cited
    observed: str | None
    threshold: str
    advice: str  # what the enterprise can do ("" when the rule passed)
    sources: tuple[Source, ...]
    provenance: tuple[FactProvenance, ...]
    record_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    score: int
    suggested_limit_yuan: Decimal | None
    reasons: tuple[RuleReason, ...]
    product_code: str
    product_version: int
    amount_yuan: Decimal
    day: dt.date


def limit_facts(product: Product) -> tuple[FactKey, ...]:
    """The facts :func:`suggested_limit` reads for ``product``."""
    keys = [FactKey.TAX_GRADES] if product.applies(RuleId.TAX_GRADE) else []
    if product.parameters.tax_paid_multiple is not None:
        keys.append(FactKey.TAX_PAYMENTS)
    return tuple(keys)


def _reads(product: Product, rule: RuleDef) -> tuple[FactKey, ...]:
    return limit_facts(product) if rule.id is RuleId.AMOUNT_WITHIN_LIMIT else rule.reads


def facts_read(product: Product) -> frozenset[FactKey]:
    """Every fact some rule of ``product`` reads (a missing one keeps it from PASS)."""
    return frozenset(k for spec in product.rules for k in _reads(product, RULES[spec.rule]))


def suggested_limit(
    product: Product, facts: EnterpriseFacts, day: dt.date, policy: PublicityPolicy
) -> Decimal | None:
    """The most the product would lend on these facts (before the decision's outcome)."""
    params = product.parameters
    limit = params.max_amount_yuan
    if product.applies(RuleId.TAX_GRADE):
        grades = facts.tax_grades
        if not isinstance(grades, Known):
            return None
        current = current_tax_grade(grades.value, day, policy)
        if current is None or active_direct_d(grades.value, day, policy) is not None:
            return yuan(0)
        limit = min(limit, params.limit_for(current.grade))
    if params.tax_paid_multiple is not None:
        payments = facts.tax_payments
        if not isinstance(payments, Known):
            return None
        paid = paid_in_window(payments.value, window(day, params.lookback_months))
        limit = min(limit, params.tax_paid_multiple * paid)
    return yuan((limit / _LIMIT_STEP).to_integral_value(ROUND_FLOOR) * _LIMIT_STEP)


def _label(verdict: Verdict, hard: bool) -> str:
    if verdict is Verdict.PASS:
        return "通过"
    if verdict is Verdict.MISSING:
        return "待核验（转人工审核）"
    return "未通过（否决项）" if hard else "未通过（转人工审核）"


def _reason(
    rule: RuleDef, hard: bool, reads: tuple[FactKey, ...], data: RuleInput
) -> tuple[RuleReason, float]:
    finding = rule.check(data)
    provenance = []
    for key in reads:
        fact = data.facts.get(key)
        if isinstance(fact, Known):
            provenance.append(fact.provenance)
    sources = tuple(dict.fromkeys(SOURCE_OF[k] for k in reads))
    if rule.id is RuleId.CONSENT:
        sources = (Source.PLATFORM,)  # consents are the platform's own records
    message = (
        f"【{rule.title}】{_label(finding.verdict, hard)}：{finding.text}。"
        f"依据：{rule.basis}（信易贷准入{rule.item}）"
    )
    reason = RuleReason(
        rule=rule.id,
        title=rule.title,
        hard=hard,
        verdict=finding.verdict,
        finding=finding.text,
        message=message,
        observed=finding.observed,
        threshold=finding.threshold,
        advice="" if finding.verdict is Verdict.PASS else finding.advice,
        sources=sources,
        provenance=tuple(dict.fromkeys(provenance)),
        record_ids=finding.record_ids,
    )
    return reason, finding.quality if finding.verdict is Verdict.PASS else 0.0


def evaluate(
    product: Product,
    facts: EnterpriseFacts,
    *,
    amount_yuan: Decimal,
    day: dt.date,
    policy: PublicityPolicy,
) -> Decision:
    """Decide; see the module docstring."""
    limit = suggested_limit(product, facts, day, policy)
    scopes = frozenset(CONSENT_SCOPE_OF[k] for k in facts_read(product) if k in CONSENT_SCOPE_OF)
    data = RuleInput(facts, product.parameters, day, policy, amount_yuan, limit, scopes)
    reasons: list[RuleReason] = []
    earned = total = 0.0
    for spec in product.rules:
        rule = RULES[spec.rule]
        reason, quality = _reason(rule, spec.hard, _reads(product, rule), data)
        reasons.append(reason)
        earned += rule.weight * quality
        total += rule.weight
    if any(r.verdict is Verdict.FAIL and r.hard for r in reasons):
        outcome, cap = Outcome.DECLINE, DECLINE_SCORE_CAP
    elif any(r.verdict is not Verdict.PASS for r in reasons):
        outcome, cap = Outcome.REFER, REFER_SCORE_CAP
    else:
        outcome, cap = Outcome.PASS, 100
    score = min(cap, int(100 * earned / total + 0.5)) if total else 0
    return Decision(
        outcome=outcome,
        score=score,
        suggested_limit_yuan=yuan(0) if outcome is Outcome.DECLINE else limit,
        reasons=tuple(reasons),
        product_code=product.code,
        product_version=product.version,
        amount_yuan=amount_yuan,
        day=day,
    )
