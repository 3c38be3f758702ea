"""Objections and credit repairs in the graph: citizens file and withdraw, officers decide.

Citizens (through the bot, after identity binding) act for themselves or an enterprise they
represent: ``fileObjection``, ``applyCreditRepair`` (after reading ``repairCommitment``),
``withdrawObjection`` / ``withdrawRepair``, ``myCases``.  Officers see their bureau's
``reviewQueue`` (by deadline, overdue flagged), ``decideCase`` and ``rightsStatistics``.
Resolvers find the record through the request's loaders (so it carries its marks) and hand
the rest to the :class:`~resolvers.rights_service.RightsService`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from credit.access import PrincipalKind
from credit.identifiers import validate_uscc
from credit.records import CreditRecord, Severity
from credit.records import Source as RecordSource
from credit.rights import (
    COMMITMENT_VERSION,
    CaseKind,
    Correction,
    CorrectionAction,
    ObjectionTarget,
    Outcome,
    check_repair,
    commitment_text,
)
from credit.rights.errors import InvalidCaseInput, RecordNotFound
from resolvers.access import Forbidden
from resolvers.context import GraphContext
from resolvers.enums import Source
from resolvers.pagination import check_page_size
from resolvers.paths import path_key
from resolvers.rights_service import AttachmentIn, NewCase, RightsService
from resolvers.rights_types import (
    AttachmentInput,
    BureauStatsNode,
    CaseNode,
    DecideCaseInput,
    DecisionNoticeNode,
    FileObjectionInput,
    RepairApplicationInput,
    RepairCommitmentNode,
)

__all__ = ["RightsMutations", "RightsQueries"]

Ctx = Info[GraphContext, None]
_SELF = "本人"


def _service(info: Ctx) -> RightsService:
    service = info.context.rights
    if service is None:
        raise Forbidden("异议和信用修复")
    return service


async def _own_record(
    info: Ctx, subject_code: str | None, source: Source, record_id: str
) -> tuple[str, str, CreditRecord]:
    """(subject key, subject name, the record) of a record of the caller or their firm."""
    ctx = info.context
    principal = ctx.access.principal
    if principal.kind is not PrincipalKind.CITIZEN or principal.subject_key is None:
        raise Forbidden("请先通过机器人完成身份绑定")
    if subject_code is None:
        binder = ctx.binding
        id_number = await binder.bound_id_number(principal.subject_key) if binder else None
        if id_number is None:
            raise Forbidden("请先通过机器人完成身份绑定")
        key, subject_key, name = id_number, principal.subject_key, _SELF
    else:
        uscc = validate_uscc(subject_code)
        if uscc not in principal.represents:
            raise Forbidden("只能为本人或本人担任法定代表人的企业提出申请")
        reg = await ctx.data.registration(uscc, path=path_key(info))
        key, subject_key, name = uscc, uscc, reg.name if reg is not None else uscc
    found = await ctx.data.records(key, path=path_key(info))
    wanted = _source(source)
    for record in found.records:
        if record.source.value == wanted and record.id == record_id.strip():
            return subject_key, name, record
    for failure in found.failures:
        if failure.source == wanted:
            raise failure  # the owning bureau did not answer: say so, not "not found"
    raise RecordNotFound


def _source(source: Source) -> str:
    return RecordSource.of_name(source.name).value


def _attachments(given: list[AttachmentInput]) -> tuple[AttachmentIn, ...]:
    out = []
    for a in given:
        try:
            content = base64.b64decode(a.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidCaseInput(
                f"附件“{a.name[:60]}”的内容不是有效的 Base64", "attachments"
            ) from None
        out.append(AttachmentIn(a.name, a.media_type, content))
    return tuple(out)


@strawberry.type(description="异议与信用修复：查询 / Objections and repairs: queries")
class RightsQueries:
    @strawberry.field(
        description="我（及我的企业）的异议和修复申请，含状态、期限和决定理由 / My cases"
    )
    async def my_cases(
        self,
        info: Ctx,
        first: Annotated[int, strawberry.argument(description="最近的几件 / How many")] = 10,
    ) -> list[CaseNode]:
        check_page_size(first, info.context.limits.max_page_size)
        return [CaseNode.from_view(v) for v in (await _service(info).my_cases())[:first]]

    @strawberry.field(
        description="申请信用修复前须确认的信用承诺书（不可修复时说明依据） / The commitment "
        "to accept before applying for repair; refused with the rule when not repairable"
    )
    async def repair_commitment(
        self,
        info: Ctx,
        source: Annotated[Source, strawberry.argument(description="记录来源 / Bureau")],
        record_id: Annotated[str, strawberry.argument(description="记录编号 / Record id")],
        subject_code: Annotated[
            str | None, strawberry.argument(description="企业代码；空为本人 / USCC or null")
        ] = None,
    ) -> RepairCommitmentNode:
        ctx = info.context
        _, name, record = await _own_record(info, subject_code, source, record_id)
        route = check_repair(record, ctx.today, ctx.policy)
        return RepairCommitmentNode(
            text=commitment_text(name, record.title, ctx.today),
            version=COMMITMENT_VERSION,
            channel=route.channel,
        )

    @strawberry.field(
        description="待通知申请人的决定（仅限转交申请的机器人） / Decisions the relaying bot "
        "is still to tell"
    )
    async def decision_notices(
        self,
        info: Ctx,
        first: Annotated[int, strawberry.argument(description="最多几件 / How many")] = 20,
    ) -> list[DecisionNoticeNode]:
        check_page_size(first, info.context.limits.max_page_size)
        return [
            DecisionNoticeNode(chat_ref=chat, case=CaseNode.from_view(view))
            for chat, view in await _service(info).notices(first)
        ]

    @strawberry.field(
        description="审核队列：本部门的申请，按期限排序，超期标出（审核人员） / An officer's "
        "review queue, by deadline, overdue flagged"
    )
    async def review_queue(
        self,
        info: Ctx,
        bureau: Annotated[
            Source | None, strawberry.argument(description="部门；空为本人所属全部 / Bureau")
        ] = None,
        include_decided: Annotated[
            bool, strawberry.argument(description="含已办结的 / Include decided cases")
        ] = False,
        first: Annotated[int, strawberry.argument(description="前几件 / How many")] = 20,
    ) -> list[CaseNode]:
        check_page_size(first, info.context.limits.max_page_size)
        views = await _service(info).queue(_source(bureau) if bureau else None, include_decided)
        return [CaseNode.from_view(v) for v in views[:first]]

    @strawberry.field(
        description="按部门和月份统计：受理、按期办结、超期、成立率（审核人员） / Statistics "
        "per bureau and month"
    )
    async def rights_statistics(
        self,
        info: Ctx,
        bureau: Annotated[Source | None, strawberry.argument(description="部门 / Bureau")] = None,
        month: Annotated[
            dt.date | None, strawberry.argument(description="月内任一日 / Any day of the month")
        ] = None,
    ) -> list[BureauStatsNode]:
        rows = await _service(info).stats(_source(bureau) if bureau else None, month)
        return [BureauStatsNode.from_stats(r) for r in rows]


@strawberry.type(description="异议与信用修复：办理 / Objections and repairs: actions")
class RightsMutations:
    @strawberry.mutation(
        description="对本人或本企业的信用记录提出异议（记录即标注“异议处理中”） / Object to a "
        "record; it is marked 异议处理中 at once"
    )
    async def file_objection(self, info: Ctx, input: FileObjectionInput) -> CaseNode:
        subject_key, name, record = await _own_record(
            info, input.subject_code, input.source, input.record_id
        )
        view = await _service(info).file(
            NewCase(
                kind=CaseKind.OBJECTION,
                subject_key=subject_key,
                subject_name=name,
                record=record,
                statement=input.reason,
                attachments=_attachments(input.attachments),
                target=ObjectionTarget[input.target.name],
                idempotency_key=input.idempotency_key,
                notify_ref=input.notify_chat,
            )
        )
        return CaseNode.from_view(view)

    @strawberry.mutation(
        description="申请信用修复（须确认信用承诺书） / Apply for credit repair (the credit "
        "commitment accepted)"
    )
    async def apply_credit_repair(self, info: Ctx, input: RepairApplicationInput) -> CaseNode:
        subject_key, name, record = await _own_record(
            info, input.subject_code, input.source, input.record_id
        )
        view = await _service(info).file(
            NewCase(
                kind=CaseKind.REPAIR,
                subject_key=subject_key,
                subject_name=name,
                record=record,
                statement=input.statement,
                attachments=_attachments(input.attachments),
                commitment_accepted=input.commitment_accepted,
                idempotency_key=input.idempotency_key,
                notify_ref=input.notify_chat,
            )
        )
        return CaseNode.from_view(view)

    @strawberry.mutation(
        description="机器人确认已通知的决定（仅限转交申请的机器人） / The bot acknowledges "
        "the decisions it has told"
    )
    async def acknowledge_decision_notices(self, info: Ctx, case_ids: list[strawberry.ID]) -> int:
        return await _service(info).acknowledge([str(c) for c in case_ids])

    @strawberry.mutation(description="撤回异议 / Withdraw an objection")
    async def withdraw_objection(self, info: Ctx, case_id: strawberry.ID) -> CaseNode:
        return CaseNode.from_view(await _service(info).withdraw(str(case_id), CaseKind.OBJECTION))

    @strawberry.mutation(description="撤回信用修复申请 / Withdraw a repair application")
    async def withdraw_repair(self, info: Ctx, case_id: strawberry.ID) -> CaseNode:
        return CaseNode.from_view(await _service(info).withdraw(str(case_id), CaseKind.REPAIR))

    @strawberry.mutation(
        description="作出处理决定（仅限认定部门的审核人员，须说明理由） / Decide a case: "
        "officers of the recording bureau only, with reasons"
    )
    async def decide_case(self, info: Ctx, input: DecideCaseInput) -> CaseNode:
        fix = input.correction
        correction = (
            Correction(
                CorrectionAction[fix.action.name],
                None if fix.severity is None else _severity(fix.severity.name),
                fix.publicity_until,
            )
            if fix is not None
            else None
        )
        view = await _service(info).decide(
            str(input.case_id), Outcome[input.outcome.name], input.reasons, correction
        )
        return CaseNode.from_view(view)


def _severity(name: str) -> Severity:
    return Severity[name]
