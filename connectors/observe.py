"""What a connector tells whoever watches it: attempts, retries, batches, cache look-ups.

The gateway hands an observer in (its metrics and traces, :mod:`gateway.observability`); the
connectors only call it, so they stay free of any metrics or tracing library.  The default,
:data:`NO_OBSERVER`, does nothing.

    with observer.batch("market", "registration", subjects=12):          # a resolver batch
        with observer.attempt(bureau) as headers:     # one HTTP attempt; raises pass through
            request.headers.update(headers)           # e.g. the W3C ``traceparent``
            ...
    observer.retry("market")
    observer.cache("market", "registration", hits=3, misses=9, stale=0)

``attempt`` judges the attempt by the exception leaving its block (none: success).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Protocol

from connectors.breaker import CircuitBreaker
from connectors.bulkhead import Bulkhead

__all__ = ["NO_OBSERVER", "BureauObserver", "NullObserver", "ObservedBureau"]


class ObservedBureau(Protocol):
    """What an observer may read of a bureau connector."""

    @property
    def source(self) -> str: ...
    @property
    def breaker(self) -> CircuitBreaker: ...
    @property
    def bulkhead(self) -> Bulkhead: ...


class BureauObserver(Protocol):
    def attempt(self, bureau: ObservedBureau) -> contextlib.AbstractContextManager[dict[str, str]]:
        """Around one upstream attempt (breaker, bulkhead, send, parse); yields headers to add
        to the request."""
        ...

    def batch(
        self, source: str, kind: str, *, subjects: int
    ) -> contextlib.AbstractContextManager[None]:
        """Around one batch load of ``kind`` for ``subjects`` subjects (cache and fetch)."""
        ...

    def retry(self, source: str) -> None:
        """A failed read is about to be tried again."""
        ...

    def cache(self, source: str, kind: str, *, hits: int, misses: int, stale: int) -> None:
        """One cache look-up: subjects served fresh, fetched (or joined), served stale."""
        ...


class NullObserver:
    """Watches nothing."""

    @contextlib.contextmanager
    def attempt(self, bureau: ObservedBureau) -> Iterator[dict[str, str]]:
        yield {}

    @contextlib.contextmanager
    def batch(self, source: str, kind: str, *, subjects: int) -> Iterator[None]:
        yield

    def retry(self, source: str) -> None:
        pass

    def cache(self, source: str, kind: str, *, hits: int, misses: int, stale: int) -> None:
        pass


NO_OBSERVER: BureauObserver = NullObserver()
