"""Webhook mode: a Starlette app Telegram POSTs updates to.

Telegram sends the secret given to ``setWebhook`` in ``X-Telegram-Bot-Api-Secret-Token``; a
request without the right one is refused (403) before its body is read.  An accepted update is
answered at once and handled in a task (Telegram resends slow ones); the lifespan registers
the webhook on start-up and, on shutdown, waits for updates in hand and removes the webhook.

    app = webhook_app(bot_app, secret="…", url="https://bot.example/telegram/webhook")
    uvicorn.run(app, host=..., port=...)
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import AsyncIterator
from typing import Any

from aiogram.types import Update
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app import COMMANDS, BotApp, decision_notices

__all__ = ["SECRET_HEADER", "WEBHOOK_PATH", "webhook_app"]

log = logging.getLogger("bot.webhook")

SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105 (a header name)
WEBHOOK_PATH = "/telegram/webhook"


def webhook_app(app: BotApp, *, secret: str, url: str, path: str = WEBHOOK_PATH) -> Starlette:
    in_hand: set[asyncio.Task[Any]] = set()
    expected = secret.encode()

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return JSONResponse({"ok": False, "description": "forbidden"}, status_code=403)
        try:
            update = Update.model_validate(await request.json(), context={"bot": app.bot})
        except (ValueError, ValidationError):
            log.warning("webhook: a body that is not an update was refused")
            return JSONResponse({"ok": False, "description": "bad update"}, status_code=400)
        task = asyncio.create_task(app.dispatcher.feed_update(app.bot, update))
        in_hand.add(task)
        task.add_done_callback(in_hand.discard)
        return JSONResponse({"ok": True})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await app.bot.set_webhook(
            url,
            secret_token=secret,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
        )
        await app.bot.set_my_commands(list(COMMANDS))
        try:
            async with decision_notices(app):
                yield
        finally:
            if in_hand:
                await asyncio.gather(*in_hand, return_exceptions=True)
            await app.bot.delete_webhook()

    return Starlette(routes=[Route(path, receive, methods=["POST"])], lifespan=lifespan)
