"""One person chatting with the bot through the fake Bot API server, as a test writes it.

reply = await chat.say("/start")          # waits for the bot's next message or edit
reply = await chat.tap("我的信用")          # presses the button labelled so on the last reply
reply = await chat.tap("我的信用", pick=firm.name)  # …and taps that subject if asked whose
await chat.bind(person, phone)            # the whole /bind flow, code read from the outbox
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import asyncpg

from credit.records import Person
from simulators.telegram import ApiCall, FakeTelegram, FakeUser

CHOOSER = "请选择要查看的对象："  # the bot asks whose credit: 本人 or one of my firms


@dataclass
class Chat:
    tg: FakeTelegram
    user: FakeUser
    pool: asyncpg.Pool
    last: ApiCall | None = None
    said: list[int] = field(default_factory=list)  # message ids of what the person typed

    async def say(self, text: str, *, pick: str | None = None) -> ApiCall:
        mark = self.tg.mark()
        self.said.append(await self.tg.send_text(self.user, text))
        self.last = await self.tg.next_reply(self.user.id, after=mark)
        return await self._pick(pick)

    async def _pick(self, subject: str | None) -> ApiCall:
        """When the bot asks whose credit to show, tap ``subject`` (a label part) in its chooser."""
        assert self.last is not None
        if subject is not None and self.last.text == CHOOSER:
            return await self.tap(subject)
        return self.last

    def button(self, label: str) -> str:
        """The callback data of the last reply's first button whose text contains ``label``."""
        assert self.last is not None, "the bot has not replied yet"
        for text, data in self.last.buttons:
            if label in text:
                return data
        raise AssertionError(f"no button {label!r} in {self.last.buttons}")

    async def press(self, data: str) -> ApiCall:
        """Press a button with ``data`` (forged or real) under the last reply."""
        assert self.last is not None
        assert isinstance(self.last.result, dict)
        mark = self.tg.mark()
        await self.tg.press(self.user, self.last.result["message_id"], data)
        self.last = await self.tg.next_reply(self.user.id, after=mark)
        return self.last

    async def tap(self, label: str, *, pick: str | None = None) -> ApiCall:
        await self.press(self.button(label))
        return await self._pick(pick)

    async def latest_code(self, phone: str) -> str:
        message = await self.pool.fetchval(
            "SELECT message FROM sms_outbox WHERE phone = $1 ORDER BY id DESC LIMIT 1", phone
        )
        found = re.search(r"验证码 (\d{6})", message or "")
        assert found, "no code was texted to that phone"
        return found[1]

    async def bind(self, person: Person) -> ApiCall:
        """Bind as ``person`` with the phone registered to them (三要素)."""
        await self.say("/bind")
        await self.say(person.name)
        await self.say(person.phone)
        sent = await self.say(person.id_number)
        assert "验证码已发送" in sent.text, sent.text
        done = await self.say(await self.latest_code(person.phone))
        assert "身份验证成功" in done.text, done.text
        return done
