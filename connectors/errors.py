"""The connector error tree.  httpx and asyncpg exceptions are translated in one place each
(``connectors.http`` and ``connectors.platform``).

ConnectorError                      source, message without URLs, keys or personal data
 ├── SourceUnavailable              retriable: connection refused, 5xx, 429 (retry_after)
 │    ├── SourceTimeout             the bureau did not answer in time
 │    ├── BreakerOpen               failing fast: the bureau's circuit breaker is open
 │    └── BulkheadFull              too many requests already waiting for this bureau
 ├── SourceRejected                 4xx: our request was refused (bad key, bad request, ...)
 │    └── ConsentRejected           the bureau refused a subject's authorisation token
 ├── SourceProtocolError            the payload is not the bureau's documented format
 └── NotFound                       the bureau does not know the subject (single lookups)

A batch call that fails for some subjects raises the (first) error with ``partial`` holding
what it could serve (fresh, cached or stale ``Sourced`` values, by code) and ``failed`` the
error of every code it could not serve; a code in neither is unknown to the source.
:func:`connectors.protocol.settle` turns that into one answer per code for a DataLoader.
Messages are for people (Chinese) and name the bureau by its ``source`` code only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "BreakerOpen",
    "BulkheadFull",
    "ConnectorError",
    "ConsentRejected",
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
        self.partial: Mapping[Any, Any] = {}  # code → Sourced value still served
        self.failed: Mapping[Any, ConnectorError] = {}  # code → why it was not served
        super().__init__(f"{source}: {message}")

    def with_outcome(
        self, partial: Mapping[Any, Any], failed: Mapping[Any, ConnectorError]
    ) -> ConnectorError:
        """A copy carrying a batch's outcome (the original may be shared by other waiters)."""
        # Not copy.copy: subclasses' __init__ signatures differ from their args.
        clone = type(self).__new__(type(self), *self.args)
        clone.__dict__.update(self.__dict__)
        clone.partial, clone.failed = dict(partial), dict(failed)
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


class ConsentRejected(SourceRejected):
    """The bureau refused the authorisation presented for one subject (missing, forged,
    expired, or for another subject or scope).  Never served stale, never retried."""

    code = "CONSENT_REQUIRED"

    def __init__(self, source: str, message: str = "该主体的授权无效或已过期，部门拒绝提供数据"):
        super().__init__(source, message, status=403)


class SourceProtocolError(ConnectorError):
    code = "SOURCE_PROTOCOL_ERROR"


class NotFound(ConnectorError):
    code = "NOT_FOUND"
