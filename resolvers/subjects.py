"""Credit subjects: the ``Subject`` interface, ``Enterprise`` and ``Person``.

Field resolvers are thin: they read arguments, ask :class:`~resolvers.data.SubjectData`, call
a pure ``credit`` function and shape the answer.  Conclusions (classification, sanctions, the
report's class and advice) are never drawn from part of the facts: if a record source failed
they are null with that source's error; the records list and the report's sections show what
arrived, and say what did not.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from connectors.errors import ConnectorError
from connectors.protocol import Grant
from connectors.registry import bureaus
from credit.access import ConsentScope, may_see_record, record_audience
from credit.classification import classify
from credit.masking import mask_id_number, mask_name
from credit.records import CreditRecord, Registration, TaxGrade
from credit.records import Source as RecordSource
from credit.report import credit_report
from credit.sanctions import sanctions_for
from resolvers.access import ConsentRequired, NotConsentGated, RequestAccess
from resolvers.assessment_types import ClassificationNode, SanctionNode, TaxGradeNode
from resolvers.context import GraphContext, PartialFailure
from resolvers.enums import Source, SubjectKind
from resolvers.gated_types import (
    AccessLogEntryNode,
    SocialInsuranceMonthNode,
    TaxPaymentNode,
    UtilityBillNode,
)
from resolvers.pagination import Connection, Edge, PageInfo, check_page_size, paginate
from resolvers.paths import path_key, path_tuple
from resolvers.record_types import CreditRecordNode, RecordFilter, filter_records
from resolvers.report_types import CreditReportNode, ReportPeriod
from resolvers.scalars import Money
from resolvers.types import LegalRepresentative, OperatingStatus

__all__ = ["Enterprise", "Person", "Subject", "enterprise_of", "person_of"]

Ctx = Info[GraphContext, None]
REPORT_DEFAULT_YEARS = 3  # a report asked for without a period covers about this many years
REPORT_DEFAULT_DAYS = REPORT_DEFAULT_YEARS * 365


@strawberry.interface(description="信用主体：法人和非法人组织或自然人 / A credit subject")
class Subject:
    code: str = strawberry.field(
        description="统一社会信用代码，或公民身份号码（对他人脱敏） / USCC, or masked ID number"
    )
    kind: SubjectKind = strawberry.field(description="主体类别 / Kind of subject")
    display_name: str = strawberry.field(description="名称或姓名（自然人脱敏） / Display name")
    key: strawberry.Private[str]  # the clear, normalised code the bureaus are asked with
    subject_key: strawberry.Private[str]  # USCC, or a person's keyed hash: consents, audit
    registration: strawberry.Private[Registration | None]

    async def gated_grant(self, info: Ctx, scope: ConsentScope, path: str | None = None) -> Grant:
        """The bureau authorisation to read ``scope`` data, noted for the audit log under
        ``path`` (default: the field being resolved)."""
        ctx = info.context
        grant = await ctx.access.grant(self.subject_key, self.key, scope)
        ctx.access.note_read(
            self.subject_key, path or path_key(info), scope=scope, consent_id=grant.consent_id
        )
        return grant

    async def tax_grade_facts(self, info: Ctx, path: str | None = None) -> tuple[TaxGrade, ...]:
        """Tax grades when the caller may read them (the tax bureau serves them only under
        the subject's authorisation); otherwise none, and conclusions rest on public lists."""
        if self.registration is None:
            return ()
        path = path or path_key(info)
        try:
            grant = await self.gated_grant(info, ConsentScope.TAX, path)
        except ConsentRequired:
            return ()
        return await info.context.data.tax_grades(self.key, grant, path=path)

    def shown(
        self, ctx: GraphContext, records: tuple[CreditRecord, ...]
    ) -> tuple[CreditRecord, ...]:
        """The records this caller may see at all (:func:`credit.access.may_see_record`):
        every list, count and conclusion is drawn from these, never from the bureaus' whole
        answer.  Decided once per subject and request (the fields share one gathering)."""
        cached = ctx.shown_records.get(self.subject_key)
        if cached is not None and cached[0] is records:
            return cached[1]
        audience = record_audience(ctx.access.principal, self.subject_key)
        visible = tuple(r for r in records if may_see_record(audience, r, ctx.today, ctx.policy))
        ctx.shown_records[self.subject_key] = (records, visible)
        return visible

    async def complete_records(
        self, info: Ctx, path: str | None = None
    ) -> tuple[CreditRecord, ...]:
        found = await info.context.data.records(self.key, path=path or path_key(info))
        found.raise_if_incomplete()
        return self.shown(info.context, found.records)

    async def conclusion_facts(
        self, info: Ctx
    ) -> tuple[tuple[CreditRecord, ...], tuple[TaxGrade, ...]]:
        """Every record (or the first source's failure) and the tax grades the caller may read:
        what a classification, the sanctions and the report are drawn from."""
        path = path_key(info)
        return await self.complete_records(info, path), await self.tax_grade_facts(info, path)

    @strawberry.field(
        description="信用记录（分页）：公众只见公示期内的，金融机构只见可共享的，本人可见全部 / "
        "Credit records, paginated: the public sees those inside their publicity window, "
        "banks those shareable with banks, the subject all of its own"
    )
    async def records(
        self,
        info: Ctx,
        filter: Annotated[
            RecordFilter | None, strawberry.argument(description="筛选条件 / Filter")
        ] = None,
        first: Annotated[int, strawberry.argument(description="每页条数 / Page size")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor / Cursor")
        ] = None,
    ) -> Connection[CreditRecordNode]:
        ctx = info.context
        found = await ctx.data.records(self.key, path=path_key(info))
        ctx.partial_failures.extend(PartialFailure(path_tuple(info), f) for f in found.failures)
        return paginate(
            filter_records(self.shown(ctx, found.records), filter, ctx.today, ctx.policy),
            first=first,
            after=after,
            max_page_size=ctx.limits.max_page_size,
            node=lambda r: CreditRecordNode.from_domain(r, ctx.today, ctx.policy),
        )

    @strawberry.field(description="信用综合评价及理由 / Four-class classification and reasons")
    async def classification(self, info: Ctx) -> ClassificationNode | None:
        ctx = info.context
        records, grades = await self.conclusion_facts(info)
        found = classify(
            records, ctx.today, ctx.policy, tax_grades=grades, registration=self.registration
        )
        return ClassificationNode.from_domain(found)

    @strawberry.field(description="正在适用的联合惩戒措施 / Joint-punishment measures in force")
    async def sanctions(self, info: Ctx) -> list[SanctionNode] | None:
        ctx = info.context
        records, grades = await self.conclusion_facts(info)
        found = sanctions_for(records, ctx.today, ctx.policy, tax_grades=grades)
        return [SanctionNode.from_domain(s, ctx.today, ctx.policy) for s in found]

    @strawberry.field(description="公共信用报告 / Public credit report (信用中国 style)")
    async def credit_report(
        self,
        info: Ctx,
        period: Annotated[
            ReportPeriod | None,
            strawberry.argument(
                description=f"查询期间，缺省为近{REPORT_DEFAULT_YEARS}年 / Period; default "
                f"{REPORT_DEFAULT_YEARS} years"
            ),
        ] = None,
    ) -> CreditReportNode | None:
        ctx = info.context
        path = path_key(info)
        found = await ctx.data.records(self.key, path=path)
        failures = list(found.failures)
        try:
            grades = await self.tax_grade_facts(info, path)
        except ConnectorError as failed:  # the report stands; its 诚实守信 section says so
            grades, failures = (), [*failures, failed]
        start = period.from_ if period else ctx.today - dt.timedelta(days=REPORT_DEFAULT_DAYS)
        rep = self.registration
        report = credit_report(
            self.code,  # as this caller may see it: a person's ID number masked for others
            start,
            period.to if period else ctx.today,
            ctx.today,
            ctx.policy,
            records=self.shown(ctx, found.records),
            tax_grades=grades,
            registration=rep,
            reveal_personal=rep is not None
            and ctx.access.may_see_unmasked(ctx.access.person_key(rep.legal_rep_id)),
            unavailable=[RecordSource(f.source) for f in failures],
        )
        answers = ctx.provenance.at(path)  # the record sources' and, when read, the tax bureau's
        return CreditReportNode.from_domain(
            report, ctx.policy, answers, tuple(failures), self.subject_key
        )

    @strawberry.field(
        description="谁查了我：查询记录（仅本人或其法定代表人、运维人员可见） / Who looked at this "
        "subject (the subject, its legal representative and operators only)"
    )
    async def access_log(
        self,
        info: Ctx,
        first: Annotated[int, strawberry.argument(description="每页条数 / Page size")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor / Cursor")
        ] = None,
    ) -> Connection[AccessLogEntryNode] | None:
        ctx = info.context
        check_page_size(first, ctx.limits.max_page_size)
        page = await ctx.access.access_log(self.subject_key, first, after)
        edges = [
            Edge(node=AccessLogEntryNode.from_item(item), cursor=item.cursor) for item in page.items
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=page.end_cursor,
            ),
            total_count=len(edges),
        )


@strawberry.type(description="法人和非法人组织（市场主体等） / An organisation, keyed by USCC")
class Enterprise(Subject):
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
        description="法定代表人（脱敏） / Legal representative, masked"
    )

    @strawberry.field(
        description="纳税信用等级历史（每年4月公布；需授权） / Tax credit grades by year (consent)"
    )
    async def tax_grades(self, info: Ctx) -> list[TaxGradeNode] | None:
        path = path_key(info)
        grant = await self.gated_grant(info, ConsentScope.TAX, path)
        grades = await info.context.data.tax_grades(self.key, grant, path=path)
        return [TaxGradeNode.from_domain(g, info.context.policy) for g in grades]

    @strawberry.field(description="近24个月纳税（需授权） / Monthly tax paid, 24 months (consent)")
    async def tax_payments(self, info: Ctx) -> list[TaxPaymentNode] | None:
        path = path_key(info)
        grant = await self.gated_grant(info, ConsentScope.TAX, path)
        paid = await info.context.data.tax_payments(self.key, grant, path=path)
        return [TaxPaymentNode.from_domain(p) for p in paid]

    @strawberry.field(
        description="社保和公积金缴纳（需授权） / Social insurance and housing fund (consent)"
    )
    async def social_insurance(self, info: Ctx) -> list[SocialInsuranceMonthNode] | None:
        path = path_key(info)
        grant = await self.gated_grant(info, ConsentScope.HRSS, path)
        months = await info.context.data.contributions(self.key, grant, path=path)
        return [SocialInsuranceMonthNode.from_domain(m) for m in months]

    @strawberry.field(
        description="水电气缴费（需授权） / Water, electricity and gas bills (consent)"
    )
    async def utilities(self, info: Ctx) -> list[UtilityBillNode] | None:
        path = path_key(info)
        grant = await self.gated_grant(info, ConsentScope.UTILITIES, path)
        bills = await info.context.data.utility_bills(self.key, grant, path=path)
        return [UtilityBillNode.from_domain(b) for b in bills]

    @strawberry.field(
        description="依授权提供记录的部门（如不动产登记）所载的记录（需授权） / Records a "
        "consent-gated bureau serves only under the subject's consent (e.g. real estate)"
    )
    async def consented_records(
        self,
        info: Ctx,
        source: Annotated[Source, strawberry.argument(description="来源部门 / Source bureau")],
    ) -> list[CreditRecordNode] | None:
        ctx = info.context
        bureau = bureaus().of(source.value)
        if bureau.consent is None or bureau.gated_records is None:
            raise NotConsentGated(bureau.name.zh)
        path = path_key(info)
        grant = await self.gated_grant(info, bureau.consent, path)
        found = await ctx.data.gated_records(bureau.source, self.key, grant, path=path)
        return [CreditRecordNode.from_domain(r, ctx.today, ctx.policy) for r in found or ()]

    @classmethod
    async def resolve_reference(cls, info: Ctx, uscc: str) -> Enterprise | None:
        """A federated graph's ``{__typename: "Enterprise", uscc}`` (resolvers.federation)."""
        from resolvers.query import enterprise_by_uscc  # query.py imports this module

        return await enterprise_by_uscc(info, uscc)


@strawberry.type(description="自然人 / A natural person, keyed by ID number")
class Person(Subject):
    pass


def enterprise_of(reg: Registration, access: RequestAccess) -> Enterprise:
    """The enterprise as this caller may see it: the legal representative's ID number and
    name in clear only for that person."""
    own = access.may_see_unmasked(access.person_key(reg.legal_rep_id))
    return Enterprise(
        code=reg.uscc,
        kind=SubjectKind.ENTERPRISE,
        display_name=reg.name,
        key=reg.uscc,
        subject_key=reg.uscc,
        registration=reg,
        uscc=reg.uscc,
        name=reg.name,
        status=OperatingStatus.of(reg.status),
        established_on=reg.established_on,
        registered_capital=Money(yuan=reg.registered_capital_yuan),
        address=reg.address,
        division_code=reg.division_code,
        industry=reg.industry,
        legal_representative=LegalRepresentative(
            name=reg.legal_rep_name if own else mask_name(reg.legal_rep_name),
            id_number=reg.legal_rep_id if own else mask_id_number(reg.legal_rep_id),
        ),
    )


def person_of(id_number: str, access: RequestAccess) -> Person:
    """The person as this caller may see them: their own ID number in clear, masked for others."""
    subject_key = access.person_key(id_number)
    shown = id_number if access.may_see_unmasked(subject_key) else mask_id_number(id_number)
    return Person(
        code=shown,
        kind=SubjectKind.PERSON,
        display_name=shown,
        key=id_number,
        subject_key=subject_key,
        registration=None,
    )
