"""The bot names sources and record kinds as the gateway's bureaus declare them (bot.names):
a record from each bureau added by the registry (不动产登记, 知识产权, 海关) shows its Chinese
name, read from the real gateway — the bot keeps no table of its own."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.app import BotApp
from bot.render import missing_note, record_detail_text, record_line
from connectors.registry import bureaus
from credit.records import KIND_TRAITS

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
async def test_the_names_are_asked_once(bot: BotApp) -> None:
    first = await bot.gateway.names()
    assert first
    assert await bot.gateway.names() is first
