"""Conversations end to end (memory and Redis state): /start, binding (success, wrong code,
lockout), unbinding, status, records paged and a record's detail, who looked at me, free-text
intents, and a bureau that is down."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from credit.publicity import never_published
from credit.records import CreditRecord, Person
from simulators.behaviour import Behaviour
from simulators.runner import RunningBureau
from simulators.telegram import ApiCall
from simulators.world import World
from tests.bot.chat import Chat
from tests.connectors.cases import added_public_records


def firm_of(world: World, person: Person) -> str:
    firms = world.represented_by(person.id_number)
    assert len(firms) == 1, "these tests want a person with exactly one firm"
    return firms[0]


def shown(world: World, uscc: str) -> list[CreditRecord]:
    """The firm's records a citizen is shown: the law never publishes some market penalties
    (a warning alone, 简易程序), and the market bureau's connector drops them."""
    facts = world.facts(uscc)
    assert facts is not None
    return [r for r in facts.records() if not never_published(r)]


@pytest.fixture
def person(world: World, people: Iterator[Person]) -> Person:
    """A legal representative of exactly one firm, which shows at least six records."""
    for candidate in people:
        firms = world.represented_by(candidate.id_number)
        if len(firms) == 1 and len(shown(world, firms[0])) >= 6:
            return candidate
    raise AssertionError("the test world has no such person left")


MENU = [  # the main menu, row by row; its last row binds or unbinds
    ["📊 我的信用", "📄 我的记录"],
    ["🛠 怎么修复", "👀 谁查了我"],
    ["⚖️ 我要异议", "📝 申请信用修复"],
    ["📮 我的申请"],
    ["🔐 我的授权", "💰 信易贷预检"],
]


def rows(reply: ApiCall) -> list[list[str]]:
    """The labels of a reply's inline keyboard, row by row."""
    markup = reply.params.get("reply_markup")
    assert isinstance(markup, dict), markup
    return [[button["text"] for button in row] for row in markup["inline_keyboard"]]


async def test_start_explains_and_offers_binding(chat: Chat) -> None:
    reply = await chat.say("/start")
    assert "个人信息说明" in reply.text
    assert "立即从对话中删除" in reply.text
    assert rows(reply) == [*MENU, ["🪪 验证身份"]]


async def test_binding_deletes_the_id_message_and_binds(chat: Chat, person: Person) -> None:
    phone = person.phone
    await chat.say("/bind")
    await chat.say(person.name)
    asked_id = await chat.say(phone)
    assert "身份号码" in asked_id.text
    sent = await chat.say(person.id_number)
    id_message = chat.said[-1]
    assert (chat.user.id, id_message) in chat.tg.deleted
    assert chat.tg.message(chat.user.id, id_message) is None
    assert f"{phone[:3]}****{phone[-4:]}" in sent.text
    done = await chat.say(await chat.latest_code(phone))
    assert "身份验证成功" in done.text
    assert "1 家企业" in done.text
    assert rows(done) == [*MENU, ["🔓 解除绑定"]]


async def test_a_phone_not_their_own_is_refused_without_saying_which_and_all_is_asked_again(
    chat: Chat, person: Person
) -> None:
    someone_elses = "13900001111"
    assert someone_elses != person.phone
    for text in ("/bind", person.name, someone_elses):
        await chat.say(text)
    refused = await chat.say(person.id_number)
    assert "姓名、公民身份号码与手机号核验未通过" in refused.text
    assert "从姓名开始" in refused.text
    assert (
        await chat.pool.fetchval("SELECT count(*) FROM sms_outbox WHERE phone = $1", someone_elses)
        == 0
    )
    # the flow starts over at the name, and with their own phone it binds
    await chat.say(person.name)
    await chat.say(person.phone)
    sent = await chat.say(person.id_number)
    assert "验证码已发送" in sent.text
    done = await chat.say(await chat.latest_code(person.phone))
    assert "身份验证成功" in done.text


async def test_a_wrong_code_says_how_many_tries_are_left(chat: Chat, person: Person) -> None:
    phone = person.phone
    for text in ("/bind", person.name, phone, person.id_number):
        await chat.say(text)
    code = await chat.latest_code(phone)
    wrong = await chat.say(f"{(int(code) + 1) % 1_000_000:06d}")
    assert "还可以再试 4 次" in wrong.text
    done = await chat.say(code)
    assert "身份验证成功" in done.text


async def test_five_wrong_codes_lock_binding(chat: Chat, person: Person) -> None:
    phone = person.phone
    for text in ("/bind", person.name, phone, person.id_number):
        await chat.say(text)
    wrong = f"{(int(await chat.latest_code(phone)) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        assert f"还可以再试 {left} 次" in (await chat.say(wrong)).text
    locked = await chat.say(wrong)
    assert "错误次数过多" in locked.text
    # Starting over is refused too, before any code is sent.
    for text in ("/bind", person.name, phone):
        await chat.say(text)
    again = await chat.say(person.id_number)
    assert "错误次数过多" in again.text


async def test_status_records_and_a_records_detail(
    chat: Chat, person: Person, world: World
) -> None:
    await chat.bind(person)
    firm = world.registrations[firm_of(world, person)]
    total = len(shown(world, firm.uscc)) + len(added_public_records(world, firm.uscc))

    status = await chat.tap("我的信用", pick=firm.name)
    assert firm.name in status.text
    assert "综合评价" in status.text
    assert f"共 {total} 条" in status.text

    first = await chat.tap("记录")
    assert f"共 {total} 条，第 1 页" in first.text
    assert [t for t, _ in first.buttons][:5] == ["1", "2", "3", "4", "5"]
    second = await chat.tap("下一页")
    assert "第 2 页" in second.text
    assert "6. [" in second.text
    back = await chat.tap("上一页")
    assert back.text == first.text

    line = next(x for x in back.text.splitlines() if x.startswith("2. ["))
    title = line.split("] ", 1)[1].split(" — ")[0]
    detail = await chat.tap("2")
    assert f"事由：{title}" in detail.text
    for part in ("依据：", "公示：", "修复："):
        assert part in detail.text


async def test_who_looked_at_me(
    chat: Chat, person: Person, world: World, bank: httpx.AsyncClient
) -> None:
    firm = firm_of(world, person)
    looked = await bank.post(
        "/graphql", json={"query": f'{{ enterprise(uscc: "{firm}") {{ name }} }}'}
    )
    assert looked.status_code == 200
    await chat.bind(person)
    log = await chat.tap("谁查了我", pick=world.registrations[firm].name)
    assert "演示银行" in log.text
    assert "至少保存5年" in log.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的信用怎么样", "综合评价"),
        ("谁查了我", "👀"),
        ("怎么修复", "的失信记录"),
        ("我想看看我的处罚记录", "信用记录"),
    ],
)
async def test_free_text_opens_the_same_flows(
    chat: Chat, person: Person, world: World, text: str, expected: str
) -> None:
    await chat.bind(person)
    firm = world.registrations[firm_of(world, person)]
    assert expected in (await chat.say(text, pick=firm.name)).text


async def test_anything_else_gets_the_menu(chat: Chat) -> None:
    reply = await chat.say("今天天气不错")
    assert "没听懂" in reply.text
    assert "我的信用" in reply.buttons[0][0]
    unbound = await chat.say("我的信用怎么样")
    assert "需要先验证您的身份" in unbound.text


async def test_a_bureau_down_is_named_and_the_rest_shown(
    chat: Chat,
    person: Person,
    world: World,
    bureaus: dict[str, RunningBureau],
) -> None:
    await chat.bind(person)
    bureaus["court"].service.state.behaviour = Behaviour(down=True)
    firm = world.registrations[firm_of(world, person)]
    status = await chat.tap("我的信用", pick=firm.name)
    assert "法院暂时无法访问" in status.text
    assert firm.name in status.text
    assert "暂不作评价" in status.text
    records = await chat.tap("记录")
    assert "法院暂时无法访问" in records.text
    assert "1. [" in records.text


async def test_unbind_forgets_the_citizen(chat: Chat, person: Person) -> None:
    await chat.bind(person)
    await chat.say("/unbind")
    done = await chat.tap("确定解除")
    assert "已解除身份绑定" in done.text
    assert "需要先验证您的身份" in (await chat.say("我的信用怎么样")).text


# One fixed person: binding them twice within the resend wait is refused, so one storage only.
@pytest.mark.parametrize("storage", ["memory"], indirect=True)
async def test_how_to_repair_lists_negative_records_and_cites_the_rule(
    chat: Chat, world: World
) -> None:
    firm = world.registrations[world.boundary["penalty_listed_yesterday"]]
    person = world.persons[firm.legal_rep_id]
    assert world.represented_by(person.id_number) == [firm.uscc]
    await chat.bind(person)
    listed = await chat.say("怎么修复", pick=firm.name)
    assert "的失信记录（共 1 条" in listed.text
    assert "1. [行政处罚（双公示）·一般]" in listed.text  # the gateway's name for the kind
    assert "A级纳税人" not in listed.text  # a red list needs no repair
    detail = await chat.tap("1")
    assert "起可申请信用修复" in detail.text
    assert "令第36号" in detail.text
    assert "怎么办" in detail.text
    back = await chat.tap("返回列表")
    assert back.text == listed.text
