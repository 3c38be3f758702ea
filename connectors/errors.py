"""The connector error tree.  httpx and asyncpg exceptions are translated in one place each
(``connectors.http`` and ``connectors.platform``).

ConnectorError                      source, message without URLs, keys or personal data
 ├── SourceUnavailable              retriable: connection refused, 5xx, 429 (retry_after)
 │    ├── SourceTimeout             the bureau did not answer in time
 │    ├── BreakerOpen               failing fast: the bureau's circuit breaker is open
 │    └── BulkheadFull              too many requests already waiting for this bureau
 ├── SourceRejected                 4xx: our request was refused (bad key, no consent, ...)
 ├── SourceProtocolError            the payload is not the bureau's documented format
 └── NotFound                       the bureau does not know the subject (single lookups)

A batch call that fails for some subjects but could serve others from cache raises the error
with ``partial`` holding what it could serve (fresh or stale ``Sourced`` values, by code), so
a DataLoader can still answer those keys.  Messages are for people (Chinese) and name the bureau
by its ``source`` code only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "BreakerOpen",
    "BulkheadFull",
    "ConnectorError",
    "NotFound",
    "SourceProtocolError",
    "SourceRejected",
    "SourceTimeout",
    "SourceUnavailable",
]


class ConnectorError(Exception):
    """Base of every connector failure; ``code`` is the stable GraphQL ``extensions.code``."""

    code = "SOURCE_ERROR"

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.partial: Mapping[Any, Any] = {}
        super().__init__(f"{source}: {message}")

    def with_partial(self, partial: Mapping[Any, Any]) -> ConnectorError:
        """A copy carrying what could still be served (the original may be shared by waiters)."""
        # Not copy.copy: subclasses' __init__ signatures differ from their args.
        clone = type(self).__new__(type(self), *self.args)
        clone.__dict__.update(self.__dict__)
        clone.partial = dict(partial)
        return clone


class SourceUnavailable(ConnectorError):
    code = "SOURCE_UNAVAILABLE"

    def __init__(self, source: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(source, message)
        self.retry_after = retry_after


class SourceTimeout(SourceUnavailable):
    code = "SOURCE_TIMEOUT"


class BreakerOpen(SourceUnavailable):
    """Raised without touching the network; ``retry_after`` is the rest of the cool-down."""


class BulkheadFull(SourceUnavailable):
    """Raised without touching the network: the bureau's queue is at its bound."""


class SourceRejected(ConnectorError):
    code = "SOURCE_REJECTED"

    def __init__(self, source: str, message: str, *, status: int) -> None:
        super().__init__(source, message)
        self.status = status


class SourceProtocolError(ConnectorError):
    code = "SOURCE_PROTOCOL_ERROR"


class NotFound(ConnectorError):
    code = "NOT_FOUND"
