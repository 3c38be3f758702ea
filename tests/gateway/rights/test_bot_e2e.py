"""The rights workflows end to end: the citizen in the chat (aiogram over the fake Bot API) →
the gateway → PostgreSQL → the bureau simulators, and the decision back in the chat."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable

import pytest
from starlette.applications import Starlette

from bot.app import BotApp, bot_app, run_polling, send_decision_notices
from credit.classification import classify
from credit.records import CreditRecord, RepairStatus
from gateway.database import Database
from simulators.telegram import FakeTelegram, FakeUser
from simulators.world import World
from tests.bot.chat import Chat
from tests.bot.conftest import bot_settings
from tests.gateway.rights.conftest import (
    POLICY,
    TODAY,
    Caller,
    gql,
    not_yet_repairable,
    repairable_today,
)
from tests.gateway.rights.test_customs import rated_dishonest
from tests.gateway.rights.test_workflows import DECIDE, RECORDS, delivered, shown

Pick = Callable[[Callable[[CreditRecord], bool]], tuple[str, str, CreditRecord]]


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram.running() as server:
        yield server


@pytest.fixture
async def rights_bot(
    telegram: FakeTelegram, rights_url: str, rights_keys: dict[str, str]
) -> AsyncIterator[BotApp]:
    settings = bot_settings(telegram, rights_url, rights_keys["bot"], notice_poll_s=3600)
    async with bot_app(settings) as app:
        mark = telegram.mark()
        polling = asyncio.create_task(run_polling(app))
        await telegram.wait_for(lambda c: c.method == "getUpdates", after=mark)
        try:
            yield app
        finally:
            await app.dispatcher.stop_polling()
            await polling


@pytest.fixture
def chat(telegram: FakeTelegram, rights_bot: BotApp, rights_db: Database) -> Chat:
    user = FakeUser(id=710_000_000 + secrets.randbelow(1_000_000), first_name="测试")
    return Chat(telegram, user, rights_db.pool)


async def open_record(chat: Chat, phrase: str, firm: str, record: CreditRecord) -> None:
    """Say ``phrase``, pick the firm, then the button of ``record``."""
    reply = await chat.say(phrase)
    if "对象" in reply.text:
        await chat.tap(firm)
    data = next(d for _, d in chat.last.buttons if record.id in d)  # type: ignore[union-attr]
    await chat.press(data)


async def test_the_menu_has_a_button_for_each_rights_flow(
    chat: Chat, firms: Pick, rights_world: World
) -> None:
    uscc, rep, record = firms(repairable_today)
    firm = rights_world.registrations[uscc].name
    await chat.bind(rights_world.persons[rep])
    for button, started in (("我要异议", "提出异议"), ("申请信用修复", "申请修复")):
        await chat.say("/menu")
        chooser = await chat.tap(button)
        assert chooser.text == f"请选择要{started}的对象：", chooser.text
        listed = await chat.tap(firm)
        assert f"{firm}：请选择要{started}的记录" in listed.text
        assert any(record.id in data for _, data in listed.buttons), listed.buttons
    await chat.say("/menu")
    assert "还没有提交过异议或信用修复申请" in (await chat.tap("我的申请")).text


def officer_for(record: CreditRecord) -> str:
    return "officer" if record.source.value == "market" else "national_officer"


async def test_a_repair_through_the_chat_is_accepted_and_the_citizen_told(
    chat: Chat,
    telegram: FakeTelegram,
    rights_bot: BotApp,
    rights_as: Caller,
    firms: Pick,
    rights_app: Starlette,
    rights_world: World,
) -> None:
    uscc, rep, record = firms(repairable_today)
    firm = rights_world.registrations[uscc].name
    await chat.bind(rights_world.persons[rep])
    async with rights_as() as public:
        await gql(public, RECORDS, c=uscc)  # the caches are warm
    await open_record(chat, "申请信用修复", firm, record)
    shown_commitment = chat.last
    assert shown_commitment is not None
    assert "信用承诺书" in shown_commitment.text
    assert record.title in shown_commitment.text
    await chat.tap("我已阅读并承诺")
    filed = await chat.say("罚款已于2026年3月缴清，违法行为已整改。")
    assert "已受理" in filed.text, filed.text
    async with rights_as() as public:
        assert shown(await gql(public, RECORDS, c=uscc))[record.id]["rightsState"] == (
            "REPAIR_PENDING"
        )
    async with rights_as(officer_for(record)) as desk:
        queue = await gql(desk, "{ reviewQueue { id recordId } }")
        case_id = next(c["id"] for c in queue["data"]["reviewQueue"] if c["recordId"] == record.id)
        await gql(desk, DECIDE, i={"caseId": case_id, "outcome": "ACCEPTED",
                                   "reasons": ["已履行处罚决定并作出信用承诺"]})  # fmt: skip
    async with rights_as() as public, rights_as("bank") as bank:
        assert record.id not in shown(await gql(public, RECORDS, c=uscc))
        assert record.id not in shown(await gql(bank, RECORDS, c=uscc))
    mark = telegram.mark()
    assert await send_decision_notices(rights_bot) == 1
    told = await telegram.next_reply(chat.user.id, after=mark)
    assert "准予修复" in told.text
    assert "已履行处罚决定并作出信用承诺" in told.text
    assert await send_decision_notices(rights_bot) == 0  # told once
    await delivered(rights_app)
    facts = rights_world.facts(uscc)
    assert facts is not None
    assert next(r for r in facts.records() if r.id == record.id).repair_status is (
        RepairStatus.REPAIRED
    )


async def test_an_objection_through_the_chat_upheld_and_a_refusal_told_with_reasons(
    chat: Chat,
    telegram: FakeTelegram,
    rights_bot: BotApp,
    rights_as: Caller,
    firms: Pick,
    rights_world: World,
) -> None:
    uscc, rep, record = firms(repairable_today)
    firm = rights_world.registrations[uscc].name
    await chat.bind(rights_world.persons[rep])
    await open_record(chat, "我要异议", firm, record)
    filed = await chat.say("处罚对象错误，本企业当日未在该地点经营。")
    assert "已受理" in filed.text, filed.text
    assert "异议处理中" in filed.text
    second = await chat.say("我要异议")  # the same record again: refused in the chat
    if "对象" in second.text:
        await chat.tap(firm)
    assert "异议处理中" in chat.last.text  # type: ignore[union-attr]
    data = next(d for _, d in chat.last.buttons if record.id in d)  # type: ignore[union-attr]
    await chat.press(data)
    again = await chat.say("再次提出")
    assert "已有一件正在处理的异议" in again.text
    async with rights_as(officer_for(record)) as desk:
        queue = await gql(desk, "{ reviewQueue { id recordId kind } }")
        case_id = next(c["id"] for c in queue["data"]["reviewQueue"] if c["recordId"] == record.id)
        await gql(desk, DECIDE, i={"caseId": case_id, "outcome": "REJECTED",
                                   "reasons": ["经核查处罚对象无误"]})  # fmt: skip
    mark = telegram.mark()
    assert await send_decision_notices(rights_bot) == 1
    told = await telegram.next_reply(chat.user.id, after=mark)
    assert "异议不成立" in told.text
    assert "经核查处罚对象无误" in told.text
    cases = await chat.say("我的申请")
    assert "经核查处罚对象无误" in cases.text


async def test_an_objection_through_the_chat_upheld_changes_the_record_and_the_class(
    chat: Chat,
    telegram: FakeTelegram,
    rights_bot: BotApp,
    rights_as: Caller,
    firms: Pick,
    rights_app: Starlette,
    rights_world: World,
) -> None:
    def changes_class(record: CreditRecord) -> bool:
        if not repairable_today(record) and not not_yet_repairable(record):
            return False
        facts = rights_world.facts(record.subject_code)
        assert facts is not None
        rest = [r for r in facts.records() if r.id != record.id]
        now, without = classify(facts.records(), TODAY, POLICY), classify(rest, TODAY, POLICY)
        return now.credit_class != without.credit_class

    uscc, rep, record = firms(changes_class)
    firm = rights_world.registrations[uscc].name
    async with rights_as() as public:
        before = (await gql(public, RECORDS, c=uscc))["data"]["enterprise"]["classification"]
    await chat.bind(rights_world.persons[rep])
    await open_record(chat, "我要异议", firm, record)
    filed = await chat.say("处罚决定书已被复议机关撤销（另附复议决定书）。")
    assert "已受理" in filed.text, filed.text
    async with rights_as(officer_for(record)) as desk:
        queue = await gql(desk, "{ reviewQueue { id recordId } }")
        case_id = next(c["id"] for c in queue["data"]["reviewQueue"] if c["recordId"] == record.id)
        await gql(desk, DECIDE, i={"caseId": case_id, "outcome": "UPHELD",
                                   "reasons": ["处罚决定已被撤销"],
                                   "correction": {"action": "WITHDRAW"}})  # fmt: skip
    mark = telegram.mark()
    assert await send_decision_notices(rights_bot) == 1
    told = await telegram.next_reply(chat.user.id, after=mark)
    assert "异议成立" in told.text
    await delivered(rights_app)
    facts = rights_world.facts(uscc)
    assert facts is not None
    assert next(r for r in facts.records() if r.id == record.id).deleted_on == TODAY
    async with rights_as() as public:
        after = await gql(public, RECORDS, c=uscc)
    assert record.id not in shown(after)
    assert after["data"]["enterprise"]["classification"] != before


async def test_a_customs_dishonest_rating_is_offered_to_repair_and_to_object_to(
    chat: Chat, rights_world: World, used_firms: set[str]
) -> None:
    """A kind a later bureau declares negative (海关失信企业) is offered as every negative
    record is: the bot reads the kinds' polarity from the gateway, and keeps no list."""
    uscc, rep, record_id = rated_dishonest(rights_world, used_firms)
    firm = rights_world.registrations[uscc].name
    await chat.bind(rights_world.persons[rep])
    pages = [(await chat.say("怎么修复", pick=firm)).text]
    while any("下一页" in text for text, _ in chat.last.buttons):  # type: ignore[union-attr]
        pages.append((await chat.tap("下一页")).text)
    assert "[海关失信企业·严重] 海关失信企业" in "\n".join(pages)
    assert "海关高级认证" not in "\n".join(pages)  # positive kinds need no repair
    reply = await chat.say("我要异议")
    if "对象" in reply.text:
        await chat.tap(firm)
    data = next(d for _, d in chat.last.buttons if record_id in d)  # type: ignore[union-attr]
    await chat.press(data)
    filed = await chat.say("本企业欠税已于认定前缴清，失信认定有误。")
    assert "已受理" in filed.text, filed.text
    assert "收到异议申请之日起20日内复核" in filed.text  # customs' own rule
    assert "异议处理中" in filed.text
