"""Both database paths: DATABASE_URL, and the embedded server from the wheel (forced)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.database import open_database
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
