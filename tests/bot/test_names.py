"""The bot names sources and record kinds as the gateway's bureaus declare them (bot.names):
a record from each bureau added by the registry (不动产登记, 知识产权, 海关) shows its Chinese
name, read from the real gateway — the bot keeps no table of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from bot.app import BotApp
from bot.render import missing_note, record_detail_text, record_line
from connectors.registry import bureaus
from credit.records import KIND_TRAITS, Person, RecordKind
from simulators.world import World
from tests.bot.chat import Chat
from tests.connectors.cases import added_public_records

NEW = ("realestate", "ip", "customs")  # the bureaus added as data (issue 12)
TODAY_ISO = "2026-11-22"


def _node(kind: str, source: str) -> dict[str, object]:
    return {
        "id": f"{source}-1",
        "kind": kind,
        "source": source.upper(),
        "title": "某项记录",
        "decidedOn": TODAY_ISO,
        "authority": "某机关",
        "repairStatus": "NONE",
        "publicity": {"published": True, "visibleNow": True, "legalBasis": "某规定"},
    }


@pytest.mark.parametrize("storage", ["memory"], indirect=True)
async def test_a_record_of_each_new_bureau_shows_its_chinese_names(bot: BotApp) -> None:
    names = await bot.gateway.names()
    for source in NEW:
        label = bureaus().of(source).name.zh
        assert names.source(source) == label  # as an error names it
        assert names.source(source.upper()) == label  # as a record names it
        note = missing_note({source}, names)
        assert note.startswith(f"⚠️ {label}暂时无法访问"), note
        kinds = [k for k, traits in KIND_TRAITS.items() if traits.source == source]
        assert kinds, source
        for kind in kinds:
            node = _node(str(kind), source)
            line = record_line(1, node, names)
            assert line.startswith(f"1. [{kind.label.zh}]"), line
            detail = record_detail_text(node, None, names, today=dt.date(2026, 11, 22))
            assert detail.startswith(f"🔎 {kind.label.zh}"), detail
            assert str(kind) not in line + detail


@pytest.mark.parametrize("storage", ["memory"], indirect=True)
async def test_each_kinds_polarity_is_read_from_the_gateway(bot: BotApp) -> None:
    names = await bot.gateway.names()
    for kind in RecordKind.members():
        assert names.polarity(str(kind)) == kind.polarity.value
    assert "CUSTOMS_DISHONEST" in names.negative  # declared by the customs connector
    assert "CUSTOMS_CERTIFIED" not in names.negative
    assert await bot.gateway.negative_kinds() == list(names.negative)


@pytest.mark.parametrize("storage", ["memory"], indirect=True)
async def test_the_names_are_asked_once(bot: BotApp) -> None:
    first = await bot.gateway.names()
    assert first
    assert await bot.gateway.names() is first


@pytest.mark.parametrize("storage", ["memory"], indirect=True)
async def test_a_citizens_records_list_names_the_new_bureaus_kinds(
    chat: Chat, world: World, people: Iterator[Person]
) -> None:
    """Through the chat: a firm's records from customs and the IP office, paged to the end."""
    for person in people:
        firms = world.represented_by(person.id_number)
        added = added_public_records(world, firms[0]) if len(firms) == 1 else ()
        if {str(r.source) for r in added} >= {"ip", "customs"}:
            break
    else:
        raise AssertionError("the test world has no firm with customs and IP records left")
    firm = world.registrations[firms[0]]
    await chat.bind(person)
    pages = [(await chat.tap("我的记录", pick=firm.name)).text]
    while any("下一页" in text for text, _ in chat.last.buttons):  # type: ignore[union-attr]
        pages.append((await chat.tap("下一页")).text)
    lines = "\n".join(pages).splitlines()
    for record in added:  # "3. [海关失信企业·严重] 海关失信企业 — …": its kind's name, its severity
        line = next(line for line in lines if f"] {record.title} — " in line)
        assert f". [{record.kind.label.zh}" in line, line
        assert str(record.kind) not in line
