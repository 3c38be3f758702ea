"""The root Query: thin resolvers that validate codes, ask the loaders, shape the result."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

import strawberry
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry.types import Info

from credit.access import ClientScope, PrincipalKind
from credit.errors import DomainError
from credit.identifiers import (
    AmbiguousCreditCode,
    CodeKind,
    InvalidCreditCode,
    validate_code,
    validate_uscc,
)
from credit.measures import MEASURES
from credit.measures import Matter as DomainMatter
from credit.sanctions import discipline_check
from resolvers.access import Forbidden
from resolvers.assessment_types import MeasureNode, SanctionNode
from resolvers.context import GraphContext
from resolvers.enums import Matter, SubjectKind
from resolvers.pagination import (
    Connection,
    Edge,
    PageInfo,
    check_page_size,
    decode_cursor,
    encode_cursor,
)
from resolvers.paths import path_key
from resolvers.reports import ReportVerification
from resolvers.subjects import Enterprise, Subject, enterprise_of, person_of

__all__ = ["Query"]

Ctx = Info[GraphContext, None]


class TooManySubjects(DomainError):
    code = "TOO_MANY_SUBJECTS"

    def __init__(self, asked: int, maximum: int) -> None:
        self.maximum = maximum
        super().__init__(f"一次最多查询 {maximum} 个主体，请求了 {asked} 个")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "maximum": self.maximum}


class InvalidCodeAt(InvalidCreditCode):
    """An invalid code inside a list: says which one."""

    def __init__(self, cause: InvalidCreditCode, index: int) -> None:
        super().__init__(cause.reason)
        self.index = index

    def extensions(self) -> dict[str, object]:
        return {**super().extensions(), "index": self.index}


class AmbiguousCodeAt(AmbiguousCreditCode):
    """An ambiguous code inside a list: says which one."""

    def __init__(self, cause: AmbiguousCreditCode, index: int) -> None:
        super().__init__(cause.normalised)
        self.index = index

    def extensions(self) -> dict[str, object]:
        return {**super().extensions(), "index": self.index}


_CODE_KIND = {SubjectKind.ENTERPRISE: CodeKind.USCC, SubjectKind.PERSON: CodeKind.CITIZEN_ID}
KIND_HELP = (
    "主体类别：形如身份号码的代码（17位数字加数字或X）可能既是有效的统一社会信用代码又是有效的"
    "公民身份号码（约每350个有效身份号码中有1个），此时须指明，否则报 AMBIGUOUS_CREDIT_CODE / "
    "Which kind of subject the code names: a code of 17 digits and a digit or X can be valid "
    "both as a USCC and as an ID number (about 1 valid ID number in 350); then it is refused "
    "as AMBIGUOUS_CREDIT_CODE unless this says which"
)

# Subject fields whose answer needs every record source.
_RECORD_FIELDS = frozenset({"records", "classification", "sanctions", "creditReport"})


def _wants_records(info: Ctx) -> bool:
    """Does the selection under this field ask for anything built from records?

    Read from the document itself: ``info.selected_fields`` would first convert the whole
    selection below (arguments, directives, every nested field) into strawberry's objects.
    """
    raw = info._raw_info

    def scan(selection_set: SelectionSetNode | None) -> bool:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                if selection.name.value in _RECORD_FIELDS:
                    return True
            elif isinstance(selection, InlineFragmentNode):
                if scan(selection.selection_set):
                    return True
            elif isinstance(selection, FragmentSpreadNode):
                fragment = raw.fragments.get(selection.name.value)
                if fragment is not None and scan(fragment.selection_set):
                    return True
        return False

    return any(scan(node.selection_set) for node in raw.field_nodes)


async def _subject(info: Ctx, raw: str, kind: SubjectKind | None = None) -> Subject | None:
    asked = _CODE_KIND[kind] if kind is not None else None
    found, code = validate_code(raw, today=info.context.today, kind=asked)
    return await _subject_of(info, found, code)


async def _subject_of(info: Ctx, kind: CodeKind, code: str) -> Subject | None:
    ctx = info.context
    path = path_key(info)
    subject: Subject | None
    if kind is CodeKind.CITIZEN_ID:
        subject = person_of(code, ctx.access)
    else:
        if _wants_records(info):
            ctx.data.prefetch_records(code)
        reg = await ctx.data.registration(code, path=path)
        subject = enterprise_of(reg, ctx.access) if reg is not None else None
    if subject is not None:
        ctx.access.note_read(subject.subject_key, path)
    return subject


async def enterprise_by_uscc(info: Ctx, uscc: str) -> Enterprise | None:
    """``enterprise(uscc:)``, and a federated graph's reference to one (the same loaders)."""
    subject = await _subject_of(info, CodeKind.USCC, validate_uscc(uscc))
    assert subject is None or isinstance(subject, Enterprise)
    return subject


@strawberry.type(description="逢办必查结果 / Result of a discipline check before a matter")
class DisciplineCheck:
    subject: Subject | None = strawberry.field(description="被查主体 / The subject checked")
    matter: Matter = strawberry.field(description="办理事项 / The matter")
    checked_on: dt.date = strawberry.field(description="核查日期 / Day checked")
    restricted: bool = strawberry.field(
        description="是否存在应当适用的惩戒措施 / Whether any measure restricts this matter"
    )
    sanctions: list[SanctionNode] = strawberry.field(
        description="适用的措施、依据及触发名单 / Measures that apply, each with its listing"
    )


@strawberry.type(description="信用图谱查询入口 / Entry points of the credit graph")
class Query:
    @strawberry.field(
        description="按统一社会信用代码或公民身份号码查询信用主体；无任何部门掌握时返回 null。"
        "代码可含空格、各种横线和零宽字符；15位旧版注册号报 INVALID_CREDIT_CODE"
        "（reason: legacy_registration_number）；既是有效统一社会信用代码又是有效身份号码的"
        "代码报 AMBIGUOUS_CREDIT_CODE，用 kind 指明类别 / A subject by USCC or ID number; "
        "null when no bureau knows it. Spaces, dashes and zero-width characters are ignored; a "
        "15-digit legacy registration number is INVALID_CREDIT_CODE with reason "
        "legacy_registration_number; a code valid both as a USCC and as an ID number "
        "is AMBIGUOUS_CREDIT_CODE unless `kind` says which"
    )
    async def subject(
        self,
        info: Ctx,
        code: Annotated[str, strawberry.argument(description="USCC 或公民身份号码 / Code")],
        kind: Annotated[SubjectKind | None, strawberry.argument(description=KIND_HELP)] = None,
    ) -> Subject | None:
        return await _subject(info, code, kind)

    @strawberry.field(
        description=(
            "按统一社会信用代码查询市场主体；代码无效时报 INVALID_CREDIT_CODE，"
            "无任何部门登记时返回 null；代码即使也是有效身份号码，"
            "在此按统一社会信用代码查询 / "
            "An organisation by its USCC; an invalid code is an INVALID_CREDIT_CODE error, a "
            "valid code no bureau knows gives null; a code that is also a valid ID "
            "number is read as a USCC here"
        )
    )
    async def enterprise(
        self,
        info: Ctx,
        uscc: Annotated[
            str, strawberry.argument(description="统一社会信用代码 / USCC (18 characters)")
        ],
    ) -> Enterprise | None:
        return await enterprise_by_uscc(info, uscc)

    @strawberry.field(
        description="批量查询主体（每次最多100个，按请求顺序返回）；有歧义的代码报 "
        "AMBIGUOUS_CREDIT_CODE（index 指出是哪一个），用 kind 指明全部代码的类别 / Many "
        "subjects at once (at most 100, in request order); an ambiguous code is "
        "AMBIGUOUS_CREDIT_CODE with its index unless `kind` says which kind all codes are"
    )
    async def subjects(
        self,
        info: Ctx,
        codes: Annotated[list[str], strawberry.argument(description="代码列表 / Codes")],
        kind: Annotated[SubjectKind | None, strawberry.argument(description=KIND_HELP)] = None,
    ) -> list[Subject | None]:
        ctx = info.context
        if len(codes) > ctx.limits.max_batch_subjects:
            raise TooManySubjects(len(codes), ctx.limits.max_batch_subjects)
        asked = _CODE_KIND[kind] if kind is not None else None
        valid = []
        for index, raw in enumerate(codes):
            try:
                valid.append(validate_code(raw, today=ctx.today, kind=asked))
            except InvalidCreditCode as exc:
                raise InvalidCodeAt(exc, index) from None
            except AmbiguousCreditCode as exc:
                raise AmbiguousCodeAt(exc, index) from None
        return list(await asyncio.gather(*(_subject_of(info, k, c) for k, c in valid)))

    @strawberry.field(
        description="按名称检索市场主体（公开，分页） / Search organisations by name (paginated)"
    )
    async def search_enterprises(
        self,
        info: Ctx,
        name: Annotated[str, strawberry.argument(description="名称关键字 / Name contains")],
        first: Annotated[int, strawberry.argument(description="每页条数 / Page size")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor / Cursor")
        ] = None,
    ) -> Connection[Enterprise]:
        ctx = info.context
        check_page_size(first, ctx.limits.max_search_page_size)
        start = decode_cursor(after) + 1 if after is not None else 0
        total, regs = await ctx.data.search(name.strip(), start, first, path=path_key(info))
        for reg in regs:
            ctx.access.note_read(reg.uscc, path_key(info))
        edges = [
            Edge(node=enterprise_of(reg, ctx.access), cursor=encode_cursor(start + i))
            for i, reg in enumerate(regs)
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=start + len(regs) < total,
                has_previous_page=start > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=total,
        )

    @strawberry.field(
        description="逢办必查：该主体在此类事项上应适用的惩戒措施（官员使用） / Discipline check "
        "before handling a matter: the measures that apply, with basis and listing (officers)"
    )
    async def discipline_check(
        self,
        info: Ctx,
        code: Annotated[str, strawberry.argument(description="主体代码 / Subject code")],
        matter: Annotated[Matter, strawberry.argument(description="办理事项 / Matter")],
        kind: Annotated[SubjectKind | None, strawberry.argument(description=KIND_HELP)] = None,
    ) -> DisciplineCheck:
        ctx = info.context
        principal = ctx.access.principal
        if principal.kind is not PrincipalKind.OFFICER or not principal.has_scope(
            ClientScope.DISCIPLINE_CHECK
        ):
            raise Forbidden("逢办必查仅限具有 discipline:check 权限的工作人员")
        subject = await _subject(info, code, kind)
        found = []
        if subject is not None:
            records, grades = await subject.conclusion_facts(info)
            found = discipline_check(
                records, DomainMatter[matter.name], ctx.today, ctx.policy, tax_grades=grades
            )
        return DisciplineCheck(
            subject=subject,
            matter=matter,
            checked_on=ctx.today,
            restricted=bool(found),
            sanctions=[SanctionNode.from_domain(s, ctx.today, ctx.policy) for s in found],
        )

    @strawberry.field(
        description="核验信用报告真伪：输入报告编号和数字摘要，答复真实（VALID）、不符（INVALID）"
        "或未知（UNKNOWN）及出具时间，不显示报告内容；编号格式不对报 INVALID_REPORT_NUMBER / "
        "Verify a credit report by its number and digest: VALID, INVALID or UNKNOWN, and when "
        "it was issued; never its content"
    )
    async def verify_credit_report(
        self,
        info: Ctx,
        number: Annotated[str, strawberry.argument(description="报告编号 / Report number")],
        digest: Annotated[str, strawberry.argument(description="数字摘要 / Digest (hex)")],
    ) -> ReportVerification | None:
        reports = info.context.reports
        if reports is None:
            raise RuntimeError("this graph was built without a report issuer")
        return ReportVerification.from_domain(await reports.verify(number, digest))

    @strawberry.field(
        description="失信惩戒措施目录（全国基础清单） / The catalogue of joint-punishment measures"
    )
    def measures(self) -> list[MeasureNode]:
        return [MeasureNode.from_domain(m) for m in MEASURES]
