"""What every flow needs: answering a message or a button alike, the citizen's token, their
subjects (themself and the firms they represent), and the gateway's refusals told plainly.

Handlers receive ``gateway`` (:class:`~bot.graphql.GatewayClient`) and ``clock`` from the
dispatcher's workflow data, and ``state`` from aiogram's FSM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot import keyboards
from bot.graphql import GatewayClient, GqlResult, SessionExpired
from bot.state import citizen_token
from bot.texts import T

__all__ = ["Clock", "Event", "SubjectRef", "refusal_text", "reply", "require_token", "subjects_of"]

Clock = Callable[[], dt.datetime]
Event = Message | CallbackQuery


@dataclass(frozen=True, slots=True)
class SubjectRef:
    name: str
    uscc: str | None  # None: the citizen themself

    @property
    def is_self(self) -> bool:
        return self.uscc is None


async def reply(event: Event, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer a typed message with a new message; a button press by editing its message."""
    if isinstance(event, CallbackQuery):
        await event.answer()
        if isinstance(event.message, Message):
            await event.message.edit_text(text, reply_markup=markup)
            return
        if event.bot is not None:
            await event.bot.send_message(event.from_user.id, text, reply_markup=markup)
        return
    await event.answer(text, reply_markup=markup)


async def require_token(event: Event, state: FSMContext, clock: Clock) -> str | None:
    """The citizen's live token; otherwise say binding is needed and return None."""
    token = await citizen_token(state, clock())
    if token is None:
        await reply(event, T.NEED_BINDING, keyboards.only("🪪 验证身份", keyboards.Nav(to="bind")))
    return token


def refusal_text(result: GqlResult) -> str | None:
    """The gateway's own (Chinese, personal-data-free) message for a refusal, if any."""
    refusal = result.refusal()
    return refusal.message if refusal is not None else None


async def subjects_of(gateway: GatewayClient, token: str) -> list[SubjectRef]:
    """[myself, *the firms I represent], from the gateway (never from the chat)."""
    result = await gateway.execute("MySubjects", token=token)
    me = (result.data or {}).get("me") or {}
    found: list[SubjectRef] = []
    # Only whether I am there: my own display name is my clear ID number, never fetched.
    if me.get("person"):
        found.append(SubjectRef(T.MYSELF, None))
    found += [SubjectRef(f["name"], f["uscc"]) for f in me.get("enterprises") or ()]
    if result.data is None and result.refusal() is not None:
        raise SessionExpired("the gateway refused the citizen's own subjects")
    return found
