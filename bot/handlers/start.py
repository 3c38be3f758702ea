"""``/start``, ``/help``, the menu, and free text: understood phrases open the same flows as the
menu's buttons; anything else gets the menu.  A message that carries an ID number outside the
binding flow is deleted unasked.  This router is included last: flows with a state go first.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import keyboards
from bot.graphql import GatewayClient
from bot.handlers import consents, credit, precheck, rights
from bot.handlers.binding import start_binding, start_unbinding
from bot.handlers.common import Clock, Event, reply
from bot.intents import ID_NUMBER_LIKE, Intent, intent_of
from bot.state import citizen_token
from bot.texts import T

__all__ = ["open_flow", "router"]

_INTENT_VIEW = {
    Intent.STATUS: "status",
    Intent.RECORDS: "records",
    Intent.REPAIR: "repair",
    Intent.ACCESS_LOG: "log",
}


async def show_menu(event: Event, state: FSMContext, clock: Clock, text: str = T.MENU) -> None:
    bound = await citizen_token(state, clock()) is not None
    await reply(event, text, keyboards.menu(bound=bound))


async def open_flow(
    target: str, event: Event, state: FSMContext, gateway: GatewayClient, clock: Clock
) -> None:
    """Open the flow a menu button (``Nav.to``) or an understood phrase names."""
    if target in ("status", "records", "repair", "log"):
        await credit.open_view(event, state, gateway, clock, target)
    elif target in rights.RIGHTS_FLOWS:
        await rights.open_rights(event, state, gateway, clock, target)
    elif target == "my_cases":
        await rights.open_my_cases(event, state, gateway, clock)
    elif target == "consents":
        await consents.open_consents(event, state, gateway, clock)
    elif target == "grant":
        await consents.open_grant(event, state, gateway, clock)
    elif target == "precheck":
        await precheck.open_precheck(event, state, gateway, clock)
    elif target == "bind":
        await start_binding(event, state)
    elif target == "unbind":
        await start_unbinding(event, state, clock)
    else:
        await show_menu(event, state, clock)


def router() -> Router:
    r = Router(name="start")

    @r.message(CommandStart())
    async def start(message: Message, state: FSMContext, clock: Clock) -> None:
        await state.set_state(None)  # /start leaves any flow
        await show_menu(message, state, clock, T.START + "\n\n" + T.MENU)

    @r.message(Command("help", "menu"))
    async def help_(message: Message, state: FSMContext, clock: Clock) -> None:
        await state.set_state(None)
        await show_menu(message, state, clock)

    @r.callback_query(keyboards.Nav.filter())
    async def nav(
        query: CallbackQuery,
        callback_data: keyboards.Nav,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        await open_flow(callback_data.to, query, state, gateway, clock)

    @r.message(F.text)
    async def free_text(
        message: Message, state: FSMContext, gateway: GatewayClient, clock: Clock
    ) -> None:
        text = message.text or ""
        if ID_NUMBER_LIKE.search(text):
            await message.delete()
            await show_menu(message, state, clock, T.ID_DELETED)
            return
        intent = intent_of(text)
        if intent is None:
            await show_menu(message, state, clock, T.NOT_UNDERSTOOD)
        elif intent is Intent.HELP:
            await show_menu(message, state, clock)
        elif intent in _INTENT_VIEW:
            await open_flow(_INTENT_VIEW[intent], message, state, gateway, clock)
        else:
            await open_flow(intent.value, message, state, gateway, clock)

    @r.message()
    async def anything_else(message: Message, state: FSMContext, clock: Clock) -> None:
        await show_menu(message, state, clock, T.NOT_UNDERSTOOD)

    @r.callback_query()
    async def stale_button(query: CallbackQuery, state: FSMContext, clock: Clock) -> None:
        await show_menu(query, state, clock)

    return r
