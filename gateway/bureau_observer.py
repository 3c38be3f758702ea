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

from opentelemetry.trace import NoOpTracer, Span, SpanKind, Status, StatusCode, Tracer

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
        # With traces off, spans are skipped, not made and dropped: a no-op span still sets
        # and resets the context (4-5 % of a cold request's CPU).  Nothing would propagate
        # either way; a no-op span's context is invalid.
        self._tracing = not isinstance(tracer, NoOpTracer)

    def _gauges(self, bureau: ObservedBureau) -> None:
        source, child = bureau.source, self.metrics.child
        child(self.metrics.bulkhead_in_flight, source).set(bureau.bulkhead.in_flight)
        child(self.metrics.bulkhead_queued, source).set(bureau.bulkhead.queued)
        child(self.metrics.bulkhead_rejections, source)  # shown at zero until one happens
        self.metrics.record_breaker(source, bureau.breaker.state)

    def _span(
        self, name: str, attributes: dict[str, str | int], kind: SpanKind = SpanKind.INTERNAL
    ) -> contextlib.AbstractContextManager[Span | None]:
        if not self._tracing:
            return contextlib.nullcontext()
        request_id = current_request_id()
        if request_id is not None:
            attributes[REQUEST_ID_ATTRIBUTE] = request_id
        return self.tracer.start_as_current_span(name, kind=kind, attributes=attributes)

    @contextlib.contextmanager
    def attempt(self, bureau: ObservedBureau) -> Iterator[dict[str, str]]:
        source = bureau.source
        tally = current_tally()
        child = self.metrics.child
        started = time.perf_counter()
        with self._span(f"bureau {source}", {"creditgw.bureau": source}, SpanKind.CLIENT) as span:
            headers: dict[str, str] = {}
            if span is not None:
                inject_trace_context(headers)
            self._gauges(bureau)
            try:
                yield headers
            except ConnectorError as exc:
                if tally is not None and not isinstance(exc, BreakerOpen | BulkheadFull):
                    tally.bureau_calls[source] += 1  # asked, and failed (fail-fast: never asked)
                child(self.metrics.bureau_calls, source, "error").inc()
                child(self.metrics.bureau_errors, source, exc.code).inc()
                if isinstance(exc, BulkheadFull):
                    child(self.metrics.bulkhead_rejections, source).inc()
                if span is not None:
                    span.set_status(Status(StatusCode.ERROR, exc.code))
                    span.set_attribute("creditgw.error_code", exc.code)
                raise
            else:
                if tally is not None:
                    tally.bureau_calls[source] += 1
                child(self.metrics.bureau_calls, source, "ok").inc()
            finally:
                child(self.metrics.bureau_seconds, source).observe(time.perf_counter() - started)
                self._gauges(bureau)

    @contextlib.contextmanager
    def batch(self, source: str, kind: str, *, subjects: int) -> Iterator[None]:
        attributes: dict[str, str | int] = {
            "creditgw.bureau": source,
            "creditgw.kind": kind,
            "creditgw.subjects": subjects,
        }
        with self._span(f"batch {source}.{kind}", attributes):
            yield

    def retry(self, source: str) -> None:
        self.metrics.child(self.metrics.bureau_retries, source).inc()

    def cache(self, source: str, kind: str, *, hits: int, misses: int, stale: int) -> None:
        for result, n in (("hit", hits), ("miss", misses), ("stale", stale)):
            if n:
                self.metrics.child(self.metrics.cache_lookups, source, kind, result).inc(n)
        tally = current_tally()
        if tally is not None:
            tally.cache_hits += hits + stale
