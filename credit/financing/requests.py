"""What a bank asks and reports: a pre-check request, a batch, a loan outcome — validated.

    request = PrecheckRequest.of(uscc=" 91640104… ", product_code="BANK_TAX_LOAN",
                                 amount=Decimal("500000"), purpose="信易贷贷前审查")
    request.fingerprint()        # the same input → the same hex digest (idempotency)
    check_offer(product, bank_id="bank-a", amount=request.amount_yuan)

An idempotency key is 1-100 visible ASCII characters, chosen by the bank; the same key (per
bank) with the same fingerprint returns the stored decision, with another fingerprint it is
:class:`~credit.financing.errors.IdempotencyConflict`.  Errors:
:class:`~credit.financing.errors.InvalidPrecheckRequest`, ``ProductInactive``,
``ProductNotOffered``, ``AmountOutOfRange``, and ``InvalidCreditCode`` for a bad USCC.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from credit.financing.errors import (
    AmountOutOfRange,
    InvalidPrecheckRequest,
    ProductInactive,
    ProductNotOffered,
)
from credit.financing.products import Product
from credit.identifiers import validate_uscc
from credit.money import yuan

__all__ = [
    "MAX_ANNUAL_RATE_PERCENT",
    "LoanOutcomeKind",
    "LoanOutcomeReport",
    "PrecheckRequest",
    "batch_fingerprint",
    "check_idempotency_key",
    "check_offer",
    "fingerprint",
]

_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")
# A sanity bound on a reported bank rate, far above any lawful one (private lending is capped
# at 4x LPR since the 2020 revision of the 民间借贷司法解释); not itself a legal limit.
MAX_ANNUAL_RATE_PERCENT = Decimal(36)


def check_idempotency_key(key: str) -> str:
    if not _KEY.match(key):
        raise InvalidPrecheckRequest("幂等键应为1至100个可见ASCII字符（不含空格）")
    return key


def _amount(value: Decimal, what: str) -> Decimal:
    try:
        amount = yuan(value)
    except InvalidOperation:
        raise InvalidPrecheckRequest(f"{what}无效") from None
    if not amount.is_finite() or amount <= 0 or amount != value:
        raise InvalidPrecheckRequest(f"{what}应为正数，最多两位小数（单位：元）")
    return amount


def fingerprint(*parts: object) -> str:
    """A stable digest of a request's content (JSON of ``parts``, keys sorted)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class PrecheckRequest:
    uscc: str
    product_code: str
    amount_yuan: Decimal
    purpose: str  # the purpose's text, as consents store it

    @classmethod
    def of(cls, *, uscc: str, product_code: str, amount: Decimal, purpose: str) -> PrecheckRequest:
        return cls(validate_uscc(uscc), product_code.strip(), _amount(amount, "申请金额"), purpose)

    def fingerprint(self) -> str:
        return fingerprint(self.uscc, self.product_code, str(self.amount_yuan), self.purpose)


def batch_fingerprint(requests: Sequence[PrecheckRequest]) -> str:
    return fingerprint([r.fingerprint() for r in requests])


def check_offer(product: Product, *, bank_id: str, amount: Decimal) -> None:
    """Refuse a pre-check the product cannot take: off, another bank's, amount out of range."""
    if not product.active:
        raise ProductInactive(product.code)
    if product.bank_id != bank_id:
        raise ProductNotOffered(product.code)
    params = product.parameters
    if not params.min_amount_yuan <= amount <= params.max_amount_yuan:
        raise AmountOutOfRange(params.min_amount_yuan, params.max_amount_yuan)


class LoanOutcomeKind(StrEnum):
    APPROVED = "APPROVED"  # 已放款 / 已批准
    DECLINED = "DECLINED"  # 银行拒绝
    WITHDRAWN = "WITHDRAWN"  # 企业撤回申请


@dataclass(frozen=True, slots=True)
class LoanOutcomeReport:
    """What the bank did after a pre-check (以信获贷、以贷促信).  An approval states the
    amount, the annual rate (percent) and the term; the others state none of them."""

    outcome: LoanOutcomeKind
    amount_yuan: Decimal | None = None
    annual_rate_percent: Decimal | None = None
    term_months: int | None = None

    def __post_init__(self) -> None:
        terms = (self.amount_yuan, self.annual_rate_percent, self.term_months)
        if self.outcome is not LoanOutcomeKind.APPROVED:
            if any(t is not None for t in terms):
                raise InvalidPrecheckRequest("未放款的结果不应填写金额、利率或期限")
            return
        amount, rate, term = terms
        if amount is None or rate is None or term is None:
            raise InvalidPrecheckRequest("放款结果须填写金额、年利率和期限")
        _amount(amount, "放款金额")
        if not rate.is_finite() or not 0 < rate <= MAX_ANNUAL_RATE_PERCENT:
            raise InvalidPrecheckRequest(f"年利率应大于0且不超过{MAX_ANNUAL_RATE_PERCENT}%")
        if not 1 <= term <= 360:
            raise InvalidPrecheckRequest("贷款期限应为1至360个月")

    def fingerprint(self) -> str:
        return fingerprint(
            self.outcome.value,
            None if self.amount_yuan is None else str(self.amount_yuan),
            None if self.annual_rate_percent is None else str(self.annual_rate_percent),
            self.term_months,
        )
