"""The fake Bot API server itself: offsets and long polls as Telegram does them, refusals for
what Telegram refuses, and waiting that wakes on the call (no timers)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from simulators.telegram import FakeTelegram, FakeUser

USER = FakeUser(42, "甲")


@pytest.fixture
async def api(telegram: FakeTelegram) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{telegram.url}/bot{telegram.token}") as http:
        yield http


async def call(api: httpx.AsyncClient, method: str, **params: Any) -> httpx.Response:
    return await api.post(f"/{method}", data={k: str(v) for k, v in params.items()})


async def test_updates_stay_until_an_offset_confirms_them(
    telegram: FakeTelegram, api: httpx.AsyncClient
) -> None:
    await telegram.send_text(USER, "一")
    await telegram.send_text(USER, "二")
    first = (await call(api, "getUpdates", timeout=0)).json()["result"]
    assert [u["message"]["text"] for u in first] == ["一", "二"]
    again = (await call(api, "getUpdates", offset=first[0]["update_id"] + 1)).json()["result"]
    assert [u["message"]["text"] for u in again] == ["二"]
    limited = (await call(api, "getUpdates", limit=1)).json()["result"]
    assert len(limited) == 1


async def test_a_long_poll_returns_when_an_update_arrives(
    telegram: FakeTelegram, api: httpx.AsyncClient
) -> None:
    mark = telegram.mark()
    polling = asyncio.create_task(call(api, "getUpdates", timeout=30))
    await telegram.wait_for(lambda c: c.method == "getUpdates", after=mark)
    started = time.monotonic()
    await telegram.send_text(USER, "你好")
    updates = (await polling).json()["result"]
    assert [u["message"]["text"] for u in updates] == ["你好"]
    assert time.monotonic() - started < 5  # woken by the update, not by the 30 s timeout


async def test_messages_edits_deletions_and_refusals(
    telegram: FakeTelegram, api: httpx.AsyncClient
) -> None:
    sent = (await call(api, "sendMessage", chat_id=42, text="原文")).json()["result"]
    edited = await call(
        api, "editMessageText", chat_id=42, message_id=sent["message_id"], text="改"
    )
    assert edited.json()["result"]["text"] == "改"
    assert telegram.message(42, sent["message_id"])["text"] == "改"  # type: ignore[index]
    assert (await call(api, "deleteMessage", chat_id=42, message_id=sent["message_id"])).json()[
        "result"
    ] is True
    gone = await call(api, "deleteMessage", chat_id=42, message_id=sent["message_id"])
    assert gone.status_code == 400
    assert (await call(api, "answerCallbackQuery", callback_query_id="nope")).status_code == 400
    assert (await call(api, "noSuchMethod")).status_code == 404
    async with httpx.AsyncClient(base_url=telegram.url) as http:
        assert (await http.post("/bot1:wrong/getMe")).status_code == 401
    assert [c.method for c in telegram.calls][:2] == ["sendMessage", "editMessageText"]


async def test_the_control_api_lets_another_process_chat(
    telegram: FakeTelegram, api: httpx.AsyncClient
) -> None:
    async with httpx.AsyncClient(base_url=telegram.url) as http:
        sent = await http.post("/_fake/send", json={"user_id": 42, "text": "/start"})
        assert sent.json()["ok"] is True
        waiting = asyncio.create_task(
            http.get("/_fake/events", params={"chat_id": 42, "after": 0, "timeout": 30})
        )
        reply = (await call(api, "sendMessage", chat_id=42, text="欢迎")).json()["result"]
        events = (await waiting).json()["events"]
        assert [(e["text"], e["message_id"]) for e in events] == [("欢迎", reply["message_id"])]
