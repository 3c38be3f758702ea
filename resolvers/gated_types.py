"""GraphQL shapes of consent-gated facts (tax paid, social insurance, utilities) and of the
consent and access-log records people manage about themselves."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from connectors.registry import bureaus
from credit.access import Consent
from credit.records import SocialInsuranceMonth, TaxPayment, UtilityBill
from resolvers.access import AccessLogItem
from resolvers.scalars import Money

__all__ = [
    "AccessLogEntryNode",
    "ConsentNode",
    "ConsentScopeEnum",
    "PurposeEnum",
    "SocialInsuranceMonthNode",
    "TaxPaymentNode",
    "UtilityBillNode",
]


# Derived from the bureaus' declarations (connectors.registry): each consent-gated bureau's
# scope, then FULL_REPORT, described by the scope's label.
if TYPE_CHECKING:

    class ConsentScopeEnum(Enum):
        """授权范围 / What a consent lets a bank read"""

else:
    ConsentScopeEnum = strawberry.enum(
        Enum(
            "ConsentScopeEnum",
            [
                (
                    scope.name,
                    strawberry.enum_value(scope.value, description=scope.label.bilingual()),
                )
                for scope in bureaus().scopes
            ],
        ),
        name="ConsentScopeEnum",
        description="授权范围 / What a consent lets a bank read",
    )


@strawberry.enum(description="查询用途 / Purpose a bank states for a query")
class PurposeEnum(Enum):
    LOAN_PRECHECK = strawberry.enum_value(
        "LOAN_PRECHECK", description="信易贷贷前审查 / 信易贷 pre-loan check"
    )
    LOAN_APPROVAL = strawberry.enum_value("LOAN_APPROVAL", description="贷款审批 / Loan approval")
    POST_LOAN = strawberry.enum_value("POST_LOAN", description="贷后管理 / Post-loan monitoring")
    GUARANTEE = strawberry.enum_value(
        "GUARANTEE", description="担保资格审查 / Guarantee eligibility check"
    )


@strawberry.type(description="月度纳税 / Tax paid in one month")
class TaxPaymentNode:
    month: dt.date = strawberry.field(description="所属月份（当月1日） / Month (its first day)")
    amount: Money = strawberry.field(description="实缴税额 / Tax paid")
    zero_return: bool = strawberry.field(description="是否零申报 / Zero return that month")

    @classmethod
    def from_domain(cls, p: TaxPayment) -> TaxPaymentNode:
        return cls(month=p.month, amount=Money(yuan=p.amount_yuan), zero_return=p.zero_return)


@strawberry.type(description="月度社保和公积金缴纳 / Social insurance and housing fund, one month")
class SocialInsuranceMonthNode:
    month: dt.date = strawberry.field(description="所属月份 / Month")
    headcount: int = strawberry.field(description="参保人数 / Insured employees")
    social_insurance_paid: Money = strawberry.field(description="社保实缴 / Social insurance paid")
    housing_fund_paid: Money = strawberry.field(description="公积金实缴 / Housing fund paid")
    arrears: Money = strawberry.field(description="欠缴 / Arrears")

    @classmethod
    def from_domain(cls, m: SocialInsuranceMonth) -> SocialInsuranceMonthNode:
        return cls(
            month=m.month,
            headcount=m.headcount,
            social_insurance_paid=Money(yuan=m.social_insurance_paid_yuan),
            housing_fund_paid=Money(yuan=m.housing_fund_paid_yuan),
            arrears=Money(yuan=m.arrears_yuan),
        )


@strawberry.type(description="月度水电气账单 / One month's utility bill")
class UtilityBillNode:
    month: dt.date = strawberry.field(description="所属月份 / Month")
    kind: str = strawberry.field(description="种类：WATER/ELECTRICITY/GAS / Kind")
    amount: Money = strawberry.field(description="应缴金额 / Amount billed")
    arrears: Money = strawberry.field(description="欠费 / Arrears")

    @classmethod
    def from_domain(cls, b: UtilityBill) -> UtilityBillNode:
        return cls(
            month=b.month,
            kind=b.kind.value,
            amount=Money(yuan=b.amount_yuan),
            arrears=Money(yuan=b.arrears_yuan),
        )


@strawberry.type(description="一项授权 / A consent a subject gave a bank")
class ConsentNode:
    id: strawberry.ID = strawberry.field(description="授权编号 / Consent id")
    bank_id: str = strawberry.field(description="被授权机构 / The bank")
    scopes: list[ConsentScopeEnum] = strawberry.field(description="授权范围 / Scopes")
    purpose: str = strawberry.field(description="用途 / Purpose")
    granted_on: dt.date = strawberry.field(description="授权日期 / Granted on")
    ends_on: dt.date = strawberry.field(description="截止日期（含） / Last day, inclusive")
    revoked_at: dt.datetime | None = strawberry.field(description="撤销时间 / Revoked at")
    for_enterprise: str | None = strawberry.field(
        description="代表企业授权时的统一社会信用代码；本人授权为空 / USCC when given for an "
        "enterprise; null when for oneself"
    )

    @classmethod
    def from_domain(cls, c: Consent) -> ConsentNode:
        return cls(
            id=strawberry.ID(c.id),
            bank_id=c.bank_id,
            scopes=[ConsentScopeEnum[s.name] for s in sorted(c.scopes)],
            purpose=c.purpose,
            granted_on=c.granted_on,
            ends_on=c.ends_on,
            revoked_at=c.revoked_at,
            for_enterprise=None if c.subject_code.startswith("p:") else c.subject_code,
        )


@strawberry.type(description="一次查询记录（谁查了我） / One look at a subject's data")
class AccessLogEntryNode:
    at: dt.datetime = strawberry.field(description="查询时间 / When")
    who: str = strawberry.field(description="查询机构 / Who looked")
    principal_kind: str = strawberry.field(description="机构类别：bank/officer / Kind of caller")
    purpose: str | None = strawberry.field(description="用途 / Stated purpose")
    consent_id: str | None = strawberry.field(description="所依据的授权 / Consent relied on")
    scopes: list[str] = strawberry.field(description="查看的授权范围 / Gated scopes read")

    @classmethod
    def from_item(cls, item: AccessLogItem) -> AccessLogEntryNode:
        return cls(
            at=item.at,
            who=item.who,
            principal_kind=item.principal_kind,
            purpose=item.purpose,
            consent_id=item.consent_id,
            scopes=list(item.scopes),
        )
