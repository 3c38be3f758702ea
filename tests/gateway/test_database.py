"""Both database paths: DATABASE_URL, and the embedded server from the wheel (forced)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.database import Database, open_database
from gateway.migrations import apply_migrations
from gateway.settings import Settings, load_settings
from tests.fakes.servers import serve_app


async def test_database_url_path(pg_dsn: str, tmp_path: Path) -> None:
    settings = load_settings(database_url=pg_dsn, state_dir=tmp_path)
    async with open_database(settings) as db:
        assert db.embedded is None
        assert await db.pool.fetchval("SELECT 41 + 1") == 42
    assert not (tmp_path / "pgdata").exists()


@pytest.mark.embedded
async def test_embedded_path_and_readyz_through_an_outage(
    settings: Settings, tmp_path: Path
) -> None:
    # Forced even though a server may answer at DATABASE_URL: CI exercises this path.
    forced = settings.model_copy(
        update={"embedded_postgres": True, "state_dir": tmp_path, "database_url": None}
    )
    app = create_app(forced)
    async with serve_app(app) as url, httpx.AsyncClient(base_url=url) as http:
        db = app.state.gateway.database
        assert db.embedded is not None
        assert (tmp_path / "pgdata" / "PG_VERSION").exists()
        assert (await http.get("/readyz")).status_code == 200
        applied = await db.pool.fetchval("SELECT count(*) FROM schema_migrations")
        assert applied >= 1

        db.embedded.stop()
        down = await http.get("/readyz")
        assert down.status_code == 503
        assert down.json()["database"] == "unreachable"
        assert (await http.get("/healthz")).status_code == 200  # alive, just not ready

        db.embedded.start()
        assert (await http.get("/readyz")).status_code == 200  # same process, no restart


@pytest.fixture
async def one_connection(pg_dsn: str, tmp_path: Path) -> AsyncIterator[Database]:
    """The gateway's own pool, of one connection: each acquire gets the one released before."""
    settings = load_settings(database_url=pg_dsn, state_dir=tmp_path, db_pool_min=1, db_pool_max=1)
    async with open_database(settings) as db:
        yield db


async def test_a_released_connection_costs_no_reset_round_trip(one_connection: Database) -> None:
    # asyncpg's default reset (RESET ALL, UNLISTEN *, ...) would undo this SET on release.
    async with one_connection.pool.acquire() as conn:
        await conn.execute("SET application_name = 'creditgw-no-reset'")
        pid = conn.get_server_pid()
    async with one_connection.pool.acquire() as conn:
        assert conn.get_server_pid() == pid
        assert await conn.fetchval("SHOW application_name") == "creditgw-no-reset"


async def test_a_transaction_left_open_is_still_rolled_back_on_release(
    one_connection: Database,
) -> None:
    async with one_connection.pool.acquire() as conn:
        await conn.execute("CREATE TEMP TABLE released (n int)")
        await conn.execute("BEGIN")
        await conn.execute("INSERT INTO released VALUES (1)")
    async with one_connection.pool.acquire() as conn:
        assert not conn.is_in_transaction()
        assert await conn.fetchval("SELECT count(*) FROM released") == 0


async def test_migrations_leave_no_session_lock_on_the_pooled_connection(
    one_connection: Database,
) -> None:
    async with one_connection.pool.acquire() as conn:
        await apply_migrations(conn)
    async with one_connection.pool.acquire() as conn:
        held = await conn.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        assert held == 0
