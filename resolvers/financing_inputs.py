"""GraphQL inputs of the financing pre-check: what banks send, and what operators change.

Amounts are yuan (``Decimal``); a product's parameters not given keep the current version's
(:meth:`ProductParametersInput.changes` gives them in the JSON form
:mod:`credit.financing.products` reads and validates).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry

from resolvers.financing_types import FinancingRule
from resolvers.gated_types import PurposeEnum

__all__ = [
    "FinancingProductInput",
    "GradeLimitInput",
    "PrecheckBatchEntry",
    "PrecheckFinancingBatchInput",
    "PrecheckFinancingInput",
    "ProductParametersInput",
    "ProductRuleInput",
]


@strawberry.input(description="一次融资预审 / One financing pre-check")
class PrecheckFinancingInput:
    uscc: str = strawberry.field(description="企业统一社会信用代码 / The enterprise's USCC")
    product_code: str = strawberry.field(description="产品代码 / Product code")
    amount: Decimal = strawberry.field(description="申请金额（元） / Amount asked, yuan")
    purpose: PurposeEnum = strawberry.field(description="查询用途（须与企业授权一致） / Purpose")
    idempotency_key: str = strawberry.field(
        description="幂等键：同一银行同键同内容返回同一结果 / Same key, same input: same decision"
    )


@strawberry.input(description="批量预审中的一家企业 / One firm of a batch")
class PrecheckBatchEntry:
    uscc: str = strawberry.field(description="统一社会信用代码 / USCC")
    amount: Decimal = strawberry.field(description="申请金额（元） / Amount asked, yuan")


@strawberry.input(description="批量融资预审（一个产品） / A batch pre-check, one product")
class PrecheckFinancingBatchInput:
    product_code: str = strawberry.field(description="产品代码 / Product code")
    purpose: PurposeEnum = strawberry.field(description="查询用途 / Purpose")
    idempotency_key: str = strawberry.field(description="整批的幂等键 / The batch's key")
    items: list[PrecheckBatchEntry] = strawberry.field(
        description="企业（最多100家） / The firms, at most 100"
    )


@strawberry.input(description="产品规则 / A rule of a product")
class ProductRuleInput:
    rule: FinancingRule = strawberry.field(description="规则 / Rule")
    hard: bool = strawberry.field(description="否决项 / A failure declines (else refers)")


@strawberry.input(description="某一等级的额度 / The limit for one tax grade")
class GradeLimitInput:
    grade: str = strawberry.field(description="纳税信用等级 / Tax grade")
    limit_yuan: Decimal = strawberry.field(description="额度上限（元） / Most lent, yuan")


@strawberry.input(description="产品参数（未填的沿用当前版本） / Parameters; unset ones are kept")
class ProductParametersInput:
    min_amount_yuan: Decimal | None = strawberry.field(default=None, description="最低金额 / Min")
    max_amount_yuan: Decimal | None = strawberry.field(default=None, description="最高金额 / Max")
    min_term_months: int | None = strawberry.field(default=None, description="最短期限 / Term min")
    max_term_months: int | None = strawberry.field(default=None, description="最长期限 / Term max")
    accepted_tax_grades: list[str] | None = strawberry.field(
        default=None, description="接受的纳税信用等级 / Grades accepted"
    )
    limit_by_grade_yuan: list[GradeLimitInput] | None = strawberry.field(
        default=None, description="各等级额度（整体替换） / Limit per grade (replaces all)"
    )
    tax_paid_multiple: Decimal | None = strawberry.field(
        default=None, description="纳税额倍数 / Limit ≤ this × tax paid"
    )
    min_operating_months: int | None = strawberry.field(
        default=None, description="最短经营月数 / Months operating"
    )
    min_tax_paid_yuan: Decimal | None = strawberry.field(
        default=None, description="考察期最低纳税额 / Least tax paid"
    )
    lookback_months: int | None = strawberry.field(default=None, description="考察期 / Window")
    recent_payment_months: int | None = strawberry.field(
        default=None, description="近期纳税月数 / Recent-payment window"
    )
    zero_return_run_limit: int | None = strawberry.field(
        default=None, description="连续零申报上限 / Consecutive zero returns that fail"
    )
    zero_return_total_limit: int | None = strawberry.field(
        default=None, description="累计零申报上限 / Zero returns that fail"
    )
    min_social_insurance_months: int | None = strawberry.field(
        default=None, description="社保足额缴纳月数 / Social insurance months"
    )
    max_utility_arrears_yuan: Decimal | None = strawberry.field(
        default=None, description="水电气欠费上限 / Utility arrears allowed"
    )
    legal_rep_min_age: int | None = strawberry.field(default=None, description="最低年龄 / Min")
    legal_rep_max_age: int | None = strawberry.field(default=None, description="最高年龄 / Max")

    def changes(self) -> dict[str, Any]:
        """The parameters given, in the JSON form of :mod:`credit.financing.products`."""
        found: dict[str, Any] = {}
        for name, value in vars(self).items():
            if isinstance(value, Decimal):
                found[name] = str(value)
            elif name == "limit_by_grade_yuan" and value is not None:
                found[name] = {g.grade: str(g.limit_yuan) for g in value}
            elif value is not None:
                found[name] = value
        return found


@strawberry.input(description="新建或修改产品（生成新版本） / Create or change a product")
class FinancingProductInput:
    code: str = strawberry.field(description="产品代码 / Product code")
    name: str | None = strawberry.field(default=None, description="产品名称 / Name")
    bank_id: str | None = strawberry.field(default=None, description="银行编号 / Bank id")
    bank_name: str | None = strawberry.field(default=None, description="银行名称 / Bank name")
    active: bool | None = strawberry.field(default=None, description="是否在售 / Offered")
    rules: list[ProductRuleInput] | None = strawberry.field(
        default=None, description="适用规则（整体替换） / Rules (replace all)"
    )
    parameters: ProductParametersInput | None = strawberry.field(
        default=None, description="参数 / Parameters"
    )
