"""A circuit breaker per bureau: stop calling a bureau that is failing, probe it later.

    closed ──(N consecutive failures, or failure share ≥ rate over the window)──▶ open
    open ──(cool-down elapsed)──▶ half-open: one probe call goes through, others fail fast
    half-open ──probe succeeds──▶ closed          half-open ──probe fails──▶ open (again)

Usage wraps each upstream attempt::

    async with breaker.guard():     # raises BreakerOpen at once while open
        ...                         # the outcome is judged from the exception, if any

A failure is a :class:`SourceUnavailable` (timeout, connection, 5xx, 429) or a
:class:`SourceProtocolError` from the attempt.  A 4xx (:class:`SourceRejected`), our own
:class:`BulkheadFull`, and cancellation are neutral: the bureau answered, or was never asked.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import AsyncIterator
from enum import StrEnum

from connectors.clock import Clock
from connectors.config import BureauConfig
from connectors.errors import (
    BreakerOpen,
    BulkheadFull,
    SourceProtocolError,
    SourceUnavailable,
)

__all__ = ["BreakerState", "CircuitBreaker"]


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(self, source: str, config: BureauConfig, clock: Clock) -> None:
        self.source = source
        self._clock = clock
        self._failures_to_open = config.breaker_failures
        self._error_rate = config.breaker_error_rate
        self._window_s = config.breaker_window_s
        self._min_calls = config.breaker_min_calls
        self._cooldown_s = config.breaker_cooldown_s
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._outcomes: deque[tuple[float, bool]] = deque()  # (when, failed) inside the window
        self._failures = 0  # how many of _outcomes failed (kept, not counted on every call)
        self._opened_at = 0.0
        self._probing = False

    def reset(self) -> None:
        """Close the breaker and forget its history (an operator's override; test isolation)."""
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._outcomes.clear()
        self._failures = 0
        self._opened_at = 0.0
        self._probing = False

    @property
    def state(self) -> BreakerState:
        if (
            self._state is BreakerState.OPEN
            and self._clock.monotonic() - self._opened_at >= self._cooldown_s
        ):
            return BreakerState.HALF_OPEN
        return self._state

    def _admit(self) -> bool:
        """May an attempt go out now?  Reserves the probe in half-open."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._probing:
            self._state = BreakerState.HALF_OPEN
            self._probing = True
            return True
        return False

    @contextlib.asynccontextmanager
    async def guard(self) -> AsyncIterator[None]:
        if not self._admit():
            remaining = self._cooldown_s - (self._clock.monotonic() - self._opened_at)
            raise BreakerOpen(
                self.source,
                "熔断中：该部门接口近期连续失败，暂停调用",
                retry_after=max(0.0, remaining),
            )
        probe = self._state is BreakerState.HALF_OPEN
        try:
            yield
        except (SourceProtocolError, SourceUnavailable) as exc:
            if isinstance(exc, BulkheadFull):
                self._release(probe)
            else:
                self._record(failed=True, probe=probe)
            raise
        except BaseException:
            self._release(probe)
            raise
        else:
            self._record(failed=False, probe=probe)

    def _release(self, probe: bool) -> None:
        if probe:
            self._probing = False

    def _record(self, *, failed: bool, probe: bool) -> None:
        now = self._clock.monotonic()
        if probe:
            self._probing = False
            self._outcomes.clear()
            self._failures = 0
            self._consecutive = 0
            if failed:
                self._open(now)
            else:
                self._state = BreakerState.CLOSED
            return
        if self._state is not BreakerState.CLOSED:
            return  # a straggler from before the breaker opened: the probe decides
        self._outcomes.append((now, failed))
        self._failures += failed
        while self._outcomes and self._outcomes[0][0] <= now - self._window_s:
            self._failures -= self._outcomes.popleft()[1]
        self._consecutive = self._consecutive + 1 if failed else 0
        failures = self._failures
        if self._consecutive >= self._failures_to_open or (
            len(self._outcomes) >= self._min_calls
            and failures / len(self._outcomes) >= self._error_rate
        ):
            self._open(now)

    def _open(self, now: float) -> None:
        self._state = BreakerState.OPEN
        self._opened_at = now
        self._consecutive = 0
        self._outcomes.clear()
        self._failures = 0
