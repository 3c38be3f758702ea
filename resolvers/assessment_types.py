"""GraphQL shapes of what the domain concludes: classification, sanctions, tax grades."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from credit import classification as cls_
from credit import sanctions as sanctions_
from credit.measures import Measure
from credit.policy import PublicityPolicy
from credit.records import TaxGrade
from resolvers.enums import Badge, CreditClass, Matter
from resolvers.record_types import CreditRecordNode

__all__ = [
    "ClassificationNode",
    "MeasureNode",
    "ReasonNode",
    "SanctionNode",
    "TaxGradeLetter",
    "TaxGradeNode",
]


@strawberry.enum(description="纳税信用等级 / Tax credit grade")
class TaxGradeLetter(Enum):
    A = strawberry.enum_value("A", description="A级（90分以上） / A (score ≥ 90)")
    B = strawberry.enum_value("B", description="B级（70-89分） / B (70-89)")
    M = strawberry.enum_value("M", description="M级（新设立或无营业收入） / M (new, no revenue)")
    C = strawberry.enum_value("C", description="C级（40-69分） / C (40-69)")
    D = strawberry.enum_value("D", description="D级（40分以下或直接判级） / D (< 40 or direct)")


@strawberry.type(description="某年度纳税信用等级 / Tax credit grade for one year")
class TaxGradeNode:
    year: int = strawberry.field(description="评价年度 / Year evaluated")
    grade: TaxGradeLetter = strawberry.field(description="等级 / Grade")
    score: int | None = strawberry.field(description="得分；直接判级时为空 / Score, if scored")
    assigned_directly: bool = strawberry.field(
        description="是否因严重失信直接判为D级（有效期2年） / Directly assigned D (lasts 2 years)"
    )
    published_on: dt.date = strawberry.field(description="公布日期 / Date published")

    @classmethod
    def from_domain(cls, grade: TaxGrade, policy: PublicityPolicy) -> TaxGradeNode:
        return cls(
            year=grade.year,
            grade=TaxGradeLetter[grade.grade.name],
            score=grade.score,
            assigned_directly=grade.assigned_directly,
            published_on=cls_.grade_published_on(grade, policy),
        )


@strawberry.type(description="归类理由 / One reason behind a classification")
class ReasonNode:
    code: str = strawberry.field(description="理由代码（稳定） / Stable reason code")
    credit_class: CreditClass = strawberry.field(description="该理由对应的类别 / Class it implies")
    message: str = strawberry.field(description="说明（引用规则） / Explanation citing the rule")
    record_id: str | None = strawberry.field(description="相关记录编号 / Record behind it")

    @classmethod
    def from_domain(cls, reason: cls_.Reason) -> ReasonNode:
        return cls(
            code=reason.code.value,
            credit_class=CreditClass[reason.credit_class.name],
            message=reason.message,
            record_id=reason.record_id,
        )


@strawberry.type(description="信用综合评价 / Four-class classification with its reasons")
class ClassificationNode:
    credit_class: CreditClass = strawberry.field(description="类别 / Class")
    reasons: list[ReasonNode] = strawberry.field(
        description="归入该类别的理由 / Reasons for this class"
    )
    lesser_reasons: list[ReasonNode] = strawberry.field(
        description="较轻的其他情形 / Reasons pointing to milder classes"
    )
    badges: list[Badge] = strawberry.field(description="报告标识 / Report badges")
    day: dt.date = strawberry.field(description="评价日 / Day evaluated")

    @classmethod
    def from_domain(cls, found: cls_.Classification) -> ClassificationNode:
        return cls(
            credit_class=CreditClass[found.credit_class.name],
            reasons=[ReasonNode.from_domain(r) for r in found.reasons],
            lesser_reasons=[ReasonNode.from_domain(r) for r in found.lesser_reasons],
            badges=[Badge[b.name] for b in found.badges],
            day=found.day,
        )


@strawberry.type(description="失信惩戒措施（全国基础清单） / A joint-punishment measure")
class MeasureNode:
    id: str = strawberry.field(description="措施编号 / Measure id")
    edition: str = strawberry.field(description="清单版本 / Catalogue edition")
    category: str = strawberry.field(description="措施类别 / Category")
    name: str = strawberry.field(description="措施名称 / Measure")
    legal_basis: str = strawberry.field(description="设定依据 / Legal basis")
    implementer: str = strawberry.field(description="实施主体 / Implementing authority")
    target: str = strawberry.field(description="实施对象 / Whom it targets")
    matters: list[Matter] = strawberry.field(description="适用的办理事项 / Matters it restricts")

    @classmethod
    def from_domain(cls, measure: Measure) -> MeasureNode:
        return cls(
            id=measure.id,
            edition=measure.edition,
            category=measure.category.value,
            name=measure.name,
            legal_basis=measure.legal_basis,
            implementer=measure.implementer,
            target=measure.target,
            matters=[Matter[m.name] for m in measure.matters],
        )


@strawberry.type(description="一项适用的惩戒措施及其触发名单 / A sanction and what triggers it")
class SanctionNode:
    measure: MeasureNode = strawberry.field(description="措施 / The measure")
    trigger: str = strawberry.field(description="触发的名单或等级 / Triggering listing or grade")
    record: CreditRecordNode | None = strawberry.field(
        description="触发该措施的记录 / The listing behind it"
    )
    tax_grade_year: int | None = strawberry.field(
        description="由纳税信用D级触发时的年度 / Year of the D grade, when that is the cause"
    )
    until: dt.date | None = strawberry.field(
        description="预计解除日期；null 表示至履行或移出 / Expected end; null: until performed"
    )

    @classmethod
    def from_domain(
        cls, sanction: sanctions_.Sanction, day: dt.date, policy: PublicityPolicy
    ) -> SanctionNode:
        return cls(
            measure=MeasureNode.from_domain(sanction.measure),
            trigger=sanction.trigger.value,
            record=(
                CreditRecordNode.from_domain(sanction.record, day, policy)
                if sanction.record is not None
                else None
            ),
            tax_grade_year=sanction.tax_grade.year if sanction.tax_grade is not None else None,
            until=sanction.until,
        )
