"""GraphQL types of the credit graph.  Every type and field is described in Chinese and English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

import strawberry

from credit.masking import mask_id_number, mask_name
from credit.records import OperatingStatus as DomainStatus
from credit.records import Registration

__all__ = ["Enterprise", "LegalRepresentative", "Money", "OperatingStatus"]


@strawberry.enum(description="经营状态 / Operating status of a registered organisation")
class OperatingStatus(Enum):
    ACTIVE = strawberry.enum_value("存续", description="存续 / Active (in business)")
    DEREGISTERED = strawberry.enum_value("注销", description="注销 / Deregistered")
    REVOKED = strawberry.enum_value("吊销", description="吊销 / Business licence revoked")

    @classmethod
    def of(cls, status: DomainStatus) -> OperatingStatus:
        return cls(status.value)


@strawberry.type(description="金额（人民币） / An amount of money in CNY")
class Money:
    yuan: Decimal = strawberry.field(description="金额，单位：元 / Amount in yuan")
    currency: str = strawberry.field(description="币种，ISO 4217 / Currency code", default="CNY")


@strawberry.type(
    description="法定代表人 / Legal representative (masked unless you are that person)"
)
class LegalRepresentative:
    name: str = strawberry.field(description="姓名（脱敏） / Name, masked")
    id_number: str = strawberry.field(description="公民身份号码（脱敏） / ID number, masked")


@strawberry.type(description="企业等市场主体 / A registered organisation, keyed by its USCC")
class Enterprise:
    uscc: str = strawberry.field(description="统一社会信用代码 / Unified social credit code")
    name: str = strawberry.field(description="名称 / Registered name")
    status: OperatingStatus = strawberry.field(description="登记状态 / Registration status")
    established_on: dt.date = strawberry.field(description="成立日期 / Date established")
    registered_capital: Money = strawberry.field(description="注册资本 / Registered capital")
    address: str = strawberry.field(description="住所 / Registered address")
    division_code: str = strawberry.field(
        description="登记机关行政区划代码（GB/T 2260） / Division code of the registering authority"
    )
    industry: str = strawberry.field(description="行业 / Industry")
    legal_representative: LegalRepresentative = strawberry.field(
        description="法定代表人 / Legal representative"
    )

    @classmethod
    def from_domain(cls, reg: Registration) -> Enterprise:
        return cls(
            uscc=reg.uscc,
            name=reg.name,
            status=OperatingStatus.of(reg.status),
            established_on=reg.established_on,
            registered_capital=Money(yuan=reg.registered_capital_yuan),
            address=reg.address,
            division_code=reg.division_code,
            industry=reg.industry,
            legal_representative=LegalRepresentative(
                name=mask_name(reg.legal_rep_name), id_number=mask_id_number(reg.legal_rep_id)
            ),
        )
