"""GraphQL enums mirroring the domain's, each value described in Chinese and English.

Members are named as in ``credit``; convert with ``GqlEnum[domain_value.name]``.
"""

from __future__ import annotations

from enum import Enum

import strawberry

__all__ = ["RecordKind", "RepairStatus", "Severity", "Source", "SubjectKind"]


@strawberry.enum(description="信用记录类别 / Kind of credit record")
class RecordKind(Enum):
    ADMIN_PENALTY = strawberry.enum_value(
        "ADMIN_PENALTY", description="行政处罚（双公示） / Administrative penalty"
    )
    MARKET_PENALTY = strawberry.enum_value(
        "MARKET_PENALTY", description="市场监管行政处罚 / Market-regulation penalty"
    )
    PERMIT = strawberry.enum_value("PERMIT", description="行政许可 / Administrative permit")
    JUDGMENT_DEFAULTER = strawberry.enum_value(
        "JUDGMENT_DEFAULTER", description="失信被执行人 / Judgment defaulter"
    )
    CONSUMPTION_RESTRICTION = strawberry.enum_value(
        "CONSUMPTION_RESTRICTION", description="限制消费令 / Consumption restriction order"
    )
    ABNORMAL_OPERATION = strawberry.enum_value(
        "ABNORMAL_OPERATION", description="经营异常名录 / Abnormal-operations list"
    )
    SERIOUS_VIOLATION = strawberry.enum_value(
        "SERIOUS_VIOLATION", description="严重违法失信名单 / Serious-violation list"
    )
    SERIOUS_DISHONESTY = strawberry.enum_value(
        "SERIOUS_DISHONESTY",
        description="严重失信主体名单（全国） / National serious-dishonesty list",
    )
    RED_LIST = strawberry.enum_value("RED_LIST", description="守信激励（红名单） / Red list")
    COMMITMENT = strawberry.enum_value("COMMITMENT", description="信用承诺 / Credit commitment")
    EVALUATION = strawberry.enum_value("EVALUATION", description="信用评价 / Credit evaluation")


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


@strawberry.enum(description="数据来源部门 / Source bureau of a fact")
class Source(Enum):
    COURT = strawberry.enum_value("court", description="法院 / Courts")
    MARKET = strawberry.enum_value("market", description="市场监管 / Market regulation")
    TAX = strawberry.enum_value("tax", description="税务 / Tax")
    HRSS = strawberry.enum_value(
        "hrss", description="人社与公积金 / Social insurance and housing fund"
    )
    UTILITIES = strawberry.enum_value("utilities", description="水电气 / Utilities")
    NATIONAL = strawberry.enum_value("national", description="全国性名单 / National lists")
    IDENTITY = strawberry.enum_value("identity", description="身份核验 / Identity verification")
    PLATFORM = strawberry.enum_value(
        "platform", description="信用平台自有数据 / The platform's own data"
    )


@strawberry.enum(description="信用主体类别 / Kind of credit subject")
class SubjectKind(Enum):
    ENTERPRISE = strawberry.enum_value(
        "ENTERPRISE", description="法人和非法人组织（统一社会信用代码） / Organisation (USCC)"
    )
    PERSON = strawberry.enum_value(
        "PERSON", description="自然人（公民身份号码） / Natural person (ID number)"
    )
