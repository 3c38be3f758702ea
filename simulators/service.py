"""What every bureau simulator shares: API-key check, faults and counters, and the ASGI app.

A bureau subclasses :class:`BureauService`, names itself, and lists its routes; each route
handler is wrapped so the call is logged (``simulators.calls``, with the caller's W3C
``traceparent``), the key checked, the call counted and the configured faults applied before
the handler runs.  A bureau with its own way of presenting the key overrides
:meth:`~BureauService.authenticated` and :meth:`~BureauService.unauthorised`; the control routes
(``/_control/...``) accept the key in ``X-Api-Key`` on every bureau as well, so tests and
benchmarks drive all seven the same way.  Consent-gated bureaus (tax, hrss, utilities) subclass
:class:`ConsentGatedService`, which checks a per-subject token (:mod:`credit.authorisation`).

    class Market(BureauService):
        name = "market"
        def routes(self) -> list[Route]: ...
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.authorisation import verify_subject_token
from simulators.behaviour import BehaviourState
from simulators.rights import rights_routes

if TYPE_CHECKING:
    from simulators.world import World

__all__ = [
    "MAX_BATCH",
    "BureauService",
    "Clock",
    "ConsentGatedService",
    "Handler",
    "Simulator",
    "utc_now",
]

log = logging.getLogger("simulators.calls")

Handler = Callable[[Request], Awaitable[Response]]
Clock = Callable[[], dt.datetime]
MAX_BATCH = 100  # every bureau's batch limit: more subjects in one call is a 4xx


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class BureauService:
    """Base of the seven bureau simulators."""

    name = "bureau"
    api_key_header = "X-Api-Key"

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.state = BehaviourState()

    def routes(self) -> list[Route]:
        raise NotImplementedError

    def key_matches(self, presented: str) -> bool:
        """Constant-time comparison with this bureau's key."""
        return hmac.compare_digest(presented.encode(), self.api_key.encode())

    def authenticated(self, request: Request) -> bool:
        return self.key_matches(request.headers.get(self.api_key_header, ""))

    def control_authenticated(self, request: Request) -> bool:
        return self.key_matches(request.headers.get("X-Api-Key", "")) or self.authenticated(request)

    def unauthorised(self) -> Response:
        return JSONResponse({"error": "invalid api key"}, status_code=401)

    def route(self, path: str, handler: Handler, *, name: str, methods: list[str]) -> Route:
        """A counted, fault-injected, key-checked route."""

        async def endpoint(request: Request) -> Response:
            # The caller's W3C trace context, so a bureau call can be found in its trace.
            log.info(
                "bureau call",
                extra={
                    "bureau": self.name,
                    "route": name,
                    "traceparent": request.headers.get("traceparent"),
                },
            )
            if not self.authenticated(request):
                return self.unauthorised()
            faulted = await self.state.intercept(name, request)
            return faulted if faulted is not None else await handler(request)

        return Route(path, endpoint, methods=methods, name=name)

    def _control(self, handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            if not self.control_authenticated(request):
                return self.unauthorised()
            return await handler(request)

        return endpoint

    def app(self) -> Starlette:
        control = [
            Route("/_control/behaviour", self._control(self.state.set_behaviour), methods=["POST"]),
            Route("/_control/stats", self._control(self.state.stats), methods=["GET"]),
            Route("/_control/reset", self._control(self.state.reset_route), methods=["POST"]),
        ]
        return Starlette(routes=[*control, *self.routes(), *self.extra_routes()])

    def extra_routes(self) -> list[Route]:
        """Routes every bureau of a world shares (the rights decisions, simulators.rights)."""
        world = getattr(self, "world", None)
        return rights_routes(self, world.amendments) if world is not None else []


class ConsentGatedService(BureauService):
    """A bureau that serves a subject's data only with that subject's authorisation token."""

    scope = ""  # "tax", "hrss" or "utilities" (credit.authorisation.AuthorisationScope)

    def __init__(self, api_key: str, secret: bytes, *, clock: Clock = utc_now) -> None:
        super().__init__(api_key)
        self.secret = secret
        self.clock = clock

    def consented(self, subject: str, token: object) -> bool:
        """Whether ``token`` authorises this bureau's scope on ``subject`` right now."""
        if not isinstance(token, str) or not token:
            return False
        return verify_subject_token(
            self.secret, token, subject=subject, scope=self.scope, now=self.clock()
        )


@dataclass(frozen=True)
class Simulator:
    """What a simulator module declares (``SIMULATOR``); :mod:`simulators.runner` finds it.

    ``build(world, api_key, token_secret)`` makes the service; ``gated`` bureaus verify subject
    tokens signed with ``token_secret`` (the others ignore it).
    """

    name: str
    build: Callable[[World, str, bytes], BureauService]
    gated: bool = False
