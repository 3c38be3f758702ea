"""What the lifespan owns and hands to every request, typed (STYLE.md §6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from starlette.requests import HTTPConnection

from connectors.registry import ConnectorSet
from gateway.database import Database
from gateway.limits.edge import Edge
from gateway.response_cache import ResponseCache
from gateway.settings import Settings

__all__ = ["GatewayState", "gateway_state"]


@dataclass
class GatewayState:
    settings: Settings
    database: Database
    http: httpx.AsyncClient
    connectors: ConnectorSet
    edge: Edge
    today: Callable[[], dt.date] = field(default=dt.date.today)
    responses: ResponseCache | None = None  # kept public answers (gateway.response_cache)


def gateway_state(connection: HTTPConnection) -> GatewayState:
    """The state the lifespan stored on the app (``app.state.gateway``)."""
    state = connection.app.state.gateway
    assert isinstance(state, GatewayState)
    return state
