"""本人: a bound citizen sees their own (natural person) credit — status, records, who looked —
beside their firms' in the chooser, or straight away when they represent no firm; their own ID
number is never in anything the bot sends (not even masked: the bot never fetches it)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import orjson
import pytest

from credit.masking import mask_id_number
from credit.records import Person
from simulators.runner import RunningBureau
from simulators.telegram import FakeTelegram
from simulators.world import World
from tests.bot.chat import CHOOSER, Chat


def _records(world: World, person: Person) -> int:
    facts = world.facts(person.id_number)
    assert facts is not None
    return len(facts.records())


@pytest.fixture(scope="module")
def loners(world: World) -> Iterator[Person]:
    """Persons who represent no organisation, each handed out once (binding is per person)."""
    codes = list(world.persons)
    return (
        world.persons[code]
        for code in reversed(codes)  # individuals come last; the people fixture takes reps
        if not world.represented_by(code)
    )


def _wire(tg: FakeTelegram) -> str:
    return " ".join(
        orjson.dumps(c.params).decode() + orjson.dumps(c.result).decode() for c in tg.calls
    )


async def test_myself_beside_my_firm_status_records_and_who_looked(
    chat: Chat,
    world: World,
    people: Iterator[Person],
    officer: httpx.AsyncClient,
    bureaus: dict[str, RunningBureau],  # asked for so that they start well-behaved
) -> None:
    # The session gateway's breakers and caches are reset before every test that talks to it
    # (tests/conftest.py, _fresh_gateway_caches): test_conversations' court outage, run first
    # or not, leaves no breaker open here.
    person = next(
        p for p in people if len(world.represented_by(p.id_number)) == 1 and _records(world, p)
    )
    firm = world.registrations[world.represented_by(person.id_number)[0]]
    total = _records(world, person)
    looked = await officer.post(
        "/graphql",
        json={"query": f'{{ subject(code: "{person.id_number}") {{ kind }} }}'},
    )
    assert looked.status_code == 200, looked.text
    await chat.bind(person)

    chooser = await chat.tap("我的信用")
    assert chooser.text == CHOOSER
    labels = [text for text, _ in chooser.buttons]
    assert labels[:2] == ["本人", firm.name]

    status = await chat.tap("本人")
    assert "本人 的信用状况" in status.text
    assert "综合评价" in status.text
    assert f"信用记录：共 {total} 条" in status.text
    assert firm.name not in status.text
    records = await chat.tap("记录")
    assert f"共 {total} 条，第 1 页" in records.text
    assert "1. [" in records.text
    detail = await chat.tap("1")
    assert "事由：" in detail.text

    log = await chat.say("谁查了我", pick="本人")
    assert "谁查询了 本人" in log.text
    assert "演示审核员" in log.text  # the officer's look above, in my own log
    assert "至少保存5年" in log.text

    wire = _wire(chat.tg)
    assert person.id_number not in wire
    assert mask_id_number(person.id_number) not in wire  # not shown masked either


async def test_a_citizen_without_a_firm_gets_their_own_status_directly(
    chat: Chat,
    world: World,
    loners: Iterator[Person],
    bureaus: dict[str, RunningBureau],  # asked for so that they start well-behaved
) -> None:
    person = next(loners)
    done = await chat.bind(person)
    assert "企业" not in done.text

    status = await chat.say("我的信用怎么样")
    assert status.text != CHOOSER
    assert "本人 的信用状况" in status.text
    assert f"信用记录：共 {_records(world, person)} 条" in status.text
    assert person.id_number not in _wire(chat.tg)
