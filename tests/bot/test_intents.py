"""Free text → flows: the four phrases of the issue, near variants, and what is not understood."""

from __future__ import annotations

import pytest

from bot.intents import ID_NUMBER_LIKE, Intent, intent_of


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("我的信用怎么样", Intent.STATUS),
        ("我的信用怎么样？", Intent.STATUS),
        ("信用 状况", Intent.STATUS),
        ("谁查了我", Intent.ACCESS_LOG),
        ("谁查了我的信用", Intent.ACCESS_LOG),
        ("有没有银行查过我", Intent.ACCESS_LOG),
        ("怎么修复", Intent.REPAIR),
        ("处罚记录怎么修复？", Intent.REPAIR),
        ("能贷款吗", Intent.PRECHECK),
        ("我的公司可以申请信易贷吗", Intent.PRECHECK),
        ("我想看我的记录", Intent.RECORDS),
        ("撤回给银行的授权", Intent.CONSENTS),
        ("我要绑定身份", Intent.BIND),
        ("解除绑定", Intent.UNBIND),
        ("你能做什么", Intent.HELP),
    ],
)
def test_phrases_find_their_flow(text: str, intent: Intent) -> None:
    assert intent_of(text) is intent


@pytest.mark.parametrize("text", ["今天天气不错", "", "   ", "123", "hello"])
def test_anything_else_is_not_understood(text: str) -> None:
    assert intent_of(text) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("11010519491231002X", True),
        ("我的号码 11010519491231002x 请查", True),
        ("号码110105194912310021", True),
        ("1101051949123100", False),  # too short
        ("20261122083015123456789", False),  # a longer run of digits, e.g. a timestamp
    ],
)
def test_id_numbers_are_spotted_anywhere(text: str, found: bool) -> None:
    assert bool(ID_NUMBER_LIKE.search(text)) is found
