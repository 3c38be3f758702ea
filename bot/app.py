"""The bot's app factory: one place that wires the Bot, the Dispatcher, the gateway client and
the state storage, and runs them by long polling or behind a webhook.

    async with bot_app(settings) as app:          # or bot_app(settings, session=..., clock=...)
        await run_polling(app)                    # until app.dispatcher.stop_polling()
    creditgw bot                                  # the same, from BOT_* settings

Every seam is injectable: the aiogram session (its Bot API server), the gateway's httpx
client, the storage and the clock; nothing is module-level.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import BotCommand

from bot.graphql import GatewayClient, GatewayError
from bot.handlers import build_router
from bot.handlers.common import Clock
from bot.handlers.rights import deliver_notices
from bot.settings import BotSettings
from bot.state import build_storage

__all__ = [
    "COMMANDS",
    "BotApp",
    "bot_app",
    "create_dispatcher",
    "decision_notices",
    "run_polling",
    "send_decision_notices",
    "utc_now",
]

log = logging.getLogger("bot")

COMMANDS = (
    BotCommand(command="start", description="开始 / 功能介绍"),
    BotCommand(command="menu", description="菜单"),
    BotCommand(command="bind", description="验证身份"),
    BotCommand(command="unbind", description="解除绑定"),
    BotCommand(command="cancel", description="取消当前操作"),
)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class BotApp:
    bot: Bot
    dispatcher: Dispatcher
    gateway: GatewayClient
    storage: BaseStorage
    settings: BotSettings
    # one round of decision notices at a time: a notice is acknowledged after it is sent
    notices: asyncio.Lock = field(default_factory=asyncio.Lock)


async def send_decision_notices(app: BotApp) -> int:
    """Tell citizens the decisions on their objections and repairs (one round); how many."""
    async with app.notices:
        return await deliver_notices(app.gateway, app.bot)


async def _notices_loop(app: BotApp) -> None:
    while True:
        try:
            await send_decision_notices(app)
        except GatewayError as exc:  # the gateway is away: the notices wait for it
            log.warning("decision notices not fetched: %s", type(exc).__name__)
        await asyncio.sleep(app.settings.notice_poll_s)


@contextlib.asynccontextmanager
async def decision_notices(app: BotApp) -> AsyncIterator[None]:
    """Tell citizens their decisions every ``notice_poll_s`` while the block runs (polling
    and webhook mode alike)."""
    task = asyncio.create_task(_notices_loop(app), name="bot-decision-notices")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def create_dispatcher(gateway: GatewayClient, storage: BaseStorage, clock: Clock) -> Dispatcher:
    dispatcher = Dispatcher(storage=storage)
    dispatcher["gateway"] = gateway
    dispatcher["clock"] = clock
    dispatcher.include_router(build_router())
    return dispatcher


@contextlib.asynccontextmanager
async def bot_app(
    settings: BotSettings,
    *,
    session: BaseSession | None = None,
    storage: BaseStorage | None = None,
    http: httpx.AsyncClient | None = None,
    clock: Clock = utc_now,
) -> AsyncIterator[BotApp]:
    """Everything the bot needs, closed on exit (a handed-in ``http`` client is not closed)."""
    async with contextlib.AsyncExitStack() as stack:
        if http is None:
            http = await stack.enter_async_context(
                httpx.AsyncClient(base_url=settings.gateway_url, timeout=settings.gateway_timeout_s)
            )
        gateway = GatewayClient(http, key=settings.gateway_key.get_secret_value())
        if storage is None:
            redis_url = settings.redis_url.get_secret_value() if settings.redis_url else None
            storage = build_storage(redis_url=redis_url, ttl_s=settings.state_ttl_s)
            stack.push_async_callback(storage.close)
        if session is None:
            session = AiohttpSession(api=TelegramAPIServer.from_base(settings.api_url))
        bot = Bot(settings.token.get_secret_value(), session=session)
        stack.push_async_callback(bot.session.close)
        yield BotApp(bot, create_dispatcher(gateway, storage, clock), gateway, storage, settings)


async def run_polling(app: BotApp, *, handle_signals: bool = False) -> None:
    """Long-poll until ``app.dispatcher.stop_polling()`` (or a signal, when handled)."""
    await app.bot.delete_webhook()
    await app.bot.set_my_commands(list(COMMANDS))
    async with decision_notices(app):
        await app.dispatcher.start_polling(
            app.bot,
            polling_timeout=app.settings.polling_timeout_s,
            handle_signals=handle_signals,
            close_bot_session=False,
        )
