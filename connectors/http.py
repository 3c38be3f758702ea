"""The shared HTTP request loop: auth, bulkhead, breaker, retries, error translation, caching.

Each bureau connector subclasses :class:`HttpBureau` and declares only what differs — its
``source`` name and data ``kinds``, how it authenticates (:meth:`authorise`), its paths, its
envelope and its payload mapping.  httpx exceptions are translated to the connector error tree
here and nowhere else.  One upstream attempt is::

    breaker.guard() → bulkhead.slot() → client.send() → status check → parse(response)

so a malformed payload counts against the breaker like a 5xx does.  Reads are retried
(:mod:`connectors.retry`); writes never.  Results are cached per data kind
(:mod:`connectors.cache`), each kind's TTL from :class:`BureauConfig`.

    class MarketConnector(HttpBureau):
        source = "market"
        kinds = ("registration", "penalties")
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

import httpx
import orjson
from cachetools import LRUCache

from connectors.breaker import CircuitBreaker
from connectors.bulkhead import Bulkhead
from connectors.cache import Fetch, Key, SubjectCache
from connectors.clock import SYSTEM_CLOCK, Clock, utc_now
from connectors.config import BureauConfig
from connectors.errors import (
    ConnectorError,
    SourceProtocolError,
    SourceRejected,
    SourceTimeout,
    SourceUnavailable,
)
from connectors.observe import NO_OBSERVER, BureauObserver
from connectors.protocol import Grant
from connectors.provenance import Provenance, Sourced
from connectors.retry import RetryPolicy, is_retriable

__all__ = ["HttpBureau", "utc_now"]

R = TypeVar("R")
T = TypeVar("T")


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP-date: rare from bureaus; fall back to our own backoff


class HttpBureau:
    """Base of every HTTP bureau connector.  Receives its client; never builds one."""

    source: ClassVar[str] = "bureau"
    kinds: ClassVar[tuple[str, ...]] = ()  # data kinds cached separately, each with its TTL
    # Of those, the kinds read under a consent (cached by consent id and subject): bounded by
    # ``consent_cache_max_entries``, the others by ``cache_max_entries``.
    consent_kinds: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self,
        client: httpx.AsyncClient,
        config: BureauConfig,
        *,
        clock: Clock = SYSTEM_CLOCK,
        rng: random.Random | None = None,
        observer: BureauObserver = NO_OBSERVER,
    ) -> None:
        unknown = set(config.ttl_by_kind_s) - set(self.kinds)
        if unknown:
            raise ValueError(
                f"GATEWAY_BUREAUS__{self.source.upper()}__TTL_BY_KIND_S: unknown kinds "
                f"{sorted(unknown)}; known: {list(self.kinds)}"
            )
        self._client = client
        # Parsed once per path (parsing the host costs about what building the request does);
        # bounded, since a few paths name a subject.
        self._urls: LRUCache[str, httpx.URL] = LRUCache(maxsize=64)
        self._config = config
        self._clock = clock
        self._observer = observer
        self.breaker = CircuitBreaker(self.source, config, clock)
        self.bulkhead = Bulkhead(
            self.source, max_in_flight=config.max_in_flight, max_queued=config.max_queued
        )
        self.retry = RetryPolicy.from_config(config, rng=rng)
        self._caches: dict[str, SubjectCache[Any]] = {
            kind: SubjectCache(
                self.source,
                kind,
                ttl_s=config.ttl_for(kind),
                stale_if_error_s=config.stale_if_error_s,
                maxsize=(
                    config.consent_cache_max_entries
                    if kind in self.consent_kinds
                    else config.cache_max_entries
                ),
                clock=clock,
                observer=observer,
            )
            for kind in self.kinds
        }
        self._closed = False

    # --- what a bureau may override ----------------------------------------------------------

    def authorise(self, request: httpx.Request) -> None:
        """Add this bureau's credentials to an outgoing request; override when it differs."""
        request.headers["X-Api-Key"] = self._config.api_key.get_secret_value()

    # --- the request loop --------------------------------------------------------------------

    def provenance(self) -> Provenance:
        return Provenance(source=self.source, fetched_at=self._clock.now())

    async def call(
        self,
        method: str,
        path: str,
        parse: Callable[[httpx.Response], R],
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        read: bool = True,
    ) -> R:
        """Send one logical request (retried if ``read``) and return ``parse(response)``."""
        self._check_open()
        attempt = 0
        while True:
            attempt += 1
            try:
                with self._observer.attempt(self) as traced:
                    async with self.breaker.guard(), self.bulkhead.slot():
                        sent = {**(headers or {}), **traced} if traced else headers
                        response = await self._send(method, path, json, params, sent)
                        result = parse(response)
            except ConnectorError as exc:
                delay = (
                    self.retry.delay(attempt=attempt, retry_after=_retry_after_of(exc))
                    if read and is_retriable(exc)
                    else None
                )
                if delay is None:
                    raise
                self._observer.retry(self.source)
                await self._clock.sleep(delay)
                continue
            self.retry.budget.earn()
            return result

    async def _send(
        self,
        method: str,
        path: str,
        json: Any,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Response:
        """One attempt; a non-2xx answer or a transport failure raises a ConnectorError."""
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = httpx.URL(self._config.url.rstrip("/") + path)
        request = self._client.build_request(
            method,
            url,
            content=None if json is None else orjson.dumps(json),
            params=params,
            headers={
                **({"Content-Type": "application/json"} if json is not None else {}),
                **(headers or {}),
            },
            timeout=self._config.timeout_s,
        )
        self.authorise(request)
        try:
            response = await self._client.send(request)
        except httpx.TimeoutException:
            raise SourceTimeout(self.source, "部门接口在规定时间内未应答") from None
        except httpx.TransportError as exc:
            raise SourceUnavailable(
                self.source, f"无法连接部门接口（{type(exc).__name__}）"
            ) from None
        status = response.status_code
        if status == 429:
            raise SourceUnavailable(
                self.source, "部门接口限流（HTTP 429）", retry_after=_retry_after(response)
            )
        if status >= 500:
            raise SourceUnavailable(
                self.source,
                f"部门接口暂不可用（HTTP {status}）",
                retry_after=_retry_after(response),
            )
        if status >= 400:
            raise SourceRejected(self.source, f"部门接口拒绝了请求（HTTP {status}）", status=status)
        return response

    def decode(self, response: httpx.Response) -> Any:
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise SourceProtocolError(self.source, "应答不是有效的 JSON") from None

    # --- caching -----------------------------------------------------------------------------

    async def batch(
        self,
        kind: str,
        codes: Sequence[str],
        fetch: Callable[[list[str]], Awaitable[Mapping[str, T | ConnectorError]]],
    ) -> dict[str, Sourced[T]]:
        """Public data of ``kind`` for ``codes``: cached ones served, the rest in one ``fetch``."""

        async def by_key(keys: list[Key]) -> dict[Key, T | ConnectorError]:
            got = await fetch([code for _, code in keys])
            return {("", code): value for code, value in got.items()}

        with self._observer.batch(self.source, kind, subjects=len(codes)):
            return await self._cached(kind, [("", code) for code in codes], by_key)

    async def gated_batch(
        self,
        kind: str,
        grants: Mapping[str, Grant],
        fetch: Callable[[dict[str, Grant]], Awaitable[Mapping[str, T | ConnectorError]]],
    ) -> dict[str, Sourced[T]]:
        """Consent-gated data of ``kind``, cached under each subject's consent id."""

        async def by_key(keys: list[Key]) -> dict[Key, T | ConnectorError]:
            got = await fetch({code: grants[code] for _, code in keys})
            return {(grants[code].consent_id, code): value for code, value in got.items()}

        with self._observer.batch(self.source, kind, subjects=len(grants)):
            return await self._cached(
                kind, [(grant.consent_id, code) for code, grant in grants.items()], by_key
            )

    async def _cached(self, kind: str, keys: list[Key], fetch: Fetch[T]) -> dict[str, Sourced[T]]:
        self._check_open()
        try:
            found: dict[Key, Sourced[T]] = await self._caches[kind].get_many(keys, fetch)
        except ConnectorError as exc:
            raise exc.with_outcome(
                {code: v for (_, code), v in exc.partial.items()},
                {code: e for (_, code), e in exc.failed.items()},
            ) from None
        return {code: value for (_, code), value in found.items()}

    @property
    def freshness_s(self) -> float:
        """The shortest time any of its answers is kept: an answer built on them is as fresh."""
        return min((self._config.ttl_for(kind) for kind in self.kinds), default=0.0)

    def drop_consent(self, consent_id: str) -> int:
        """Forget every cached answer fetched under ``consent_id`` (revocation); how many."""
        return sum(cache.drop_scope(consent_id) for cache in self._caches.values())

    def drop_where(self, holds: Callable[[Any], bool]) -> int:
        """Forget cached answers ``holds`` marks as outdated, every kind; how many."""
        return sum(cache.drop_where(holds) for cache in self._caches.values())

    def clear_cache(self) -> None:
        for cache in self._caches.values():
            cache.clear()

    def _check_open(self) -> None:
        if self._closed:
            raise SourceUnavailable(self.source, "连接器已关闭")

    async def aclose(self) -> None:
        """Idempotent.  The client belongs to whoever handed it in and is not closed here."""
        if self._closed:
            return
        self._closed = True
        for cache in self._caches.values():
            await cache.aclose()


def _retry_after_of(error: ConnectorError) -> float | None:
    return error.retry_after if isinstance(error, SourceUnavailable) else None
