"""Clients for the bureau simulators: base URL and the bureau's own key header filled in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from simulators.runner import RunningBureau
from tests.simulators.calls import BUREAU_CALLS


@pytest.fixture
async def api(
    bureaus: dict[str, RunningBureau], bureau_keys: dict[str, str]
) -> AsyncIterator[Callable[[str], httpx.AsyncClient]]:
    """``api("tax")``: an ``httpx.AsyncClient`` on that bureau, authenticated its own way."""
    clients: list[httpx.AsyncClient] = []

    def make(name: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            base_url=bureaus[name].url,
            headers=BUREAU_CALLS[name].auth(bureau_keys[name]),
            timeout=10,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()
