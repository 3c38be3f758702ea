"""The refusals of the financing pre-check, each a :class:`~credit.errors.DomainError`.

    DomainError
     ├── InvalidProduct          INVALID_PRODUCT          a parameter or rule that makes no sense
     ├── UnknownProduct          UNKNOWN_PRODUCT          no such product (or version)
     ├── ProductInactive         PRODUCT_INACTIVE         the product's current version is off
     ├── ProductNotOffered       FORBIDDEN                another bank's product
     ├── AmountOutOfRange        AMOUNT_OUT_OF_RANGE      outside the product's amount range
     ├── InvalidPrecheckRequest  INVALID_PRECHECK_REQUEST a bad key, batch, amount or outcome
     ├── EnterpriseNotFound      ENTERPRISE_NOT_FOUND     no bureau knows the USCC
     ├── IdempotencyConflict     IDEMPOTENCY_CONFLICT     the key was used with another input
     ├── PrecheckNotFound        PRECHECK_NOT_FOUND       no such pre-check (for this caller)
     └── OutcomeConflict         OUTCOME_CONFLICT         a different outcome was reported

Messages are Chinese and carry no personal data.
"""

from __future__ import annotations

from decimal import Decimal

from credit.errors import DomainError

__all__ = [
    "AmountOutOfRange",
    "EnterpriseNotFound",
    "IdempotencyConflict",
    "InvalidPrecheckRequest",
    "InvalidProduct",
    "OutcomeConflict",
    "PrecheckNotFound",
    "ProductInactive",
    "ProductNotOffered",
    "UnknownProduct",
]


class InvalidProduct(DomainError):
    code = "INVALID_PRODUCT"


class UnknownProduct(DomainError):
    code = "UNKNOWN_PRODUCT"

    def __init__(self, code: str) -> None:
        self.product_code = code
        super().__init__(f"没有代码为 {code} 的融资产品（或该版本）")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "productCode": self.product_code}


class ProductInactive(DomainError):
    code = "PRODUCT_INACTIVE"

    def __init__(self, code: str) -> None:
        self.product_code = code
        super().__init__(f"融资产品 {code} 已停用，不能用于预审")


class ProductNotOffered(DomainError):
    code = "FORBIDDEN"

    def __init__(self, code: str) -> None:
        self.product_code = code
        super().__init__(f"融资产品 {code} 不是贵行的产品，不能以其名义预审")


class AmountOutOfRange(DomainError):
    code = "AMOUNT_OUT_OF_RANGE"

    def __init__(self, minimum: Decimal, maximum: Decimal) -> None:
        self.minimum, self.maximum = minimum, maximum
        super().__init__(f"申请金额应在 {minimum:,.2f} 元至 {maximum:,.2f} 元之间")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "minimum": str(self.minimum), "maximum": str(self.maximum)}


class InvalidPrecheckRequest(DomainError):
    code = "INVALID_PRECHECK_REQUEST"


class EnterpriseNotFound(DomainError):
    code = "ENTERPRISE_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("市场监管部门未查询到该统一社会信用代码的登记信息，无法预审")


class IdempotencyConflict(DomainError):
    code = "IDEMPOTENCY_CONFLICT"

    def __init__(self) -> None:
        super().__init__("该幂等键已用于内容不同的请求：请为新请求使用新的幂等键")


class PrecheckNotFound(DomainError):
    code = "PRECHECK_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("找不到这次融资预审，或您无权查看")


class OutcomeConflict(DomainError):
    code = "OUTCOME_CONFLICT"

    def __init__(self) -> None:
        super().__init__("这次预审已报告过不同的贷款结果，不能更改")
