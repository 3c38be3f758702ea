"""Free Chinese text → one of the bot's flows (pure; no aiogram here).

Keyword rules, checked in order, each a list of phrases any of which may appear in the text
(after dropping spaces and punctuation).  Order matters where phrases overlap: "谁查了我的信用"
is about the access log, not the credit status.

    >>> intent_of("我的信用怎么样？")
    <Intent.STATUS: 'status'>
    >>> intent_of("谁查了我")
    <Intent.ACCESS_LOG: 'access_log'>
    >>> intent_of("今天天气不错") is None
    True
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = ["ID_NUMBER_LIKE", "Intent", "intent_of"]


class Intent(StrEnum):
    BIND = "bind"
    UNBIND = "unbind"
    ACCESS_LOG = "access_log"
    MY_CASES = "my_cases"
    OBJECTION = "objection"
    APPLY_REPAIR = "apply_repair"
    REPAIR = "repair"
    PRECHECK = "precheck"
    CONSENTS = "consents"
    RECORDS = "records"
    STATUS = "status"
    HELP = "help"


_RULES: tuple[tuple[Intent, tuple[str, ...]], ...] = (
    (Intent.UNBIND, ("解绑", "解除绑定", "取消绑定", "注销绑定")),
    (Intent.BIND, ("绑定", "实名", "认证身份", "验证身份", "登录")),
    (
        Intent.ACCESS_LOG,
        ("谁查", "谁看", "谁查询", "查询记录", "被查", "查过我", "查了我", "看了我", "访问记录"),
    ),
    (Intent.MY_CASES, ("我的申请", "申请进度", "办理进度", "申请结果", "异议进度", "修复进度")),
    (Intent.OBJECTION, ("异议", "申诉", "记录有误", "记录错误")),
    (Intent.APPLY_REPAIR, ("申请信用修复", "申请修复", "我要修复")),
    (Intent.REPAIR, ("修复", "移出", "撤销记录", "删除记录", "消除", "洗白")),
    (Intent.PRECHECK, ("贷款", "能贷", "可以贷", "借钱", "融资", "信易贷", "预检", "授信")),
    (Intent.CONSENTS, ("授权", "同意书", "撤回同意")),
    (Intent.RECORDS, ("记录", "处罚", "失信", "黑名单", "被执行", "异常名录", "明细")),
    (
        Intent.STATUS,
        (
            "信用怎么样",
            "信用如何",
            "信用状况",
            "我的信用",
            "信用好",
            "信用等级",
            "信用评价",
            "信用分",
            "信用情况",
            "信用报告",
            "信用",
        ),
    ),
    (Intent.HELP, ("帮助", "菜单", "怎么用", "你能做什么", "功能", "开始", "你好", "您好")),
)

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)

ID_NUMBER_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
"""An 18-character citizen ID number anywhere in a text (to delete such a message unasked)."""


def intent_of(text: str) -> Intent | None:
    """The flow ``text`` asks for, or ``None`` when nothing matches (show the menu)."""
    plain = _NOISE.sub("", text)
    for intent, phrases in _RULES:
        if any(phrase in plain for phrase in phrases):
            return intent
    return None
