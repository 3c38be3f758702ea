"""Runtime-switchable faults and a call counter, shared by every bureau simulator.

Tests and benchmarks flip behaviour per bureau, in-process or over HTTP::

    POST /_control/behaviour {"latency_ms": [20, 80], "error_rate": 0.1}
    GET  /_control/stats     -> {"calls": 3, "by_route": {"enterprise.batch": 1, ...}}
    POST /_control/reset

Control routes need the bureau's API key — in ``X-Api-Key`` on every bureau, or in the
bureau's own style — and are not counted.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

__all__ = ["Behaviour", "BehaviourState"]


@dataclass
class Behaviour:
    """What the bureau does to the next requests.  All off by default."""

    latency_ms: tuple[float, float] = (0.0, 0.0)  # uniform in [min, max] before answering
    error_rate: float = 0.0  # share of requests answered 500
    fail_next: int = 0  # the next N requests get 503 (then normal): "5xx then success"
    hang: bool = False  # accept and never answer
    malformed: bool = False  # 200 with a body that is not the bureau's format
    throttle_next: int = 0  # the next N requests get 429 ...
    retry_after_s: float = 1.0  # ... with this Retry-After
    down: bool = False  # every request gets 503 "系统维护中"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Behaviour:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown behaviour fields: {sorted(unknown)}")
        values = dict(data)
        if "latency_ms" in values:
            low, high = values["latency_ms"]
            values["latency_ms"] = (float(low), float(high))
        return cls(**values)


SEED = 7
"""Seeds the draws of latencies and of which requests an ``error_rate`` fails."""


@dataclass
class BehaviourState:
    """The live behaviour and counters of one simulator instance."""

    behaviour: Behaviour = field(default_factory=Behaviour)
    calls: Counter[str] = field(default_factory=Counter)
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def reset(self) -> None:
        """Back to how the simulator started: no faults, no calls, and the same draws to come
        (a test or benchmark phase after a reset does not depend on what ran before it)."""
        self.behaviour = Behaviour()
        self.calls.clear()
        self.rng.seed(SEED)

    async def intercept(self, route: str, request: Request | None = None) -> Response | None:
        """Count the call, apply faults; a response here replaces the real answer."""
        self.calls[route] += 1
        b = self.behaviour
        low, high = b.latency_ms
        if high > 0:
            await asyncio.sleep(self.rng.uniform(low, high) / 1000)
        if b.hang:
            # Hold the request open until the client gives up (then the handler ends, instead
            # of lingering until shutdown).
            if request is None:
                await asyncio.Event().wait()  # until cancelled
            else:
                while (await request.receive())["type"] != "http.disconnect":
                    pass  # the body's chunks; the next message after them is the disconnect
            return Response(status_code=499)
        if b.down:
            return PlainTextResponse("系统维护中", status_code=503)
        if b.throttle_next > 0:
            b.throttle_next -= 1
            return PlainTextResponse(
                "too many requests",
                status_code=429,
                headers={"Retry-After": f"{b.retry_after_s:g}"},
            )
        if b.fail_next > 0:
            b.fail_next -= 1
            return PlainTextResponse("upstream failure", status_code=503)
        if b.error_rate > 0 and self.rng.random() < b.error_rate:
            return PlainTextResponse("internal error", status_code=500)
        if b.malformed:
            return Response(b'{"unexpected": [1, 2', media_type="application/json")
        return None

    # --- control routes -------------------------------------------------------------------

    async def set_behaviour(self, request: Request) -> Response:
        try:
            self.behaviour = Behaviour.from_json(await request.json())
        except (ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(asdict(self.behaviour))

    async def stats(self, request: Request) -> Response:
        return JSONResponse({"calls": self.total_calls, "by_route": dict(self.calls)})

    async def reset_route(self, request: Request) -> Response:
        self.reset()
        return JSONResponse({"ok": True})
