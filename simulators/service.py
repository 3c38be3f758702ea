"""What every bureau simulator shares: API-key check, faults and counters, and the ASGI app.

A bureau subclasses :class:`BureauService`, names itself, and lists its routes; each route
handler is wrapped so the key is checked, the call counted and the configured faults applied
before the handler runs.

    class Market(BureauService):
        name = "market"
        def routes(self) -> list[Route]: ...
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulators.behaviour import BehaviourState

__all__ = ["BureauService", "Handler"]

Handler = Callable[[Request], Awaitable[Response]]


class BureauService:
    """Base of the seven bureau simulators."""

    name = "bureau"
    api_key_header = "X-Api-Key"

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.state = BehaviourState()

    def routes(self) -> list[Route]:
        raise NotImplementedError

    def authenticated(self, request: Request) -> bool:
        presented = request.headers.get(self.api_key_header, "")
        return hmac.compare_digest(presented.encode(), self.api_key.encode())

    def unauthorised(self) -> Response:
        return JSONResponse({"error": "invalid api key"}, status_code=401)

    def route(self, path: str, handler: Handler, *, name: str, methods: list[str]) -> Route:
        """A counted, fault-injected, key-checked route."""

        async def endpoint(request: Request) -> Response:
            if not self.authenticated(request):
                return self.unauthorised()
            faulted = await self.state.intercept(name)
            return faulted if faulted is not None else await handler(request)

        return Route(path, endpoint, methods=methods, name=name)

    def _control(self, handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            if not self.authenticated(request):
                return self.unauthorised()
            return await handler(request)

        return endpoint

    def app(self) -> Starlette:
        control = [
            Route("/_control/behaviour", self._control(self.state.set_behaviour), methods=["POST"]),
            Route("/_control/stats", self._control(self.state.stats), methods=["GET"]),
            Route("/_control/reset", self._control(self.state.reset_route), methods=["POST"]),
        ]
        return Starlette(routes=[*control, *self.routes()])
