"""Time, injected: wall time for provenance, monotonic time for TTLs and breakers, and sleep.

Every connector, cache, breaker and retry loop takes a :class:`Clock` instead of calling
``time``/``asyncio.sleep`` itself, so tests drive time by hand (STYLE.md §3)::

    clock = SystemClock()
    clock.now()          # 2026-11-22 08:27:52+00:00 (UTC, aware)
    clock.monotonic()    # seconds, only differences mean anything
    await clock.sleep(0.05)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Protocol

__all__ = ["SYSTEM_CLOCK", "Clock", "SystemClock", "utc_now"]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Clock(Protocol):
    """The three faces of time a connector needs."""

    def now(self) -> dt.datetime:
        """Aware UTC wall time: what provenance records."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back: what TTLs, windows and cool-downs use."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait (backoff between retries)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        return utc_now()

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


SYSTEM_CLOCK = SystemClock()
