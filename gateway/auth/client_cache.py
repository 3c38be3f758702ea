"""Verified API clients, remembered briefly so that a request need not read the client table.

    cache = ClientCache(clock=utc_now)
    async with cache.listening_on(dsn):           # the edge enters this in the lifespan
        client = cache.get(key_digest)            # None: verify against the table, then
        cache.put(key_digest, client, generation=seen)   # seen = cache.generation before it

Revocation stays immediate: :func:`~gateway.auth.clients.revoke_client` (and re-keying the demo
clients) sends ``NOTIFY creditgw_api_clients, '<client id>'`` in the same statement, and every
replica's listener drops that client's entries as the notification arrives.  Two bounds hold
when a notification could go astray:

* nothing is cached unless the listener is connected — without it (a lost connection, an
  authenticator used on its own) every request reads the table, as it did before the cache;
* an entry lives at most :data:`CLIENT_CACHE_TTL_S` seconds, so a change made to the table by
  hand (without NOTIFY) reaches every replica within that time — as does a revocation when the
  listener sits behind a transaction-pooling proxy, which does not deliver notifications.

Only keys that verified are kept (a wrong, revoked or expired key reads the table every
time), under the key's SHA-256 digest, never the key; expiry is checked again on every use.
A lookup that started before a drop does not store its (possibly stale) answer afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable

import asyncpg
from cachetools import TTLCache

from gateway.auth.clients import CLIENTS_CHANNEL, Client

__all__ = ["CLIENT_CACHE_TTL_S", "ClientCache"]

log = logging.getLogger(__name__)

CLIENT_CACHE_TTL_S = 10.0
"""Longest a verified key is trusted without reading the client table (when NOTIFY is lost)."""


class ClientCache:
    def __init__(
        self,
        *,
        clock: Callable[[], dt.datetime],
        ttl_s: float = CLIENT_CACHE_TTL_S,
        maxsize: int = 4096,
    ) -> None:
        self._entries: TTLCache[bytes, Client] = TTLCache(
            maxsize, ttl=ttl_s, timer=lambda: clock().timestamp()
        )
        self._listening = False
        self.generation = 0  # advances on every drop; see put()

    @property
    def listening(self) -> bool:
        """Whether revocations reach this cache (and so whether it keeps anything)."""
        return self._listening

    def get(self, key_digest: bytes) -> Client | None:
        return self._entries.get(key_digest) if self._listening else None

    def put(self, key_digest: bytes, client: Client, *, generation: int) -> None:
        """Keep a client verified by a lookup that began when ``generation`` was current."""
        if self._listening and generation == self.generation:
            self._entries[key_digest] = client

    def drop(self, client_id: str) -> None:
        """Forget every key of ``client_id`` (it was revoked or re-keyed)."""
        self.generation += 1
        for key_digest in [d for d, c in self._entries.items() if c.id == client_id]:
            self._entries.pop(key_digest, None)

    def _deafen(self) -> None:
        self._listening = False
        self.generation += 1
        self._entries.clear()

    def _notified(self, conn: object, pid: int, channel: str, payload: object) -> None:
        self.drop(str(payload))

    def _lost(self, conn: object) -> None:
        if self._listening:
            log.warning("lost the client revocation listener; API keys are read per request")
        self._deafen()

    @contextlib.asynccontextmanager
    async def listening_on(self, dsn: str) -> AsyncIterator[None]:
        """Listen for revocations on a connection of its own (not one of the pool's) and keep
        verified clients while it lasts.  If it cannot connect, nothing is cached."""
        try:
            conn = await asyncpg.connect(dsn, timeout=5)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
            log.warning(
                "no client revocation listener (%s); API keys are read per request",
                type(exc).__name__,
            )
            yield
            return
        try:
            await conn.add_listener(CLIENTS_CHANNEL, self._notified)
            conn.add_termination_listener(self._lost)
            self._listening = True
            yield
        finally:
            self._deafen()
            conn.remove_termination_listener(self._lost)
            with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await conn.close(timeout=5)
