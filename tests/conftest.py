"""Session fixtures: a real PostgreSQL, the bureau simulators, and the gateway over real HTTP.

PostgreSQL: ``DATABASE_URL`` when set; otherwise the local server at 127.0.0.1:5432 when it
answers; otherwise an embedded server from the wheel.  Each session gets its own fresh
database, dropped at the end, so runs never see each other's rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest
from hypothesis import settings as hypothesis_settings
from pydantic import SecretStr
from starlette.applications import Starlette

from credit.access import person_subject_key
from credit.records import OperatingStatus, Person
from gateway.app import create_app
from gateway.auth.demo import ensure_demo_clients
from gateway.database import Database, EmbeddedPostgres
from gateway.demo import ensure_demo_bot, with_bureaus
from gateway.migrations import apply_migrations
from gateway.seed import seed_platform
from gateway.settings import DEMO_SUBJECT_KEY_SECRET, Settings, load_settings
from simulators.runner import BUREAUS, CONSENT_GATED, RunningBureau, run_bureaus
from simulators.world import World, WorldConfig
from tests.fakes.servers import serve_app

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/test"
TEST_WORLD = WorldConfig(seed=424242, enterprises=400)

# Property tests run everywhere as Hypothesis runs them in CI (it loads this profile itself
# when CI is set): the same examples on every run, and no 200 ms deadline per example, which
# a loaded machine, coverage or a full collection of this long process would overrun.
hypothesis_settings.load_profile("ci")


async def _answers(dsn: str) -> bool:
    try:
        conn = await asyncpg.connect(dsn, timeout=2)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await conn.close()
    return True


@contextlib.asynccontextmanager
async def fresh_database(server_dsn: str) -> AsyncIterator[str]:
    """CREATE a uniquely named database on the server, yield its DSN, DROP it after."""
    name = f"cgw_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlsplit(server_dsn)._replace(path=f"/{name}").geturl()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
async def pg_dsn() -> AsyncIterator[str]:
    configured = os.environ.get("DATABASE_URL")
    if configured:
        async with fresh_database(configured) as dsn:
            yield dsn
        return
    if await _answers(LOCAL_PG):
        async with fresh_database(LOCAL_PG) as dsn:
            yield dsn
        return
    with tempfile.TemporaryDirectory(prefix="cgw-pg-") as folder:
        embedded = EmbeddedPostgres(Path(folder) / "pgdata")
        try:
            yield embedded.start()
        finally:
            embedded.close()


@pytest.fixture(scope="session")
async def database(pg_dsn: str) -> AsyncIterator[Database]:
    pool = await asyncpg.create_pool(pg_dsn, min_size=1, max_size=10)
    try:
        yield Database(pool=pool, dsn=pg_dsn)
    finally:
        await pool.close()


@pytest.fixture(scope="session")
def world() -> World:
    return World.generate(TEST_WORLD)


class PeopleHandout:
    """Legal representatives of active firms for tests that act as a citizen, never one whom
    stored state is already about.

    Tests also pick subjects straight from the world (the first active firms, a firm that
    passes a product, a boundary case) and leave consents, pre-checks and bindings on them;
    a handed-out person must not inherit those, whatever order the tests run in.  So a person
    is skipped when they or one of their firms is a boundary subject (other tests name those)
    or already has rows in the database (``TOUCHED``, read as the test starts).  A test that
    uses its person binds them, which leaves rows: no later test is handed them again.
    """

    def __init__(self, world: World) -> None:
        boundary = set(world.boundary.values())
        seen: set[str] = set()
        self.candidates: list[tuple[Person, frozenset[str]]] = []
        for reg in world.registrations.values():
            rep = reg.legal_rep_id
            if reg.status is not OperatingStatus.ACTIVE or rep in seen:
                continue
            seen.add(rep)
            firms = world.represented_by(rep)
            if rep in boundary or boundary.intersection(firms):
                continue
            keys = frozenset({person_subject_key(rep, DEMO_SUBJECT_KEY_SECRET), *firms})
            self.candidates.append((world.persons[rep], keys))

    def fresh(self, touched: set[str]) -> Iterator[Person]:
        """Persons none of whose subject keys (their own, their firms') is in ``touched``."""
        return (person for person, keys in self.candidates if keys.isdisjoint(touched))


# Subject keys (USCCs and persons' keyed hashes) that something stored is about: a test
# handed such a person would see another test's consents, pre-checks, bindings or cases.
TOUCHED = """
    SELECT subject_code FROM consents UNION SELECT granted_by FROM consents
    UNION SELECT uscc FROM financing_prechecks
    UNION SELECT subject_key FROM identity_bindings
    UNION SELECT subject_key FROM binding_challenges
    UNION SELECT subject_key FROM binding_locks
    UNION SELECT subject_key FROM rights_cases UNION SELECT filed_by FROM rights_cases"""


@pytest.fixture(scope="session")
def handout(world: World) -> PeopleHandout:
    return PeopleHandout(world)


@pytest.fixture
async def people(handout: PeopleHandout, seeded_database: Database) -> Iterator[Person]:
    """Legal representatives of active firms that no test has used (``PeopleHandout``): identity
    binding limits codes per person, and a citizen sees all that is stored about them and
    their firms, so two tests must not share one."""
    touched = {row[0] for row in await seeded_database.pool.fetch(TOUCHED)}
    return handout.fresh(touched)


@pytest.fixture(scope="session")
def bureau_keys() -> dict[str, str]:
    return {name: f"test-{name}-{secrets.token_hex(8)}" for name in BUREAUS}


@pytest.fixture(scope="session")
def bureau_secrets() -> dict[str, bytes]:
    """Subject-token secrets of the consent-gated bureaus (tax, hrss, utilities)."""
    return {name: secrets.token_urlsafe(32).encode() for name in CONSENT_GATED}


@pytest.fixture(scope="session")
async def bureaus(
    world: World, bureau_keys: dict[str, str], bureau_secrets: dict[str, bytes]
) -> AsyncIterator[dict[str, RunningBureau]]:
    async with run_bureaus(world, bureau_keys, secrets=bureau_secrets) as running:
        yield running


def reset_bureaus(running: dict[str, RunningBureau]) -> None:
    for bureau in running.values():
        bureau.service.state.reset()


@pytest.fixture(autouse=True)
def _reset_bureaus(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with well-behaved bureaus and zeroed counters, and leaves them so.

    After the test too: a module fixture is set up before the next test's own fixtures, so
    its requests (a warm-up, a scripted session) would meet a fault the last test set."""
    if "bureaus" not in request.fixturenames:
        yield
        return
    running: dict[str, RunningBureau] = request.getfixturevalue("bureaus")
    reset_bureaus(running)
    yield
    reset_bureaus(running)


@pytest.fixture(scope="session")
def settings(
    bureaus: dict[str, RunningBureau], bureau_keys: dict[str, str], bureau_secrets: dict[str, bytes]
) -> Settings:
    base = load_settings(mode="demo")
    urls = {n: b.url for n, b in bureaus.items()}
    return with_bureaus(base, urls, bureau_keys, bureau_secrets)


@pytest.fixture(scope="session")
async def seeded_database(database: Database, world: World) -> Database:
    """The session database, migrated and seeded with the test world's platform data."""
    async with database.pool.acquire() as conn:
        await apply_migrations(conn)
        await seed_platform(conn, world)
    return database


@pytest.fixture(scope="session")
async def demo_keys(seeded_database: Database, settings: Settings) -> dict[str, str]:
    """API keys of the demo bank and the demo officer, as ``creditgw demo`` creates them."""
    async with seeded_database.pool.acquire() as conn:
        return await ensure_demo_clients(conn, settings)


@pytest.fixture(scope="session")
async def bot_key(seeded_database: Database) -> str:
    """The chatbot's service key (a ``bot`` client), as ``creditgw demo`` creates it."""
    async with seeded_database.pool.acquire() as conn:
        return await ensure_demo_bot(conn)


@pytest.fixture(scope="session")
def gateway_app(settings: Settings, seeded_database: Database) -> Starlette:
    return create_app(settings, database=seeded_database, today=lambda: TEST_WORLD.today)


@pytest.fixture(scope="session")
async def gateway_url(gateway_app: Starlette) -> AsyncIterator[str]:
    async with serve_app(gateway_app) as url:
        yield url


def fresh_caches(app: Starlette) -> None:
    """Cold caches and closed breakers in every connector of ``app``."""
    for connector in app.state.gateway.connectors.all():
        clear = getattr(connector, "clear_cache", None)
        if clear is not None:
            clear()
        breaker = getattr(connector, "breaker", None)
        if breaker is not None:
            breaker.reset()


@pytest.fixture(autouse=True)
def _fresh_gateway_caches(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that talks to a session gateway starts with it serving, with cold caches and
    closed breakers (an outage test must not leave a breaker open for the next test), and
    leaves them so (nor for a module fixture set up before the next test's own fixtures)."""
    apps: list[Starlette] = []
    for name, url in (("gateway_app", "gateway_url"), ("access_app", "access_url")):
        if name in request.fixturenames:  # the app itself, or anything that serves it
            # Served here, first: only serving builds app.state.gateway, and a test may reach
            # the app only through fixtures set up after this one (as_client's URL inside a
            # function-scoped fixture, or the bare app object whose state.gateway it reads).
            request.getfixturevalue(url)
            apps.append(request.getfixturevalue(name))
    for app in apps:
        fresh_caches(app)
    yield
    for app in apps:
        fresh_caches(app)


@pytest.fixture(scope="session")
async def client(gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An anonymous caller (the public)."""
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
async def officer(gateway_url: str, demo_keys: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """The demo officer's client."""
    headers = {"Authorization": f"Bearer {demo_keys['officer']}"}
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30, headers=headers) as http:
        yield http


@pytest.fixture(scope="session")
async def bank(gateway_url: str, demo_keys: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """The demo bank's client."""
    headers = {"Authorization": f"Bearer {demo_keys['bank']}"}
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30, headers=headers) as http:
        yield http


# --- a second gateway for access-control tests ----------------------------------------------
# Same database and bureaus, with an operator key, and without the trusted-documents rule (these
# tests send their own documents; the bot's registered documents are tested with the bot).

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


CitizenFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


async def live_binding(pool: asyncpg.Pool, subject_key: str, id_number: str) -> str:
    """The id of ``subject_key``'s live binding, bound now (as if through the bot) when the
    person has none: subject tokens are good only while their binding lives."""
    found: str = await pool.fetchval(
        """INSERT INTO identity_bindings (subject_key, id_number, client_id, bound_at)
           VALUES ($1, $2, 'tests', now())
           ON CONFLICT (subject_key) DO UPDATE SET subject_key = EXCLUDED.subject_key
           RETURNING binding_id::text""",
        subject_key,
        id_number,
    )
    return found


@pytest.fixture(scope="session")
def citizen(access_url: str, access_app: Starlette, bot_key: str) -> CitizenFactory:
    """``async with citizen(id_number, represents=[uscc]) as http:`` — a bound citizen, via
    the bot."""
    gateway = access_app.state.gateway

    @contextlib.asynccontextmanager
    async def open_client(
        id_number: str, represents: tuple[str, ...] = ()
    ) -> AsyncIterator[httpx.AsyncClient]:
        key = person_subject_key(id_number, DEMO_SUBJECT_KEY_SECRET)
        binding = await live_binding(gateway.database.pool, key, id_number)
        token = gateway.edge.authenticator.issue_subject_token(key, binding, represents)
        async with httpx.AsyncClient(
            base_url=access_url,
            timeout=30,
            headers={"Authorization": f"Bearer {bot_key}", "X-Subject-Token": token},
        ) as http:
            yield http

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
