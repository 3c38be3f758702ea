"""The bot end to end: aiogram's real HTTP session → the fake Bot API server; the bot's
GraphQL client → the session gateway → the bureau simulators.

``telegram`` is a fresh fake server per test; ``bot`` runs the bot against it by long polling
with the storage of the ``storage`` parameter (memory, or the real Redis); ``people`` hands out
synthetic legal representatives, each once (binding rules are per person).
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator

import pytest
from aiogram.fsm.storage.base import BaseStorage
from starlette.applications import Starlette

from bot.app import BotApp, bot_app, run_polling
from bot.settings import BotSettings, load_bot_settings
from bot.state import build_storage
from simulators.telegram import FakeTelegram, FakeUser
from tests.bot.chat import Chat

REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram.running() as server:
        yield server


def bot_settings(
    telegram: FakeTelegram, gateway_url: str, bot_key: str, **more: object
) -> BotSettings:
    return load_bot_settings(
        token=telegram.token,
        gateway_key=bot_key,
        gateway_url=gateway_url,
        api_url=telegram.url,
        redis_url=None,
        polling_timeout_s=5,
        **more,
    )


@pytest.fixture(params=["memory", "redis"])
async def storage(request: pytest.FixtureRequest) -> AsyncIterator[BaseStorage]:
    """Conversation state in this process, or in the real Redis (under a per-test prefix)."""
    if request.param == "memory":
        made = build_storage(redis_url=None, ttl_s=600)
    else:
        from aiogram.fsm.storage.base import DefaultKeyBuilder
        from aiogram.fsm.storage.redis import RedisStorage

        made = RedisStorage.from_url(
            REDIS,
            key_builder=DefaultKeyBuilder(
                prefix=f"test-bot-{secrets.token_hex(4)}", with_bot_id=True
            ),
            state_ttl=600,
            data_ttl=600,
        )
        await made.redis.ping()  # Redis must answer: these tests are not skipped
    try:
        yield made
    finally:
        await made.close()


@pytest.fixture
async def bot(
    telegram: FakeTelegram, gateway_url: str, bot_key: str, storage: BaseStorage
) -> AsyncIterator[BotApp]:
    settings = bot_settings(telegram, gateway_url, bot_key)
    async with bot_app(settings, storage=storage) as app:
        mark = telegram.mark()
        polling = asyncio.create_task(run_polling(app))
        await telegram.wait_for(lambda c: c.method == "getUpdates", after=mark)
        try:
            yield app
        finally:
            await app.dispatcher.stop_polling()
            await polling


@pytest.fixture
def chat(telegram: FakeTelegram, bot: BotApp, gateway_app: Starlette) -> Chat:
    user = FakeUser(id=700_000_000 + secrets.randbelow(1_000_000), first_name="测试")
    return Chat(telegram, user, gateway_app.state.gateway.database.pool)
