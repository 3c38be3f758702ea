"""GraphQL enums mirroring the domain's, each value described in Chinese and English.

Members are named as in ``credit``; convert with ``GqlEnum[domain_value.name]``.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from connectors.registry import bureaus
from credit import records

__all__ = [
    "Badge",
    "CreditClass",
    "Matter",
    "Performance",
    "Polarity",
    "RecordKind",
    "RepairStatus",
    "ReportSectionKey",
    "Severity",
    "Source",
    "SubjectKind",
]


# Derived from the domain's kinds and those the bureaus declare (credit.records.declare_kind),
# each described by its label; the bureaus are imported first (connectors.registry).
if TYPE_CHECKING:

    class RecordKind(Enum):
        """信用记录类别 / Kind of credit record"""

else:
    bureaus()
    RecordKind = strawberry.enum(
        Enum(
            "RecordKind",
            [
                (k.name, strawberry.enum_value(k.value, description=k.label.bilingual()))
                for k in records.RecordKind.members()
            ],
        ),
        name="RecordKind",
        description="信用记录类别 / Kind of credit record",
    )


@strawberry.enum(description="记录性质 / Whether records of a kind count against their subject")
class Polarity(Enum):
    NEGATIVE = strawberry.enum_value(
        "NEGATIVE", description="失信、警示类（可申请修复或提出异议） / Negative (dishonesty)"
    )
    POSITIVE = strawberry.enum_value(
        "POSITIVE", description="守信、许可、承诺或评价类 / Positive (incentives, permits)"
    )
    NEUTRAL = strawberry.enum_value(
        "NEUTRAL", description="登记、申报等事实 / Neither (registrations, declarations)"
    )


@strawberry.enum(description="履行情况（失信被执行人） / How far a judgment debtor has performed")
class Performance(Enum):
    NONE = strawberry.enum_value("NONE", description="全部未履行 / Nothing performed")
    PARTIAL = strawberry.enum_value("PARTIAL", description="部分履行 / Partly performed")
    FULL = strawberry.enum_value("FULL", description="全部履行 / Fully performed")


@strawberry.enum(description="失信行为严重程度 / Severity of a negative record")
class Severity(Enum):
    MINOR = strawberry.enum_value("MINOR", description="轻微 / Minor")
    GENERAL = strawberry.enum_value("GENERAL", description="一般 / General")
    SERIOUS = strawberry.enum_value("SERIOUS", description="严重 / Serious")


@strawberry.enum(description="信用修复状态 / Credit-repair state of a record")
class RepairStatus(Enum):
    NONE = strawberry.enum_value("NONE", description="未申请修复 / Never applied")
    APPLIED = strawberry.enum_value("APPLIED", description="修复申请审核中 / Under review")
    REPAIRED = strawberry.enum_value("REPAIRED", description="已修复 / Repaired")


# Derived from the bureaus' declarations (connectors.registry): one value per bureau, named and
# described by its source's label.  Values keep their names: COURT is "court", as ever.
if TYPE_CHECKING:

    class Source(Enum):
        """数据来源部门 / Source bureau of a fact"""

else:
    Source = strawberry.enum(
        Enum(
            "Source",
            [
                (
                    b.source.name,
                    strawberry.enum_value(b.source.value, description=b.name.bilingual()),
                )
                for b in bureaus()
            ],
        ),
        name="Source",
        description="数据来源部门 / Source bureau of a fact",
    )


@strawberry.enum(description="信用主体类别 / Kind of credit subject")
class SubjectKind(Enum):
    ENTERPRISE = strawberry.enum_value(
        "ENTERPRISE", description="法人和非法人组织（统一社会信用代码） / Organisation (USCC)"
    )
    PERSON = strawberry.enum_value(
        "PERSON", description="自然人（公民身份号码） / Natural person (ID number)"
    )


@strawberry.enum(description="信用综合评价分类 / Four-class comprehensive credit evaluation")
class CreditClass(Enum):
    TRUSTWORTHY = strawberry.enum_value("TRUSTWORTHY", description="守信 / Trustworthy")
    WARNING = strawberry.enum_value("WARNING", description="警示 / Warning")
    DISHONEST = strawberry.enum_value("DISHONEST", description="失信 / Dishonest")
    SERIOUSLY_DISHONEST = strawberry.enum_value(
        "SERIOUSLY_DISHONEST", description="严重失信 / Seriously dishonest"
    )


@strawberry.enum(description="信用报告标识 / Badge shown on a credit report")
class Badge(Enum):
    ACTIVE = strawberry.enum_value("ACTIVE", description="存续 / Active")
    DEREGISTERED = strawberry.enum_value("DEREGISTERED", description="注销 / Deregistered")
    REVOKED = strawberry.enum_value("REVOKED", description="吊销 / Licence revoked")
    INCENTIVE = strawberry.enum_value(
        "INCENTIVE", description="守信激励对象 / Subject of joint incentives"
    )
    PUNISHMENT = strawberry.enum_value(
        "PUNISHMENT", description="失信惩戒对象 / Subject of joint punishment"
    )


@strawberry.enum(description="办理事项类别（逢办必查） / Kind of matter an officer handles")
class Matter(Enum):
    GOVERNMENT_PROCUREMENT = strawberry.enum_value(
        "GOVERNMENT_PROCUREMENT", description="政府采购 / Government procurement"
    )
    BIDDING = strawberry.enum_value("BIDDING", description="招标投标 / Public bidding")
    SUBSIDY = strawberry.enum_value("SUBSIDY", description="财政资金补贴 / Government subsidy")
    LICENSING = strawberry.enum_value(
        "LICENSING", description="行政许可 / Administrative licensing"
    )
    FINANCING = strawberry.enum_value("FINANCING", description="融资授信 / Financing and credit")
    PUBLIC_OFFICE = strawberry.enum_value("PUBLIC_OFFICE", description="任职资格 / Holding office")
    HONOURS = strawberry.enum_value("HONOURS", description="评优评先 / Honours and awards")
    HIGH_CONSUMPTION = strawberry.enum_value(
        "HIGH_CONSUMPTION", description="高消费 / High consumption"
    )
    INVOICE = strawberry.enum_value("INVOICE", description="发票领用 / Invoice issuance")


@strawberry.enum(description="信用报告栏目 / Section of a public credit report")
class ReportSectionKey(Enum):
    ADMINISTRATIVE = strawberry.enum_value(
        "ADMINISTRATIVE", description="行政管理信息 / Administrative (permits, penalties)"
    )
    HONESTY = strawberry.enum_value(
        "HONESTY", description="诚实守信信息 / Honesty (red lists, A-grade taxpayer)"
    )
    SERIOUS_LISTS = strawberry.enum_value(
        "SERIOUS_LISTS", description="严重失信主体名单信息 / Serious-dishonesty lists"
    )
    ABNORMAL = strawberry.enum_value("ABNORMAL", description="经营异常信息 / Abnormal operations")
    COMMITMENT = strawberry.enum_value(
        "COMMITMENT", description="信用承诺信息 / Credit commitments"
    )
    EVALUATION = strawberry.enum_value(
        "EVALUATION", description="信用评价信息 / Credit evaluations"
    )
    JUDICIAL = strawberry.enum_value("JUDICIAL", description="司法判决信息 / Judicial information")
    OTHER = strawberry.enum_value("OTHER", description="其他信息 / Other information")
