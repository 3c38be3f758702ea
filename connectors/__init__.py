"""Bureau connectors: one class per bureau behind a small Protocol, I/O handed in."""

from __future__ import annotations

from connectors.breaker import BreakerState, CircuitBreaker
from connectors.bulkhead import Bulkhead
from connectors.cache import SubjectCache
from connectors.clock import SYSTEM_CLOCK, Clock, SystemClock
from connectors.config import BureauConfig
from connectors.errors import (
    BreakerOpen,
    BulkheadFull,
    ConnectorError,
    NotFound,
    SourceProtocolError,
    SourceRejected,
    SourceTimeout,
    SourceUnavailable,
)
from connectors.http import HttpBureau
from connectors.market import MarketConnector
from connectors.protocol import BatchFetch, Connector, ConsentScoped, GatedBatchFetch, Grant
from connectors.provenance import Provenance, Sourced
from connectors.retry import RetryBudget, RetryPolicy

__all__ = [
    "SYSTEM_CLOCK",
    "BatchFetch",
    "BreakerOpen",
    "BreakerState",
    "Bulkhead",
    "BulkheadFull",
    "BureauConfig",
    "CircuitBreaker",
    "Clock",
    "Connector",
    "ConnectorError",
    "ConsentScoped",
    "GatedBatchFetch",
    "Grant",
    "HttpBureau",
    "MarketConnector",
    "NotFound",
    "Provenance",
    "RetryBudget",
    "RetryPolicy",
    "SourceProtocolError",
    "SourceRejected",
    "SourceTimeout",
    "SourceUnavailable",
    "Sourced",
    "SubjectCache",
    "SystemClock",
]
