"""The bot's routers, built fresh by :func:`build_router` (a Router attaches to one dispatcher).

Order: binding (stateful steps and its commands) → credit → consents → pre-check → rights →
start (menu,
free text, fallbacks) last.  Errors: the gateway unreachable, rate-limited or refusing an
expired subject token is said plainly; anything unexpected is logged by type only (an
exception's text could quote what a person typed) and answered with an apology.
"""

from __future__ import annotations

import logging
import traceback

from aiogram import Bot, Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import ErrorEvent, InlineKeyboardMarkup

from bot import keyboards
from bot.graphql import GatewayError, RateLimited, SessionExpired
from bot.handlers import binding, consents, credit, precheck, rights, start
from bot.state import forget_citizen
from bot.texts import T

__all__ = ["build_router"]

log = logging.getLogger("bot")


async def _tell(bot: Bot, event: ErrorEvent, text: str, markup: InlineKeyboardMarkup) -> None:
    update = event.update
    if update.callback_query is not None:
        await update.callback_query.answer()
        chat_id = update.callback_query.from_user.id
    elif update.message is not None:
        chat_id = update.message.chat.id
    else:
        return
    await bot.send_message(chat_id, text, reply_markup=markup)


async def on_gateway_error(event: ErrorEvent, bot: Bot, state: FSMContext | None = None) -> None:
    exc = event.exception
    if isinstance(exc, SessionExpired):
        if state is not None:
            await forget_citizen(state)
        markup = keyboards.only("🪪 重新验证身份", keyboards.Nav(to="bind"))
        await _tell(bot, event, T.SESSION_EXPIRED, markup)
        return
    text = (
        T.RATE_LIMITED.format(seconds=exc.retry_after_s)
        if isinstance(exc, RateLimited)
        else T.GATEWAY_DOWN
    )
    log.warning("gateway call failed: %s", type(exc).__name__)
    await _tell(bot, event, text, keyboards.menu(bound=True))


async def on_unexpected(event: ErrorEvent, bot: Bot) -> None:
    frames = "".join(traceback.format_tb(event.exception.__traceback__))
    log.error(
        "update %s failed with %s\n%s",
        event.update.update_id,
        type(event.exception).__name__,
        frames,
    )
    await _tell(bot, event, "抱歉，处理时出了点问题，请稍后再试。", keyboards.menu(bound=True))


def build_router() -> Router:
    root = Router(name="creditgw-bot")
    root.include_routers(
        binding.router(),
        credit.router(),
        consents.router(),
        precheck.router(),
        rights.router(),
        start.router(),
    )
    root.errors.register(on_gateway_error, ExceptionTypeFilter(GatewayError))
    root.errors.register(on_unexpected)
    return root
