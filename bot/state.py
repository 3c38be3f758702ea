"""Conversation state: where each chat is in a flow, and the citizen's subject token.

State lives in aiogram's FSM storage, per (bot, chat, user): in this process
(:class:`MemoryStorage`) or in Redis (``REDIS_URL``), both with a lifetime.  What is kept:
the step of a flow; the name and phone while a binding is under way (dropped as soon as the
code is sent); the challenge id; the subject token and its expiry; page cursors and a consent
draft.  Never the ID number: it is asked last and sent on at once.

    storage = build_storage(redis_url=None, ttl_s=3600)
    token = await citizen_token(state, now)            # None: not bound, or expired
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage

__all__ = [
    "Bind",
    "GrantDraft",
    "build_storage",
    "citizen_token",
    "cursor_for",
    "forget_citizen",
    "keep_cursor",
    "keep_token",
]

KEY_PREFIX = "creditgw-bot"


class Bind(StatesGroup):
    name = State()
    phone = State()
    id_number = State()
    code = State()


class GrantDraft(StatesGroup):
    choosing = State()


def build_storage(*, redis_url: str | None, ttl_s: int) -> BaseStorage:
    if redis_url is None:
        return MemoryStorage()
    from aiogram.fsm.storage.redis import RedisStorage  # needs redis only when configured

    return RedisStorage.from_url(
        redis_url,
        key_builder=DefaultKeyBuilder(prefix=KEY_PREFIX, with_bot_id=True),
        state_ttl=ttl_s,
        data_ttl=ttl_s,
    )


async def citizen_token(state: FSMContext, now: dt.datetime) -> str | None:
    data = await state.get_data()
    token, expires = data.get("token"), data.get("token_expires")
    if not isinstance(token, str) or not isinstance(expires, str):
        return None
    if dt.datetime.fromisoformat(expires) <= now:
        await forget_citizen(state)
        return None
    return token


async def keep_token(state: FSMContext, token: str, expires_at: str) -> None:
    await state.update_data(token=token, token_expires=expires_at, cursors={}, grant=None)


async def forget_citizen(state: FSMContext) -> None:
    """Drop the token and everything fetched with it (cursors, drafts)."""
    await state.set_state(None)
    await state.set_data({})


def _cursor_key(view: str, s: int) -> str:
    return f"{view}:{s}"


async def cursor_for(state: FSMContext, view: str, s: int, page: int) -> tuple[int, str | None]:
    """The page to show and the ``after`` cursor that starts it (page 0 when unknown)."""
    data: dict[str, Any] = await state.get_data()
    known: list[str | None] = (data.get("cursors") or {}).get(_cursor_key(view, s), [None])
    if 0 <= page < len(known):
        return page, known[page]
    return 0, None


async def keep_cursor(state: FSMContext, view: str, s: int, page: int, end_cursor: str) -> None:
    """Remember where page ``page + 1`` starts."""
    data: dict[str, Any] = await state.get_data()
    cursors = dict(data.get("cursors") or {})
    known = list(cursors.get(_cursor_key(view, s), [None]))[: page + 1]
    known.append(end_cursor)
    cursors[_cursor_key(view, s)] = known
    await state.update_data(cursors=cursors)
