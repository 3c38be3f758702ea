"""My consents: list them, revoke one, and grant a bank a consent — for myself or for a firm I
legally represent — in a few taps (subject → bank → scopes → purpose → term → confirm).

The draft lives in the conversation state; every position in it is checked again against what
the gateway returns for this citizen when the consent is finally granted, and the gateway
itself refuses a consent for a firm the citizen does not represent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import keyboards, render
from bot.graphql import GatewayClient
from bot.handlers.common import Clock, Event, refusal_text, reply, require_token, subjects_of
from bot.handlers.offers import Bank, banks_of
from bot.texts import PURPOSES, SCOPES, T

__all__ = ["open_consents", "open_grant", "router"]

TERMS = (30, 60, 90)
CST = dt.timezone(dt.timedelta(hours=8))


def _today(clock: Clock) -> dt.date:
    return clock().astimezone(CST).date()


async def open_consents(
    event: Event, state: FSMContext, gateway: GatewayClient, clock: Clock, note: str = ""
) -> None:
    token = await require_token(event, state, clock)
    if token is None:
        return
    result = await gateway.execute("MyConsents", token=token)
    found = (result.data or {}).get("myConsents")
    if found is None:
        await reply(event, refusal_text(result) or T.GATEWAY_DOWN, keyboards.menu(bound=True))
        return
    names = {s.uscc: s.name for s in await subjects_of(gateway, token) if s.uscc}
    today = _today(clock)
    text = render.consents_text(found, names, today)
    kb = InlineKeyboardBuilder()
    for index, consent in enumerate(found, start=1):
        if render.consent_state(consent, today) == "有效":
            kb.button(text=f"撤销 {index}", callback_data=keyboards.Revoke(id=consent["id"]))
    kb.adjust(4)
    kb.row()
    kb.button(text="➕ 新增授权", callback_data=keyboards.Nav(to="grant"))
    keyboards.back_row(kb)
    await reply(event, f"{note}\n\n{text}".strip(), kb.as_markup())


async def _revoke(
    query: CallbackQuery, state: FSMContext, gateway: GatewayClient, clock: Clock, consent_id: str
) -> None:
    token = await require_token(query, state, clock)
    if token is None:
        return
    mine = (await gateway.execute("MyConsents", token=token)).data or {}
    if consent_id not in {c["id"] for c in mine.get("myConsents") or ()}:
        await reply(query, T.CONSENT_GONE, keyboards.menu(bound=True))
        return
    result = await gateway.execute("RevokeConsent", {"id": consent_id}, token=token)
    if (result.data or {}).get("revokeConsent") is None:
        await reply(query, refusal_text(result) or T.GATEWAY_DOWN, keyboards.menu(bound=True))
        return
    await open_consents(query, state, gateway, clock, T.REVOKE_DONE)


async def open_grant(event: Event, state: FSMContext, gateway: GatewayClient, clock: Clock) -> None:
    token = await require_token(event, state, clock)
    if token is None:
        return
    await state.update_data(grant={"scopes": []})
    subjects = await subjects_of(gateway, token)
    kb = InlineKeyboardBuilder()
    for index, subject in enumerate(subjects):
        kb.button(text=subject.name, callback_data=keyboards.Grant(step="subj", v=str(index)))
    kb.adjust(1)
    keyboards.back_row(kb)
    await reply(event, T.GRANT_PICK_SUBJECT if subjects else T.NO_FIRMS, kb.as_markup())


def _choices(step: str, options: list[tuple[str, str]], width: int = 2) -> InlineKeyboardBuilder:
    kb = InlineKeyboardBuilder()
    for text, value in options:
        kb.button(text=text, callback_data=keyboards.Grant(step=step, v=value))
    kb.adjust(width)
    kb.row()
    kb.button(text="✖️ 取消", callback_data=keyboards.Grant(step="cancel"))
    return kb


async def scopes_of(gateway: GatewayClient, token: str) -> dict[str, str]:
    """Every scope a citizen can grant, as the gateway's bureaus declare them (name → text);
    the bot's own short names where it has one."""
    if "ConsentScopes" not in gateway.operations:  # a gateway from before the registry
        return dict(SCOPES)
    result = await gateway.execute("ConsentScopes", token=token)
    found = (result.data or {}).get("consentScopes") or []
    return {s["scope"]: SCOPES.get(s["scope"], s["name"]) for s in found} or dict(SCOPES)


def _scopes_keyboard(chosen: list[str], scopes: dict[str, str]) -> InlineKeyboardBuilder:
    options = [(("✅ " if k in chosen else "") + v, k) for k, v in scopes.items()]
    kb = _choices("scope", options)
    kb.button(text="下一步 ➡️", callback_data=keyboards.Grant(step="next"))
    return kb


async def _grant_step(
    query: CallbackQuery,
    state: FSMContext,
    gateway: GatewayClient,
    clock: Clock,
    step: keyboards.Grant,
) -> None:
    token = await require_token(query, state, clock)
    if token is None:
        return
    draft: dict[str, Any] = (await state.get_data()).get("grant") or {"scopes": []}
    if step.step == "cancel":
        await state.update_data(grant=None)
        await open_consents(query, state, gateway, clock)
        return
    if step.step in ("subj", "bank", "term") and not step.v.isdigit():
        await reply(query, T.NO_SUBJECT, keyboards.menu(bound=True))
        return
    if step.step == "pre":  # from a pre-check: the firm and the product's bank are chosen
        s, _, b = step.v.partition(".")
        if not (s.isdigit() and b.isdigit()):
            await reply(query, T.NO_SUBJECT, keyboards.menu(bound=True))
            return
        draft = {"s": int(s), "bank": int(b), "scopes": []}
        await state.update_data(grant=draft)
        scopes = await scopes_of(gateway, token)
        await reply(query, T.GRANT_PICK_SCOPES, _scopes_keyboard([], scopes).as_markup())
    elif step.step == "subj":
        draft["s"] = int(step.v)
        banks = await banks_of(gateway, token)
        kb = _choices("bank", [(b.name, str(i)) for i, b in enumerate(banks)], width=1)
        await state.update_data(grant=draft)
        await reply(query, T.GRANT_PICK_BANK if banks else T.GRANT_NO_BANKS, kb.as_markup())
    elif step.step == "bank":
        draft["bank"] = int(step.v)
        await state.update_data(grant=draft)
        scopes = await scopes_of(gateway, token)
        keyboard = _scopes_keyboard(draft["scopes"], scopes)
        await reply(query, T.GRANT_PICK_SCOPES, keyboard.as_markup())
    elif step.step == "scope" and step.v in (scopes := await scopes_of(gateway, token)):
        chosen = draft["scopes"]
        draft["scopes"] = (
            [s for s in chosen if s != step.v] if step.v in chosen else [*chosen, step.v]
        )
        await state.update_data(grant=draft)
        keyboard = _scopes_keyboard(draft["scopes"], scopes)
        await reply(query, T.GRANT_PICK_SCOPES, keyboard.as_markup())
    elif step.step == "next":
        if not draft["scopes"]:
            scopes = await scopes_of(gateway, token)
            await reply(query, T.GRANT_NEED_SCOPE, _scopes_keyboard([], scopes).as_markup())
            return
        kb = _choices("purpose", [(v, k) for k, v in PURPOSES.items()])
        await reply(query, T.GRANT_PICK_PURPOSE, kb.as_markup())
    elif step.step == "purpose" and step.v in PURPOSES:
        draft["purpose"] = step.v
        await state.update_data(grant=draft)
        kb = _choices("term", [(f"{d} 天", str(d)) for d in TERMS], width=3)
        await reply(query, T.GRANT_PICK_TERM, kb.as_markup())
    elif step.step == "term" and int(step.v) in TERMS:
        draft["days"] = int(step.v)
        await state.update_data(grant=draft)
        await _confirm(query, gateway, token, draft)
    elif step.step == "ok":
        await _grant(query, state, gateway, clock, token, draft)
    else:
        await reply(query, T.NO_SUBJECT, keyboards.menu(bound=True))


async def _resolve(
    gateway: GatewayClient, token: str, draft: dict[str, Any]
) -> tuple[Any, Bank] | None:
    """The draft's subject and bank, from fresh lists; None when either is out of range."""
    subjects, banks = await subjects_of(gateway, token), await banks_of(gateway, token)
    s, b = draft.get("s", -1), draft.get("bank", -1)
    if not (0 <= s < len(subjects) and 0 <= b < len(banks)):
        return None
    return subjects[s], banks[b]


async def _confirm(
    query: CallbackQuery, gateway: GatewayClient, token: str, draft: dict[str, Any]
) -> None:
    resolved = await _resolve(gateway, token, draft)
    if resolved is None:
        await reply(query, T.NO_SUBJECT, keyboards.menu(bound=True))
        return
    subject, bank = resolved
    scopes = await scopes_of(gateway, token)
    names = [scopes.get(s, s) for s in draft["scopes"]]
    text = render.grant_summary(subject.name, bank.name, names, draft["purpose"], draft["days"])
    kb = _choices("ok", [("✔️ 确认授权", "1")], width=1)
    await reply(query, text, kb.as_markup())


async def _grant(
    query: CallbackQuery,
    state: FSMContext,
    gateway: GatewayClient,
    clock: Clock,
    token: str,
    draft: dict[str, Any],
) -> None:
    resolved = await _resolve(gateway, token, draft)
    if resolved is None or not draft.get("scopes") or "purpose" not in draft or "days" not in draft:
        await reply(query, T.NO_SUBJECT, keyboards.menu(bound=True))
        return
    subject, bank = resolved
    ends_on = _today(clock) + dt.timedelta(days=int(draft["days"]))
    consent_input = {
        "subjectCode": subject.uscc,
        "bankId": bank.id,
        "scopes": draft["scopes"],
        "purpose": draft["purpose"],
        "endsOn": ends_on.isoformat(),
    }
    result = await gateway.execute("GrantConsent", {"input": consent_input}, token=token)
    await state.update_data(grant=None)
    if (result.data or {}).get("grantConsent") is None:
        await reply(query, refusal_text(result) or T.GATEWAY_DOWN, keyboards.menu(bound=True))
        return
    await open_consents(query, state, gateway, clock, T.GRANT_DONE)


def router() -> Router:
    r = Router(name="consents")

    @r.callback_query(keyboards.Revoke.filter())
    async def revoke(
        query: CallbackQuery,
        callback_data: keyboards.Revoke,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        await _revoke(query, state, gateway, clock, callback_data.id)

    @r.callback_query(keyboards.Grant.filter())
    async def grant(
        query: CallbackQuery,
        callback_data: keyboards.Grant,
        state: FSMContext,
        gateway: GatewayClient,
        clock: Clock,
    ) -> None:
        await _grant_step(query, state, gateway, clock, callback_data)

    return r
