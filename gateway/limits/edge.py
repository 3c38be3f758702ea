"""The access-control edge of one app, assembled from settings: one object to wire in.

    edge = Edge(settings)
    app = Starlette(routes=..., lifespan=lifespan, middleware=edge.middleware())
    schema = build_schema([*edge.schema_extensions(), ParserCache..., ValidationCache..., ...])
    # in the lifespan, once the database is open:
    async with edge.running(db.pool, dsn=db.dsn): ...

``middleware()`` (outermost first): CORS (when origins are configured) → request id →
body size (413) → JSON content type (415) → authentication (401) → rate limit (429).
``schema_extensions()``: :class:`~gateway.limits.operation.OperationLimits` — list it before
the parser and validation caches.  ``running()`` binds the pool, prepares audit partitions,
(with ``REDIS_URL``) listens for other replicas' consent revocations, and (with ``dsn``) for
API-client revocations and unbindings, keeping verified keys and live bindings meanwhile; it
closes Redis on exit.
``edge.revocations`` is the :class:`~gateway.consents.RevocationBus` to publish on and to
subscribe connector caches to; ``edge.authenticator.issue_subject_token`` issues citizens'
tokens; ``edge.seal_budget(namespace)`` counts the public's numbered reports per day
(:mod:`gateway.limits.seal_budget`), in Redis like the rate limits when it is configured.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable

import asyncpg
from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from strawberry.extensions import SchemaExtension

from gateway.audit import ensure_partitions
from gateway.auth.authenticator import SUBJECT_TOKEN_HEADER, Authenticator, utc_now
from gateway.auth.client_cache import listening
from gateway.auth.middleware import AuthenticationMiddleware
from gateway.consents import RevocationBus
from gateway.limits.body import BodyLimitMiddleware, JsonContentTypeMiddleware
from gateway.limits.operation import OperationLimits, OperationPolicy
from gateway.limits.rate_limit import (
    FallbackRateLimiter,
    MemoryRateLimiter,
    RateLimiter,
    RedisRateLimiter,
)
from gateway.limits.rate_middleware import RateLimitMiddleware
from gateway.limits.seal_budget import (
    FallbackSealBudget,
    MemorySealBudget,
    RedisSealBudget,
    SealBudget,
)
from gateway.limits.trusted_documents import DocumentRegistry, bot_operations, page_operations
from gateway.request_id import RequestIdMiddleware
from gateway.settings import Settings

__all__ = ["GRAPHQL_PATH", "Edge", "redis_client"]

log = logging.getLogger(__name__)

GRAPHQL_PATH = "/graphql"


def redis_client(url: str) -> Redis:
    """The Redis client the gateway uses (rate limits, revocations): a blocking pool, which
    waits for a free connection under bursts instead of failing; the client owns the pool, so
    ``aclose()`` closes its connections.  An unreachable server fails at once, without retries
    that would hold a request."""
    return Redis.from_pool(BlockingConnectionPool.from_url(url, max_connections=64, timeout=2))


class Edge:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        rate_limiter: RateLimiter | None = None,
        documents: dict[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self._pool: asyncpg.Pool | None = None
        self.redis = (
            redis_client(settings.redis_url.get_secret_value())
            if settings.redis_url is not None
            else None
        )
        self.authenticator = Authenticator(settings, clock=clock)
        self.revocations = RevocationBus(self.redis)
        self.policy = OperationPolicy.from_settings(settings)
        self.documents = DocumentRegistry(
            {**bot_operations(), **page_operations()} if documents is None else documents,
            pool=lambda: self._pool,
        )
        in_memory = MemoryRateLimiter(max_keys=settings.rate_limit_memory_keys)
        if rate_limiter is not None:
            self.rate_limiter = rate_limiter
        elif self.redis is not None:
            self.rate_limiter = FallbackRateLimiter(RedisRateLimiter(self.redis), in_memory)
        else:
            self.rate_limiter = in_memory

    def seal_budget(self, namespace: str) -> SealBudget:
        """The public's daily budget of numbered reports, counted with the rate limits: in
        Redis (in-process while it fails) when configured, else in-process.  ``namespace``: the
        report registry's (its database's name), whose numbers the budget spares."""
        in_memory = MemorySealBudget(max_callers=self.settings.rate_limit_memory_keys)
        if self.redis is None:
            return in_memory
        shared = RedisSealBudget(self.redis, prefix=f"creditgw:seals:{namespace}:")
        return FallbackSealBudget(shared, in_memory)

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("the edge is not running: enter `edge.running(pool)` first")
        return self._pool

    def middleware(self, *, request_id: bool = True) -> list[Middleware]:
        """The HTTP middleware stack, outermost first (``Starlette(middleware=...)``)."""
        stack: list[Middleware] = []
        if self.settings.cors_origins:
            stack.append(
                Middleware(
                    CORSMiddleware,
                    allow_origins=self.settings.cors_origins,
                    allow_methods=["GET", "POST"],
                    allow_headers=[
                        "authorization",
                        "content-type",
                        "x-request-id",
                        SUBJECT_TOKEN_HEADER,
                    ],
                    expose_headers=["x-request-id", "retry-after"],
                    max_age=600,
                )
            )
        if request_id:
            stack.append(Middleware(RequestIdMiddleware))
        stack += [
            Middleware(BodyLimitMiddleware, max_bytes=self.settings.max_body_bytes),
            Middleware(JsonContentTypeMiddleware, paths=[GRAPHQL_PATH]),
            Middleware(
                AuthenticationMiddleware, authenticator=self.authenticator, pool=lambda: self.pool
            ),
            Middleware(
                RateLimitMiddleware,
                limiter=self.rate_limiter,
                limits=self.settings.rate_limits,
                paths=[GRAPHQL_PATH],
            ),
        ]
        return stack

    def schema_extensions(self) -> list[Callable[[], SchemaExtension]]:
        """Extension factories for the schema; put them before the parser/validation caches."""
        return [lambda: OperationLimits(self.policy, self.documents)]

    @contextlib.asynccontextmanager
    async def running(self, pool: asyncpg.Pool, *, dsn: str | None = None) -> AsyncIterator[None]:
        """``dsn``: where to listen for API-client revocations, so that verified keys can be
        kept between requests (:mod:`gateway.auth.client_cache`); without it every request
        reads the client table."""
        self._pool = pool
        try:
            async with pool.acquire() as conn:
                await ensure_partitions(
                    conn, dt.datetime.now(dt.UTC).date(), self.settings.audit_partitions_ahead
                )
            if self.redis is not None:
                try:
                    await self.redis.ping()
                except (RedisError, OSError) as exc:
                    raise RuntimeError(
                        "REDIS_URL is set but Redis does not answer: " + type(exc).__name__
                    ) from exc
            async with contextlib.AsyncExitStack() as listeners:
                await listeners.enter_async_context(self.revocations.running())
                if dsn is not None:
                    auth = self.authenticator
                    await listeners.enter_async_context(listening(dsn, auth.clients, auth.bindings))
                yield
        finally:
            self._pool = None
            if self.redis is not None:
                await self.redis.aclose()
