"""The connector error tree.  httpx and asyncpg exceptions are translated in one place each.

ConnectorError                      source, message without URLs, keys or personal data
 ├── SourceUnavailable              retriable: connection refused, 5xx, 429, breaker open
 │    └── SourceTimeout             the bureau did not answer in time
 ├── SourceRejected                 4xx: our request was refused (bad key, no consent, ...)
 ├── SourceProtocolError            the payload is not the bureau's documented format
 └── NotFound                       the bureau does not know the subject (single lookups)
"""

from __future__ import annotations

__all__ = [
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
        super().__init__(f"{source}: {message}")


class SourceUnavailable(ConnectorError):
    code = "SOURCE_UNAVAILABLE"

    def __init__(self, source: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(source, message)
        self.retry_after = retry_after


class SourceTimeout(SourceUnavailable):
    code = "SOURCE_TIMEOUT"


class SourceRejected(ConnectorError):
    code = "SOURCE_REJECTED"

    def __init__(self, source: str, message: str, *, status: int) -> None:
        super().__init__(source, message)
        self.status = status


class SourceProtocolError(ConnectorError):
    code = "SOURCE_PROTOCOL_ERROR"


class NotFound(ConnectorError):
    code = "NOT_FOUND"
