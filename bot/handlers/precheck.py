"""信易贷 pre-check for a firm I represent: choose a product, see the decision and what to fix."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext

from bot import keyboards
from bot.graphql import GatewayClient
from bot.handlers.common import Clock, Event, reply, require_token
from bot.texts import T

__all__ = ["open_precheck", "router"]


async def open_precheck(
    event: Event, state: FSMContext, gateway: GatewayClient, clock: Clock
) -> None:
    token = await require_token(event, state, clock)
    if token is None:
        return
    await reply(event, T.PRECHECK_NO_PRODUCTS, keyboards.menu(bound=True))


def router() -> Router:
    return Router(name="precheck")
