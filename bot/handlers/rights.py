"""Objection (我要异议), credit repair (申请信用修复) and my cases (我的申请) in the chat.

An objection: pick whose record (myself or a firm I represent) → pick the record → write the
reason → filed (the record shows 异议处理中 at once).  A repair: pick the record → the bot
shows the 信用承诺书 the gateway generates → "我已阅读并承诺" → account of performance →
filed; a record not repairable yet, or never, is refused with the date or the rule, in the
gateway's words.  Every filing carries an idempotency key made of the chat message, so a
retried update files once, and the chat to tell when the decision arrives
(:func:`deliver_notices` sends those messages and acknowledges each).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import keyboards
from bot.graphql import GatewayClient, GqlResult
from bot.handlers.common import Clock, Event, SubjectRef, reply, require_token, subjects_of
from bot.texts import T

__all__ = [
    "RIGHTS_FLOWS",
    "deliver_notices",
    "notice_text",
    "open_my_cases",
    "open_rights",
    "router",
]

log = logging.getLogger("bot")

RIGHTS_FLOWS = frozenset({"objection", "apply_repair"})
_RIGHTS_STATE = {
    "OBJECTION_PENDING": "异议处理中",
    "REPAIR_PENDING": "修复审核中",
    "REPAIRED": "已修复",
}
_KIND = {"OBJECTION": "异议", "REPAIR": "信用修复申请"}
_TEXT = {
    "pick": "请选择要{what}的对象：",
    "none": "没有可{what}的失信记录。",
    "list": "请选择要{what}的记录：",
    "reason": "请写明异议理由（例如哪项内容有误、正确的情况是什么），直接发送文字即可。"
    "发送 /cancel 取消。",
    "statement": "请简要说明履行情况（例如缴清罚款的日期、整改措施），直接发送文字即可。"
    "发送 /cancel 取消。",
    "accept": "✅ 我已阅读并承诺",
    "gone": "这条记录已不在列表中，请重新选择。",
    "filed": "已受理您的{kind}（编号 {id}）。\n记录：{title}\n办理期限：{deadline} 前（{basis}）",
    "channel": "\n办理渠道：{channel}",
    "marked": "\n处理期间，该记录对外标注“异议处理中”，不会隐藏。",
    "no_cases": "您还没有提交过异议或信用修复申请。",
}


class RightsFlow(StatesGroup):
    reason = State()
    statement = State()


class RSubject(CallbackData, prefix="rs"):
    a: str  # o: objection, r: repair
    s: int


class RRecord(CallbackData, prefix="rr"):
    a: str
    s: int
    src: str
    id: str


class RCommit(CallbackData, prefix="rc"):
    s: int
    src: str
    id: str


def _what(action: str) -> str:
    return "提出异议" if action == "o" else "申请修复"


async def open_rights(
    event: Event, state: FSMContext, gateway: GatewayClient, clock: Clock, flow: str
) -> None:
    """Entry of "我要异议" and "申请信用修复"."""
    action = "o" if flow == "objection" else "r"
    token = await require_token(event, state, clock)
    if token is None:
        return
    subjects = await subjects_of(gateway, token)
    if len(subjects) == 1:
        await _records(event, gateway, token, action, 0, subjects[0])
        return
    kb = InlineKeyboardBuilder()
    for index, subject in enumerate(subjects):
        kb.button(text=subject.name, callback_data=RSubject(a=action, s=index))
    kb.adjust(1)
    keyboards.back_row(kb)
    await reply(event, _TEXT["pick"].format(what=_what(action)), kb.as_markup())


async def _records(
    event: Event, gateway: GatewayClient, token: str, action: str, s: int, subject: SubjectRef
) -> None:
    kinds = await gateway.negative_kinds()  # as the gateway's record kinds declare them
    variables: dict[str, Any] = {"filter": {"kinds": kinds, "visibleNow": True}}
    if subject.is_self:
        result = await gateway.execute("MyRightsRecords", variables, token=token)
        found = ((result.data or {}).get("me") or {}).get("person")
    else:
        variables["uscc"] = subject.uscc
        result = await gateway.execute("FirmRightsRecords", variables, token=token)
        found = (result.data or {}).get("enterprise")
    if found is None:
        await reply(event, _refusal(result), keyboards.menu(bound=True))
        return
    edges = found["records"]["edges"]
    if not edges:
        await reply(event, _TEXT["none"].format(what=_what(action)), keyboards.menu(bound=True))
        return
    lines = [f"{subject.name}：" + _TEXT["list"].format(what=_what(action))]
    kb = InlineKeyboardBuilder()
    for i, edge in enumerate(edges, 1):
        node = edge["node"]
        mark = _RIGHTS_STATE.get(node.get("rightsState") or "", "")
        lines.append(
            f"{i}. {node['title']}（{node['decidedOn']}）" + (f"【{mark}】" if mark else "")
        )
        kb.button(
            text=str(i), callback_data=RRecord(a=action, s=s, src=node["source"], id=node["id"])
        )
    kb.adjust(len(edges))
    keyboards.back_row(kb)
    await reply(event, "\n".join(lines), kb.as_markup())


def _refusal(result: GqlResult) -> str:
    refusal = result.refusal()
    return refusal.message if refusal is not None else T.GATEWAY_DOWN


async def _subject_at(
    event: Event, gateway: GatewayClient, token: str, s: int
) -> SubjectRef | None:
    subjects = await subjects_of(gateway, token)
    if not 0 <= s < len(subjects):
        await reply(event, T.NO_SUBJECT, keyboards.menu(bound=True))
        return None
    return subjects[s]


async def _picked_record(
    query: CallbackQuery, state: FSMContext, gateway: GatewayClient, clock: Clock, ref: RRecord
) -> None:
    token = await require_token(query, state, clock)
    if token is None:
        return
    subject = await _subject_at(query, gateway, token, ref.s)
    if subject is None:
        return
    draft = {"s": ref.s, "uscc": subject.uscc, "src": ref.src, "id": ref.id}
    if ref.a == "o":
        await state.set_state(RightsFlow.reason)
        await state.update_data(rights=draft)
        await reply(query, _TEXT["reason"])
        return
    result = await gateway.execute(
        "RepairCommitment",
        {"source": ref.src, "recordId": ref.id, "subjectCode": subject.uscc},
        token=token,
    )
    commitment = (result.data or {}).get("repairCommitment")
    if commitment is None:  # not repairable yet (the date), or never (the rule)
        await reply(query, _refusal(result), keyboards.menu(bound=True))
        return
    kb = InlineKeyboardBuilder()
    kb.button(text=_TEXT["accept"], callback_data=RCommit(s=ref.s, src=ref.src, id=ref.id))
    keyboards.back_row(kb)
    text = f"{commitment['text']}\n\n受理渠道：{commitment['channel']}"
    await reply(query, text, kb.as_markup())


async def _committed(
    query: CallbackQuery, state: FSMContext, gateway: GatewayClient, clock: Clock, ref: RCommit
) -> None:
    token = await require_token(query, state, clock)
    if token is None:
        return
    subject = await _subject_at(query, gateway, token, ref.s)
    if subject is None:
        return
    draft = {"s": ref.s, "uscc": subject.uscc, "src": ref.src, "id": ref.id, "committed": True}
    await state.set_state(RightsFlow.statement)
    await state.update_data(rights=draft)
    await reply(query, _TEXT["statement"])


async def _file(
    message: Message, state: FSMContext, gateway: GatewayClient, clock: Clock, objection: bool
) -> None:
    token = await require_token(message, state, clock)
    if token is None:
        return
    draft: Mapping[str, Any] = (await state.get_data()).get("rights") or {}
    await state.set_state(None)
    await state.update_data(rights=None)
    if not draft:
        await reply(message, _TEXT["gone"], keyboards.menu(bound=True))
        return
    text = (message.text or "").strip()
    common = {
        "subjectCode": draft.get("uscc"),
        "source": draft["src"],
        "recordId": draft["id"],
        "idempotencyKey": f"tg-{message.chat.id}-{message.message_id}",
        "notifyChat": str(message.chat.id),
    }
    if objection:
        variables = {"input": {**common, "target": "CONTENT", "reason": text}}
        result = await gateway.execute("FileObjection", variables, token=token)
        case = (result.data or {}).get("fileObjection")
    else:
        variables = {
            "input": {
                **common,
                "statement": text,
                "commitmentAccepted": bool(draft.get("committed")),
            }
        }
        result = await gateway.execute("ApplyCreditRepair", variables, token=token)
        case = (result.data or {}).get("applyCreditRepair")
    if case is None:
        await reply(message, _refusal(result), keyboards.menu(bound=True))
        return
    answer = _TEXT["filed"].format(
        kind=_KIND[case["kind"]],
        id=case["id"][:8],
        title=case["recordTitle"],
        deadline=case["deadline"],
        basis=case["deadlineBasis"],
    )
    if case.get("channel"):
        answer += _TEXT["channel"].format(channel=case["channel"])
    if objection:
        answer += _TEXT["marked"]
    await reply(message, answer, keyboards.menu(bound=True))


def case_text(case: Mapping[str, Any]) -> str:
    """One case: what, its state, its deadline, and the decision with its reasons."""
    lines = [f"【{_KIND[case['kind']]}】{case['recordTitle']}（{case['subjectName']}）"]
    lines.append(f"状态：{case['statusText']}；办理期限：{case['deadline']}")
    if case.get("overdue"):
        lines.append("⚠️ 已超过办理期限，认定部门尚未作出决定。")
    decision = case.get("decision")
    if decision:
        lines.append("理由：" + "；".join(decision["reasons"]))
    return "\n".join(lines)


async def open_my_cases(
    event: Event, state: FSMContext, gateway: GatewayClient, clock: Clock
) -> None:
    """Entry of "我的申请": my cases, newest first."""
    token = await require_token(event, state, clock)
    if token is None:
        return
    result = await gateway.execute("MyCases", token=token)
    cases = (result.data or {}).get("myCases")
    if cases is None:
        await reply(event, _refusal(result), keyboards.menu(bound=True))
        return
    text = "\n\n".join(case_text(c) for c in cases) if cases else _TEXT["no_cases"]
    await reply(event, "📮 我的申请\n\n" + text if cases else text, keyboards.menu(bound=True))


def notice_text(case: Mapping[str, Any]) -> str:
    return f"📬 您的{_KIND[case['kind']]}有了处理结果：\n\n{case_text(case)}"


async def deliver_notices(gateway: GatewayClient, bot: Bot) -> int:
    """Tell each citizen the decisions on their cases, then acknowledge what was sent; how
    many were sent.  A message that cannot be sent stays pending for the next round."""
    result = await gateway.execute("DecisionNotices")
    notices = (result.data or {}).get("decisionNotices") or []
    sent: list[str] = []
    for notice in notices:
        try:
            await bot.send_message(int(notice["chatRef"]), notice_text(notice["case"]))
        except Exception:  # noqa: BLE001 — logged, retried next round; the others still go
            log.warning("could not send a decision notice: %s", type(notice).__name__)
            continue
        sent.append(notice["case"]["id"])
    if sent:
        await gateway.execute("AcknowledgeDecisionNotices", {"caseIds": sent})
    return len(sent)


def router() -> Router:
    r = Router(name="rights")

    @r.callback_query(RSubject.filter())
    async def subject_picked(
        query: CallbackQuery,
        callback_data: RSubject,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        token = await require_token(query, state, clock)
        if token is None:
            return
        subject = await _subject_at(query, gateway, token, callback_data.s)
        if subject is not None:
            await _records(query, gateway, token, callback_data.a, callback_data.s, subject)

    @r.callback_query(RRecord.filter())
    async def record_picked(
        query: CallbackQuery,
        callback_data: RRecord,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        await _picked_record(query, state, gateway, clock, callback_data)

    @r.callback_query(RCommit.filter())
    async def committed(
        query: CallbackQuery,
        callback_data: RCommit,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        await _committed(query, state, gateway, clock, callback_data)

    @r.message(Command("cancel"), StateFilter(RightsFlow))
    async def cancel(message: Message, state: FSMContext) -> None:
        await state.set_state(None)
        await state.update_data(rights=None)
        await reply(message, "已取消，未提交任何申请。", keyboards.menu(bound=True))

    @r.message(RightsFlow.reason, F.text, ~F.text.startswith("/"))
    async def reason(
        message: Message, state: FSMContext, gateway: GatewayClient, clock: Clock
    ) -> None:
        await _file(message, state, gateway, clock, objection=True)

    @r.message(RightsFlow.statement, F.text, ~F.text.startswith("/"))
    async def statement(
        message: Message, state: FSMContext, gateway: GatewayClient, clock: Clock
    ) -> None:
        await _file(message, state, gateway, clock, objection=False)

    return r
