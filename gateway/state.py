"""What the lifespan owns and hands to every request, typed (STYLE.md §6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx
from starlette.requests import HTTPConnection

from connectors.http import utc_now
from connectors.registry import ConnectorSet
from credit.access import local_date
from gateway.database import Database
from gateway.limits.edge import Edge
from gateway.limits.seal_budget import MemorySealBudget, SealBudget
from gateway.response_cache import ResponseCache
from gateway.settings import Settings

if TYPE_CHECKING:  # gateway.rights.outbox imports gateway.settings, not this module
    from gateway.rights.index import CaseRecordIndex
    from gateway.rights.outbox import Outbox

__all__ = ["GatewayState", "beijing_today", "gateway_state"]


def beijing_today(clock: Callable[[], dt.datetime] = utc_now) -> dt.date:
    """The gateway's calendar day: today in China Standard Time, whatever the host's time zone
    (a container runs in UTC).  Report numbers, the public's daily seal budget, publicity
    windows and deadlines all turn at 0:00 Beijing time."""
    return local_date(clock())


@dataclass
class GatewayState:
    settings: Settings
    database: Database
    http: httpx.AsyncClient
    connectors: ConnectorSet
    edge: Edge
    report_key: bytes = field(repr=False)  # signs report digests (gateway.reports)
    today: Callable[[], dt.date] = field(default=beijing_today)
    rights_outbox: Outbox | None = None  # delivers objection and repair decisions
    responses: ResponseCache | None = None  # kept public answers (gateway.response_cache)
    case_records: CaseRecordIndex | None = None  # records with a rights case (gateway.rights)
    # the public's numbered reports per day (gateway.reports); the lifespan shares it in Redis
    seal_budget: SealBudget = field(default_factory=MemorySealBudget)


def gateway_state(connection: HTTPConnection) -> GatewayState:
    """The state the lifespan stored on the app (``app.state.gateway``)."""
    state = connection.app.state.gateway
    assert isinstance(state, GatewayState)
    return state
