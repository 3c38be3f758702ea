"""strawberry's ASGI view as the edge needs it: every answer is JSON with a stable code.

    class GraphQLView(EdgeView[GraphContext, None]): ...   # our context, our result shape
    Route("/graphql", GraphQLView(schema, ...))             # every method: this view answers

What strawberry answers in plain text (or with a 500) the edge answers with one JSON error in
the GraphQL-over-HTTP shape (:func:`~gateway.auth.errors.refusal`): a malformed request is
refused by :func:`~gateway.graphql_request.read_request` (400, or 405 for a method other than
GET and POST); a mutation over GET is 405 ``METHOD_NOT_ALLOWED`` with ``Allow: POST``; a
document without the named operation is ``OPERATION_NOT_FOUND``; an exception nobody expected
is logged with the request id and answered 500 ``INTERNAL`` — as JSON, on a connection that
stays open; a client gone before its body arrived is not an error of ours.

A top-level ``documentId`` (body or query string) is moved into ``extensions.documentId`` for
:class:`~gateway.limits.operation.OperationLimits` to resolve, and a GET naming a document runs
it rather than opening GraphiQL.

:meth:`EdgeView.request_error_status` is the one place that decides the status of a request
error (a document that does not parse or validate, variables that do not fit, an operation
that cannot be chosen): 200 for ``application/json``, 400 for
``application/graphql-response+json``, as GraphQL over HTTP asks; every answer carries the
type the client accepts (:mod:`gateway.media_types`).
"""

from __future__ import annotations

import logging
from typing import Any, Generic, TypeVar

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult

from gateway.auth.errors import refusal
from gateway.errors import internal_error_text
from gateway.graphql_request import RequestRefused, method_not_allowed, read_request
from gateway.media_types import MediaType, accepted

__all__ = ["EdgeView"]

log = logging.getLogger(__name__)

ContextT = TypeVar("ContextT")
RootT = TypeVar("RootT")

_METHODS = frozenset({"GET", "POST"})


class _SubResponse(Response):
    """strawberry's per-request response, knowing the media type the client accepts."""

    def __init__(self, media: MediaType) -> None:
        super().__init__()
        del self.headers["content-length"]  # its headers are copied onto the real response
        self.media = media


def _request_id(scope: Scope) -> str:
    return str(scope.get("state", {}).get("request_id", "-"))


class EdgeView(GraphQL[ContextT, RootT], Generic[ContextT, RootT]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=receive)
        try:
            if request.method not in _METHODS:
                raise method_not_allowed("GraphQL 只接受 GET（查询）和 POST 请求", "GET, POST")
            response = await self.run(request)
            if getattr(request.state, "request_error", False):
                response.status_code = self.request_error_status(request)
        except RequestRefused as refused:
            response = self.refused(scope, refused)
        except ClientDisconnect:  # gone before its body arrived: nobody to answer
            log.debug("client went away", extra={"request_id": _request_id(scope)})
            return
        except HTTPException as exc:  # one of strawberry's own, should any remain reachable
            response = self.refused(
                scope, RequestRefused("INVALID_REQUEST", exc.reason, status=exc.status_code)
            )
        except Exception:
            request_id = _request_id(scope)
            log.exception("unexpected error at the edge", extra={"request_id": request_id})
            response = self.refused(
                scope, RequestRefused("INTERNAL", internal_error_text(request_id), status=500)
            )
        await response(scope, receive, send)

    def refused(self, scope: Scope, refused: RequestRefused) -> Response:
        return refusal(
            scope,
            refused.status,
            refused.code,
            refused.message,
            headers=refused.headers,
            extra=refused.extra,
        )

    def request_error_status(self, request: Request) -> int:
        """The status of an answer whose errors kept the operation from running at all:
        200 for ``application/json`` (the errors are in the body), 400 for
        ``application/graphql-response+json`` (:mod:`gateway.media_types`)."""
        return accepted(request.headers.get("accept")).request_error_status

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        return _SubResponse(accepted(request.headers.get("accept")))

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if isinstance(sub_response, _SubResponse):
            response.headers["content-type"] = sub_response.media.content_type
        return response

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A browser's GET without a query, where the mode offers GraphiQL: ``Accept`` names
        HTML (strawberry would also answer ``*/*``, so ``curl`` got a page, not an error)."""
        params = request.query_params
        if params.get("documentId") is not None or params.get("extensions") is not None:
            return False
        return (
            self.graphql_ide is not None
            and "text/html" in request.headers.get("accept", "")
            and bool(super().should_render_graphql_ide(request))
        )

    async def parse_http_body(self, request: Any) -> GraphQLRequestData:
        body = await request.get_body() if request.method == "POST" else b""
        return read_request(request.method, body, request.query_params)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: ContextT,
        root_value: RootT | None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            result = await super().execute_single(
                request=request,
                request_adapter=request_adapter,
                sub_response=sub_response,
                context=context,
                root_value=root_value,
                request_data=request_data,
            )
        except HTTPException as exc:
            cause = exc.__cause__
            if isinstance(cause, InvalidOperationTypeError):
                raise method_not_allowed(
                    "GET 只能执行查询（query）；变更（mutation）请用 POST"
                ) from None
            if isinstance(cause, CannotGetOperationTypeError):
                raise RequestRefused(
                    "OPERATION_NOT_FOUND",
                    "无法确定要执行的操作：operationName 与文档中的操作不符，"
                    "或文档含多个操作而未给出 operationName",
                    status=self.request_error_status(request),
                ) from None
            raise
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            request.state.request_error = True  # nothing ran: __call__ asks the status hook
        return result
