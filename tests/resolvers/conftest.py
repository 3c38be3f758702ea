"""A second gateway over the same database and bureaus, for access-control tests: with an
operator key, and without the trusted-documents rule (these tests send their own documents;
the bot's registered documents are tested with the bot)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from credit.access import person_subject_key
from gateway.app import create_app
from gateway.auth.clients import ClientKind, add_client
from gateway.database import Database
from gateway.settings import DEMO_SUBJECT_KEY_SECRET, Settings
from tests.conftest import TEST_WORLD
from tests.fakes.servers import serve_app

ADMIN_KEY = "test-admin-" + secrets.token_hex(16)


@pytest.fixture(scope="session")
def access_app(settings: Settings, seeded_database: Database) -> Starlette:
    tuned = settings.model_copy(
        update={"admin_key": SecretStr(ADMIN_KEY), "trusted_documents_only": []}
    )
    return create_app(tuned, database=seeded_database, today=lambda: TEST_WORLD.today)


@pytest.fixture(scope="session")
async def access_url(access_app: Starlette) -> AsyncIterator[str]:
    async with serve_app(access_app) as url:
        yield url


@pytest.fixture(autouse=True)
def _cold_access_caches(request: pytest.FixtureRequest) -> None:
    if "access_url" in request.fixturenames:
        for connector in request.getfixturevalue("access_app").state.gateway.connectors.all():
            clear = getattr(connector, "clear_cache", None)
            if clear is not None:
                clear()


@pytest.fixture(scope="session")
async def bot_key(seeded_database: Database) -> str:
    async with seeded_database.pool.acquire() as conn:
        _, key = await add_client(
            conn, kind=ClientKind.BOT, name="测试机器人", scopes=[], expires_at=None
        )
    return key


CitizenFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture(scope="session")
def citizen(access_url: str, access_app: Starlette, bot_key: str) -> CitizenFactory:
    """``async with citizen(id_number, represents=[uscc]) as http:`` — a citizen, via the bot."""
    authenticator = access_app.state.gateway.edge.authenticator

    def open_client(id_number: str, represents: tuple[str, ...] = ()) -> httpx.AsyncClient:
        token = authenticator.issue_subject_token(
            person_subject_key(id_number, DEMO_SUBJECT_KEY_SECRET), represents
        )
        return httpx.AsyncClient(
            base_url=access_url,
            timeout=30,
            headers={"Authorization": f"Bearer {bot_key}", "X-Subject-Token": token},
        )

    return open_client


@pytest.fixture(scope="session")
def as_client(access_url: str) -> Callable[..., httpx.AsyncClient]:
    """``as_client(key, purpose="LOAN_PRECHECK")``; ``key=None`` is the public."""

    def open_client(key: str | None, *, purpose: str | None = None) -> httpx.AsyncClient:
        headers = {}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        if purpose is not None:
            headers["X-Purpose"] = purpose
        return httpx.AsyncClient(base_url=access_url, timeout=30, headers=headers)

    return open_client


def consent_end(days: int = 30) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()  # consents run on real time
