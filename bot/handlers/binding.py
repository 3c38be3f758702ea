"""``/bind``: name → phone → ID number (deleted at once, sent on at once) → SMS code; ``/unbind``.

The ID number is asked last so that it never has to be kept between two messages: the
message carrying it is deleted from the chat as soon as it is read, and the number goes
straight into ``startIdentityBinding``.  Name and phone wait in the conversation state only
until the code is sent.  ``/cancel`` leaves the flow at any step.
"""

from __future__ import annotations

import datetime as dt
import re

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import keyboards
from bot.graphql import GatewayClient
from bot.handlers.common import Clock, Event, refusal_text, reply
from bot.render import missing_note
from bot.state import Bind, citizen_token, forget_citizen, keep_token
from bot.texts import T

__all__ = ["router", "start_binding", "start_unbinding"]

_NAME = re.compile(r"^[\u4e00-\u9fa5·•A-Za-z\s]{2,30}$")
_PHONE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_RETRY_ID = {"INVALID_CREDIT_CODE"}  # a mistyped number: ask for it again
# name, ID number and phone did not verify together, and which one is not said: ask all three
_RETRY_ALL = {"IDENTITY_NOT_VERIFIED"}


async def start_binding(event: Event, state: FSMContext) -> None:
    await state.set_state(Bind.name)
    await reply(event, T.BIND_ASK_NAME)


async def start_unbinding(event: Event, state: FSMContext, clock: Clock) -> None:
    if await citizen_token(state, clock()) is None:
        await reply(event, T.UNBIND_NONE, keyboards.menu(bound=False))
        return
    kb = InlineKeyboardBuilder()
    kb.button(text="确定解除", callback_data=keyboards.Unbind(yes=True))
    kb.button(text="保持绑定", callback_data=keyboards.Unbind(yes=False))
    await reply(event, T.UNBIND_ASK, kb.as_markup())


def router() -> Router:
    r = Router(name="binding")

    @r.message(Command("cancel"), StateFilter(Bind))
    async def cancel(message: Message, state: FSMContext) -> None:
        await state.set_state(None)
        await state.update_data(bind_name=None, bind_phone=None, challenge=None)
        await message.answer(T.BIND_CANCELLED, reply_markup=keyboards.menu(bound=False))

    @r.message(Command("bind"))
    async def bind(message: Message, state: FSMContext) -> None:
        await start_binding(message, state)

    @r.message(Bind.name, F.text, ~F.text.startswith("/"))
    async def got_name(message: Message, state: FSMContext) -> None:
        name = (message.text or "").strip()
        if not _NAME.match(name):
            await message.answer(T.BIND_BAD_NAME)
            return
        await state.update_data(bind_name=name)
        await state.set_state(Bind.phone)
        await message.answer(T.BIND_ASK_PHONE)

    @r.message(Bind.phone, F.text, ~F.text.startswith("/"))
    async def got_phone(message: Message, state: FSMContext) -> None:
        phone = re.sub(r"[\s\-]", "", message.text or "")
        if not _PHONE.match(phone):
            await message.answer(T.BIND_BAD_PHONE)
            return
        await state.update_data(bind_phone=phone)
        await state.set_state(Bind.id_number)
        await message.answer(T.BIND_ASK_ID)

    @r.message(Bind.id_number, F.text, ~F.text.startswith("/"))
    async def got_id_number(
        message: Message, state: FSMContext, gateway: GatewayClient, clock: Clock
    ) -> None:
        id_number = message.text or ""
        await message.delete()  # before anything else can fail
        data = await state.get_data()
        result = await gateway.execute(
            "StartIdentityBinding",
            {
                "input": {
                    "name": data.get("bind_name", ""),
                    "idNumber": id_number,
                    "phone": data.get("bind_phone", ""),
                }
            },
        )
        started = (result.data or {}).get("startIdentityBinding")
        if started is None:
            refusal = result.refusal()
            if refusal is not None and refusal.code in _RETRY_ID:
                await message.answer(refusal.message + "\n" + T.BIND_ASK_ID)
                return
            if refusal is not None and refusal.code in _RETRY_ALL:
                await state.update_data(bind_name=None, bind_phone=None)
                await state.set_state(Bind.name)
                await message.answer(refusal.message + "\n" + T.BIND_AGAIN)
                return
            if refusal is not None:
                text = refusal.message
            elif result.missing_sources():
                names = await gateway.names()
                text = missing_note(result.missing_sources(), names).split("，")[0]
                text += "，请稍后再试。"
            else:
                text = T.GATEWAY_DOWN
            await state.set_state(None)
            await state.update_data(bind_name=None, bind_phone=None)
            await message.answer(text + "\n" + T.BIND_RESTART)
            return
        await state.update_data(bind_name=None, bind_phone=None, challenge=started["challengeId"])
        await state.set_state(Bind.code)
        minutes = _minutes_left(started["expiresAt"], clock)
        await message.answer(T.BIND_CODE_SENT.format(phone=started["maskedPhone"], minutes=minutes))

    @r.message(Bind.code, F.text, ~F.text.startswith("/"))
    async def got_code(
        message: Message, state: FSMContext, gateway: GatewayClient, clock: Clock
    ) -> None:
        data = await state.get_data()
        result = await gateway.execute(
            "ConfirmIdentityBinding",
            {"challengeId": data.get("challenge", ""), "code": (message.text or "").strip()},
        )
        bound = (result.data or {}).get("confirmIdentityBinding")
        if bound is None:
            refusal = result.refusal()
            if refusal is not None and refusal.code == "BINDING_CODE_WRONG":
                left = refusal.extensions.get("attemptsLeft", "")
                await message.answer(T.BIND_CODE_WRONG.format(left=left))
                return
            await state.set_state(None)
            await message.answer((refusal_text(result) or T.GATEWAY_DOWN) + "\n" + T.BIND_RESTART)
            return
        await state.set_state(None)
        await keep_token(state, bound["subjectToken"], bound["expiresAt"])
        lines = [T.BIND_DONE.format(minutes=_minutes_left(bound["expiresAt"], clock))]
        firms = bound.get("representedEnterprises")
        if firms is None:
            lines.append(T.BIND_FIRMS_UNKNOWN)
        elif firms:
            lines.append(T.BIND_DONE_FIRMS.format(count=len(firms)))
        lines.append(T.MENU)
        await message.answer("\n".join(lines), reply_markup=keyboards.menu(bound=True))

    @r.message(Command("unbind"))
    async def unbind(message: Message, state: FSMContext, clock: Clock) -> None:
        await start_unbinding(message, state, clock)

    @r.callback_query(keyboards.Unbind.filter())
    async def unbind_answer(
        query: CallbackQuery,
        callback_data: keyboards.Unbind,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        token = await citizen_token(state, clock())
        if not callback_data.yes or token is None:
            text = T.UNBIND_KEPT if token is not None else T.UNBIND_NONE
            await reply(query, text, keyboards.menu(bound=token is not None))
            return
        result = await gateway.execute("UnbindIdentity", token=token)
        if (result.data or {}).get("unbindIdentity") is None:
            await reply(query, refusal_text(result) or T.GATEWAY_DOWN)
            return
        await forget_citizen(state)
        await reply(query, T.UNBIND_DONE, keyboards.menu(bound=False))

    return r


def _minutes_left(expires_at: str, clock: Clock) -> int:
    left = dt.datetime.fromisoformat(expires_at) - clock()
    return max(1, round(left.total_seconds() / 60))
