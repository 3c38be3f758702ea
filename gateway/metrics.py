"""Prometheus metrics of one gateway process (or of all its workers), served at ``/metrics``.

    metrics = GatewayMetrics()                 # per app; multi-process mode from the environment
    metrics.record_request(tally, principal_kind="bank", status=200, seconds=0.031)
    body, content_type = await metrics.exposition(connectors)

Families (names follow the Prometheus conventions: ``_total`` counters, ``_seconds``):

=============================================  ==============================================
``creditgw_requests_total``                    operation, principal_kind, outcome
``creditgw_request_duration_seconds``          operation, principal_kind (histogram)
``creditgw_bureau_calls_total``                bureau, outcome (``ok`` / ``error``), attempts
``creditgw_bureau_call_duration_seconds``      bureau (histogram)
``creditgw_bureau_errors_total``               bureau, code (``SOURCE_TIMEOUT``, ...)
``creditgw_bureau_retries_total``              bureau
``creditgw_bureau_breaker_state``              bureau, state (1 for the current state)
``creditgw_bureau_bulkhead_in_flight``         bureau (gauge; ``_queued`` and
                                               ``_rejections_total`` beside it)
``creditgw_bureau_cache_lookups_total``        bureau, kind, result (``hit``/``miss``/``stale``)
``creditgw_consent_refusals_total``            scope
``creditgw_audit_writes_total``                outcome (``written`` / ``failed``), per row
``creditgw_precheck_decisions_total``          outcome (``PASS`` / ``REFER`` / ``DECLINE``)
``creditgw_rights_cases_open`` / ``_overdue``  gauges, read at scrape time from
                                               :attr:`GatewayMetrics.rights_cases` when set
=============================================  ==============================================

With several workers each writes its samples to ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's
multi-process mode, chosen when that variable is set before the library is imported) and any
worker's ``/metrics`` sums them.  ``outcome`` of a request: ``ok``, ``partial`` (data and
errors), ``error`` (errors, no data, or HTTP 5xx) or ``refused`` (HTTP 4xx before execution).
"""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from connectors.breaker import BreakerState
from connectors.protocol import Connector
from credit.access import ConsentScope
from credit.financing import Outcome
from gateway.request_tally import RequestTally

__all__ = [
    "MULTIPROC_ENV",
    "GatewayMetrics",
    "RightsCases",
    "multiprocess_dir",
    "request_outcome",
]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
RightsCases = Callable[[], Awaitable[tuple[int, int]]]  # (open, overdue)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAX_OPERATIONS = 200  # distinct operation names labelled; later ones count as "other"


def multiprocess_dir() -> str | None:
    """The multi-process folder, when this process runs in prometheus-client's multi-process
    mode."""
    return os.environ.get(MULTIPROC_ENV) or None


class GatewayMetrics:
    def __init__(self) -> None:
        self.multiprocess = multiprocess_dir() is not None
        # Own registry per app (tests build many apps in one process); in multi-process mode
        # samples go to files instead and a fresh registry reads them all at each scrape.
        self.registry = CollectorRegistry()
        reg = None if self.multiprocess else self.registry
        self._operations: set[str] = set()
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}
        self._breakers_shown: dict[str, BreakerState] = {}
        self.rights_cases: RightsCases | None = None  # set by the rights feature (issue 13)

        self.requests = Counter(
            "creditgw_requests",
            "GraphQL requests by operation name, principal kind and outcome",
            ["operation", "principal_kind", "outcome"],
            registry=reg,
        )
        self.request_seconds = Histogram(
            "creditgw_request_duration_seconds",
            "GraphQL request latency, seconds",
            ["operation", "principal_kind"],
            buckets=_LATENCY_BUCKETS,
            registry=reg,
        )
        self.bureau_calls = Counter(
            "creditgw_bureau_calls",
            "Bureau call attempts by outcome",
            ["bureau", "outcome"],
            registry=reg,
        )
        self.bureau_seconds = Histogram(
            "creditgw_bureau_call_duration_seconds",
            "Bureau call attempt latency, seconds",
            ["bureau"],
            buckets=_LATENCY_BUCKETS,
            registry=reg,
        )
        self.bureau_errors = Counter(
            "creditgw_bureau_errors",
            "Failed bureau call attempts by error code",
            ["bureau", "code"],
            registry=reg,
        )
        self.bureau_retries = Counter(
            "creditgw_bureau_retries", "Bureau reads tried again", ["bureau"], registry=reg
        )
        self.breaker_state = Gauge(
            "creditgw_bureau_breaker_state",
            "Circuit breaker state: 1 for the state it is in",
            ["bureau", "state"],
            registry=reg,
            multiprocess_mode="livemax",
        )
        self.bulkhead_in_flight = Gauge(
            "creditgw_bureau_bulkhead_in_flight",
            "Bureau requests in flight (bulkhead slots taken)",
            ["bureau"],
            registry=reg,
            multiprocess_mode="livesum",
        )
        self.bulkhead_queued = Gauge(
            "creditgw_bureau_bulkhead_queued",
            "Bureau requests waiting for a bulkhead slot",
            ["bureau"],
            registry=reg,
            multiprocess_mode="livesum",
        )
        self.bulkhead_rejections = Counter(
            "creditgw_bureau_bulkhead_rejections",
            "Bureau requests refused at once because the bulkhead was full",
            ["bureau"],
            registry=reg,
        )
        self.cache_lookups = Counter(
            "creditgw_bureau_cache_lookups",
            "Subjects looked up in a bureau cache: hit, miss (fetched) or stale (served on error)",
            ["bureau", "kind", "result"],
            registry=reg,
        )
        self.consent_refusals = Counter(
            "creditgw_consent_refusals",
            "Fields refused for want of a consent (CONSENT_REQUIRED), by scope",
            ["scope"],
            registry=reg,
        )
        self.audit_writes = Counter(
            "creditgw_audit_writes",
            "Audit rows written, and rows that could not be written",
            ["outcome"],
            registry=reg,
        )
        self.precheck_decisions = Counter(
            "creditgw_precheck_decisions",
            "信易贷 pre-check decisions stored, by outcome",
            ["outcome"],
            registry=reg,
        )
        self.rights_open = Gauge(
            "creditgw_rights_cases_open",
            "Rights cases (objections, repairs) still open",
            registry=None,  # exported only while a rights feature feeds it
            multiprocess_mode="mostrecent",
        )
        self.rights_overdue = Gauge(
            "creditgw_rights_cases_overdue",
            "Rights cases open past their legal deadline",
            registry=None,
            multiprocess_mode="mostrecent",
        )

        # Known label values start at zero, so a family shows its labels before its first event.
        for outcome in ("written", "failed"):
            self.audit_writes.labels(outcome)
        for decision in Outcome:
            self.precheck_decisions.labels(decision.value)
        for scope in ConsentScope.members():
            self.consent_refusals.labels(scope.value)

    # --- recording ---------------------------------------------------------------------------

    def child(self, family: Counter | Gauge | Histogram, *values: str) -> Any:
        """``family.labels(*values)``, looked up once: prometheus-client validates the values
        and takes a lock on every ``labels`` call, which cost 4-5 % of a cold request's CPU
        (a few calls per bureau attempt).  Label values are bounded, so the memo is too."""
        key = (id(family), values)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = family.labels(*values)
        return found

    def operation_label(self, name: str | None) -> str:
        """A bounded label for a client-chosen operation name."""
        if name is None:
            return "anonymous"
        if not _OPERATION_NAME.match(name):
            return "invalid"
        if name not in self._operations:
            if len(self._operations) >= MAX_OPERATIONS:
                return "other"
            self._operations.add(name)
        return name

    def record_request(
        self, tally: RequestTally, *, principal_kind: str, status: int, seconds: float
    ) -> None:
        """Everything one GraphQL request did, once it is over."""
        executed = tally.graphql or tally.has_data or bool(tally.error_codes)
        operation = self.operation_label(tally.operation) if executed else "none"
        self.child(self.requests, operation, principal_kind, request_outcome(tally, status)).inc()
        self.child(self.request_seconds, operation, principal_kind).observe(seconds)
        for scope, n in tally.consent_refusals.items():
            self.child(self.consent_refusals, scope).inc(n)
        if tally.audit_rows:
            self.child(self.audit_writes, "written").inc(tally.audit_rows)
        if tally.audit_failures:
            self.child(self.audit_writes, "failed").inc(tally.audit_failures)
        for outcome, n in tally.prechecks.items():
            self.child(self.precheck_decisions, outcome).inc(n)

    def record_breaker(self, bureau: str, state: BreakerState) -> None:
        """Show the breaker's state; written only when it differs from what is shown."""
        if self._breakers_shown.get(bureau) is state:
            return
        self._breakers_shown[bureau] = state
        for each in BreakerState:
            self.child(self.breaker_state, bureau, each.value).set(1 if each is state else 0)

    # --- exposition --------------------------------------------------------------------------

    async def exposition(self, connectors: Iterable[Connector] = ()) -> tuple[bytes, str]:
        """The text format: this process's families, or every worker's in multi-process mode."""
        for connector in connectors:  # breakers turn half-open with time, not with an event
            breaker = getattr(connector, "breaker", None)
            if breaker is not None:
                self.record_breaker(breaker.source, breaker.state)
        extra: list[Gauge] = []
        if self.rights_cases is not None:
            open_cases, overdue = await self.rights_cases()
            self.rights_open.set(open_cases)
            self.rights_overdue.set(overdue)
            extra = [self.rights_open, self.rights_overdue]
        if self.multiprocess:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry), CONTENT_TYPE_LATEST
        body = generate_latest(self.registry)
        if extra:
            scratch = CollectorRegistry()
            for gauge in extra:
                scratch.register(gauge)
            body += generate_latest(scratch)
        return body, CONTENT_TYPE_LATEST

    def close(self) -> None:
        """In multi-process mode, drop this worker's live gauges (it is going away)."""
        if self.multiprocess:
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


_REFUSED_STATUSES = range(400, 500)


def request_outcome(tally: RequestTally, status: int) -> str:
    if status >= 500:
        return "error"
    if status in _REFUSED_STATUSES and not tally.has_data and not tally.error_codes:
        return "refused"
    if tally.error_codes:
        return "partial" if tally.has_data else "error"
    return "refused" if status in _REFUSED_STATUSES else "ok"
