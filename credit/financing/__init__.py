"""信易贷 financing pre-checks: products as data, an enterprise's facts, rules and the engine.

Pure and synchronous like the rest of :mod:`credit`: the gateway gathers the facts
(:class:`EnterpriseFacts`) and stores products and decisions; this package decides.

    decision = evaluate(product, facts, amount_yuan=amount, day=today, policy=policy)
    explanation = explain(decision.outcome, decision.reasons, bank_name=..., product_name=...,
                          day=decision.day)

Errors: see :mod:`credit.financing.errors` (all :class:`~credit.errors.DomainError`).
"""

from __future__ import annotations

from credit.financing.engine import (
    RULES,
    Decision,
    Outcome,
    RuleReason,
    evaluate,
    facts_read,
    limit_facts,
    suggested_limit,
)
from credit.financing.errors import (
    AmountOutOfRange,
    EnterpriseNotFound,
    IdempotencyConflict,
    InvalidPrecheckRequest,
    InvalidProduct,
    OutcomeConflict,
    PrecheckNotFound,
    ProductInactive,
    ProductNotOffered,
    UnknownProduct,
)
from credit.financing.explain import OUTCOME_TEXT, Explanation, explain
from credit.financing.facts import (
    CONSENT_SCOPE_OF,
    SOURCE_OF,
    EnterpriseFacts,
    Fact,
    FactKey,
    FactProvenance,
    Known,
    Missing,
    MissingReason,
)
from credit.financing.products import (
    GRADE_ORDER,
    Product,
    ProductChange,
    ProductParameters,
    RuleId,
    RuleSpec,
    apply_change,
)
from credit.financing.requests import (
    LoanOutcomeKind,
    LoanOutcomeReport,
    PrecheckRequest,
    batch_fingerprint,
    check_idempotency_key,
    check_offer,
)
from credit.financing.rules import Verdict

__all__ = [
    "CONSENT_SCOPE_OF",
    "GRADE_ORDER",
    "OUTCOME_TEXT",
    "RULES",
    "SOURCE_OF",
    "AmountOutOfRange",
    "Decision",
    "EnterpriseFacts",
    "EnterpriseNotFound",
    "Explanation",
    "Fact",
    "FactKey",
    "FactProvenance",
    "IdempotencyConflict",
    "InvalidPrecheckRequest",
    "InvalidProduct",
    "Known",
    "LoanOutcomeKind",
    "LoanOutcomeReport",
    "Missing",
    "MissingReason",
    "Outcome",
    "OutcomeConflict",
    "PrecheckNotFound",
    "PrecheckRequest",
    "Product",
    "ProductChange",
    "ProductInactive",
    "ProductNotOffered",
    "ProductParameters",
    "RuleId",
    "RuleReason",
    "RuleSpec",
    "UnknownProduct",
    "Verdict",
    "apply_change",
    "batch_fingerprint",
    "check_idempotency_key",
    "check_offer",
    "evaluate",
    "explain",
    "facts_read",
    "limit_facts",
    "suggested_limit",
]
