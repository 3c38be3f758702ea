"""A clock the test moves by hand: wall and monotonic time advance together, sleeps are free."""

from __future__ import annotations

import asyncio
import datetime as dt

__all__ = ["FakeClock"]

START = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)


class FakeClock:
    """Satisfies ``connectors.clock.Clock``; ``sleeps`` records every backoff asked for."""

    def __init__(self, start: dt.datetime = START) -> None:
        self._start = start
        self._elapsed = 0.0
        self.sleeps: list[float] = []

    def now(self) -> dt.datetime:
        return self._start + dt.timedelta(seconds=self._elapsed)

    def monotonic(self) -> float:
        return 1_000.0 + self._elapsed

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)  # still a suspension point, as a real sleep is

    def advance(self, seconds: float) -> None:
        self._elapsed += seconds
