"""The operator's view of each request: one access-log line, a server span, request metrics.

    middleware = [Middleware(MetricsEndpoint, metrics=..., settings=..., connectors=...),
                  Middleware(RequestIdMiddleware),
                  Middleware(AccessLogMiddleware, metrics=..., tracer=...),
                  *edge.middleware(request_id=False)]

:class:`AccessLogMiddleware` sits inside the request id and outside authentication, so a
refusal (401, 413, 429) is logged like an answer.  It opens the request's
:class:`~gateway.request_tally.RequestTally`, continues the caller's W3C trace (or starts one)
with a server span, and when the response is over writes one line to the ``gateway.access``
logger::

    {"msg": "request", "request_id": "…", "method": "POST", "path": "/graphql", "status": 200,
     "duration_ms": 12.3, "principal_kind": "bank", "principal_id": "<client id>",
     "operation": "EnterpriseReport", "outcome": "ok", "bureaus": ["court", "market"],
     "cache_hits": 3, "trace_id": "…"}

It never holds an ID number or a phone: the principal is its kind and client id, and every
value passes :func:`gateway.logs.redact`.  :class:`OperationTally` (a schema extension) and
:func:`note_result` (called by the GraphQL view) fill in what only GraphQL knows.

:class:`MetricsEndpoint` answers ``GET /metrics`` before anything else runs: with
``GATEWAY_METRICS_KEY`` set, to ``Authorization: Bearer <that key>`` only; without it, to
everyone in demo mode and to nobody (404) in production.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from opentelemetry.trace import SpanKind, Tracer, format_trace_id
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from connectors.protocol import Connector
from credit.access import Principal, PrincipalKind
from gateway.auth.errors import refusal
from gateway.metrics import GatewayMetrics, request_outcome
from gateway.request_tally import current_tally, tallying
from gateway.settings import Settings
from gateway.tracing import REQUEST_ID_ATTRIBUTE, extract_trace_context

__all__ = [
    "METRICS_PATH",
    "AccessLogMiddleware",
    "MetricsEndpoint",
    "OperationTally",
    "note_result",
    "principal_kind",
]

log = logging.getLogger("gateway.access")

METRICS_PATH = "/metrics"


def principal_kind(principal: object) -> str:
    """``public``, ``bot`` (the bot's key without a citizen), ``citizen``, ``bank``, ...;
    ``unauthenticated`` when the request was refused before a principal was known."""
    if not isinstance(principal, Principal):
        return "unauthenticated"
    if principal.kind is PrincipalKind.PUBLIC and principal.via_bot:
        return "bot"
    return principal.kind.value


class AccessLogMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: GatewayMetrics,
        tracer: Tracer,
        graphql_path: str = "/graphql",
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.tracer = tracer
        self.graphql_path = graphql_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        request_id = str(state.get("request_id") or "-")
        method, path = scope["method"], scope["path"]
        status = 500  # unless a response starts

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        with (
            tallying(request_id) as tally,
            self.tracer.start_as_current_span(
                f"{method} {path}",
                context=extract_trace_context(Headers(scope=scope)),
                kind=SpanKind.SERVER,
                attributes={
                    REQUEST_ID_ATTRIBUTE: request_id,
                    "http.request.method": method,
                    "url.path": path,
                },
            ) as span,
        ):
            try:
                await self.app(scope, receive, send_status)
            finally:
                seconds = time.perf_counter() - started
                principal = state.get("principal")
                kind = principal_kind(principal)
                span.set_attribute("http.response.status_code", status)
                span.set_attribute("creditgw.principal_kind", kind)
                if tally.operation is not None:
                    span.set_attribute("graphql.operation.name", tally.operation)
                fields: dict[str, Any] = {
                    "request_id": request_id,
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "principal_kind": kind,
                    "principal_id": getattr(principal, "client_id", None),
                    "bureaus": tally.bureaus(),
                    "cache_hits": tally.cache_hits,
                }
                if path == self.graphql_path:
                    self.metrics.record_request(
                        tally, principal_kind=kind, status=status, seconds=seconds
                    )
                    fields["operation"] = tally.operation or "-"
                    fields["outcome"] = request_outcome(tally, status)
                context = span.get_span_context()
                if context.is_valid:
                    fields["trace_id"] = format_trace_id(context.trace_id)
                log.info("request", extra=fields)


class OperationTally(SchemaExtension):
    """Notes the operation's name on the request's tally (for the log, metrics and span)."""

    def on_operation(self) -> Iterator[None]:
        yield
        tally = current_tally()
        if tally is not None:
            tally.graphql = True
            tally.operation = self.execution_context.operation_name


def note_result(body: Mapping[str, Any]) -> None:
    """What a GraphQL answer carried: data or not, its error codes, refused consent scopes."""
    tally = current_tally()
    if tally is None:
        return
    tally.has_data = body.get("data") is not None
    for error in body.get("errors") or ():
        extensions = error.get("extensions") or {}
        code = str(extensions.get("code", ""))
        tally.error_codes.append(code)
        if code == "CONSENT_REQUIRED":
            tally.consent_refusals[str(extensions.get("scope", "")).lower() or "none"] += 1


class MetricsEndpoint:
    """``GET /metrics``, answered before the request id, authentication and rate limits."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: GatewayMetrics,
        settings: Settings,
        connectors: Callable[[], Iterable[Connector]],
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.key = settings.metrics_key
        self.open = settings.metrics_key is None and settings.mode == "demo"
        self.connectors = connectors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != METRICS_PATH:
            await self.app(scope, receive, send)
            return
        response = await self._answer(scope)
        await response(scope, receive, send)

    async def _answer(self, scope: Scope) -> Response:
        if self.key is None and not self.open:
            return refusal(scope, 404, "NOT_FOUND", "未启用指标接口（GATEWAY_METRICS_KEY）")
        if scope["method"] not in ("GET", "HEAD"):
            return refusal(
                scope, 405, "METHOD_NOT_ALLOWED", "指标接口只接受 GET", headers={"Allow": "GET"}
            )
        if self.key is not None:
            offered = Headers(scope=scope).get("authorization", "")
            expected = f"Bearer {self.key.get_secret_value()}"
            if not hmac.compare_digest(offered.encode(), expected.encode()):
                return refusal(
                    scope,
                    401,
                    "UNAUTHENTICATED",
                    "读取指标需要运维指标密钥（Authorization: Bearer …）",
                    headers={"WWW-Authenticate": "Bearer"},
                )
        body, content_type = await self.metrics.exposition(self.connectors())
        return Response(body, media_type=content_type)
