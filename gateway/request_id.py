"""A request id on every request: the caller's ``X-Request-Id`` if sane, else a new one.

Sane: 8-64 characters of ``[A-Za-z0-9._-]`` that do not look like an ID or mobile number in
any form (:func:`~gateway.logs.looks_personal`) — the id is written to every log line and
echoed to the caller, so a personal number offered as one is replaced, never adopted.

It is stored in ``request.state.request_id``, echoed in the response header, put in every
GraphQL response's ``extensions.requestId`` and in every log line about the request.
"""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.logs import looks_personal

__all__ = ["RequestIdMiddleware"]

_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        sane = _SANE.match(offered) is not None and not looks_personal(offered)
        request_id = offered if sane else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-Id"] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)
