"""Verified credentials, remembered briefly so that a request need not read their table.

    async with listening(dsn, authenticator.clients, authenticator.bindings):  # Edge.running
        client = cache.get(key_digest)            # None: verify against the table, then
        cache.put(key_digest, client, generation=seen)   # seen = cache.generation before it

Two caches use this: :class:`ClientCache` (verified API keys, by the key's SHA-256 digest) and
:class:`BindingCache` (citizens' live identity bindings, by subject key: a subject token is good
only while the binding it was issued for lives).  Revocation stays immediate:
:func:`~gateway.auth.clients.revoke_client` (and re-keying the demo clients) sends ``NOTIFY
creditgw_api_clients, '<client id>'``, unbinding and rebinding ``NOTIFY
creditgw_identity_bindings, '<subject key>'``, each in the same statement as the change, and
every replica's listener drops the matching entries as the notification arrives.  Two bounds
hold when a notification could go astray:

* nothing is cached unless the listener is connected — without it (a lost connection, an
  authenticator used on its own) every request reads the table, as it did before the cache;
* an entry lives at most :data:`CLIENT_CACHE_TTL_S` seconds, so a change made to the table by
  hand (without NOTIFY) reaches every replica within that time — as does a revocation when the
  listener sits behind a transaction-pooling proxy, which does not deliver notifications.

Only what verified is kept (a wrong, revoked or expired credential reads the table every time);
expiry is checked again on every use.  A lookup that started before a drop does not store its
(possibly stale) answer afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Hashable
from typing import Generic, Protocol, TypeVar

import asyncpg
from cachetools import TTLCache

from gateway.auth.clients import CLIENTS_CHANNEL, Client

__all__ = [
    "BINDINGS_CHANNEL",
    "CLIENT_CACHE_TTL_S",
    "BindingCache",
    "ClientCache",
    "Listened",
    "ListenedCache",
    "listening",
]

log = logging.getLogger(__name__)

CLIENT_CACHE_TTL_S = 10.0
"""Longest a verified credential is trusted without reading its table (when NOTIFY is lost)."""

BINDINGS_CHANNEL = "creditgw_identity_bindings"
"""NOTIFY channel: the payload is the subject key of a binding removed or replaced."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Listened(Protocol):
    """What :func:`listening` drives: a cache that keeps entries only while it hears its
    ``channel`` (also :class:`connectors.platform.PlatformCache`)."""

    channel: str

    @property
    def listening(self) -> bool: ...

    def _hear(self) -> None: ...

    def _deafen(self) -> None: ...

    def _notified(self, conn: object, pid: int, channel: str, payload: object) -> None: ...


class ListenedCache(Generic[K, V]):
    """Entries kept only while a listener hears, on ``channel``, which of them to drop: a
    notification's payload names an owner, and ``owner(key, value)`` says whose an entry is."""

    def __init__(
        self,
        channel: str,
        owner: Callable[[K, V], str],
        *,
        clock: Callable[[], dt.datetime],
        ttl_s: float = CLIENT_CACHE_TTL_S,
        maxsize: int = 4096,
    ) -> None:
        self.channel = channel
        self._owner = owner
        self._entries: TTLCache[K, V] = TTLCache(
            maxsize, ttl=ttl_s, timer=lambda: clock().timestamp()
        )
        self._listening = False
        self.generation = 0  # advances on every drop; see put()

    @property
    def listening(self) -> bool:
        """Whether revocations reach this cache (and so whether it keeps anything)."""
        return self._listening

    def get(self, key: K) -> V | None:
        return self._entries.get(key) if self._listening else None

    def put(self, key: K, value: V, *, generation: int) -> None:
        """Keep a value verified by a lookup that began when ``generation`` was current."""
        if self._listening and generation == self.generation:
            self._entries[key] = value

    def drop(self, owner: str) -> None:
        """Forget every entry of ``owner`` (it was revoked or replaced)."""
        self.generation += 1
        for key in [k for k, v in self._entries.items() if self._owner(k, v) == owner]:
            self._entries.pop(key, None)

    def _hear(self) -> None:
        self._listening = True

    def _deafen(self) -> None:
        self._listening = False
        self.generation += 1
        self._entries.clear()

    def _notified(self, conn: object, pid: int, channel: str, payload: object) -> None:
        self.drop(str(payload))

    def listening_on(self, dsn: str) -> contextlib.AbstractAsyncContextManager[None]:
        """:func:`listening` for this cache alone."""
        return listening(dsn, self)


class ClientCache(ListenedCache[bytes, Client]):
    """Verified API clients by their key's digest, dropped by client id."""

    def __init__(self, *, clock: Callable[[], dt.datetime], ttl_s: float = CLIENT_CACHE_TTL_S):
        super().__init__(CLIENTS_CHANNEL, lambda _, client: client.id, clock=clock, ttl_s=ttl_s)


class BindingCache(ListenedCache[str, str]):
    """The live binding id of each subject key, dropped by subject key."""

    def __init__(self, *, clock: Callable[[], dt.datetime], ttl_s: float = CLIENT_CACHE_TTL_S):
        super().__init__(BINDINGS_CHANNEL, lambda key, _: key, clock=clock, ttl_s=ttl_s)


@contextlib.asynccontextmanager
async def listening(dsn: str, *caches: Listened) -> AsyncIterator[None]:
    """Listen for revocations on one connection of its own (not one of the pool's) and let
    ``caches`` keep verified entries while it lasts.  If it cannot connect, nothing is cached."""
    try:
        conn = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
        log.warning(
            "no listener on %s (%s); their tables are read per request",
            ", ".join(c.channel for c in caches),
            type(exc).__name__,
        )
        yield
        return

    def lost(conn: object) -> None:
        if any(c.listening for c in caches):
            log.warning(
                "lost the listener on %s; their tables are read per request",
                ", ".join(c.channel for c in caches),
            )
        for cache in caches:
            cache._deafen()

    try:
        for cache in caches:
            await conn.add_listener(cache.channel, cache._notified)
        conn.add_termination_listener(lost)
        for cache in caches:
            cache._hear()
        yield
    finally:
        for cache in caches:
            cache._deafen()
        conn.remove_termination_listener(lost)
        with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            await conn.close(timeout=5)
