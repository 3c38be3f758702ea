"""Inline keyboards and the callback data their buttons carry (each under Telegram's 64 bytes).

Callback data names *positions* in lists the bot fetches again for the citizen whose button it
is (their subjects, their records page) or ids the gateway checks belong to them (consents):
a forged button can reach nothing that is not the presser's own.

    kb = menu(bound=True)
    Nav.filter(F.to == "status")
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

__all__ = [
    "Grant",
    "Nav",
    "Page",
    "Pick",
    "Pre",
    "Rec",
    "Revoke",
    "Unbind",
    "back_row",
    "menu",
    "pager",
    "subjects",
]


class Nav(CallbackData, prefix="n"):
    to: str  # menu, status, records, log, consents, precheck, bind, unbind, grant, repair,
    # objection, apply_repair, my_cases


class Pick(CallbackData, prefix="s"):
    view: str  # status, records, repair, log
    s: int  # index into [myself, *my firms]


class Page(CallbackData, prefix="p"):
    view: str  # records, repair, log
    s: int
    p: int


class Rec(CallbackData, prefix="r"):
    s: int
    p: int
    i: int  # index on that page
    v: str = "records"  # the list it was opened from: records, or repair (negative ones only)


class Unbind(CallbackData, prefix="u"):
    yes: bool


class Revoke(CallbackData, prefix="x"):
    id: str


class Grant(CallbackData, prefix="g"):
    step: str  # subj, bank, scope, next, purpose, term, ok, cancel
    v: str = ""


class Pre(CallbackData, prefix="f"):
    s: int  # index into my firms
    product: int = -1  # index into the products offered; -1: choose one


MENU_ROWS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("📊 我的信用", "status"), ("📄 我的记录", "records")),  # look
    (("🛠 怎么修复", "repair"), ("👀 谁查了我", "log")),
    (("⚖️ 我要异议", "objection"), ("📝 申请信用修复", "apply_repair")),  # act on a record
    (("📮 我的申请", "my_cases"),),  # …and follow it
    (("🔐 我的授权", "consents"), ("💰 信易贷预检", "precheck")),  # banks
)
"""The main menu, row by row: (label, ``Nav.to``); binding or unbinding is the last row."""


def menu(*, bound: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for row in MENU_ROWS:
        for text, to in row:
            kb.button(text=text, callback_data=Nav(to=to))
    kb.button(
        text="🔓 解除绑定" if bound else "🪪 验证身份",
        callback_data=Nav(to="unbind" if bound else "bind"),
    )
    kb.adjust(*(len(row) for row in MENU_ROWS), 1)
    return kb.as_markup()


def only(text: str, data: CallbackData) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=text, callback_data=data)
    return kb.as_markup()


def back_row(kb: InlineKeyboardBuilder) -> None:
    kb.row()
    kb.button(text="↩️ 菜单", callback_data=Nav(to="menu"))


def subjects(view: str, names: Sequence[str]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for index, name in enumerate(names):
        kb.button(text=name, callback_data=Pick(view=view, s=index))
    kb.adjust(1)
    back_row(kb)
    return kb.as_markup()


def pager(
    view: str,
    s: int,
    page: int,
    *,
    has_next: bool,
    details: Iterable[tuple[str, Rec]] = (),
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    shown = list(details)
    for text, data in shown:
        kb.button(text=text, callback_data=data)
    nav = 0
    if page > 0:
        kb.button(text="◀️ 上一页", callback_data=Page(view=view, s=s, p=page - 1))
        nav += 1
    if has_next:
        kb.button(text="下一页 ▶️", callback_data=Page(view=view, s=s, p=page + 1))
        nav += 1
    kb.button(text="↩️ 菜单", callback_data=Nav(to="menu"))
    kb.adjust(*([len(shown)] if shown else []), *([nav] if nav else []), 1)
    return kb.as_markup()
