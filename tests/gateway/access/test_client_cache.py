"""Verified API keys kept between requests — and dropped the moment they are revoked.

Each test's clock is frozen unless the test moves it, so an entry's lifetime can only run out
when the test says so: a key refused without the clock moving was refused because the
revocation reached the cache (or because nothing was cached), never by luck of timing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.auth import (
    CLIENT_CACHE_TTL_S,
    Authenticator,
    ClientKind,
    digest,
    ensure_demo_clients,
    revoke_client,
    verify_api_key,
)
from gateway.database import Database
from gateway.settings import Settings, load_settings
from tests.fakes.servers import serve_app
from tests.gateway.access.test_auth import (
    NOW,
    Clock,
    bearer,
    echo_app,
    new_client,
    who,
)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def authenticator(clock: Clock) -> Authenticator:
    return Authenticator(load_settings(), clock=clock)


async def serving(authenticator: Authenticator, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serve_app(echo_app(authenticator, lambda: db.pool), lifespan="off") as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        yield client


@pytest.fixture
async def http(
    authenticator: Authenticator, migrated: Database
) -> AsyncIterator[httpx.AsyncClient]:
    """An edge whose authenticator hears revocations (as ``Edge.running`` arranges)."""
    async with authenticator.clients.listening_on(migrated.dsn):
        async for client in serving(authenticator, migrated):
            yield client


async def status(http: httpx.AsyncClient, key: str) -> tuple[int, str | None]:
    response = await http.get("/whoami", headers=bearer(key))
    if response.status_code == 200:
        return 200, None
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return response.status_code, code


async def refused_soon(http: httpx.AsyncClient, key: str) -> str | None:
    """Ask until the key is refused (each ask gives the listener's notification a turn);
    the refusal's code, or fail when it never comes (10 s: a bound, not a speed)."""
    async with asyncio.timeout(10):
        while True:
            found, code = await status(http, key)
            if found != 200:
                return code


async def change_hash_silently(db: Database, client_id: str) -> None:
    """Re-key a client behind the gateway's back: an UPDATE without NOTIFY."""
    async with db.pool.acquire() as conn:
        await conn.execute(
            "UPDATE api_clients SET key_hash = $2 WHERE id = $1", client_id, digest("other")
        )


async def test_a_verified_key_is_not_read_again_until_its_lifetime_ends(
    http: httpx.AsyncClient, migrated: Database, clock: Clock
) -> None:
    client_id, key = await new_client(migrated, ClientKind.BANK)
    assert (await who(http, **bearer(key)))["clientId"] == client_id
    await change_hash_silently(migrated, client_id)
    assert (await who(http, **bearer(key)))["clientId"] == client_id  # served from the cache
    clock.now = NOW + dt.timedelta(seconds=CLIENT_CACHE_TTL_S)
    assert await status(http, key) == (401, "UNAUTHENTICATED")  # read again: no longer valid


async def test_a_revoked_key_is_refused_at_once(
    http: httpx.AsyncClient, migrated: Database
) -> None:
    client_id, key = await new_client(migrated, ClientKind.BANK)
    await who(http, **bearer(key))
    async with migrated.pool.acquire() as conn:
        assert await revoke_client(conn, client_id, now=NOW)
    assert await refused_soon(http, key) == "CREDENTIALS_REVOKED"


async def test_re_keyed_demo_clients_drop_their_old_keys(
    authenticator: Authenticator, private_db: Database
) -> None:
    settings: Settings = load_settings(mode="demo")
    async with private_db.pool.acquire() as conn:
        old = await ensure_demo_clients(conn, settings)
    async with authenticator.clients.listening_on(private_db.dsn):
        async for http in serving(authenticator, private_db):
            assert (await who(http, **bearer(old["bank"])))["kind"] == "bank"
            async with private_db.pool.acquire() as conn:
                new = await ensure_demo_clients(conn, settings)
            assert await refused_soon(http, old["bank"]) == "UNAUTHENTICATED"
            assert (await who(http, **bearer(new["bank"])))["kind"] == "bank"


async def test_expiry_is_checked_on_every_use(
    http: httpx.AsyncClient, migrated: Database, clock: Clock
) -> None:
    _, key = await new_client(
        migrated, ClientKind.OFFICER, expires_at=NOW + dt.timedelta(seconds=2)
    )
    await who(http, **bearer(key))
    clock.now = NOW + dt.timedelta(seconds=2)  # still inside the entry's lifetime
    assert await status(http, key) == (401, "CREDENTIALS_EXPIRED")


async def test_nothing_is_kept_without_a_listener(
    authenticator: Authenticator, migrated: Database
) -> None:
    client_id, key = await new_client(migrated, ClientKind.BANK)
    async for http in serving(authenticator, migrated):
        await who(http, **bearer(key))
        await change_hash_silently(migrated, client_id)
        assert await status(http, key) == (401, "UNAUTHENTICATED")


async def test_a_lost_listener_stops_the_keeping(
    authenticator: Authenticator, private_db: Database
) -> None:
    client_id, key = await new_client(private_db, ClientKind.BANK)
    async with authenticator.clients.listening_on(private_db.dsn):
        async for http in serving(authenticator, private_db):
            await who(http, **bearer(key))
            async with private_db.pool.acquire() as conn:  # this database's listener only
                await conn.execute(
                    """SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                       WHERE datname = current_database() AND query ILIKE 'LISTEN%'"""
                )
            await change_hash_silently(private_db, client_id)
            assert await refused_soon(http, key) == "UNAUTHENTICATED"
            assert not authenticator.clients.listening


async def test_an_answer_read_before_a_revocation_is_not_kept_after_it(
    authenticator: Authenticator, migrated: Database
) -> None:
    client_id, key = await new_client(migrated, ClientKind.BANK)
    cache = authenticator.clients
    async with cache.listening_on(migrated.dsn), migrated.pool.acquire() as conn:
        seen = cache.generation
        client = await verify_api_key(conn, key, now=NOW)
        cache.drop(client_id)  # a revocation lands while the lookup was under way
        cache.put(digest(key), client, generation=seen)
        assert cache.get(digest(key)) is None
        cache.put(digest(key), client, generation=cache.generation)
        assert cache.get(digest(key)) == client


async def test_the_gateway_keeps_verified_keys(gateway_app: Starlette, gateway_url: str) -> None:
    state: Any = gateway_app.state.gateway
    assert state.edge.authenticator.clients.listening
