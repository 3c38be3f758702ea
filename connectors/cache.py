"""A per-subject TTL cache for one data kind of one bureau, with in-flight de-duplication and
stale-if-error (STYLE.md §8: look up, await, store; never ``cachetools.cached`` on async code).

Keys are ``(scope, code)``: the scope is ``""`` for public data and the consent id for
consent-gated data, so :meth:`SubjectCache.drop_scope` forgets a revoked consent's entries at
once — including fetches still in flight, whose answers are then not stored.

    cache = SubjectCache("market", "registration", ttl_s=300, stale_if_error_s=3600,
                         maxsize=10_000, clock=SYSTEM_CLOCK)
    found = await cache.get_many([("", code1), ("", code2)], fetch)   # fetch(missing keys)

``get_many`` serves fresh entries from the cache (``provenance.cached``), joins fetches already
in flight for the same keys, and fetches all remaining keys in one ``fetch`` call.  ``fetch``
returns, per key, the value, or a :class:`ConnectorError` for that key alone (e.g. a refused
consent token); a key it leaves out is "unknown to the bureau" and is absent from the answer
(and cached as such).  Failures are never stored.  When a fetch fails with a
:class:`SourceUnavailable` or :class:`SourceProtocolError`, an entry at most
``stale_if_error_s`` past its lifetime is served instead, flagged ``provenance.stale``; if any
key is left without an answer, the first error is raised with ``partial`` (what could be
served) and ``failed`` (each unserved key's error).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from cachetools import TTLCache

from connectors.clock import Clock
from connectors.errors import ConnectorError, SourceProtocolError, SourceUnavailable
from connectors.observe import NO_OBSERVER, BureauObserver
from connectors.provenance import Provenance, Sourced

__all__ = ["Key", "SubjectCache"]

T = TypeVar("T")
Key = tuple[str, str]  # (scope, code); scope "" for public data, the consent id when gated
# What a fetch answers per key: a value, an error for that key alone, or nothing (unknown).
Fetch = Callable[[list[Key]], Awaitable[Mapping[Key, T | ConnectorError]]]


_UNKNOWN: Any = object()


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    sourced: Sourced[T] | None  # None: the bureau does not know the subject
    stored_at: float  # clock.monotonic() when stored


def _stale_eligible(error: BaseException) -> bool:
    """The bureau is failing (not refusing us): an old answer beats none."""
    return isinstance(error, SourceUnavailable | SourceProtocolError)


class SubjectCache(Generic[T]):
    def __init__(
        self,
        source: str,
        kind: str,
        *,
        ttl_s: float,
        stale_if_error_s: float,
        maxsize: int,
        clock: Clock,
        observer: BureauObserver = NO_OBSERVER,
    ) -> None:
        self.source = source
        self._observer = observer
        self.kind = kind
        self._ttl_s = ttl_s
        self._clock = clock
        # Entries live past their TTL for as long as stale-if-error may still serve them.
        self._entries: TTLCache[Key, _Entry[T]] = TTLCache(
            maxsize, ttl=ttl_s + stale_if_error_s, timer=clock.monotonic
        )
        self._in_flight: dict[Key, asyncio.Future[_Entry[T]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._entries)

    async def get_many(self, keys: Sequence[Key], fetch: Fetch[T]) -> dict[Key, Sourced[T]]:
        now = self._clock.monotonic()
        served: dict[Key, Sourced[T]] = {}
        pending: dict[Key, asyncio.Future[_Entry[T]]] = {}
        missing: list[Key] = []
        for key in dict.fromkeys(keys):
            entry = self._entries.get(key)
            if entry is not None and now - entry.stored_at < self._ttl_s:
                if entry.sourced is not None:
                    served[key] = entry.sourced.as_cached()
                continue
            joined = self._in_flight.get(key)
            if joined is not None:
                pending[key] = joined
            else:
                missing.append(key)
        hits = len(served)
        if missing:
            pending.update(self._start(missing, fetch))
        if not pending:
            self._observer.cache(self.source, self.kind, hits=hits, misses=0, stale=0)
            return served
        # The fetch runs in its own task, so a caller that gives up does not fail the others.
        await asyncio.wait(set(pending.values()))
        failed: dict[Key, BaseException] = {}
        stale_served = 0
        for key, future in pending.items():
            error = future.exception()
            if error is None:
                sourced = future.result().sourced
                if sourced is not None:
                    served[key] = sourced
                continue
            stale = self._entries.get(key) if _stale_eligible(error) else None
            if stale is None:
                failed[key] = error
            elif stale.sourced is not None:
                served[key] = stale.sourced.as_cached(stale=True)
                stale_served += 1
        self._observer.cache(
            self.source,
            self.kind,
            hits=hits,
            misses=len(pending) - stale_served,
            stale=stale_served,
        )
        if not failed:
            return served
        first = next(iter(failed.values()))
        if not isinstance(first, ConnectorError):
            raise first  # a bug, not a bureau failure: let it surface as one
        errors = {k: e for k, e in failed.items() if isinstance(e, ConnectorError)}
        raise first.with_outcome(served, errors)

    def _start(self, keys: list[Key], fetch: Fetch[T]) -> dict[Key, asyncio.Future[_Entry[T]]]:
        loop = asyncio.get_running_loop()
        futures = {key: loop.create_future() for key in keys}
        self._in_flight.update(futures)
        task = asyncio.create_task(self._run(keys, fetch, futures))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return futures

    async def _run(
        self, keys: list[Key], fetch: Fetch[T], futures: dict[Key, asyncio.Future[_Entry[T]]]
    ) -> None:
        try:
            values = await fetch(keys)
        except asyncio.CancelledError:
            self._fail(futures, SourceUnavailable(self.source, "连接器已关闭，查询已取消"))
            raise
        except Exception as exc:  # noqa: BLE001 — not swallowed: every waiter raises it
            self._fail(futures, exc)
            return
        provenance = Provenance(source=self.source, fetched_at=self._clock.now())
        stored_at = self._clock.monotonic()
        for key, future in futures.items():
            value = values.get(key, _UNKNOWN)
            if isinstance(value, ConnectorError):
                self._fail({key: future}, value)
                continue
            entry: _Entry[T] = _Entry(
                None if value is _UNKNOWN else Sourced(value, provenance), stored_at
            )
            # A scope dropped while this fetch was in flight detached its futures: do not
            # store answers fetched under a consent that has since been revoked.
            if self._in_flight.get(key) is future:
                self._entries[key] = entry
            if not future.done():
                future.set_result(entry)
        self._forget(futures)

    def _fail(self, futures: Mapping[Key, asyncio.Future[_Entry[T]]], error: Exception) -> None:
        for future in futures.values():
            if not future.done():
                future.set_exception(error)
                future.exception()  # retrieved by its waiters, or by nobody: no warning
        self._forget(futures)

    def _forget(self, futures: Mapping[Key, asyncio.Future[_Entry[T]]]) -> None:
        for key, future in futures.items():
            if self._in_flight.get(key) is future:
                del self._in_flight[key]

    def drop_scope(self, scope: str) -> int:
        """Forget every entry (and detach every in-flight fetch) under ``scope``; how many."""
        doomed = [key for key in list(self._entries.keys()) if key[0] == scope]
        for key in doomed:
            self._entries.pop(key, None)
        for key in [key for key in self._in_flight if key[0] == scope]:
            del self._in_flight[key]
        return len(doomed)

    def drop_where(self, holds: Callable[[Any], bool]) -> int:
        """Forget every entry whose value ``holds`` says is outdated (a bureau changed a record
        it contains: an objection upheld, a repair accepted); how many."""
        doomed = [
            key
            for key, entry in list(self._entries.items())
            if entry.sourced is not None and holds(entry.sourced.value)
        ]
        for key in doomed:
            self._entries.pop(key, None)
        return len(doomed)

    def clear(self) -> None:
        self._entries.clear()

    async def aclose(self) -> None:
        """Cancel fetches still running; their waiters get :class:`SourceUnavailable`."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._in_flight.clear()
