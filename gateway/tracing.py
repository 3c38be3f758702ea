"""OpenTelemetry traces: a span per request, per resolver batch and per bureau call.

Off unless ``GATEWAY_OTLP_TRACES_ENDPOINT`` is set (then spans go there over OTLP/HTTP in
batches); tests hand in their own provider (an in-memory exporter).  The provider belongs to
the app, never to the process-wide global, so two apps in one process do not mix their traces.

    tracer = app_tracer(settings)                 # or app_tracer(settings, provider=...)
    with tracer.start_as_current_span("POST /graphql", kind=SpanKind.SERVER): ...
    inject_trace_context(headers)                 # W3C ``traceparent`` for a bureau call

Every span carries ``creditgw.request_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import NoOpTracer, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from gateway.settings import Settings

__all__ = [
    "REQUEST_ID_ATTRIBUTE",
    "app_tracer",
    "extract_trace_context",
    "inject_trace_context",
    "shutdown",
    "trace_provider",
]

REQUEST_ID_ATTRIBUTE = "creditgw.request_id"
_PROPAGATOR = TraceContextTextMapPropagator()
INSTRUMENTATION = "creditgw"


def trace_provider(settings: Settings) -> TracerProvider | None:
    """A provider exporting to the configured OTLP endpoint, or None when traces are off."""
    if not settings.otlp_traces_endpoint:
        return None
    # Imported only when configured: the exporter pulls in protobuf.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name}))
    provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.otlp_traces_endpoint))
    )
    return provider


def app_tracer(provider: trace.TracerProvider | None) -> Tracer:
    """The app's tracer: from ``provider``, or one that records nothing."""
    if provider is None:
        return NoOpTracer()
    return provider.get_tracer(INSTRUMENTATION)


def shutdown(provider: trace.TracerProvider | None) -> None:
    """Flush and stop a provider this app built (spans still queued are sent)."""
    if isinstance(provider, TracerProvider):
        provider.shutdown()


def extract_trace_context(headers: Mapping[str, str]) -> Context:
    """The caller's trace (its ``traceparent``), to continue it."""
    return _PROPAGATOR.extract(headers)


def inject_trace_context(headers: MutableMapping[str, str]) -> None:
    """Add the current span's ``traceparent`` (nothing when no span records)."""
    _PROPAGATOR.inject(headers)
