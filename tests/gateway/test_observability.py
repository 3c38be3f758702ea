"""Metrics, traces and the access log, after a scripted session against the real simulators.

One gateway of these tests' own (its own metrics registry and an in-memory span exporter),
on the session's database and bureaus: a public read twice (a miss, then hits), a bank read
that is audited and refused a consent, a 信易贷 pre-check, a bureau that fails once (a retry)
and one that goes down behind an expired entry (a stale serve), a refused key.  Then
``/metrics`` is scraped and every family is looked for with its labels; the spans form one
trace per request down to the bureau calls, whose ``traceparent`` the simulator logged.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, format_span_id, format_trace_id
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from starlette.applications import Starlette

from credit.records import OperatingStatus
from gateway.app import create_app
from gateway.auth.clients import ClientKind, add_client
from gateway.auth.demo import DEMO_BANK_ID
from gateway.database import Database
from gateway.logs import JsonFormatter
from gateway.settings import RateLimits, Settings
from simulators.behaviour import Behaviour
from simulators.runner import RunningBureau
from simulators.world import World
from tests.conftest import TEST_WORLD
from tests.fakes.servers import serve_app

METRICS_KEY = "metrics-" + secrets.token_hex(16)
PRECHECK = """mutation($input: PrecheckFinancingInput!) {
  precheckFinancing(input: $input) { id outcome } }"""
BANK_READ = """query BankRead($uscc: String!) { enterprise(uscc: $uscc) {
  name taxGrades { year grade } } }"""
PUBLIC_READ = "query PublicRead($uscc: String!) { enterprise(uscc: $uscc) { name status } }"
RECORDS_READ = """query Records($uscc: String!) { enterprise(uscc: $uscc) {
  name records(first: 5) { totalCount } } }"""


@pytest.fixture(scope="module")
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture(scope="module")
def observed_app(
    settings: Settings, seeded_database: Database, exporter: InMemorySpanExporter
) -> Starlette:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    # always stale: see below
    court = settings.bureaus.of("court").model_copy(update={"ttl_s": 0.0})
    tuned = settings.model_copy(
        update={
            "metrics_key": SecretStr(METRICS_KEY),
            "rate_limits": RateLimits(**dict.fromkeys(RateLimits.model_fields, 10**6)),
            "trusted_documents_only": [],
            "bureaus": settings.bureaus.model_copy(update={"court": court}),
        }
    )
    return create_app(
        tuned,
        database=seeded_database,
        today=lambda: TEST_WORLD.today,
        tracer_provider=provider,
    )


@pytest.fixture(scope="module")
async def observed_url(observed_app: Starlette) -> AsyncIterator[str]:
    async with serve_app(observed_app) as url:
        yield url


@pytest.fixture(scope="module")
async def bank_key(seeded_database: Database) -> str:
    async with seeded_database.pool.acquire() as conn:
        _, key = await add_client(
            conn,
            kind=ClientKind.BANK,
            name="指标测试银行（合成数据）",
            scopes=["precheck", "subject:read"],
            expires_at=None,
            bank_id=DEMO_BANK_ID,
        )
    return key


def active_firms(world: World) -> list[str]:
    return [r.uscc for r in world.registrations.values() if r.status is OperatingStatus.ACTIVE]


async def post(
    http: httpx.AsyncClient, query: str, headers: dict[str, str] | None = None, **variables: Any
) -> dict[str, Any]:
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers or {}
    )
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="module")
async def session_log(
    observed_url: str,
    bank_key: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    exporter: InMemorySpanExporter,
) -> list[logging.LogRecord]:
    """Run the scripted session once; yield the log records it wrote (access and simulator)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep(level=logging.INFO)
    watched = [logging.getLogger("gateway.access"), logging.getLogger("simulators.calls")]
    for logger in watched:
        logger.addHandler(keep)
        logger.setLevel(logging.INFO)
    firm, other, third = active_firms(world)[:3]
    bank = {"Authorization": f"Bearer {bank_key}", "X-Purpose": "LOAN_PRECHECK"}
    try:
        async with httpx.AsyncClient(base_url=observed_url, timeout=30) as http:
            exporter.clear()
            assert "errors" not in await post(http, PUBLIC_READ, uscc=firm)
            assert "errors" not in await post(http, PUBLIC_READ, uscc=firm)  # cache hits
            read = await post(http, BANK_READ, headers=bank, uscc=other)
            assert read["errors"][0]["extensions"]["code"] == "CONSENT_REQUIRED", read
            decided = await post(
                http,
                PRECHECK,
                headers=bank,
                input={
                    "uscc": other,
                    "productCode": "BANK_TAX_LOAN",
                    "amount": "100000",
                    "purpose": "LOAN_PRECHECK",
                    "idempotencyKey": secrets.token_hex(8),
                },
            )
            assert decided["data"]["precheckFinancing"]["outcome"], decided
            bureaus["market"].service.state.behaviour = Behaviour(fail_next=1)
            assert "errors" not in await post(http, PUBLIC_READ, uscc=third)  # one retry
            assert "errors" not in await post(http, RECORDS_READ, uscc=third)
            bureaus["court"].service.state.behaviour = Behaviour(down=True)
            stale = await post(http, RECORDS_READ, uscc=third)  # court served stale
            assert "errors" not in stale, stale
            assert "errors" not in await post(http, "{ __typename }")  # anonymous
            refused = await http.post(
                "/graphql", json={"query": "{ __typename }"}, headers={"Authorization": "Bearer x"}
            )
            assert refused.status_code == 401
    finally:
        for bureau in bureaus.values():
            bureau.service.state.reset()
        for logger in watched:
            logger.removeHandler(keep)
            logger.setLevel(logging.NOTSET)
    return records


async def scrape(url: str, key: str | None = METRICS_KEY) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        return await http.get("/metrics", headers=headers)


def samples(text: str) -> dict[str, list[dict[str, str]]]:
    """Sample name → the label sets it was reported with (values in ``_value``)."""
    found: dict[str, list[dict[str, str]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append({**sample.labels, "_value": str(sample.value)})
    return found


def having(found: dict[str, list[dict[str, str]]], name: str, **labels: str) -> float:
    """The value of ``name`` with ``labels`` (summed over the other labels)."""
    assert name in found, f"{name} missing from /metrics"
    chosen = [s for s in found[name] if all(s.get(k) == v for k, v in labels.items())]
    assert chosen, f"{name} has no sample with {labels}: {found[name][:5]}"
    return sum(float(s["_value"]) for s in chosen)


async def test_metrics_need_the_operator_key(
    observed_url: str, session_log: list[logging.LogRecord]
) -> None:
    assert (await scrape(observed_url, key=None)).status_code == 401
    denied = await scrape(observed_url, key="wrong")
    assert denied.status_code == 401
    assert denied.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_every_family_is_scraped_with_its_labels(
    observed_url: str, session_log: list[logging.LogRecord]
) -> None:
    response = await scrape(observed_url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)

    assert having(found, "creditgw_requests_total", operation="PublicRead", outcome="ok") >= 3
    assert having(found, "creditgw_requests_total", principal_kind="public", outcome="ok") >= 3
    assert having(found, "creditgw_requests_total", operation="BankRead", outcome="partial") == 1
    assert having(found, "creditgw_requests_total", principal_kind="bank") >= 2
    assert having(found, "creditgw_requests_total", outcome="refused", operation="none") == 1
    anonymous = {"operation": "anonymous", "principal_kind": "public"}
    assert having(found, "creditgw_requests_total", **anonymous, outcome="ok") == 1
    assert having(found, "creditgw_request_duration_seconds_count", operation="PublicRead") >= 3
    assert having(found, "creditgw_request_duration_seconds_bucket", le="+Inf") >= 8

    assert having(found, "creditgw_bureau_calls_total", bureau="market", outcome="ok") >= 2
    assert having(found, "creditgw_bureau_calls_total", bureau="market", outcome="error") == 1
    assert having(found, "creditgw_bureau_call_duration_seconds_count", bureau="court") >= 1
    assert (
        having(found, "creditgw_bureau_errors_total", bureau="market", code="SOURCE_UNAVAILABLE")
        == 1
    )
    assert having(found, "creditgw_bureau_retries_total", bureau="market") == 1
    assert having(found, "creditgw_bureau_breaker_state", bureau="market", state="closed") == 1
    assert having(found, "creditgw_bureau_breaker_state", bureau="market", state="open") == 0
    assert having(found, "creditgw_bureau_bulkhead_in_flight", bureau="market") == 0
    assert having(found, "creditgw_bureau_bulkhead_queued", bureau="market") == 0
    assert having(found, "creditgw_bureau_bulkhead_rejections_total", bureau="market") == 0
    registration = {"bureau": "market", "kind": "dossier"}
    assert having(found, "creditgw_bureau_cache_lookups_total", **registration, result="hit") >= 1
    assert having(found, "creditgw_bureau_cache_lookups_total", **registration, result="miss") >= 1
    assert having(found, "creditgw_bureau_cache_lookups_total", bureau="court", result="stale") >= 1

    assert having(found, "creditgw_consent_refusals_total", scope="tax") >= 1
    assert having(found, "creditgw_audit_writes_total", outcome="written") >= 2
    assert having(found, "creditgw_audit_writes_total", outcome="failed") == 0
    decisions = sum(
        having(found, "creditgw_precheck_decisions_total", outcome=o)
        for o in ("PASS", "REFER", "DECLINE")
    )
    assert decisions == 1


async def test_rights_cases_are_gauges_fed_by_the_rights_feature(
    observed_app: Starlette, observed_url: str, session_log: list[logging.LogRecord]
) -> None:
    """The exposition of the rights gauges (the real feed, gateway.rights.service.open_case_counts,
    is tested with filed cases in tests/gateway/rights/test_workflows.py)."""
    assert "creditgw_rights_cases_open" in (await scrape(observed_url)).text
    fed = observed_app.state.metrics.rights_cases

    async def cases() -> tuple[int, int]:
        return 4, 1

    observed_app.state.metrics.rights_cases = cases
    try:
        found = samples((await scrape(observed_url)).text)
    finally:
        observed_app.state.metrics.rights_cases = fed
    assert having(found, "creditgw_rights_cases_open") == 4
    assert having(found, "creditgw_rights_cases_overdue") == 1


def access_lines(records: list[logging.LogRecord]) -> list[dict[str, Any]]:
    formatter = JsonFormatter()
    return [orjson.loads(formatter.format(r)) for r in records if r.name == "gateway.access"]


async def test_one_access_line_per_request_without_personal_numbers(
    session_log: list[logging.LogRecord], world: World, bank_key: str
) -> None:
    lines = access_lines(session_log)
    assert len(lines) == 9  # the scripted session's requests, the refused one included
    first, again = lines[0], lines[1]
    assert first["operation"] == "PublicRead"
    assert first["principal_kind"] == "public"
    assert "market" in first["bureaus"]
    assert first["status"] == 200
    assert first["outcome"] == "ok"
    assert isinstance(first["duration_ms"], float)
    assert first["request_id"]
    assert again["cache_hits"] > 0
    assert "market" not in again["bureaus"]
    bank_line = lines[2]
    assert bank_line["principal_kind"] == "bank"
    assert bank_line["principal_id"]
    assert bank_line["outcome"] == "partial"
    refused = lines[-1]
    assert refused["status"] == 401
    assert refused["outcome"] == "refused"
    assert refused["principal_kind"] == "unauthenticated"
    text = "\n".join(orjson.dumps(line).decode() for line in lines)
    for person in list(world.persons.values())[:200]:
        assert person.id_number not in text
        assert person.phone not in text
    assert bank_key not in text


def spans_of(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return list(exporter.get_finished_spans())


async def test_one_trace_per_request_down_to_the_bureau_calls(
    session_log: list[logging.LogRecord], exporter: InMemorySpanExporter
) -> None:
    spans = spans_of(exporter)
    servers = [s for s in spans if s.kind is SpanKind.SERVER]
    first = servers[0]
    assert first.context is not None
    trace_id = first.context.trace_id
    request_id = first.attributes["creditgw.request_id"] if first.attributes else None
    same_trace = [s for s in spans if s.context is not None and s.context.trace_id == trace_id]
    bureau_spans = [s for s in same_trace if s.name.startswith("bureau ")]
    batch_spans = [s for s in same_trace if s.name.startswith("batch ")]
    assert {s.name for s in bureau_spans} >= {"bureau market"}
    assert {s.name for s in batch_spans} >= {"batch market.dossier"}
    for span in [*bureau_spans, *batch_spans]:
        assert span.attributes is not None
        assert span.attributes["creditgw.request_id"] == request_id
    # the bureau span hangs under a batch span, which hangs (maybe through others) under the
    # request's server span
    by_id = {s.context.span_id: s for s in same_trace if s.context is not None}
    market = next(s for s in bureau_spans if s.name == "bureau market")
    chain = []
    node: ReadableSpan | None = market
    while node is not None and node.parent is not None:
        node = by_id.get(node.parent.span_id)
        if node is not None:
            chain.append(node.name)
    assert "batch market.dossier" in chain
    assert chain[-1] == first.name

    # the simulator saw this very span as the caller: its traceparent names it
    assert market.context is not None
    expected = f"00-{format_trace_id(trace_id)}-{format_span_id(market.context.span_id)}-"
    seen = [
        str(getattr(r, "traceparent", None))
        for r in session_log
        if r.name == "simulators.calls" and getattr(r, "bureau", None) == "market"
    ]
    assert any(parent.startswith(expected) for parent in seen), seen
    # and the access line carries the trace id
    assert access_lines(session_log)[0]["trace_id"] == format_trace_id(trace_id)


async def test_metrics_are_absent_in_production_without_a_key_and_open_in_demo(
    settings: Settings, seeded_database: Database
) -> None:
    production = settings.model_copy(
        update={
            "mode": "production",
            "subject_key_secret": SecretStr("k" * 40),
            "report_signing_key": SecretStr("r" * 40),
        }
    )
    for tuned, status in ((production, 404), (settings, 200)):
        app = create_app(tuned, database=seeded_database)
        transport = httpx.ASGITransport(app=app)  # no lifespan: /metrics answers before it
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
            response = await http.get("/metrics")
        assert response.status_code == status, tuned.mode
