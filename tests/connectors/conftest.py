"""Fixtures for the connector tests: a fake clock, and an httpx client that logs what it sent
(over the gateway's bureau transport, :class:`~connectors.transport.Http11Transport`).

The log is the client-side view (every request that reached the socket, with its time); the
simulators' ``state.calls`` is the server-side view.  Tests use both.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest

from connectors.transport import BureauClient, Http11Transport
from tests.connectors.fake_clock import FakeClock


@dataclass
class SentLog:
    """(monotonic time, path) of every request the client sent."""

    sent: list[tuple[float, str]] = field(default_factory=list)

    async def hook(self, request: httpx.Request) -> None:
        self.sent.append((time.monotonic(), request.url.path))

    def __len__(self) -> int:
        return len(self.sent)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sent() -> SentLog:
    return SentLog()


@pytest.fixture
async def http(sent: SentLog) -> AsyncIterator[httpx.AsyncClient]:
    async with BureauClient(
        Http11Transport(connections=100), event_hooks={"request": [sent.hook]}
    ) as client:
        yield client
