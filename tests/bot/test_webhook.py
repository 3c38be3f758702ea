"""Webhook mode: the fake Bot API server POSTs updates to the bot's Starlette route, which takes
only requests carrying the secret given to setWebhook."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import uvicorn
from aiogram.fsm.storage.base import BaseStorage
from starlette.applications import Starlette

from bot.app import bot_app
from bot.webhook import WEBHOOK_PATH, webhook_app
from credit.records import Person
from simulators.serving import StartedServer, listen
from simulators.telegram import FakeTelegram, FakeUser
from simulators.world import World
from tests.bot.chat import Chat
from tests.bot.conftest import bot_settings

SECRET = "webhook-secret_for-tests"


@pytest.fixture
async def webhook_url(
    telegram: FakeTelegram, gateway_url: str, bot_key: str, storage: BaseStorage
) -> AsyncIterator[str]:
    sock = listen("127.0.0.1")
    url = f"http://127.0.0.1:{sock.getsockname()[1]}{WEBHOOK_PATH}"
    settings = bot_settings(
        telegram, gateway_url, bot_key, mode="webhook", webhook_url=url, webhook_secret=SECRET
    )
    async with bot_app(settings, storage=storage) as app:
        server = StartedServer(
            uvicorn.Config(webhook_app(app, secret=SECRET, url=url), log_level="warning")
        )
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            assert await server.wait_started(serving)
            yield url
        finally:
            server.should_exit = True
            await serving
            sock.close()


async def test_a_conversation_by_webhook(
    telegram: FakeTelegram,
    webhook_url: str,
    gateway_app: Starlette,
    people: Iterator[Person],
    world: World,
) -> None:
    assert telegram.webhook == {"url": webhook_url, "secret_token": SECRET}
    chat = Chat(telegram, FakeUser(id=810_000_001), gateway_app.state.gateway.database.pool)
    assert "个人信息说明" in (await chat.say("/start")).text
    person = next(people)
    await chat.bind(person)
    firm = world.registrations[world.represented_by(person.id_number)[0]]
    assert "综合评价" in (await chat.tap("我的信用", pick=firm.name)).text
    deliveries = [c.result for c in telegram.calls if c.method == "_webhook"]
    assert deliveries
    assert set(deliveries) == {200}
    # Polling is refused while the webhook is set, as Telegram does.
    async with httpx.AsyncClient(base_url=telegram.url) as http:
        refused = await http.post(f"/bot{telegram.token}/getUpdates", data={"timeout": "0"})
    assert refused.status_code == 409


async def test_the_webhook_refuses_a_wrong_or_missing_secret(
    telegram: FakeTelegram, webhook_url: str
) -> None:
    update = {
        "update_id": 99,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "is_bot": False, "first_name": "x"},
            "text": "/start",
        },
    }
    mark = telegram.mark()
    async with httpx.AsyncClient() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            response = await http.post(webhook_url, json=update, headers=headers)
            assert response.status_code == 403
        bad = await http.post(
            webhook_url, content=b"{", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        assert bad.status_code == 400
        # The right secret is handled: the bot answers chat 5 (and nothing answered before).
        ok = await http.post(
            webhook_url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        assert ok.status_code == 200
    reply = await telegram.next_reply(5, after=mark)
    assert [c for c in telegram.calls if c.seq > mark and c.method == "sendMessage"] == [reply]


async def test_shutdown_removes_the_webhook(
    telegram: FakeTelegram, gateway_url: str, bot_key: str, storage: BaseStorage
) -> None:
    url = "http://127.0.0.1:9/telegram/webhook"
    settings = bot_settings(
        telegram, gateway_url, bot_key, mode="webhook", webhook_url=url, webhook_secret=SECRET
    )
    async with bot_app(settings, storage=storage) as app:
        web = webhook_app(app, secret=SECRET, url=url)
        async with contextlib.AsyncExitStack() as stack:
            await stack.enter_async_context(web.router.lifespan_context(web))
            assert telegram.webhook is not None
        assert telegram.webhook is None
