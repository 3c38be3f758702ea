"""A bulkhead per bureau: at most ``max_in_flight`` requests at once, at most ``max_queued``
waiting; one more fails at once with :class:`BulkheadFull` instead of piling up.

A slow bureau thus holds at most its own share of connections and coroutines, and the other
bureaus' calls are unaffected.

    async with bulkhead.slot():
        response = await client.request(...)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from connectors.errors import BulkheadFull

__all__ = ["Bulkhead"]


class Bulkhead:
    def __init__(self, source: str, *, max_in_flight: int, max_queued: int) -> None:
        self.source = source
        self._slots = asyncio.Semaphore(max_in_flight)
        self._max_queued = max_queued
        self._queued = 0
        self._in_flight = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def queued(self) -> int:
        return self._queued

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._slots.locked():
            if self._queued >= self._max_queued:
                raise BulkheadFull(self.source, "该部门接口排队请求过多，请稍后再试")
            self._queued += 1
            try:
                await self._slots.acquire()
            finally:
                self._queued -= 1
        else:
            await self._slots.acquire()
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            self._slots.release()
