"""信易贷 pre-check for a firm I represent: choose the firm and a product, see the decision, why
it did not pass and what to fix — or, when no bank has pre-checked it yet, what the product
asks for and a button to authorise that bank (a bank runs pre-checks, with the firm's consent).

Firms are positions in this citizen's own subject list; products, positions in the list on
offer — both fetched again for every press.
"""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import keyboards, render
from bot.graphql import GatewayClient
from bot.handlers.common import (
    Clock,
    Event,
    SubjectRef,
    refusal_text,
    reply,
    require_token,
    subjects_of,
)
from bot.handlers.offers import banks_of, products_of
from bot.texts import T

__all__ = ["open_precheck", "router"]

PRECHECKS_LOOKED_AT = 20


async def open_precheck(
    event: Event, state: FSMContext, gateway: GatewayClient, clock: Clock
) -> None:
    token = await require_token(event, state, clock)
    if token is None:
        return
    subjects = await subjects_of(gateway, token)
    firms = [(s, ref) for s, ref in enumerate(subjects) if not ref.is_self]
    if not firms:
        await reply(event, T.PRECHECK_NEED_FIRM, keyboards.menu(bound=True))
    elif len(firms) == 1:
        await _products(event, gateway, token, firms[0][0])
    else:
        kb = InlineKeyboardBuilder()
        for s, ref in firms:
            kb.button(text=ref.name, callback_data=keyboards.Pre(s=s))
        kb.adjust(1)
        keyboards.back_row(kb)
        await reply(event, T.PRECHECK_PICK_FIRM, kb.as_markup())


async def _products(event: Event, gateway: GatewayClient, token: str, s: int) -> None:
    products = await products_of(gateway, token)
    if not products:
        await reply(event, T.PRECHECK_NO_PRODUCTS, keyboards.menu(bound=True))
        return
    kb = InlineKeyboardBuilder()
    for index, product in enumerate(products):
        label = f"{product.name}（{product.bank.name}）"
        kb.button(text=label, callback_data=keyboards.Pre(s=s, product=index))
    kb.adjust(1)
    keyboards.back_row(kb)
    await reply(event, T.PRECHECK_PICK_PRODUCT, kb.as_markup())


async def _firm(event: Event, gateway: GatewayClient, token: str, s: int) -> SubjectRef | None:
    subjects = await subjects_of(gateway, token)
    if not 0 <= s < len(subjects) or subjects[s].is_self:
        await reply(event, T.NO_SUBJECT, keyboards.menu(bound=True))
        return None
    return subjects[s]


async def _decision(
    query: CallbackQuery, gateway: GatewayClient, token: str, s: int, index: int
) -> None:
    firm = await _firm(query, gateway, token, s)
    if firm is None:
        return
    products = await products_of(gateway, token)
    if not 0 <= index < len(products):
        await reply(query, T.NO_SUBJECT, keyboards.menu(bound=True))
        return
    product = products[index]
    variables = {"uscc": firm.uscc, "first": PRECHECKS_LOOKED_AT}
    result = await gateway.execute("MyEnterprisePrechecks", variables, token=token)
    connection = (result.data or {}).get("myEnterprisePrechecks")
    if connection is None:
        await reply(query, refusal_text(result) or T.GATEWAY_DOWN, keyboards.menu(bound=True))
        return
    nodes: list[dict[str, Any]] = [e["node"] for e in connection["edges"]]
    latest = next((n for n in nodes if n["productCode"] == product.code), None)
    text = render.precheck_text(
        firm.name,
        product.name,
        product.bank.name,
        latest,
        render.product_requirements(product.parameters),
    )
    kb = InlineKeyboardBuilder()
    banks = [b.id for b in await banks_of(gateway, token)]
    if latest is None and product.bank.id in banks:
        b = banks.index(product.bank.id)
        kb.button(
            text=f"🔐 授权{product.bank.name}预审",
            callback_data=keyboards.Grant(step="pre", v=f"{s}.{b}"),
        )
    kb.button(text="💰 换个产品", callback_data=keyboards.Pre(s=s))
    kb.adjust(1)
    keyboards.back_row(kb)
    await reply(query, text, kb.as_markup())


def router() -> Router:
    r = Router(name="precheck")

    @r.callback_query(keyboards.Pre.filter())
    async def pre(
        query: CallbackQuery,
        callback_data: keyboards.Pre,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        token = await require_token(query, state, clock)
        if token is None:
            return
        if callback_data.product < 0:
            if await _firm(query, gateway, token, callback_data.s) is not None:
                await _products(query, gateway, token, callback_data.s)
            return
        await _decision(query, gateway, token, callback_data.s, callback_data.product)

    return r
