"""The Starlette app factory and the lifespan that owns every long-lived resource.

    app = create_app(load_settings())
    uvicorn.run(app, host=..., port=...)

Routes: ``/graphql`` (GET and POST, other methods refused in JSON; a ``Mount`` would 307 a
POST), ``/healthz`` (the process is alive), ``/readyz`` (the database answers; 503 otherwise),
and the browsers' pages (:mod:`gateway.web`): the public 信用查询 page at ``/`` and its static
files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.extensions import ParserCache, ValidationCache

from connectors.http import HttpBureau
from connectors.platform import PlatformCache
from connectors.registry import build_connector_set
from connectors.transport import AiohttpTransport
from gateway.auth.client_cache import listening
from gateway.consents import ConsentRevoked
from gateway.database import Database, open_database
from gateway.graphql_view import GraphQLView, PartialFailureExtension, ProvenanceExtension
from gateway.limits.edge import Edge
from gateway.migrations import apply_migrations
from gateway.response_cache import ResponseCache
from gateway.settings import Settings, person_key_secret
from gateway.state import GatewayState, gateway_state
from gateway.web import web_routes
from resolvers.schema import build_schema

__all__ = ["bureau_client", "create_app"]

log = logging.getLogger(__name__)


def _transport(connections: int) -> httpx.AsyncBaseTransport:
    # aiohttp's pool beneath httpx's API: httpcore's cost ~40 % of a cold request's CPU under
    # load (issue 14; connectors.transport).  aiohttp sets TCP_NODELAY on its connections.
    return AiohttpTransport(connections=connections)


def bureau_client(settings: Settings) -> httpx.AsyncClient:
    """The client every bureau connector shares, with one connection pool per bureau.

    One shared pool made each bureau call pay for every other bureau's connections (httpcore
    scanned them all on each request) and churned them under load.  Each bureau's pool holds
    as many connections as its bulkhead lets requests fly, all kept alive.
    """
    in_flight: dict[str, int] = {}  # bureaus behind one origin share its pool
    for name in type(settings.bureaus).model_fields:
        config = getattr(settings.bureaus, name)
        if config.url:
            url = httpx.URL(config.url)
            origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
            in_flight[origin] = in_flight.get(origin, 0) + config.max_in_flight
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {
        origin: _transport(n) for origin, n in in_flight.items()
    }
    return httpx.AsyncClient(transport=_transport(100), mounts=mounts)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    if await gateway_state(request).database.is_ready():
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    today: Callable[[], dt.date] = dt.date.today,
) -> Starlette:
    """Build the ASGI app.  ``database`` lets tests and the demo hand in an open one;
    ``today`` lets tests pin the calendar to the synthetic world's day."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            db = (
                database
                if database is not None
                else await stack.enter_async_context(open_database(settings))
            )
            async with db.pool.acquire() as conn:
                await apply_migrations(conn)
            http = await stack.enter_async_context(bureau_client(settings))
            connectors = build_connector_set(settings.bureaus, http, db.pool)
            stack.push_async_callback(connectors.aclose)
            responses = None
            if settings.platform_cache_ttl_s > 0:
                # The platform's rows stay in memory while NOTIFY tells this replica of changes.
                cache = PlatformCache(
                    ttl_s=settings.platform_cache_ttl_s,
                    maxsize=settings.platform_cache_max_entries,
                )
                await stack.enter_async_context(
                    listening(db.dsn, connectors.platform.use_cache(cache))
                )
                if settings.response_cache_max_entries > 0:
                    responses = ResponseCache(
                        platform=cache,
                        ttl_by_source={
                            **{
                                c.source: c.freshness_s
                                for c in connectors.all()
                                if isinstance(c, HttpBureau)
                            },
                            "platform": settings.platform_cache_ttl_s,
                        },
                        max_entries=settings.response_cache_max_entries,
                        redis=edge.redis,
                        namespace=urlsplit(db.dsn).path.strip("/"),
                    )
            await stack.enter_async_context(edge.running(db.pool, dsn=db.dsn))

            # A revocation drops the consent's cached bureau answers here and, through Redis,
            # on every other replica before their next request.
            def drop_revoked(event: ConsentRevoked) -> None:
                connectors.drop_consent(event.consent_id)

            edge.revocations.subscribe(drop_revoked)
            app.state.gateway = GatewayState(
                settings=settings,
                database=db,
                http=http,
                connectors=connectors,
                edge=edge,
                today=today,
                responses=responses,
            )
            missing = settings.publicity.working_calendar().missing_years(today())
            if missing:  # working days there skip weekends only, until the notice is added
                log.warning(
                    "no holiday notice for %s in the working-day calendar: add "
                    "GATEWAY_PUBLICITY__HOLIDAYS and __MAKEUP_WORKDAYS",
                    ", ".join(map(str, missing)),
                )
            log.info("gateway ready")
            yield

    person_key_secret(settings)  # production without GATEWAY_SUBJECT_KEY_SECRET stops here
    edge = Edge(settings)
    schema = build_schema(
        [
            # Limits first: a hostile document is refused before the caches or the validator
            # spend anything on it.
            *edge.schema_extensions(),
            lambda: ParserCache(maxsize=512),
            lambda: ValidationCache(maxsize=512),
            ProvenanceExtension,
            PartialFailureExtension,
        ],
        federation=settings.federation,
    )
    return Starlette(
        routes=[
            # Every method: the view answers the others 405 in JSON, as it answers everything.
            Route("/graphql", GraphQLView(schema, settings)),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            *web_routes(),
        ],
        lifespan=lifespan,
        middleware=edge.middleware(),
    )
