"""What one request did, counted where it happens and read once when the request ends.

The access-log middleware (:mod:`gateway.access_log`) opens a :class:`RequestTally` for each
request in a context variable; code deep in the request (a bureau call, an audit write, a
pre-check decision) adds to it through :func:`current_tally`, without being handed anything.
Tasks a request starts copy its context, so their work lands in the same tally.  Outside a
request (start-up, the CLI) :func:`current_tally` is ``None`` and nothing is counted.

    with tallying(request_id) as tally:
        ...                                       # the request runs
    log.info("request", extra=tally.log_fields())
"""

from __future__ import annotations

import contextlib
import contextvars
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["RequestTally", "current_request_id", "current_tally", "tallying"]


@dataclass
class RequestTally:
    """Counts of one request; every field starts empty."""

    request_id: str
    graphql: bool = False  # the request reached GraphQL execution
    operation: str | None = None  # the GraphQL operation's name (None: anonymous)
    bureau_calls: Counter[str] = field(default_factory=Counter)  # attempts sent, per bureau
    cache_hits: int = 0  # subjects served from a bureau cache (fresh or stale)
    audit_rows: int = 0
    audit_failures: int = 0
    consent_refusals: Counter[str] = field(default_factory=Counter)  # per consent scope
    prechecks: Counter[str] = field(default_factory=Counter)  # decisions per outcome
    error_codes: list[str] = field(default_factory=list)  # of the GraphQL errors returned
    has_data: bool = False  # whether the GraphQL answer carried data

    def bureaus(self) -> list[str]:
        return sorted(self.bureau_calls)


_TALLY: contextvars.ContextVar[RequestTally | None] = contextvars.ContextVar(
    "creditgw_request_tally", default=None
)


def current_tally() -> RequestTally | None:
    """The tally of the request this code runs for, if any."""
    return _TALLY.get()


def current_request_id() -> str | None:
    tally = _TALLY.get()
    return tally.request_id if tally is not None else None


@contextlib.contextmanager
def tallying(request_id: str) -> Iterator[RequestTally]:
    """Open a tally for one request, current until the block ends."""
    tally = RequestTally(request_id)
    token = _TALLY.set(tally)
    try:
        yield tally
    finally:
        _TALLY.reset(token)
