"""ASGI middleware that authenticates every HTTP request before anything else runs.

The principal is stored in ``scope["state"]["principal"]`` (``request.state.principal``) and
read back with :func:`request_principal`; a refused credential ends the request with a 401
(``WWW-Authenticate: Bearer``) and a coded, Chinese error, before any route is called.

    Middleware(AuthenticationMiddleware, authenticator=auth, pool=lambda: db.pool)
"""

from __future__ import annotations

from collections.abc import Callable

import asyncpg
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from credit.access import Principal
from gateway.auth.authenticator import Authenticator
from gateway.auth.errors import AuthError, refusal

__all__ = ["AuthenticationMiddleware", "request_principal"]


class AuthenticationMiddleware:
    def __init__(
        self, app: ASGIApp, *, authenticator: Authenticator, pool: Callable[[], asyncpg.Pool]
    ) -> None:
        self.app = app
        self.authenticator = authenticator
        self.pool = pool

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            principal = await self.authenticator.authenticate(Headers(scope=scope), self.pool())
        except AuthError as exc:
            headers = (
                {"WWW-Authenticate": 'Bearer error="invalid_token"'} if exc.status == 401 else {}
            )
            response = refusal(scope, exc.status, exc.code, exc.message, headers=headers)
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


def request_principal(connection: HTTPConnection) -> Principal:
    """The principal the middleware stored; a missing one is a wiring bug, never anonymous."""
    principal = connection.scope.get("state", {}).get("principal")
    if not isinstance(principal, Principal):
        raise RuntimeError("no principal on the request: is AuthenticationMiddleware installed?")
    return principal
