"""Bank, officer and bot clients (table ``api_clients``): add, list, revoke, verify a key.

    client, key = await add_client(conn, kind=ClientKind.BANK, name="甲银行",
                                   scopes=["subject:read"], bank_id="bank-a",
                                   expires_at=None)          # key is shown once
    principal = principal_for(await verify_api_key(conn, key, now=now))

:func:`verify_api_key` raises :class:`~gateway.auth.errors.Unauthenticated` for a malformed,
unknown or wrong key, then (only for the right key) :class:`CredentialsRevoked` or
:class:`CredentialsExpired`.  A bot client is the chatbot's service key: alone it acts as the
public (relayed), with a subject token as that citizen (see :mod:`gateway.auth.authenticator`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import asyncpg

from connectors.registry import bureaus
from credit.access import ClientScope, Principal, PrincipalKind, bureau_scope
from gateway.auth.api_keys import client_id_of, digest, matches, new_api_key
from gateway.auth.errors import CredentialsExpired, CredentialsRevoked, Unauthenticated

__all__ = [
    "CLIENTS_CHANNEL",
    "Client",
    "ClientKind",
    "add_client",
    "ensure_usable",
    "known_scopes",
    "list_clients",
    "principal_for",
    "revoke_client",
    "verify_api_key",
]


CLIENTS_CHANNEL = "creditgw_api_clients"
"""NOTIFY channel: the payload is the id of a client revoked or re-keyed (cached keys go)."""


class ClientKind(StrEnum):
    BANK = "bank"
    OFFICER = "officer"
    BOT = "bot"


@dataclass(frozen=True, slots=True)
class Client:
    id: str
    kind: ClientKind
    name: str
    bank_id: str | None
    scopes: tuple[str, ...]
    rate_limit_per_minute: int | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def status(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def _client(row: Mapping[str, Any]) -> Client:
    return Client(
        id=row["id"],
        kind=ClientKind(row["kind"]),
        name=row["name"],
        bank_id=row["bank_id"],
        scopes=tuple(row["scopes"]),
        rate_limit_per_minute=row["rate_limit_per_minute"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
    )


def known_scopes() -> frozenset[str]:
    """Every scope a client may hold: the :class:`ClientScope` values, and ``bureau:<source>``
    for each bureau that decides objections and repairs (the registry's rights desks)."""
    return frozenset(
        {*(s.value for s in ClientScope), *(bureau_scope(b.source) for b in bureaus().deciding)}
    )


async def add_client(
    conn: asyncpg.Connection,
    *,
    kind: ClientKind,
    name: str,
    scopes: Iterable[str],
    expires_at: dt.datetime | None,
    bank_id: str | None = None,
    rate_limit_per_minute: int | None = None,
) -> tuple[Client, str]:
    """Store a new client; returns it and its key (the only time the key exists in clear)."""
    known = known_scopes()
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise ValueError(f"unknown scope(s) {', '.join(unknown)}")
    if (kind is ClientKind.BANK) != (bank_id is not None):
        raise ValueError("a bank client needs a bank id, other clients have none")
    key = new_api_key()
    row = await conn.fetchrow(
        """INSERT INTO api_clients (id, kind, name, bank_id, scopes, rate_limit_per_minute,
                                    key_hash, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           RETURNING id, kind, name, bank_id, scopes, rate_limit_per_minute, created_at,
                     expires_at, revoked_at""",
        key.client_id,
        kind.value,
        name,
        bank_id,
        chosen,
        rate_limit_per_minute,
        digest(key.secret),
        expires_at,
    )
    return _client(row), key.secret


async def list_clients(conn: asyncpg.Connection) -> list[Client]:
    rows = await conn.fetch(
        """SELECT id, kind, name, bank_id, scopes, rate_limit_per_minute, created_at,
                  expires_at, revoked_at
           FROM api_clients ORDER BY created_at, id"""
    )
    return [_client(r) for r in rows]


async def revoke_client(conn: asyncpg.Connection, client_id: str, *, now: dt.datetime) -> bool:
    """Revoke at ``now``; False when there is no such (unrevoked) client.

    Gateways that remember verified keys are told in the same statement (NOTIFY on
    :data:`CLIENTS_CHANNEL`, delivered when it commits), so the key stops working at once.
    """
    rows = await conn.fetch(
        """WITH revoked AS (
               UPDATE api_clients SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL
               RETURNING id)
           SELECT pg_notify($3, id) FROM revoked""",
        client_id,
        now,
        CLIENTS_CHANNEL,
    )
    return len(rows) == 1


def ensure_usable(client: Client, now: dt.datetime) -> Client:
    """``client`` if it may act at ``now``; :class:`CredentialsRevoked` or
    :class:`CredentialsExpired` otherwise."""
    if client.revoked_at is not None:
        raise CredentialsRevoked
    if client.expires_at is not None and client.expires_at <= now:
        raise CredentialsExpired
    return client


async def verify_api_key(conn: asyncpg.Connection, key: str, *, now: dt.datetime) -> Client:
    """The client ``key`` belongs to, if the key is right, unrevoked and unexpired."""
    client_id = client_id_of(key)
    if client_id is None:
        raise Unauthenticated
    row = await conn.fetchrow(
        """SELECT id, kind, name, bank_id, scopes, rate_limit_per_minute, created_at,
                  expires_at, revoked_at, key_hash
           FROM api_clients WHERE id = $1""",
        client_id,
    )
    if row is None or not matches(bytes(row["key_hash"]), key):
        raise Unauthenticated
    return ensure_usable(_client(row), now)


_KINDS = {ClientKind.BANK: PrincipalKind.BANK, ClientKind.OFFICER: PrincipalKind.OFFICER}


def principal_for(client: Client) -> Principal:
    """The principal a client acts as on its own (a bot: the public, relayed by the bot)."""
    if client.kind is ClientKind.BOT:
        return Principal(
            PrincipalKind.PUBLIC,
            client_id=client.id,
            display_name=client.name,
            rate_limit_class="bot",
            rate_limit_per_minute=client.rate_limit_per_minute,
            via_bot=True,
        )
    kind = _KINDS[client.kind]
    return Principal(
        kind,
        client_id=client.id,
        display_name=client.name,
        scopes=frozenset(client.scopes),
        bank_id=client.bank_id,
        rate_limit_class=kind.value,
        rate_limit_per_minute=client.rate_limit_per_minute,
    )
