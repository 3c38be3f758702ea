"""GraphQL shape of the 信用中国-style public credit report (DOMAIN.md §6).

A bureau that did not answer leaves the report standing: the sections it feeds list it in
``unavailableSources`` and show what the others gave; ``classification`` and ``advice`` are
null with that bureau's error (conclusions are never drawn from part of the facts).

``notes`` is the 报告说明 (data cut-off, sources per section, objection channels:
:mod:`credit.report_notes`); ``seal`` numbers and signs the report as this caller sees it, once
per report, when asked for (:mod:`resolvers.reports`).
"""

from __future__ import annotations

import asyncio
import datetime as dt

import strawberry
from strawberry.types import Info

from connectors.errors import ConnectorError
from connectors.provenance import Provenance
from credit import report as report_
from credit.access import PrincipalKind
from credit.policy import PublicityPolicy
from credit.report_notes import report_notes
from resolvers.assessment_types import ClassificationNode, TaxGradeNode
from resolvers.context import GraphContext
from resolvers.enums import ReportSectionKey, Source
from resolvers.financing_types import FactProvenanceNode
from resolvers.record_types import CreditRecordNode
from resolvers.reports import ReportNotesNode, ReportSealNode, TooManySeals
from resolvers.scalars import Money

__all__ = ["CreditReportNode", "ReportPeriod"]


@strawberry.input(description="报告查询期间 / The period a report covers")
class ReportPeriod:
    from_: dt.date = strawberry.field(name="from", description="起始日 / First day")
    to: dt.date = strawberry.field(description="截止日 / Last day")


@strawberry.type(description="基础信息 / Registration basics on a report")
class ReportBasics:
    code: str = strawberry.field(description="统一社会信用代码 / USCC")
    name: str = strawberry.field(description="名称 / Name")
    status: str = strawberry.field(description="登记状态 / Status")
    established_on: dt.date = strawberry.field(description="成立日期 / Established")
    registered_capital: Money = strawberry.field(description="注册资本 / Registered capital")
    address: str = strawberry.field(description="住所 / Address")
    division_code: str = strawberry.field(description="行政区划代码 / Division code")
    industry: str = strawberry.field(description="行业 / Industry")
    legal_representative: str = strawberry.field(
        description="法定代表人（非本人查询时脱敏） / Legal representative, masked unless own"
    )


@strawberry.type(description="报告的一个栏目 / One section of the report")
class ReportSectionNode:
    key: ReportSectionKey = strawberry.field(description="栏目 / Section")
    title: str = strawberry.field(description="栏目标题 / Title")
    count: int = strawberry.field(description="条数 / Number of entries")
    empty_text: str | None = strawberry.field(
        description="为空时的说明（查询期内无相关信息） / Text shown when empty"
    )
    # Shaped only when asked for: most callers want the counts, and a record's node derives
    # its whole publicity window.
    section: strawberry.Private[report_.ReportSection]
    day: strawberry.Private[dt.date]
    policy: strawberry.Private[PublicityPolicy]
    answers: strawberry.Private[tuple[Provenance, ...]]  # every record source's, this request

    @strawberry.field(description="供数部门 / Bureaus that feed this section")
    def sources(self) -> list[Source]:
        return [Source[s.name] for s in self.section.sources]

    @strawberry.field(
        description="未能提供数据的部门（本栏目仅显示其余部门的数据） / Bureaus that did not "
        "answer: the section shows only what the others gave"
    )
    def unavailable_sources(self) -> list[Source]:
        return [Source[s.name] for s in self.section.unavailable]

    @strawberry.field(
        description="各供数部门数据的来源与时效 / Where this section's data came from, how fresh"
    )
    def provenance(self) -> list[FactProvenanceNode]:
        feeding = {s.value for s in self.section.sources}
        return [
            FactProvenanceNode(
                source=Source[p.source.upper()],
                fetched_at=p.fetched_at,
                cached=p.cached,
                stale=p.stale,
            )
            for p in self.answers
            if p.source in feeding
        ]

    @strawberry.field(description="记录 / Records")
    def records(self) -> list[CreditRecordNode]:
        return [
            CreditRecordNode.from_domain(r, self.day, self.policy) for r in self.section.records
        ]

    @strawberry.field(description="纳税信用A级（诚实守信栏目） / A grades, in the honesty section")
    def tax_grades(self) -> list[TaxGradeNode]:
        return [TaxGradeNode.from_domain(g, self.policy) for g in self.section.tax_grades]


@strawberry.type(description="信用提升建议 / Advice on improving the credit status")
class AdviceNode:
    code: str = strawberry.field(description="建议代码（稳定） / Stable advice code")
    message: str = strawberry.field(description="建议（引用规则） / Advice citing the rule")
    record_id: str | None = strawberry.field(description="相关记录编号 / Record it concerns")


@strawberry.type(description="公共信用报告（信用中国样式） / Public credit report")
class CreditReportNode:
    subject_code: str = strawberry.field(description="主体代码 / Subject code")
    generated_on: dt.date = strawberry.field(description="生成日期 / Generated on")
    period_from: dt.date = strawberry.field(description="查询期起 / Period from")
    period_to: dt.date = strawberry.field(description="查询期止 / Period to")
    basics: ReportBasics | None = strawberry.field(description="基础信息 / Basics")
    basics_empty_text: str | None = strawberry.field(
        description="无基础信息时的说明 / Text shown without basics"
    )
    sections: list[ReportSectionNode] = strawberry.field(description="各栏目 / Sections")
    found: strawberry.Private[report_.CreditReport]
    failures: strawberry.Private[tuple[ConnectorError, ...]]
    answers: strawberry.Private[tuple[Provenance, ...]]
    subject_key: strawberry.Private[str]
    sealing: strawberry.Private[asyncio.Future[ReportSealNode] | None] = None

    @strawberry.field(
        description="报告编号与数字摘要（请求时出具并留存，每份报告一次；匿名查询每次请求、每个"
        "访问地址每天的份数有上限；无法出具或留存时为空，报告其余部分照常） / Number and signed "
        "digest, issued and kept when asked for (once per report; an anonymous request, and an "
        "anonymous caller per day, may have only so many); null with an error when it could not "
        "be issued or kept"
    )
    async def seal(self, info: Info[GraphContext, None]) -> ReportSealNode | None:
        ctx = info.context
        if self.sealing is None:  # two aliases of this field share one number
            if (
                ctx.principal.kind is PrincipalKind.PUBLIC
                and ctx.seals_issued >= ctx.limits.max_public_seals
            ):
                raise TooManySeals(ctx.limits.max_public_seals)
            ctx.seals_issued += 1
            self.sealing = asyncio.ensure_future(self._issue(ctx))
        return await asyncio.shield(self.sealing)

    async def _issue(self, ctx: GraphContext) -> ReportSealNode:
        if ctx.reports is None:
            raise RuntimeError("this graph was built without a report issuer")
        return ReportSealNode.from_issued(await ctx.reports.issue(self.found, self.subject_key))

    @strawberry.field(description="报告说明 / Data cut-off, sources per section, how to object")
    def notes(self) -> ReportNotesNode:
        cutoff = (p.fetched_at for p in self.answers)
        return ReportNotesNode.from_domain(report_notes(self.found, cutoff))

    @strawberry.field(
        description="综合评价（有部门未能提供数据时为空） / Class; null when a bureau failed"
    )
    def classification(self) -> ClassificationNode | None:
        if self.found.classification is None:
            raise self.failures[0]
        return ClassificationNode.from_domain(self.found.classification)

    @strawberry.field(
        description="信用提升建议（有部门未能提供数据时为空） / Advice; null when a bureau failed"
    )
    def advice(self) -> list[AdviceNode] | None:
        if self.found.advice is None:
            raise self.failures[0]
        return [
            AdviceNode(code=a.code.value, message=a.message, record_id=a.record_id)
            for a in self.found.advice
        ]

    @classmethod
    def from_domain(
        cls,
        found: report_.CreditReport,
        policy: PublicityPolicy,
        answers: tuple[Provenance, ...],
        failures: tuple[ConnectorError, ...],
        subject_key: str,
    ) -> CreditReportNode:
        """``answers``: the provenance of every source that answered; ``failures``: the errors
        of those that did not (the report's ``unavailable`` bureaus); ``subject_key``: whom
        the report is about, kept with its seal."""
        day = found.generated_on
        basic = found.basic
        return cls(
            subject_code=found.subject_code,
            generated_on=day,
            period_from=found.period_from,
            period_to=found.period_to,
            basics=(
                ReportBasics(
                    code=basic.code,
                    name=basic.name,
                    status=basic.status.value,
                    established_on=basic.established_on,
                    registered_capital=Money(yuan=basic.registered_capital_yuan),
                    address=basic.address,
                    division_code=basic.division_code,
                    industry=basic.industry,
                    legal_representative=basic.legal_rep_name,
                )
                if basic is not None
                else None
            ),
            basics_empty_text=found.basic_empty_text,
            sections=[
                ReportSectionNode(
                    key=ReportSectionKey[s.key.name],
                    title=s.title,
                    count=s.count,
                    empty_text=s.empty_text,
                    section=s,
                    day=day,
                    policy=policy,
                    answers=answers,
                )
                for s in found.sections
            ],
            found=found,
            failures=failures,
            answers=answers,
            subject_key=subject_key,
        )
