"""One DataLoader over one connector batch method, bounded by the request's deadline.

All loads of a tick are batched into one connector call (one upstream call per bureau per
batch).  A failed batch still delivers what it could (answers for some subjects, stale ones
from cache) and fails only the subjects it could not serve (:func:`connectors.protocol.settle`),
so each field that needed that source fails alone.  The deadline is the request's, not the
call's: whatever a bureau does, no load waits past it.

    loader = SourceLoader("market", connectors.market.registrations, deadline)
    sourced = await loader.load("91640104…")   # Sourced[Registration] | None
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Generic, TypeVar

from strawberry.dataloader import DataLoader

from connectors.errors import SourceTimeout
from connectors.protocol import settle
from connectors.provenance import Sourced

__all__ = ["Deadline", "SourceLoader", "deadline_passed"]

T = TypeVar("T")
_TOO_LATE = "在本次请求的时限内未获应答"


def deadline_passed(source: str) -> SourceTimeout:
    """The error of a source the request's deadline stopped waiting for."""
    return SourceTimeout(source, _TOO_LATE)


class Deadline:
    """A point on the event loop's clock after which no bureau is waited for."""

    def __init__(self, seconds: float) -> None:
        self.at = asyncio.get_running_loop().time() + seconds

    def remaining(self) -> float:
        return max(0.0, self.at - asyncio.get_running_loop().time())

    async def bound(self, source: str, call: Awaitable[T]) -> T:
        """``call``'s answer, or :class:`SourceTimeout` of ``source`` once the deadline passes
        (for a single bureau call outside a loader, e.g. identity binding)."""
        try:
            async with asyncio.timeout_at(self.at):
                return await call
        except TimeoutError:
            raise deadline_passed(source) from None


class SourceLoader(Generic[T]):
    def __init__(
        self,
        source: str,
        fetch: Callable[[Sequence[str]], Awaitable[Mapping[str, Sourced[T]]]],
        deadline: Deadline,
    ) -> None:
        self.source = source
        self._fetch = fetch
        self._deadline = deadline
        self._loader: DataLoader[str, Sourced[T] | None] = DataLoader(load_fn=self._batch)

    async def _batch(self, keys: list[str]) -> list[Sourced[T] | BaseException | None]:
        try:
            async with asyncio.timeout_at(self._deadline.at):
                return list(await settle(keys, self._fetch(keys)))
        except TimeoutError:
            return [deadline_passed(self.source)] * len(keys)

    def load(self, key: str) -> Awaitable[Sourced[T] | None]:
        """Joins this tick's batch at once (not when the caller first awaits)."""
        return self._loader.load(key)
