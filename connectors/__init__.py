"""Bureau connectors: one class per bureau behind a small Protocol, I/O handed in."""

from __future__ import annotations

from connectors.config import BureauConfig
from connectors.errors import (
    ConnectorError,
    NotFound,
    SourceProtocolError,
    SourceRejected,
    SourceTimeout,
    SourceUnavailable,
)
from connectors.http import HttpBureau
from connectors.market import MarketConnector
from connectors.provenance import Provenance, Sourced

__all__ = [
    "BureauConfig",
    "ConnectorError",
    "HttpBureau",
    "MarketConnector",
    "NotFound",
    "Provenance",
    "SourceProtocolError",
    "SourceRejected",
    "SourceTimeout",
    "SourceUnavailable",
    "Sourced",
]
