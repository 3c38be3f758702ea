"""Refuse oversized and non-JSON request bodies before the GraphQL view reads them.

:class:`BodyLimitMiddleware` answers 413 ``PAYLOAD_TOO_LARGE`` at once when ``Content-Length``
is over the limit (nothing of the body is read), and stops a body without a length (chunked)
as soon as what arrived passes the limit — the app never gets more than that.
:class:`JsonContentTypeMiddleware` answers 415 ``UNSUPPORTED_MEDIA_TYPE`` to a POST that is
not ``application/json`` (GraphQL over HTTP; GET carries queries in the query string).
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.auth.errors import refusal

__all__ = ["BodyLimitMiddleware", "JsonContentTypeMiddleware"]


class _TooLarge(Exception):
    pass


def _too_large_message(limit: int) -> str:
    return f"请求体过大：最多 {limit} 字节"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _TooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = refusal(
            scope,
            413,
            "PAYLOAD_TOO_LARGE",
            _too_large_message(self.max_bytes),
            headers={"Connection": "close"},
            extra={"maximum": self.max_bytes},
        )
        await response(scope, receive, send)


class JsonContentTypeMiddleware:
    def __init__(self, app: ASGIApp, *, paths: Iterable[str] = ("/graphql",)) -> None:
        self.app = app
        self.paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in self.paths:
            media_type = Headers(scope=scope).get("content-type", "").split(";")[0].strip()
            if media_type.lower() != "application/json":
                response = refusal(
                    scope,
                    415,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "请求体须为 JSON：请设置 Content-Type: application/json",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
