"""GraphQL shapes of the rights workflows: cases, decisions, statistics, and their inputs.

Enums mirror :mod:`credit.rights` member for member (a test keeps them so).  A case's
``statement`` (the objection's text) and attachments reach only the filer and the deciding
officers: banks and the public see a record's :class:`RightsStateEnum`, never a case.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from credit.rights import (
    CaseKind,
    CaseStatus,
    CorrectionAction,
    ObjectionTarget,
    Outcome,
    RightsState,
)
from resolvers.enums import Severity, Source
from resolvers.rights_service import BureauStats, CaseView

__all__ = [
    "AttachmentInput",
    "AttachmentNode",
    "BureauStatsNode",
    "CaseKindEnum",
    "CaseNode",
    "CaseStatusEnum",
    "CorrectionActionEnum",
    "CorrectionInput",
    "DecideCaseInput",
    "DecisionNode",
    "DecisionNoticeNode",
    "FileObjectionInput",
    "ObjectionTargetEnum",
    "OutcomeEnum",
    "RepairApplicationInput",
    "RepairCommitmentNode",
    "RightsStateEnum",
]


@strawberry.enum(description="记录在异议、修复中的状态 / A record's state in the rights workflows")
class RightsStateEnum(Enum):
    OBJECTION_PENDING = strawberry.enum_value(
        "OBJECTION_PENDING", description="异议处理中（仍公示，不隐藏） / Objection open"
    )
    REPAIR_PENDING = strawberry.enum_value(
        "REPAIR_PENDING", description="修复审核中 / Repair under review"
    )
    REPAIRED = strawberry.enum_value(
        "REPAIRED", description="已修复：停止公示和共享 / Repaired: no longer shown or shared"
    )

    @classmethod
    def of(cls, state: RightsState | None) -> RightsStateEnum | None:
        return None if state is None else cls[state.name]


@strawberry.enum(description="申请类别 / Kind of case")
class CaseKindEnum(Enum):
    OBJECTION = strawberry.enum_value("OBJECTION", description="异议 / Objection")
    REPAIR = strawberry.enum_value("REPAIR", description="信用修复 / Credit repair")


@strawberry.enum(description="异议针对的内容 / What an objection disputes")
class ObjectionTargetEnum(Enum):
    CONTENT = strawberry.enum_value("CONTENT", description="记录内容 / The record's content")
    PUBLICITY_PERIOD = strawberry.enum_value(
        "PUBLICITY_PERIOD", description="公示期限 / Its publicity period"
    )
    REPAIR_DECISION = strawberry.enum_value(
        "REPAIR_DECISION", description="不予修复的决定 / A refused repair"
    )


@strawberry.enum(description="办理状态 / State of a case")
class CaseStatusEnum(Enum):
    OPEN = strawberry.enum_value("OPEN", description="处理中 / Open")
    UPHELD = strawberry.enum_value("UPHELD", description="异议成立 / Objection upheld")
    REJECTED = strawberry.enum_value("REJECTED", description="异议不成立 / Objection rejected")
    ACCEPTED = strawberry.enum_value("ACCEPTED", description="准予修复 / Repair accepted")
    REFUSED = strawberry.enum_value("REFUSED", description="不予修复 / Repair refused")
    WITHDRAWN = strawberry.enum_value("WITHDRAWN", description="已撤回 / Withdrawn")


@strawberry.enum(description="处理结果 / A decision's outcome")
class OutcomeEnum(Enum):
    UPHELD = strawberry.enum_value("UPHELD", description="异议成立 / Objection upheld")
    REJECTED = strawberry.enum_value("REJECTED", description="异议不成立 / Objection rejected")
    ACCEPTED = strawberry.enum_value("ACCEPTED", description="准予修复 / Repair accepted")
    REFUSED = strawberry.enum_value("REFUSED", description="不予修复 / Repair refused")


@strawberry.enum(description="如何更正记录 / How the record is corrected")
class CorrectionActionEnum(Enum):
    WITHDRAW = strawberry.enum_value("WITHDRAW", description="撤销该记录 / Withdraw the record")
    AMEND_SEVERITY = strawberry.enum_value(
        "AMEND_SEVERITY", description="更正严重程度 / Correct its severity"
    )
    END_PUBLICITY = strawberry.enum_value(
        "END_PUBLICITY", description="终止公示 / End its publicity"
    )
    REPAIR = strawberry.enum_value("REPAIR", description="信用修复 / Repair it")


@strawberry.type(description="附件（仅申请人和审核部门可见） / An attachment's description")
class AttachmentNode:
    name: str = strawberry.field(description="文件名 / File name")
    media_type: str = strawberry.field(description="类型 / Media type")
    size: int = strawberry.field(description="字节数 / Size in bytes")


@strawberry.type(description="处理决定 / A decision, with its reasons")
class DecisionNode:
    outcome: OutcomeEnum = strawberry.field(description="结果 / Outcome")
    reasons: list[str] = strawberry.field(description="理由 / Reasons")
    decided_at: dt.datetime = strawberry.field(description="决定时间 / When decided")
    correction: CorrectionActionEnum | None = strawberry.field(
        description="对记录的更正 / What it does to the record"
    )
    corrected_severity: Severity | None = strawberry.field(
        description="更正后的严重程度 / Severity after correction"
    )
    publicity_until: dt.date | None = strawberry.field(
        description="更正后的最后公示日 / Last public day after correction"
    )
    correct_by: dt.date | None = strawberry.field(
        description="法院纠正期限（3个工作日） / The court corrects by this day"
    )
    delivered_at: dt.datetime | None = strawberry.field(
        description="认定部门收到决定的时间；null 表示待送达 / When the bureau received it; "
        "null: delivery pending"
    )


@strawberry.type(description="一件异议或信用修复申请 / One objection or repair case")
class CaseNode:
    id: strawberry.ID = strawberry.field(description="申请编号 / Case id")
    kind: CaseKindEnum = strawberry.field(description="类别 / Kind")
    target: ObjectionTargetEnum | None = strawberry.field(description="异议针对 / Target")
    round: int = strawberry.field(description="第几次异议 / Objection round")
    status: CaseStatusEnum = strawberry.field(description="状态 / Status")
    status_text: str = strawberry.field(description="状态（中文） / Status, in Chinese")
    subject_name: str = strawberry.field(description="信息主体 / Subject")
    source: Source = strawberry.field(description="认定部门 / Deciding bureau")
    record_id: str = strawberry.field(description="记录编号 / Record id")
    record_title: str = strawberry.field(description="记录标题 / Record title")
    filed_at: dt.datetime = strawberry.field(description="提交时间 / Filed at")
    deadline: dt.date = strawberry.field(description="办理期限（含当日） / Last day to decide")
    deadline_basis: str = strawberry.field(description="期限依据 / The rule of the deadline")
    overdue: bool = strawberry.field(description="已超期未办结 / Open past its deadline")
    decided_in_time: bool | None = strawberry.field(
        description="是否在期限内办结 / Decided in time"
    )
    channel: str | None = strawberry.field(description="修复渠道 / Repair channel")
    statement: str | None = strawberry.field(
        description="异议理由或履行说明 / The objection's reasons or the repair's account"
    )
    commitment: str | None = strawberry.field(description="信用承诺书 / The credit commitment")
    attachments: list[AttachmentNode] = strawberry.field(description="附件 / Attachments")
    decision: DecisionNode | None = strawberry.field(description="处理决定 / The decision")

    @classmethod
    def from_view(cls, view: CaseView) -> CaseNode:
        state = view.state
        decision = None
        if state.decided_at is not None and state.outcome is not None:
            fix = state.correction
            decision = DecisionNode(
                outcome=OutcomeEnum[state.outcome.name],
                reasons=list(state.reasons),
                decided_at=state.decided_at,
                correction=CorrectionActionEnum[fix.action.name] if fix else None,
                corrected_severity=Severity[fix.severity.name] if fix and fix.severity else None,
                publicity_until=fix.publicity_until if fix else None,
                correct_by=view.correction_due,
                delivered_at=view.delivered_at,
            )
        return cls(
            id=strawberry.ID(view.id),
            kind=CaseKindEnum[view.kind.name],
            target=ObjectionTargetEnum[view.target.name] if view.target else None,
            round=view.round,
            status=CaseStatusEnum[state.status.name],
            status_text=state.status.value,
            subject_name=view.subject_name,
            source=Source[view.source.upper()],
            record_id=view.record_id,
            record_title=view.record_title,
            filed_at=view.filed_at,
            deadline=view.due_on,
            deadline_basis=view.deadline_basis,
            overdue=view.overdue,
            decided_in_time=view.decided_in_time,
            channel=view.channel,
            statement=view.statement,
            commitment=view.commitment,
            attachments=[
                AttachmentNode(name=a.name, media_type=a.media_type, size=a.size)
                for a in view.attachments
            ],
            decision=decision,
        )


@strawberry.type(description="待通知的决定 / A decision the bot is to tell its citizen")
class DecisionNoticeNode:
    chat_ref: str = strawberry.field(description="机器人的会话标识 / The bot's chat")
    case: CaseNode = strawberry.field(description="申请及其决定 / The case and its decision")


@strawberry.type(description="按部门、月份统计 / Cases of one bureau filed in one month")
class BureauStatsNode:
    source: Source = strawberry.field(description="认定部门 / Bureau")
    month: dt.date = strawberry.field(description="月份（首日） / Month (its first day)")
    kind: CaseKindEnum = strawberry.field(description="类别 / Kind")
    received: int = strawberry.field(description="受理数 / Received")
    decided: int = strawberry.field(description="办结数 / Decided")
    decided_in_time: int = strawberry.field(description="按期办结数 / Decided in time")
    overdue: int = strawberry.field(description="超期数（含超期办结） / Overdue")
    upheld_rate: float | None = strawberry.field(
        description="异议成立率或修复准予率 / Share upheld (objections) or accepted (repairs)"
    )

    @classmethod
    def from_stats(cls, s: BureauStats) -> BureauStatsNode:
        return cls(
            source=Source[s.source.upper()],
            month=s.month,
            kind=CaseKindEnum[s.kind.name],
            received=s.received,
            decided=s.decided,
            decided_in_time=s.decided_in_time,
            overdue=s.overdue,
            upheld_rate=s.upheld_rate,
        )


@strawberry.type(description="信用承诺书 / The credit commitment to accept")
class RepairCommitmentNode:
    text: str = strawberry.field(description="承诺书全文 / Its full text")
    version: str = strawberry.field(description="模板版本 / Template version")
    channel: str = strawberry.field(description="修复渠道 / Where the repair is decided")


@strawberry.input(description="附件：文本、PDF、PNG 或 JPEG / An attachment")
class AttachmentInput:
    name: str = strawberry.field(description="文件名 / File name")
    media_type: str = strawberry.field(description="类型，如 application/pdf / Media type")
    content_base64: str = strawberry.field(description="内容（Base64） / Content, base64")


@strawberry.input(description="对一条记录的申请 / A citizen's application about one record")
class RecordApplicationInput:
    """What an objection and a repair application both carry; each adds its own fields after
    these (GraphQL input fields are matched by name, so their order is only the SDL's)."""

    source: Source = strawberry.field(description="记录来源部门 / The record's bureau")
    record_id: str = strawberry.field(description="记录编号 / Record id")
    subject_code: str | None = strawberry.field(
        default=None,
        description="代表企业时填企业代码；为空表示本人 / USCC of an enterprise I represent",
    )
    attachments: list[AttachmentInput] = strawberry.field(
        default_factory=list, description="附件 / Attachments"
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="幂等键：重复提交返回同一申请 / Idempotency key"
    )
    notify_chat: str | None = strawberry.field(
        default=None,
        description="机器人的会话标识：有决定时通知（仅机器人转交时有效） / The relaying bot's "
        "chat, told when a decision arrives",
    )


@strawberry.input(description="提出异议 / An objection to file")
class FileObjectionInput(RecordApplicationInput):
    target: ObjectionTargetEnum = strawberry.field(description="异议针对 / What is disputed")
    reason: str = strawberry.field(description="异议理由 / Why")


@strawberry.input(description="申请信用修复 / A repair application")
class RepairApplicationInput(RecordApplicationInput):
    statement: str = strawberry.field(description="履行情况说明 / How the obligations were met")
    commitment_accepted: bool = strawberry.field(
        description="已阅读并确认信用承诺书 / The credit commitment was read and accepted"
    )
    # redefined for its description: a dataclass field keeps its place in the base's order
    attachments: list[AttachmentInput] = strawberry.field(
        default_factory=list, description="履行证明 / Proof of performance"
    )


@strawberry.input(description="记录更正 / How to correct the record")
class CorrectionInput:
    action: CorrectionActionEnum = strawberry.field(description="更正方式 / Action")
    severity: Severity | None = strawberry.field(
        default=None, description="更正后的严重程度 / New severity"
    )
    publicity_until: dt.date | None = strawberry.field(
        default=None, description="最后公示日 / Last public day"
    )


@strawberry.input(description="作出处理决定 / A decision on a case")
class DecideCaseInput:
    case_id: strawberry.ID = strawberry.field(description="申请编号 / Case id")
    outcome: OutcomeEnum = strawberry.field(description="结果 / Outcome")
    reasons: list[str] = strawberry.field(description="理由 / Reasons")
    correction: CorrectionInput | None = strawberry.field(
        default=None, description="异议成立时如何更正 / How to correct, when upheld"
    )


# Mirrors checked by tests/resolvers/test_rights.py.
MIRRORS: tuple[tuple[type[Enum], type[Enum]], ...] = (
    (RightsState, RightsStateEnum),
    (CaseKind, CaseKindEnum),
    (ObjectionTarget, ObjectionTargetEnum),
    (CaseStatus, CaseStatusEnum),
    (Outcome, OutcomeEnum),
    (CorrectionAction, CorrectionActionEnum),
)
