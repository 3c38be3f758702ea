"""The gateway's eyes on its connectors: metrics, spans and the request's tally in one place.

    observer = GatewayObserver(metrics, tracer)
    connectors = build_connector_set(settings.bureaus, http, pool, observer=observer)

Each bureau attempt is a client span (``bureau <name>``) whose W3C ``traceparent`` travels to
the bureau; each batch load a span (``batch <bureau>.<kind>``) around its cache look-up and
fetch.  Attempts, errors by code, retries, breaker state, bulkhead occupancy and cache results
go to :class:`~gateway.metrics.GatewayMetrics`; bureaus called and cache hits to the current
request's :class:`~gateway.request_tally.RequestTally`, for its access-log line.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from connectors.errors import BreakerOpen, BulkheadFull, ConnectorError
from connectors.observe import ObservedBureau
from gateway.metrics import GatewayMetrics
from gateway.request_tally import current_request_id, current_tally
from gateway.tracing import REQUEST_ID_ATTRIBUTE, inject_trace_context

__all__ = ["GatewayObserver"]


class GatewayObserver:
    def __init__(self, metrics: GatewayMetrics, tracer: Tracer) -> None:
        self.metrics = metrics
        self.tracer = tracer

    def _gauges(self, bureau: ObservedBureau) -> None:
        source = bureau.source
        self.metrics.bulkhead_in_flight.labels(source).set(bureau.bulkhead.in_flight)
        self.metrics.bulkhead_queued.labels(source).set(bureau.bulkhead.queued)
        self.metrics.bulkhead_rejections.labels(source)  # shown at zero until one happens
        self.metrics.record_breaker(source, bureau.breaker.state)

    @contextlib.contextmanager
    def attempt(self, bureau: ObservedBureau) -> Iterator[dict[str, str]]:
        source = bureau.source
        tally = current_tally()
        attributes = {"creditgw.bureau": source}
        request_id = current_request_id()
        if request_id is not None:
            attributes[REQUEST_ID_ATTRIBUTE] = request_id
        started = time.perf_counter()
        with self.tracer.start_as_current_span(
            f"bureau {source}", kind=SpanKind.CLIENT, attributes=attributes
        ) as span:
            headers: dict[str, str] = {}
            inject_trace_context(headers)
            self._gauges(bureau)
            try:
                yield headers
            except ConnectorError as exc:
                if tally is not None and not isinstance(exc, BreakerOpen | BulkheadFull):
                    tally.bureau_calls[source] += 1  # asked, and failed (fail-fast: never asked)
                self.metrics.bureau_calls.labels(source, "error").inc()
                self.metrics.bureau_errors.labels(source, exc.code).inc()
                if isinstance(exc, BulkheadFull):
                    self.metrics.bulkhead_rejections.labels(source).inc()
                span.set_status(Status(StatusCode.ERROR, exc.code))
                span.set_attribute("creditgw.error_code", exc.code)
                raise
            else:
                if tally is not None:
                    tally.bureau_calls[source] += 1
                self.metrics.bureau_calls.labels(source, "ok").inc()
            finally:
                self.metrics.bureau_seconds.labels(source).observe(time.perf_counter() - started)
                self._gauges(bureau)

    @contextlib.contextmanager
    def batch(self, source: str, kind: str, *, subjects: int) -> Iterator[None]:
        attributes: dict[str, str | int] = {
            "creditgw.bureau": source,
            "creditgw.kind": kind,
            "creditgw.subjects": subjects,
        }
        request_id = current_request_id()
        if request_id is not None:
            attributes[REQUEST_ID_ATTRIBUTE] = request_id
        with self.tracer.start_as_current_span(f"batch {source}.{kind}", attributes=attributes):
            yield

    def retry(self, source: str) -> None:
        self.metrics.bureau_retries.labels(source).inc()

    def cache(self, source: str, kind: str, *, hits: int, misses: int, stale: int) -> None:
        for result, n in (("hit", hits), ("miss", misses), ("stale", stale)):
            if n:
                self.metrics.cache_lookups.labels(source, kind, result).inc(n)
        tally = current_tally()
        if tally is not None:
            tally.cache_hits += hits + stale
