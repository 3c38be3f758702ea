"""My credit: status, records (paged) and a record's detail, who looked at me (paged).

Each view is about one of the citizen's subjects — themself or a firm they represent — named
by its position in the list the gateway returns for *this* citizen (``me``), so a button
can never point at anybody else.  A firm is asked for by its USCC from that list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import keyboards, render
from bot.graphql import GatewayClient, GqlResult
from bot.handlers.common import (
    Clock,
    Event,
    SubjectRef,
    refusal_text,
    reply,
    require_token,
    subjects_of,
)
from bot.state import cursor_for, keep_cursor
from bot.texts import T

__all__ = ["open_view", "router"]

RECORDS_PAGE = 5
LOG_PAGE = 8
VIEWS = frozenset({"status", "records", "repair", "log"})


async def _filter(gateway: GatewayClient, view: str) -> dict[str, Any] | None:
    """What can need repairing: the kinds the gateway declares negative."""
    return {"kinds": await gateway.negative_kinds()} if view == "repair" else None


_OPERATIONS = {  # view → (for myself, for a firm)
    "status": ("MyStatus", "FirmStatus"),
    "records": ("MyRecords", "FirmRecords"),
    "log": ("MyAccessLog", "FirmAccessLog"),
}


async def _ask(
    gateway: GatewayClient, token: str, view: str, subject: SubjectRef, **variables: Any
) -> tuple[dict[str, Any] | None, GqlResult]:
    mine, firm = _OPERATIONS[view]
    if subject.is_self:
        result = await gateway.execute(mine, variables, token=token)
        found = ((result.data or {}).get("me") or {}).get("person")
    else:
        result = await gateway.execute(firm, {"uscc": subject.uscc, **variables}, token=token)
        found = (result.data or {}).get("enterprise")
    return found, result


async def _subject(event: Event, gateway: GatewayClient, token: str, s: int) -> SubjectRef | None:
    subjects = await subjects_of(gateway, token)
    if not 0 <= s < len(subjects):
        await reply(event, T.NO_SUBJECT, keyboards.menu(bound=True))
        return None
    return subjects[s]


async def open_view(
    event: Event, state: FSMContext, gateway: GatewayClient, clock: Clock, view: str
) -> None:
    """Entry of status / records / repair / log: pick the subject when there is a choice."""
    token = await require_token(event, state, clock)
    if token is None:
        return
    subjects = await subjects_of(gateway, token)
    if not subjects:
        await reply(event, T.NO_FIRMS, keyboards.menu(bound=True))
    elif len(subjects) == 1:
        await show(event, state, gateway, clock, view, 0, 0)
    else:
        await reply(event, T.PICK_SUBJECT, keyboards.subjects(view, [s.name for s in subjects]))


async def show(
    event: Event,
    state: FSMContext,
    gateway: GatewayClient,
    clock: Clock,
    view: str,
    s: int,
    page: int,
) -> None:
    if view not in VIEWS:
        await reply(event, T.NO_SUBJECT, keyboards.menu(bound=True))
        return
    token = await require_token(event, state, clock)
    if token is None:
        return
    subject = await _subject(event, gateway, token, s)
    if subject is None:
        return
    if view == "status":
        await _status(event, gateway, token, s, subject)
    elif view in ("records", "repair"):
        await _records(event, state, gateway, token, s, subject, page, view)
    else:
        await _log(event, state, gateway, token, s, subject, page)


async def _status(
    event: Event, gateway: GatewayClient, token: str, s: int, subject: SubjectRef
) -> None:
    found, result = await _ask(gateway, token, "status", subject)
    if found is None:
        await reply(event, refusal_text(result) or T.GATEWAY_DOWN, keyboards.menu(bound=True))
        return
    kb = InlineKeyboardBuilder()
    kb.button(text="📄 记录", callback_data=keyboards.Pick(view="records", s=s))
    kb.button(text="👀 谁查了我", callback_data=keyboards.Pick(view="log", s=s))
    keyboards.back_row(kb)
    names = await gateway.names()
    text = render.status_text(subject.name, found, names, result.missing_sources())
    await reply(event, text, kb.as_markup())


async def _records(
    event: Event,
    state: FSMContext,
    gateway: GatewayClient,
    token: str,
    s: int,
    subject: SubjectRef,
    page: int,
    view: str,
) -> None:
    page, after = await cursor_for(state, view, s, page)
    variables = {
        "first": RECORDS_PAGE,
        "after": after,
        "filter": await _filter(gateway, view),
        "withAdvice": False,
    }
    found, result = await _ask(gateway, token, "records", subject, **variables)
    if found is None:
        await reply(event, refusal_text(result) or T.GATEWAY_DOWN, keyboards.menu(bound=True))
        return
    connection = found["records"]
    info = connection["pageInfo"]
    if info["hasNextPage"] and info["endCursor"]:
        await keep_cursor(state, view, s, page, info["endCursor"])
    first_index = page * RECORDS_PAGE + 1
    details = [
        (str(first_index + i), keyboards.Rec(s=s, p=page, i=i, v=view))
        for i in range(len(connection["edges"]))
    ]
    text = render.records_text(
        subject.name,
        connection,
        await gateway.names(),
        page=page,
        first_index=first_index,
        missing=result.missing_sources(),
        repair_tip=view == "repair",
    )
    markup = keyboards.pager(view, s, page, has_next=info["hasNextPage"], details=details)
    await reply(event, text, markup)


async def _detail(
    query: CallbackQuery,
    state: FSMContext,
    gateway: GatewayClient,
    clock: Clock,
    ref: keyboards.Rec,
) -> None:
    token = await require_token(query, state, clock)
    if token is None:
        return
    subject = await _subject(query, gateway, token, ref.s)
    if subject is None:
        return
    view = ref.v if ref.v in ("records", "repair") else "records"
    page, after = await cursor_for(state, view, ref.s, ref.p)
    variables = {
        "first": RECORDS_PAGE,
        "after": after,
        "filter": await _filter(gateway, view),
        "withAdvice": True,
    }
    found, result = await _ask(gateway, token, "records", subject, **variables)
    edges = (found or {}).get("records", {}).get("edges", [])
    if page != ref.p or not 0 <= ref.i < len(edges):
        await reply(query, T.RECORD_GONE, keyboards.menu(bound=True))
        return
    report = (found or {}).get("creditReport") or {}
    advice = report.get("advice")
    # "Today" is the gateway's (the report's day), not this process's calendar.
    today = dt.date.fromisoformat(report["generatedOn"]) if report else clock().date()
    names = await gateway.names()
    text = render.record_detail_text(edges[ref.i]["node"], advice, names, today=today)
    note = render.missing_note(result.missing_sources(), names) if advice is None else ""
    kb = InlineKeyboardBuilder()
    kb.button(text="📄 返回列表", callback_data=keyboards.Page(view=view, s=ref.s, p=page))
    keyboards.back_row(kb)
    await reply(query, f"{text}\n\n{note}".strip(), kb.as_markup())


async def _log(
    event: Event,
    state: FSMContext,
    gateway: GatewayClient,
    token: str,
    s: int,
    subject: SubjectRef,
    page: int,
) -> None:
    page, after = await cursor_for(state, "log", s, page)
    found, result = await _ask(gateway, token, "log", subject, first=LOG_PAGE, after=after)
    connection = (found or {}).get("accessLog")
    if connection is None:
        await reply(event, refusal_text(result) or T.GATEWAY_DOWN, keyboards.menu(bound=True))
        return
    info = connection["pageInfo"]
    if info["hasNextPage"] and info["endCursor"]:
        await keep_cursor(state, "log", s, page, info["endCursor"])
    text = render.access_log_text(subject.name, connection, await gateway.names(), page=page)
    await reply(event, text, keyboards.pager("log", s, page, has_next=info["hasNextPage"]))


def router() -> Router:
    r = Router(name="credit")

    @r.callback_query(keyboards.Pick.filter())
    async def picked(
        query: CallbackQuery,
        callback_data: keyboards.Pick,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        await show(query, state, gateway, clock, callback_data.view, callback_data.s, 0)

    @r.callback_query(keyboards.Page.filter())
    async def paged(
        query: CallbackQuery,
        callback_data: keyboards.Page,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        data = callback_data
        await show(query, state, gateway, clock, data.view, data.s, data.p)

    @r.callback_query(keyboards.Rec.filter())
    async def detail(
        query: CallbackQuery,
        callback_data: keyboards.Rec,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        await _detail(query, state, gateway, clock, callback_data)

    return r
