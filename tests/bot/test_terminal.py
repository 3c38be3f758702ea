"""``creditgw chat``: a person chats with the running bot from a terminal, through the fake Bot
API server's control API (typed lines in, the bot's messages and buttons out)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
from starlette.applications import Starlette

from bot.app import BotApp
from bot.terminal import chat
from credit.records import Person
from simulators.telegram import FakeTelegram, FakeUser
from tests.bot.chat import Chat


class Screen:
    """What the terminal printed; waits on each line printed, never on a timer."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._printed = asyncio.Event()

    def write(self, text: str) -> None:
        self.lines.append(text)
        self._printed.set()

    async def shows(self, text: str, *, since: int = 0) -> str:
        async with asyncio.timeout(15):
            while True:
                hit = next((line for line in self.lines[since:] if text in line), None)
                if hit is not None:
                    return hit
                self._printed.clear()
                await self._printed.wait()


async def test_chat_binds_and_asks_in_a_terminal(
    telegram: FakeTelegram,
    bot: BotApp,
    gateway_app: Starlette,
    people: Iterator[Person],
) -> None:
    screen, typed = Screen(), asyncio.Queue[str | None]()
    user = FakeUser(id=20_001, first_name="演示用户")
    session = asyncio.create_task(
        chat(telegram.url, user_id=user.id, read_line=typed.get, write=screen.write)
    )
    outbox = Chat(telegram, user, gateway_app.state.gateway.database.pool)
    person = next(people)
    phone = person.phone

    async def say(text: str, then: str) -> str:
        since = len(screen.lines)
        await typed.put(text)
        return await screen.shows(then, since=since)

    await screen.shows("已连接")
    menu = await say("/start", "[#10] 🪪 验证身份")
    assert "个人信息说明" in "\n".join(screen.lines)
    assert "[#1] 📊 我的信用" in menu
    assert "[#7] 📮 我的申请" in menu
    await say("#10", "真实姓名")
    await say(person.name, "手机号")
    await say(phone, "身份号码")
    await say(person.id_number, "验证码已发送")
    await screen.shows("已从对话中删除")
    await say(await outbox.latest_code(phone), "身份验证成功")
    # Button 1 of the chooser is 本人; button 2, the person's first firm.
    await say("#1", "请选择要查看的对象")
    await say("#2", "综合评价")
    await typed.put("/quit")
    assert await session == 0
    assert person.id_number not in "\n".join(screen.lines)


async def test_chat_says_when_no_demo_runs() -> None:
    screen = Screen()

    async def nothing() -> str | None:
        return None

    code = await chat("http://127.0.0.1:9", read_line=nothing, write=screen.write)
    assert code == 1
    assert "make demo" in screen.lines[0]


async def test_chat_says_plainly_when_the_demo_goes_away() -> None:
    screen, typed = Screen(), asyncio.Queue[str | None]()
    telegram = FakeTelegram()
    await telegram.start()
    # The demo does not come back: asked once (no patience), the chat gives up at once
    # instead of asking for the default 30 s.
    session = asyncio.create_task(
        chat(
            telegram.url,
            read_line=typed.get,
            write=screen.write,
            locate=lambda: None,
            patience_s=0,
        )
    )
    await screen.shows("已连接")
    await telegram.aclose()  # the demo stops (Ctrl-C): its chat file is gone with it
    assert await session == 1  # no traceback: an answer
    await screen.shows("演示已停止")
    assert "make demo" in screen.lines[-1]


async def test_chat_reconnects_to_a_restarted_demo() -> None:
    screen, typed = Screen(), asyncio.Queue[str | None]()
    first = FakeTelegram()
    await first.start()
    async with FakeTelegram.running() as second:
        found: list[str] = []  # what the demo's chat file says: nothing until it restarted
        session = asyncio.create_task(
            chat(
                first.url,
                read_line=typed.get,
                write=screen.write,
                locate=lambda: found[0] if found else None,
            )
        )
        await screen.shows("已连接")
        found.append(second.url)
        await first.aclose()
        await screen.shows("已重新连接")
        await typed.put("/start")
        # as the bot of the restarted demo would: the line typed reached the new server
        async with httpx.AsyncClient(timeout=15) as bot:
            polled = await bot.post(
                f"{second.url}/bot{second.token}/getUpdates", data={"timeout": "10"}
            )
        assert [u["message"]["text"] for u in polled.json()["result"]] == ["/start"]
        await typed.put("/quit")
        assert await session == 0
