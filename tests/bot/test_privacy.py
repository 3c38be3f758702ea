"""No ID number in any reply or log line; no citizen ever sees another citizen's data, whatever
they type or press; an expired session is said plainly."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import orjson
import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.app import BotApp
from credit.records import Person
from simulators.telegram import FakeTelegram, FakeUser
from simulators.world import World
from tests.bot.chat import Chat


def one_firm_people(
    world: World, people: Iterator[Person], n: int, *, with_records: bool = False
) -> list[Person]:
    """``n`` people who represent exactly one firm (with ``with_records``: a firm that has
    records no connector drops — court, permits, lists — so the records flow has a page)."""
    found: list[Person] = []
    for person in people:
        firms = world.represented_by(person.id_number)
        if len(firms) == 1 and (not with_records or _has_kept_records(world, firms[0])):
            found.append(person)
            if len(found) == n:
                return found
    raise AssertionError("not enough people with one firm")


def _has_kept_records(world: World, code: str) -> bool:
    facts = world.facts(code)
    return facts is not None and bool(
        facts.court + facts.permits + facts.abnormal + facts.serious_violations + facts.national
    )


async def test_no_id_number_in_any_reply_or_log_line(
    chat: Chat,
    world: World,
    people: Iterator[Person],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    (person,) = one_firm_people(world, people, 1, with_records=True)
    firm = world.registrations[world.represented_by(person.id_number)[0]]
    phone = person.phone
    await chat.say("/start")
    # A wrong ID first (the bot asks again), then the real binding, then every flow.
    for text in ("/bind", person.name, phone):
        await chat.say(text)
    typo = person.id_number[:17] + ("1" if person.id_number[17] != "1" else "2")
    assert "身份号码" in (await chat.say(typo)).text
    await chat.say(person.id_number)
    await chat.say(await chat.latest_code(phone))
    for label in ("我的信用", "记录"):
        await chat.tap(label, pick=firm.name)
    await chat.tap("1")
    await chat.say("谁查了我", pick=firm.name)
    await chat.say(f"我的身份证号是 {person.id_number}，帮我查查")
    await chat.say("我的授权")

    for call in chat.tg.calls:
        wire = orjson.dumps(call.params).decode() + orjson.dumps(call.result).decode()
        assert person.id_number not in wire, call.method
        assert typo not in wire, call.method
        assert phone not in wire, call.method
    for record in caplog.records:
        line = record.getMessage() + (record.exc_text or "") + str(record.args)
        assert person.id_number not in line
        assert typo not in line
    # Both messages carrying an ID number were deleted from the chat.
    typed = [m for m in chat.said if chat.tg.message(chat.user.id, m) is None]
    assert len(typed) >= 3  # the typo, the real number, the sentence quoting it


async def test_a_citizen_never_sees_another_citizens_data(
    telegram: FakeTelegram,
    bot: BotApp,
    chat: Chat,
    world: World,
    people: Iterator[Person],
) -> None:
    mine, theirs = one_firm_people(world, people, 2)
    their_firm = world.registrations[world.represented_by(theirs.id_number)[0]]
    my_firm = world.registrations[world.represented_by(mine.id_number)[0]]
    other = Chat(telegram, FakeUser(id=chat.user.id + 1, first_name="他人"), chat.pool)
    await other.bind(theirs)
    await chat.bind(mine)

    await chat.say(theirs.id_number)  # deleted, never looked up
    await chat.say(their_firm.uscc)
    await chat.say(f"查一下 {their_firm.name} 的信用")
    forged = [
        "s:status:1",
        "s:records:5",
        "s:log:-1",
        "s:status:999999",
        "p:records:3:0",
        "r:0:4:0",
        "r:2:0:0",
        "s:evil:0",
        "x:00000000-0000-0000-0000-000000000000",
        "g:subj:7",
        "g:bank:1",
        "g:ok:1",
        "f:3:0",
        "n:nowhere",
        "u:1:extra",
        "garbage",
    ]
    await chat.say("/menu")
    for data in forged:
        await chat.press(data)
    # Buttons from the other citizen's chat act on the presser's own data only.
    await other.tap("我的信用", pick=their_firm.name)
    await chat.press(other.button("记录"))

    mine_text = " ".join(c.text for c in telegram.calls if c.chat_id == chat.user.id)
    assert their_firm.name not in mine_text
    assert their_firm.uscc not in mine_text
    assert theirs.id_number not in mine_text
    assert my_firm.name in mine_text

    # Someone who never bound gets nothing from anybody's buttons.
    stranger = Chat(telegram, FakeUser(id=chat.user.id + 2), chat.pool)
    await stranger.say("/start")
    reply = await stranger.press(other.button("记录"))
    assert "需要先验证您的身份" in reply.text


async def test_an_expired_or_refused_session_asks_to_bind_again(
    chat: Chat,
    bot: BotApp,
    telegram: FakeTelegram,
    world: World,
    people: Iterator[Person],
) -> None:
    (person,) = one_firm_people(world, people, 1)
    await chat.bind(person)
    key = StorageKey(bot_id=telegram.bot_id, chat_id=chat.user.id, user_id=chat.user.id)
    await bot.storage.update_data(key, {"token": "not.a.token"})  # the gateway refuses it
    refused = await chat.say("我的信用怎么样")
    assert "身份验证已过期" in refused.text
    assert "重新验证身份" in refused.buttons[0][0]
    assert (await bot.storage.get_data(key)).get("token") is None

    await bot.storage.update_data(key, {"token": "x", "token_expires": "2000-01-01T00:00:00+00:00"})
    assert "需要先验证您的身份" in (await chat.say("谁查了我")).text


@pytest.mark.parametrize("storage", ["redis"], indirect=True)
async def test_the_state_store_never_holds_the_id_number(
    chat: Chat, bot: BotApp, world: World, people: Iterator[Person]
) -> None:
    from aiogram.fsm.storage.redis import RedisStorage

    storage = bot.storage
    assert isinstance(storage, RedisStorage)
    (person,) = one_firm_people(world, people, 1)
    phone = person.phone
    prefix = storage.key_builder.prefix  # type: ignore[attr-defined]

    async def stored() -> str:
        keys = [k async for k in storage.redis.scan_iter(match=f"{prefix}:*")]
        values = [await storage.redis.get(k) for k in keys]
        return " ".join(v.decode() if isinstance(v, bytes) else str(v) for v in values if v)

    for text in ("/bind", person.name, phone):
        await chat.say(text)
    assert phone in await stored()  # kept for one step, until the ID number arrives
    await chat.say(person.id_number)
    after_code_sent = await stored()
    assert person.id_number not in after_code_sent
    assert phone not in after_code_sent
    assert person.name not in after_code_sent
    await chat.say(await chat.latest_code(phone))
    assert "token" in await stored()
    assert person.id_number not in await stored()
