"""One DataLoader over one connector batch method, bounded by the request's deadline.

All loads of a tick are batched into one connector call (one upstream call per bureau per
batch); a failure is handed to every waiting load as the connector error, so each field that
needed that source fails alone.  The deadline is the request's, not the call's: whatever a
bureau does, no load waits past it.

    loader = SourceLoader("market", connectors.market.registrations, deadline)
    sourced = await loader.load("91640104…")   # Sourced[Registration] | None
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Generic, TypeVar

from strawberry.dataloader import DataLoader

from connectors.errors import ConnectorError, SourceTimeout
from connectors.provenance import Sourced

__all__ = ["Deadline", "SourceLoader"]

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Deadline:
    """A point on the event loop's clock after which no bureau is waited for."""

    def __init__(self, seconds: float) -> None:
        self.at = asyncio.get_running_loop().time() + seconds

    def remaining(self) -> float:
        return max(0.0, self.at - asyncio.get_running_loop().time())


class SourceLoader(Generic[K, T]):
    def __init__(
        self,
        source: str,
        fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, Sourced[T]]]],
        deadline: Deadline,
    ) -> None:
        self.source = source
        self._fetch = fetch
        self._deadline = deadline
        self._loader: DataLoader[K, Sourced[T] | None] = DataLoader(load_fn=self._batch)

    async def _batch(self, keys: list[K]) -> list[Sourced[T] | BaseException | None]:
        error: ConnectorError
        try:
            async with asyncio.timeout_at(self._deadline.at):
                found = await self._fetch(keys)
        except TimeoutError:
            error = SourceTimeout(self.source, "no answer before the request deadline")
        except ConnectorError as exc:
            error = exc
        else:
            return [found.get(key) for key in keys]
        return [error] * len(keys)

    async def load(self, key: K) -> Sourced[T] | None:
        return await self._loader.load(key)
