"""Versioned SQL migrations: ``gateway/migrations/NNNN_name.sql``, applied in order.

Each file runs in its own transaction and is recorded in ``schema_migrations`` with its
checksum.  A session advisory lock serialises concurrent runners (two gateways starting at
once), so running twice, or from two processes, applies each file exactly once.  A recorded
migration whose file has since changed is refused: migrations are append-only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import asyncpg

__all__ = ["Migration", "MigrationDrift", "apply_migrations", "discover"]

_LOCK_KEY = 0x43_52_45_44_47_57  # "CREDGW": one advisory-lock key for this application
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationDrift(RuntimeError):
    """An applied migration's file no longer matches what was applied."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover() -> list[Migration]:
    folder = resources.files("gateway") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


async def apply_migrations(
    conn: asyncpg.Connection, migrations: list[Migration] | None = None
) -> list[int]:
    """Apply what is missing; return the versions applied by this call."""
    todo = discover() if migrations is None else migrations
    applied_now: list[int] = []
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   version integer PRIMARY KEY,
                   name text NOT NULL,
                   checksum text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now())"""
        )
        done = {
            row["version"]: row["checksum"]
            for row in await conn.fetch("SELECT version, checksum FROM schema_migrations")
        }
        for migration in todo:
            if migration.version in done:
                if done[migration.version] != migration.checksum:
                    raise MigrationDrift(
                        f"migration {migration.version:04d}_{migration.name} changed after it "
                        "was applied; add a new migration instead"
                    )
                continue
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            applied_now.append(migration.version)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    return applied_now
