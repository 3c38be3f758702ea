"""Rate limiting per principal (and per client address for the public): 429 ``RATE_LIMITED``.

Runs after :class:`~gateway.auth.middleware.AuthenticationMiddleware` (it reads the
principal).  Bucket per caller: a citizen by subject key, any other authenticated caller by
client id, an anonymous one by client address (behind a proxy, run uvicorn with
``--proxy-headers --forwarded-allow-ips`` so that address is the caller's).  The rate is the
client's own ``rate_limit_per_minute`` when it has one, else ``GATEWAY_RATE_LIMITS__<CLASS>``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from credit.access import Principal, PrincipalKind
from gateway.auth.errors import refusal
from gateway.limits.rate_limit import RateLimiter
from gateway.settings import RateLimits

__all__ = ["RateLimitMiddleware", "bucket_for", "caller_key", "client_address"]


def client_address(scope: Scope) -> str:
    """The caller's address as the server saw it: behind a trusted proxy, uvicorn's
    ``--proxy-headers`` has already put the ``X-Forwarded-For`` address here."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def caller_key(principal: Principal, address: str) -> str:
    """Who a request counts against: a citizen by subject key, any other authenticated caller
    by client id, an anonymous one by client address (the daily seal budget counts the same
    callers: :mod:`gateway.limits.seal_budget`)."""
    if principal.kind is PrincipalKind.CITIZEN:
        return f"citizen:{principal.subject_key}"
    if principal.client_id is not None:
        return f"client:{principal.client_id}"
    return f"addr:{address}"


def bucket_for(principal: Principal, address: str, limits: RateLimits) -> tuple[str, int]:
    """(bucket key, requests per minute) for one request."""
    default = getattr(limits, principal.rate_limit_class, limits.public)
    return caller_key(principal, address), principal.rate_limit_per_minute or int(default)


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RateLimiter,
        limits: RateLimits,
        paths: Iterable[str] = ("/graphql",),
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.limits = limits
        self.paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        principal = scope.get("state", {}).get("principal")
        if not isinstance(principal, Principal):
            raise RuntimeError("RateLimitMiddleware needs AuthenticationMiddleware outside it")
        key, per_minute = bucket_for(principal, client_address(scope), self.limits)
        decision = await self.limiter.take(key, per_minute=per_minute)
        if decision.allowed:
            await self.app(scope, receive, send)
            return
        wait = max(1, math.ceil(decision.retry_after_s))
        response = refusal(
            scope,
            429,
            "RATE_LIMITED",
            f"请求过于频繁，请在 {wait} 秒后重试",
            headers={"Retry-After": str(wait)},
            extra={"retryAfter": wait},
        )
        await response(scope, receive, send)
