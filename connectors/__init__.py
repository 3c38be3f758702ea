"""Bureau connectors: one class per bureau behind a small Protocol, I/O handed in.

connectors = build_connector_set(settings.bureaus, http_client, pool)
"""

from __future__ import annotations

from connectors.breaker import BreakerState, CircuitBreaker
from connectors.bulkhead import Bulkhead
from connectors.cache import SubjectCache
from connectors.clock import SYSTEM_CLOCK, Clock, SystemClock
from connectors.config import BureauConfig
from connectors.court import CourtConnector
from connectors.errors import (
    BreakerOpen,
    BulkheadFull,
    ConnectorError,
    ConsentRejected,
    NotFound,
    SourceProtocolError,
    SourceRejected,
    SourceTimeout,
    SourceUnavailable,
)
from connectors.hrss import HrssConnector
from connectors.http import HttpBureau
from connectors.identity import IdentityConnector, IdentityVerdict
from connectors.market import MarketConnector, RegistrationPage
from connectors.national import NationalConnector
from connectors.platform import PlatformConnector
from connectors.protocol import (
    BatchFetch,
    Connector,
    ConsentScoped,
    GatedBatchFetch,
    Grant,
    settle,
)
from connectors.provenance import Provenance, Sourced
from connectors.registry import BureauConfigs, ConnectorSet, build_connector_set
from connectors.retry import RetryBudget, RetryPolicy
from connectors.tax import TaxConnector
from connectors.utilities import UtilitiesConnector

__all__ = [
    "SYSTEM_CLOCK",
    "BatchFetch",
    "BreakerOpen",
    "BreakerState",
    "Bulkhead",
    "BulkheadFull",
    "BureauConfig",
    "BureauConfigs",
    "CircuitBreaker",
    "Clock",
    "Connector",
    "ConnectorError",
    "ConnectorSet",
    "ConsentRejected",
    "ConsentScoped",
    "CourtConnector",
    "GatedBatchFetch",
    "Grant",
    "HrssConnector",
    "HttpBureau",
    "IdentityConnector",
    "IdentityVerdict",
    "MarketConnector",
    "NationalConnector",
    "NotFound",
    "PlatformConnector",
    "Provenance",
    "RegistrationPage",
    "RetryBudget",
    "RetryPolicy",
    "SourceProtocolError",
    "SourceRejected",
    "SourceTimeout",
    "SourceUnavailable",
    "Sourced",
    "SubjectCache",
    "SystemClock",
    "TaxConnector",
    "UtilitiesConnector",
    "build_connector_set",
    "settle",
]
