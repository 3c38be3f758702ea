"""What a bank asks: keys, amounts, fingerprints, the product's offer, loan outcomes."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from credit.financing import (
    AmountOutOfRange,
    InvalidPrecheckRequest,
    LoanOutcomeKind,
    LoanOutcomeReport,
    PrecheckRequest,
    ProductInactive,
    ProductNotOffered,
    batch_fingerprint,
    check_idempotency_key,
    check_offer,
)
from credit.identifiers import InvalidCreditCode
from tests.credit.financing.builders import product

USCC = "91350100M000100Y43"


def request(**changes: object) -> PrecheckRequest:
    fields: dict[str, object] = {
        "uscc": USCC,
        "product_code": "BANK_TAX_LOAN",
        "amount": Decimal(500_000),
        "purpose": "信易贷贷前审查",
        **changes,
    }
    return PrecheckRequest.of(**fields)  # type: ignore[arg-type]


def test_keys() -> None:
    assert check_idempotency_key("order-2026-11-22/0001") == "order-2026-11-22/0001"
    for bad in ("", "has space", "x" * 101, "中文键"):
        with pytest.raises(InvalidPrecheckRequest):
            check_idempotency_key(bad)


def test_amounts_are_positive_yuan_to_the_fen() -> None:
    assert request(amount=Decimal("1234.5")).amount_yuan == Decimal("1234.50")
    for bad in (Decimal(0), Decimal(-1), Decimal("1.001"), Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(InvalidPrecheckRequest):
            request(amount=bad)


def test_the_code_is_validated_and_normalised() -> None:
    assert request(uscc=" 91350100-m000100y43 ").uscc == USCC
    with pytest.raises(InvalidCreditCode):
        request(uscc="91350100M000100Y4Z")


def test_fingerprints_follow_the_content() -> None:
    assert request().fingerprint() == request(uscc=USCC.lower()).fingerprint()
    assert request(amount=Decimal("500000.00")).fingerprint() == request().fingerprint()
    assert request(amount=Decimal(500_001)).fingerprint() != request().fingerprint()
    assert request(purpose="贷款审批").fingerprint() != request().fingerprint()
    assert batch_fingerprint([request()]) != batch_fingerprint([request(), request()])


def test_the_offer() -> None:
    p = product()
    check_offer(p, bank_id="bank-test", amount=Decimal(10_000))
    with pytest.raises(ProductNotOffered):
        check_offer(p, bank_id="bank-other", amount=Decimal(10_000))
    with pytest.raises(AmountOutOfRange) as caught:
        check_offer(p, bank_id="bank-test", amount=Decimal("1000000.01"))
    assert caught.value.extensions()["maximum"] == "1000000"
    with pytest.raises(ProductInactive):
        check_offer(dataclasses.replace(p, active=False), bank_id="bank-test", amount=Decimal(1))


def test_loan_outcomes() -> None:
    approved = LoanOutcomeReport(LoanOutcomeKind.APPROVED, Decimal(300_000), Decimal("3.45"), 12)
    assert (
        approved.fingerprint()
        != LoanOutcomeReport(
            LoanOutcomeKind.APPROVED, Decimal(300_000), Decimal("3.45"), 24
        ).fingerprint()
    )
    LoanOutcomeReport(LoanOutcomeKind.DECLINED)
    bad = [
        (LoanOutcomeKind.APPROVED, None, Decimal(3), 12),
        (LoanOutcomeKind.APPROVED, Decimal(1), Decimal(0), 12),
        (LoanOutcomeKind.APPROVED, Decimal(1), Decimal(37), 12),
        (LoanOutcomeKind.APPROVED, Decimal(1), Decimal(3), 0),
        (LoanOutcomeKind.APPROVED, Decimal("0.001"), Decimal(3), 12),
        (LoanOutcomeKind.WITHDRAWN, Decimal(1), None, None),
    ]
    for outcome, amount, rate, term in bad:
        with pytest.raises(InvalidPrecheckRequest):
            LoanOutcomeReport(outcome, amount, rate, term)
