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
import functools
import logging
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

import httpx
from opentelemetry.trace import TracerProvider
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.http import HttpBureau
from connectors.platform import PlatformCache
from connectors.protocol import Connector
from connectors.registry import ConnectorSet, build_connector_set
from connectors.rights import DecisionDesk
from connectors.transport import BureauClient, Http11Transport
from gateway.access_log import AccessLogMiddleware, MetricsEndpoint, OperationTally
from gateway.auth.client_cache import Listened, listening
from gateway.bureau_observer import GatewayObserver
from gateway.collector import tune_collector
from gateway.consents import ConsentRevoked
from gateway.database import Database, open_database
from gateway.graphql_view import GraphQLView, PartialFailureExtension, ProvenanceExtension
from gateway.limits import ShortParserCache, ShortValidationCache
from gateway.limits.edge import Edge
from gateway.metrics import GatewayMetrics
from gateway.migrations import apply_migrations
from gateway.request_id import RequestIdMiddleware
from gateway.response_cache import ResponseCache
from gateway.rights.index import CaseRecordIndex
from gateway.rights.outbox import Outbox, holds_record
from gateway.rights.service import open_case_counts
from gateway.settings import Settings, person_key_secret, report_signing_key
from gateway.state import GatewayState, beijing_today, gateway_state
from gateway.tracing import app_tracer, shutdown, trace_provider
from gateway.web import web_routes
from resolvers.schema import build_schema

__all__ = ["bureau_client", "create_app"]

log = logging.getLogger(__name__)


def bureau_client(settings: Settings) -> httpx.AsyncClient:
    """The client every bureau connector shares, with one connection pool per bureau.

    Each bureau's pool holds as many connections as its bulkhead lets requests fly, all kept
    alive, so one bureau never waits for another's connections.  Beneath httpx's API the bytes
    go over :class:`~connectors.transport.Http11Transport`: httpcore's pool, then aiohttp's
    request path, cost a third of a cold request's CPU (issue 14).
    """
    in_flight: dict[str, int] = {}  # bureaus behind one origin share its pool
    for name in type(settings.bureaus).model_fields:
        config = getattr(settings.bureaus, name)
        if config.url:
            url = httpx.URL(config.url)
            origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
            in_flight[origin] = in_flight.get(origin, 0) + config.max_in_flight
    return BureauClient(Http11Transport(connections=100, per_origin=in_flight))


def rights_outbox(
    settings: Settings, http: httpx.AsyncClient, db: Database, connectors: ConnectorSet
) -> Outbox:
    """The outbox delivering decisions to the bureaus that decide (the registry's ``rights``
    desks); a delivered decision drops every cached answer holding the changed record."""
    desks = {
        b.source.value: DecisionDesk(http, settings.bureaus.of(b.source), source=b.source)
        for b in connectors.registry.deciding
        if b.remote
    }

    def forget(source: str, record_id: str) -> None:
        holds = holds_record(record_id)
        for connector in connectors.all():
            drop = getattr(connector, "drop_where", None)
            if drop is not None:
                drop(holds)

    return Outbox(db.pool, desks, settings.rights_delivery, on_delivered=forget)


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
    today: Callable[[], dt.date] = beijing_today,
    tracer_provider: TracerProvider | None = None,
    serving: bool = False,
) -> Starlette:
    """Build the ASGI app.  ``database`` lets tests and the demo hand in an open one;
    ``today`` lets tests pin the calendar to the synthetic world's day (default: the Beijing
    day, :func:`~gateway.state.beijing_today`); ``tracer_provider`` records traces (default:
    OTLP when ``GATEWAY_OTLP_TRACES_ENDPOINT`` is set, else none);
    ``serving``: the app is the process's one (``creditgw serve``), whose garbage collector
    is tuned once it has started (:func:`gateway.collector.tune_collector`)."""

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
            connectors = build_connector_set(settings.bureaus, http, db.pool, observer=observer)
            stack.push_async_callback(connectors.aclose)
            stack.callback(metrics.close)
            if owned_provider is not None:
                stack.callback(shutdown, owned_provider)
            responses = None
            # Which records have a rights case, and (below) the platform's rows, stay in memory
            # while NOTIFY tells this replica of changes, on one listening connection.
            case_records = CaseRecordIndex(db.pool)
            listened: list[Listened] = [case_records]
            if settings.platform_cache_ttl_s > 0:
                cache = PlatformCache(
                    ttl_s=settings.platform_cache_ttl_s,
                    maxsize=settings.platform_cache_max_entries,
                )
                listened.append(connectors.platform.use_cache(cache))
                if settings.response_cache_max_bytes > 0:
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
                        max_bytes=settings.response_cache_max_bytes,
                        redis=edge.redis,
                        namespace=urlsplit(db.dsn).path.strip("/"),
                    )
            await stack.enter_async_context(listening(db.dsn, *listened))
            await stack.enter_async_context(edge.running(db.pool, dsn=db.dsn))

            # A revocation drops the consent's cached bureau answers here and, through Redis,
            # on every other replica before their next request.
            def drop_revoked(event: ConsentRevoked) -> None:
                connectors.drop_consent(event.consent_id)

            edge.revocations.subscribe(drop_revoked)
            outbox = rights_outbox(settings, http, db, connectors)
            await stack.enter_async_context(outbox.running())
            app.state.gateway = GatewayState(
                settings=settings,
                database=db,
                http=http,
                connectors=connectors,
                edge=edge,
                report_key=report_key,
                today=today,
                rights_outbox=outbox,
                responses=responses,
                case_records=case_records,
                seal_budget=edge.seal_budget(namespace=urlsplit(db.dsn).path.strip("/")),
            )
            metrics.rights_cases = functools.partial(open_case_counts, app.state.gateway)
            missing = settings.publicity.working_calendar().missing_years(today())
            if missing:  # working days there skip weekends only, until the notice is added
                log.warning(
                    "no holiday notice for %s in the working-day calendar: add "
                    "GATEWAY_PUBLICITY__HOLIDAYS and __MAKEUP_WORKDAYS",
                    ", ".join(map(str, missing)),
                )
            if serving:
                tune_collector(settings)
            log.info("gateway ready")
            yield

    person_key_secret(settings)  # production without GATEWAY_SUBJECT_KEY_SECRET stops here
    report_key = report_signing_key(settings)  # likewise GATEWAY_REPORT_SIGNING_KEY
    edge = Edge(settings)
    metrics = GatewayMetrics()
    owned_provider = trace_provider(settings) if tracer_provider is None else None
    tracer = app_tracer(tracer_provider or owned_provider)
    observer = GatewayObserver(metrics, tracer)
    schema = build_schema(
        [
            # Limits first: a hostile document is refused before the caches or the validator
            # spend anything on it.
            *edge.schema_extensions(),
            lambda: ShortParserCache(512, settings.document_cache_max_chars),
            lambda: ShortValidationCache(512, settings.document_cache_max_chars),
            ProvenanceExtension,
            PartialFailureExtension,
            OperationTally,
        ],
        federation=settings.federation,
    )

    def live_connectors() -> list[Connector]:
        state = getattr(app.state, "gateway", None)
        return state.connectors.all() if isinstance(state, GatewayState) else []

    app = Starlette(
        routes=[
            # Every method: the view answers the others 405 in JSON, as it answers everything.
            Route("/graphql", GraphQLView(schema, settings)),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            *web_routes(),
        ],
        lifespan=lifespan,
        middleware=[
            # /metrics first: a scrape is not a request to authenticate, limit or log.
            Middleware(
                MetricsEndpoint, metrics=metrics, settings=settings, connectors=live_connectors
            ),
            Middleware(RequestIdMiddleware),
            Middleware(AccessLogMiddleware, metrics=metrics, tracer=tracer),
            *edge.middleware(request_id=False),
        ],
    )
    app.state.metrics = metrics  # a feature with gauges of its own feeds them here
    return app
