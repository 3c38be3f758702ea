"""A stack of its own for the rights tests: a world, bureaus, a database and a gateway.

Decisions change records for good — in the bureaus' world (``World.amendments``) and in the
case store the gateway's marks come from — so these tests must not share either with the
session's other tests, which read the same synthetic firms.  Same seed, same code; its own
state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette

from credit.access import ClientScope, bureau_scope, person_subject_key
from credit.policy import PublicityPolicy
from credit.publicity import publicity_window, visible_to_public
from credit.records import CreditRecord, OperatingStatus, Polarity
from gateway.app import create_app
from gateway.auth.clients import ClientKind, add_client
from gateway.auth.demo import ensure_demo_clients
from gateway.database import Database
from gateway.demo import ensure_demo_bot, with_bureaus
from gateway.migrations import apply_migrations
from gateway.seed import seed_platform
from gateway.settings import DEMO_SUBJECT_KEY_SECRET, Settings, load_settings
from simulators.runner import RunningBureau, run_bureaus
from simulators.world import World, WorldConfig
from tests.conftest import TEST_WORLD, fresh_database, live_binding, reset_bureaus
from tests.fakes.servers import serve_app

POLICY = PublicityPolicy()
TODAY = TEST_WORLD.today
# Twice the session's world: every test takes records of firms no other test touches.
RIGHTS_WORLD = WorldConfig(seed=TEST_WORLD.seed, enterprises=2 * TEST_WORLD.enterprises)


@pytest.fixture(scope="package")
def rights_world() -> World:
    return World.generate(RIGHTS_WORLD)


@pytest.fixture(scope="package")
async def rights_bureaus(
    rights_world: World, bureau_keys: dict[str, str], bureau_secrets: dict[str, bytes]
) -> AsyncIterator[dict[str, RunningBureau]]:
    async with run_bureaus(rights_world, bureau_keys, secrets=bureau_secrets) as running:
        yield running


@pytest.fixture(autouse=True)
def _reset_rights_bureaus(request: pytest.FixtureRequest) -> Iterator[None]:
    """As ``_reset_bureaus`` (tests/conftest.py): well-behaved before and after each test."""
    if "rights_bureaus" not in request.fixturenames:
        yield
        return
    running: dict[str, RunningBureau] = request.getfixturevalue("rights_bureaus")
    reset_bureaus(running)
    yield
    reset_bureaus(running)


@pytest.fixture(scope="package")
async def rights_db(pg_dsn: str, rights_world: World) -> AsyncIterator[Database]:
    async with fresh_database(pg_dsn) as dsn:
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=10)
        try:
            async with pool.acquire() as conn:
                await apply_migrations(conn)
                await seed_platform(conn, rights_world)
            yield Database(pool=pool, dsn=dsn)
        finally:
            await pool.close()


@pytest.fixture(scope="package")
def rights_settings(
    rights_bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    bureau_secrets: dict[str, bytes],
) -> Settings:
    base = load_settings(mode="demo").model_copy(update={"trusted_documents_only": []})
    urls = {n: b.url for n, b in rights_bureaus.items()}
    return with_bureaus(base, urls, bureau_keys, bureau_secrets)


def rights_app_for(settings: Settings, db: Database, day: dt.date) -> Starlette:
    return create_app(settings, database=db, today=lambda: day)


@pytest.fixture(scope="package")
def rights_app(rights_settings: Settings, rights_db: Database) -> Starlette:
    return rights_app_for(rights_settings, rights_db, TODAY)


@pytest.fixture(scope="package")
async def rights_url(rights_app: Starlette) -> AsyncIterator[str]:
    async with serve_app(rights_app) as url:
        yield url


@pytest.fixture(scope="package")
async def rights_keys(rights_db: Database, rights_settings: Settings) -> dict[str, str]:
    """The demo bank and officer (market bureau), court, national and customs officers, and
    the bot."""
    async with rights_db.pool.acquire() as conn:
        keys = await ensure_demo_clients(conn, rights_settings)
        review = [ClientScope.OBJECTION_REVIEW, ClientScope.REPAIR_REVIEW]
        _, keys["court_officer"] = await add_client(
            conn, kind=ClientKind.OFFICER, name="法院审核员", expires_at=None,
            scopes=[*review, bureau_scope("court")],
        )  # fmt: skip
        _, keys["national_officer"] = await add_client(
            conn, kind=ClientKind.OFFICER, name="信用中国审核员", expires_at=None,
            scopes=[*review, bureau_scope("national")],
        )  # fmt: skip
        _, keys["customs_officer"] = await add_client(
            conn, kind=ClientKind.OFFICER, name="海关审核员", expires_at=None,
            scopes=[*review, bureau_scope("customs")],
        )  # fmt: skip
        keys["bot"] = await ensure_demo_bot(conn)
    return keys


Caller = Callable[..., contextlib.AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture(scope="package")
def rights_as(rights_url: str, rights_app: Starlette, rights_keys: dict[str, str]) -> Caller:
    """``async with rights_as("officer") as http`` (``None``: the public; ``"bank"`` sends
    X-Purpose) or ``rights_as(citizen=id_number, represents=(uscc,))``."""
    gateway = rights_app.state.gateway

    @contextlib.asynccontextmanager
    async def open_client(
        role: str | None = None, *, citizen: str | None = None, represents: tuple[str, ...] = ()
    ) -> AsyncIterator[httpx.AsyncClient]:
        headers: dict[str, str] = {}
        if citizen is not None:
            key = person_subject_key(citizen, DEMO_SUBJECT_KEY_SECRET)
            binding = await live_binding(gateway.database.pool, key, citizen)
            token = gateway.edge.authenticator.issue_subject_token(key, binding, represents)
            headers = {"Authorization": f"Bearer {rights_keys['bot']}", "X-Subject-Token": token}
        elif role is not None:
            headers["Authorization"] = f"Bearer {rights_keys[role]}"
            if role == "bank":
                headers["X-Purpose"] = "LOAN_PRECHECK"
        async with httpx.AsyncClient(base_url=rights_url, timeout=30, headers=headers) as http:
            yield http

    return open_client


async def gql(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


# --- choosing firms and records --------------------------------------------------------------


def _penalties(
    world: World, wanted: Callable[[CreditRecord], bool]
) -> Iterator[tuple[str, CreditRecord]]:
    for code in world.organisation_codes():
        reg = world.registrations[code]
        if reg.status is not OperatingStatus.ACTIVE or code in world.boundary.values():
            continue
        facts = world.facts(code)
        assert facts is not None
        for record in facts.records():
            if record.kind.polarity is Polarity.NEGATIVE and wanted(record):
                yield code, record


def repairable_today(record: CreditRecord) -> bool:
    window = publicity_window(record, POLICY)
    return (
        visible_to_public(record, TODAY, POLICY)
        and window.repairable_from is not None
        and window.repairable_from <= TODAY
    )


def not_yet_repairable(record: CreditRecord) -> bool:
    window = publicity_window(record, POLICY)
    return (
        visible_to_public(record, TODAY, POLICY)
        and window.repairable_from is not None
        and window.repairable_from > TODAY
    )


def never_repairable(record: CreditRecord) -> bool:
    return (
        visible_to_public(record, TODAY, POLICY) and not publicity_window(record, POLICY).repairable
    )


@pytest.fixture(scope="package")
def used_firms() -> set[str]:
    """The firms a test of this package has taken (each is handed out once)."""
    return set()


@pytest.fixture(scope="package")
def firms(
    rights_world: World, used_firms: set[str]
) -> Callable[[Callable[[CreditRecord], bool]], tuple[str, str, CreditRecord]]:
    """``firms(repairable_today)`` → (USCC, its legal representative's ID number, a record);
    each record handed out once per package, so tests never share one."""

    def pick(wanted: Callable[[CreditRecord], bool]) -> tuple[str, str, CreditRecord]:
        for code, record in _penalties(rights_world, wanted):
            if code not in used_firms:
                used_firms.add(code)
                return code, rights_world.registrations[code].legal_rep_id, record
        raise AssertionError("the test world has no more such records")

    return pick
