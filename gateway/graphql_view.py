"""The GraphQL-over-HTTP endpoint: the edge's view with our context and result shape.

POST with a JSON body runs any operation; GET runs queries only (a mutation over GET is 405);
a browser asking for HTML gets GraphiQL when the mode allows it.  Malformed requests are
refused in :class:`~gateway.edge_view.EdgeView`; each error of a result is shaped by
:func:`~gateway.errors.format_error`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.base import BaseSchema
from strawberry.types.execution import ExecutionResult
from strawberry.types.unset import UNSET

from connectors.http import utc_now
from credit.purposes import Purpose
from gateway.access_log import note_result
from gateway.audit import AuditWriteFailed
from gateway.auth.middleware import request_principal
from gateway.binding import BindingService
from gateway.edge_view import EdgeView
from gateway.errors import format_error
from gateway.financing import GatewayFinancing
from gateway.limits.rate_middleware import caller_key, client_address
from gateway.limits.trusted_documents import DocumentRegistry, requested_hash
from gateway.media_types import MediaType, accepted
from gateway.precheck_workflow import PrecheckWorkflow
from gateway.reports import issuer_for
from gateway.request_access import GatewayAccess
from gateway.request_tally import current_tally
from gateway.response_cache import cacheable_document
from gateway.rights.service import GatewayRights
from gateway.settings import Settings, person_key_secret
from gateway.state import gateway_state
from gateway.web import graphiql_html
from resolvers.context import GraphContext, GraphLimits
from resolvers.data import ProvenanceLog

log = logging.getLogger(__name__)

__all__ = ["GraphQLView", "PartialFailureExtension", "ProvenanceExtension"]


def provenance_extension(log: ProvenanceLog, now: dt.datetime) -> list[dict[str, Any]]:
    """One entry per source answer, with the response paths it fed."""
    paths: dict[Any, list[str]] = defaultdict(list)
    for provenance, path in log.entries:
        paths[provenance].append(path)
    return [
        {
            "source": p.source,
            "fetchedAt": p.fetched_at.isoformat(),
            "ageSeconds": round(p.age_s(now), 3),
            "cached": p.cached,
            "stale": p.stale,
            "paths": sorted(set(fed)),
        }
        for p, fed in paths.items()
    ]


PURPOSE_HEADER = "x-purpose"
AUDIT_UNAVAILABLE_TEXT = "查询记录写入失败，为保护信息主体权益，本次数据不予返回，请稍后重试"


def stated_purpose(request: Request | WebSocket) -> str | None:
    """The purpose the caller states (``X-Purpose: LOAN_PRECHECK``), as its Chinese text."""
    name = request.headers.get(PURPOSE_HEADER, "").strip().upper()
    return Purpose[name].value if name in Purpose.__members__ else None


class GraphQLView(EdgeView[GraphContext, None]):
    def __init__(self, schema: BaseSchema, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.mode == "demo" else None,
            allow_queries_via_get=True,
        )

    @property
    def graphql_ide_html(self) -> str:
        return graphiql_html()  # served from the gateway itself, not a CDN

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def run(  # type: ignore[override]
        self,
        request: Request | WebSocket,
        context: GraphContext = UNSET,
        root_value: None = UNSET,
    ) -> Response | WebSocket:
        if isinstance(request, Request):
            kept = await self._kept_answer(request)
            if kept is not None:
                return kept
        return await super().run(request, context, root_value)

    async def _kept_answer(self, request: Request) -> Response | None:
        """The public's answer kept from an identical earlier request, if any
        (:mod:`gateway.response_cache`); notes the request's key for :meth:`_keep`."""
        state = gateway_state(request)
        cache = state.responses
        if cache is None or not cache.active or request.method not in ("GET", "POST"):
            return None
        media = accepted(request.headers.get("accept"))
        key = cache.key(
            request_principal(request),
            request.method,
            await request.body() if request.method == "POST" else b"",
            request.url.query,
            media.content_type,
            state.today(),
        )
        if key is None:
            return None
        request.state.response_key = (key, cache.generation)
        kept = await cache.get(key)
        if kept is None:
            return None
        answer = kept.body(request.state.request_id, utc_now())
        tally = current_tally()
        if tally is not None:  # the access log and metrics count it like any answer
            tally.graphql = True
            tally.operation = kept.operation
            tally.cache_hits += len(kept.sources)
            note_result(answer)
        return Response(self.encode_json(answer), media_type=media.content_type)

    async def _keep(self, request: Request, result: ExecutionResult) -> None:
        """Keep this answer for the public's next identical request, when it may be kept."""
        state = gateway_state(request)
        cache = state.responses
        context = getattr(request.state, "graph_context", None)
        access = getattr(request.state, "access", None)
        if cache is None or not isinstance(context, GraphContext) or access is None:
            return
        key, generation = request.state.response_key
        document = await _document_of(request, state.edge.documents)
        limit = state.settings.document_cache_max_chars
        if document is None or not cacheable_document(*document, max_chars=limit):
            return
        entries = context.provenance.entries
        if not cache.admits(
            data=result.data,
            errors=bool(result.errors),
            provenance=entries,
            shown_subjects=list(context.shown_records),
            gated_or_audited=access.read_personal_data,
        ):
            return
        tally = current_tally()
        kept = cache.kept(
            result.data,
            result.extensions or {},
            entries,
            generation,
            operation=tally.operation if tally is not None else None,
        )
        if kept is not None:
            await cache.put(key, kept)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> GraphContext:
        state = gateway_state(request)
        settings = state.settings
        access = GatewayAccess(
            principal=request_principal(request),
            purpose=stated_purpose(request),
            pool=state.database.pool,
            settings=settings,
            person_secret=person_key_secret(settings),
            revocations=state.edge.revocations,
            request_id=request.state.request_id,
            clock=utc_now,
        )
        request.state.access = access  # the audit rows are written in process_result
        request.state.graph_context = context = GraphContext.build(
            connectors=state.connectors,
            today=state.today(),
            policy=settings.publicity,
            request_id=request.state.request_id,
            deadline_s=settings.request_deadline_s,
            limits=GraphLimits(
                max_page_size=settings.max_page_size,
                max_public_seals=settings.public_seals_per_request,
            ),
            access=access,
            binding=BindingService.for_gateway(state),
            financing=GatewayFinancing.for_request(
                state, access.principal, request.state.request_id
            ),
            reports=issuer_for(
                state,
                access.principal,
                caller_key(access.principal, client_address(request.scope)),
                request.state.request_id,
            ),
            rights=GatewayRights.for_request(state, access.principal, request.state.request_id),
        )
        context.prechecks = PrecheckWorkflow.for_context(context)
        return context

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        request_id: str = request.state.request_id
        access: GatewayAccess | None = getattr(request.state, "access", None)
        if access is not None and result.data is not None:
            try:
                await access.flush_audit()
            except AuditWriteFailed:
                # The law's order: record the look, then show the data.  No record, no data.
                log.exception(
                    "audit write failed; response withheld", extra={"request_id": request_id}
                )
                withheld: GraphQLHTTPResponse = {
                    "data": None,
                    "errors": [
                        {
                            "message": AUDIT_UNAVAILABLE_TEXT,
                            "extensions": {"code": "AUDIT_UNAVAILABLE"},
                        }
                    ],
                    "extensions": {"requestId": request_id},
                }
                note_result(withheld)
                return withheld
        body: GraphQLHTTPResponse = {"data": result.data}
        if getattr(request.state, "request_error", False) and (
            accepted(request.headers.get("accept")) is MediaType.GRAPHQL_RESPONSE
        ):
            del body["data"]  # nothing ran: under the new media type, a request error has none
        if result.errors:
            body["errors"] = [format_error(e, request_id) for e in result.errors]
        body["extensions"] = {"requestId": request_id, **(result.extensions or {})}
        note_result(body)
        if getattr(request.state, "response_key", None) is not None:
            await self._keep(request, result)
        return body


async def _document_of(
    request: Request, documents: DocumentRegistry
) -> tuple[str, str | None] | None:
    """(document text, operation name) of a single request, its document id resolved."""
    if request.method == "POST":
        try:
            params = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return None
    else:
        params = dict(request.query_params)
    if not isinstance(params, dict):
        return None  # a batch: never kept
    name = params.get("operationName")
    text = params.get("query")
    if not isinstance(text, str):
        extensions = params.get("extensions")
        wanted = params.get("documentId")
        sha = (
            wanted.removeprefix("sha256:").lower()
            if isinstance(wanted, str)
            else requested_hash(extensions if isinstance(extensions, dict) else None)
        )
        text = await documents.get(sha) if sha else None
    if not isinstance(text, str) or not (name is None or isinstance(name, str)):
        return None
    return text, name


class ProvenanceExtension(SchemaExtension):
    """Adds ``extensions.provenance``: every source that fed this response, and where."""

    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        if not isinstance(context, GraphContext) or not context.provenance.entries:
            return {}
        return {"provenance": provenance_extension(context.provenance, utc_now())}


class PartialFailureExtension(SchemaExtension):
    """Adds an error for each source that failed under a field that still resolved.

    A records list shows what the healthy sources gave; this error (``SOURCE_UNAVAILABLE`` or
    ``SOURCE_TIMEOUT`` with ``source``, at the list's path) says what is missing from it.
    """

    def on_execute(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        if not isinstance(context, GraphContext) or result is None:
            return
        if not context.partial_failures:
            return
        added = [
            GraphQLError(
                f"部分数据缺失：{failure.error.source} 未能提供数据",
                path=list(failure.path),
                original_error=failure.error,
            )
            for failure in context.partial_failures
        ]
        result.errors = [*(result.errors or []), *added]
