"""The Starlette app factory and the lifespan that owns every long-lived resource.

    app = create_app(load_settings())
    uvicorn.run(app, host=..., port=...)

Routes: ``/graphql`` (GET and POST; a ``Mount`` would 307 a POST), ``/healthz`` (the process is
alive), ``/readyz`` (the database answers; 503 otherwise).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import socket
from collections.abc import AsyncIterator, Callable

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.extensions import ParserCache, ValidationCache

from connectors.registry import build_connector_set
from gateway.consents import ConsentRevoked
from gateway.database import Database, open_database
from gateway.graphql_view import GraphQLView, PartialFailureExtension, ProvenanceExtension
from gateway.limits.edge import Edge
from gateway.migrations import apply_migrations
from gateway.settings import Settings, person_key_secret
from gateway.state import GatewayState, gateway_state
from resolvers.schema import build_schema

__all__ = ["create_app"]

log = logging.getLogger(__name__)


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
            http = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.AsyncHTTPTransport(
                        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
                        # httpcore writes headers and body separately; with Nagle on, the
                        # peer's delayed ACK stalls every POST ~40 ms.
                        socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
                    )
                )
            )
            connectors = build_connector_set(settings.bureaus, http, db.pool)
            stack.push_async_callback(connectors.aclose)
            await stack.enter_async_context(edge.running(db.pool))

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
        ]
    )
    return Starlette(
        routes=[
            Route("/graphql", GraphQLView(schema, settings), methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ],
        lifespan=lifespan,
        middleware=edge.middleware(),
    )
