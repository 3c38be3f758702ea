"""Each kind of malformed request gets its own 4xx (or request error) and stable code, in the
GraphQL-over-HTTP shape, on a keep-alive connection that stays open for the next request."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.fakes.edge_fuzzer import HOSTILE_DOCUMENTS
from tests.fakes.raw_http import RawConnection

SYNTHETIC_ID = "11010519491231002X"
JSON_TYPE = {"Content-Type": "application/json"}
SEARCH = "query($n:String!,$f:Int!){searchEnterprises(name:$n,first:$f){totalCount}}"
STATS = "query($a:Date!,$b:Date!){financingApprovalStats(fromMonth:$a,toMonth:$b){month}}"
PRECHECK = "mutation($i:PrecheckFinancingInput!){precheckFinancing(input:$i){id}}"


def post(body: Any) -> tuple[str, str, bytes, dict[str, str]]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return "POST", "/graphql", raw, JSON_TYPE


def get(query_string: str) -> tuple[str, str, bytes, dict[str, str]]:
    return "GET", "/graphql" + query_string, b"", {"Accept": "application/json"}


def search(first: Any, name: Any = "宁夏") -> dict[str, Any]:
    return {"query": SEARCH, "variables": {"n": name, "f": first}}


# (request, status, code, extensions beyond the code that must be there)
CASES: dict[str, tuple[tuple[str, str, bytes, dict[str, str]], int, str, dict[str, Any]]] = {
    "a bare number": (post(b"42"), 400, "INVALID_REQUEST", {"field": "body"}),
    "null": (post(b"null"), 400, "INVALID_REQUEST", {"field": "body"}),
    "a batched array": (post([{"query": "{ __typename }"}]), 400, "BATCHING_NOT_SUPPORTED", {}),
    "not UTF-8": (post(b'{"query": "\xff\xfe"}'), 400, "INVALID_JSON", {"reason": "encoding"}),
    "a lone surrogate": (post(b'{"query": "\\ud800"}'), 400, "INVALID_JSON", {}),
    "bad JSON": (post(b'{"query": '), 400, "INVALID_JSON", {"reason": "syntax"}),
    "JSON 1,000 deep": (
        post(
            b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 1000 + b"]" * 1000 + b"}}"
        ),
        400,
        "INVALID_JSON",
        {"reason": "depth", "field": "variables"},
    ),
    "no query": (post({"variables": {}}), 400, "INVALID_REQUEST", {"field": "query"}),
    "query not a string": (post({"query": 5}), 400, "INVALID_REQUEST", {"field": "query"}),
    "variables not an object": (
        post({"query": "{ __typename }", "variables": [1]}),
        400,
        "INVALID_REQUEST",
        {"field": "variables"},
    ),
    "operationName not a string": (
        post({"query": "{ __typename }", "operationName": 5}),
        400,
        "INVALID_REQUEST",
        {"field": "operationName"},
    ),
    "a NUL in a variable": (
        post(search(5, "宁\u0000夏")),
        400,
        "INVALID_CHARACTERS",
        {"field": "variables"},
    ),
    "a NUL in a string literal": (
        post({"query": '{ subject(code: "\\u0000") { code } }'}),
        200,
        "INVALID_CHARACTERS",
        {},
    ),
    "a mutation over GET": (
        get("?query=mutation%20%7B%20unbindIdentity%20%7D"),
        405,
        "METHOD_NOT_ALLOWED",
        {"allow": "POST"},
    ),
    "a GET without a query": (get(""), 400, "INVALID_REQUEST", {"field": "query"}),
    "a GET without a query, accepting anything": (
        ("GET", "/graphql", b"", {"Accept": "*/*"}),
        400,
        "INVALID_REQUEST",
        {"field": "query"},
    ),
    "a PUT": (("PUT", "/graphql", b"{}", JSON_TYPE), 405, "METHOD_NOT_ALLOWED", {}),
    "an unknown operationName": (
        post({"query": "query A { __typename }", "operationName": "B"}),
        200,
        "OPERATION_NOT_FOUND",
        {},
    ),
    "Int given a string": (post(search("x")), 200, "INVALID_VARIABLES", {}),
    "Int of 2^31": (post(search(2**31)), 200, "INVALID_VARIABLES", {}),
    "Int of 2^64": (post(search(2**64)), 200, "INVALID_VARIABLES", {}),
    "Date of 2026-02-30": (
        post({"query": STATS, "variables": {"a": "2026-01-01", "b": "2026-02-30"}}),
        200,
        "INVALID_VARIABLES",
        {},
    ),
    "a year past 9999": (
        post({"query": STATS, "variables": {"a": "2026-01-01", "b": "10000-01-01"}}),
        200,
        "INVALID_VARIABLES",
        {},
    ),
    "a value outside its enum, a missing field, a Decimal of abc": (
        post({"query": PRECHECK, "variables": {"i": {"purpose": "NOPE", "amount": "abc"}}}),
        200,
        "INVALID_VARIABLES",
        {},
    ),
    "a chain of 600 fragments": (
        post({"query": HOSTILE_DOCUMENTS[0]}),
        200,
        "QUERY_TOO_DEEP",
        {"maximum": 200},
    ),
}


async def test_every_malformed_kind_on_one_kept_connection(
    edge_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    found: dict[str, tuple[int, list[dict[str, Any]]]] = {}
    async with RawConnection.open(edge_url) as conn:
        for name, ((method, target, body, headers), _, _, _) in CASES.items():
            answer = await conn.send(method, target, body, headers)
            assert answer.headers["content-type"].startswith("application/json"), name
            found[name] = (answer.status, json.loads(answer.body)["errors"])
        after = await conn.send(*post({"query": "{ __typename }"}))  # the connection is still open
    assert json.loads(after.body)["data"] == {"__typename": "Query"}
    for name, (_, status, code, extra) in CASES.items():
        got_status, errors = found[name]
        assert (got_status, errors[0]["extensions"]["code"]) == (status, code), name
        assert extra.items() <= errors[0]["extensions"].items(), name
        assert all(e["message"] for e in errors), name
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_client_mistake_is_not_logged_with_its_document(
    edge_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # strawberry's own logger wrote each syntax and validation error, with an excerpt of the
    # document, at ERROR.
    caplog.set_level(logging.DEBUG)
    async with RawConnection.open(edge_url) as conn:
        for query in (f'{{ subject(code: "{SYNTHETIC_ID}") {{ nope }} }}', f"# {SYNTHETIC_ID}\n{{"):
            answer = await conn.send(*post({"query": query}))
            assert json.loads(answer.body)["errors"][0]["extensions"]["code"].startswith("GRAPHQL")
    assert caplog.records, "nothing was logged: the test would prove nothing"
    assert not any(r.name.startswith("strawberry") for r in caplog.records)
    assert not any(SYNTHETIC_ID in r.getMessage() for r in caplog.records)
    assert all(r.levelno <= logging.INFO for r in caplog.records if r.name.startswith("gateway"))


class _Heard(logging.Handler):
    """Sets ``event`` when ``message`` is logged: the server's side of a disconnect has run."""

    def __init__(self, message: str) -> None:
        super().__init__(logging.DEBUG)
        self.message = message
        self.event = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() == self.message:
            self.event.set()


async def test_a_client_gone_before_its_body_arrived_is_not_an_error(
    edge_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    heard = _Heard("client went away")
    logging.getLogger("gateway.edge_view").addHandler(heard)
    try:
        parts = urlsplit(edge_url)
        _, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"query": '
        )
        await writer.drain()
        writer.close()
        await asyncio.wait_for(heard.event.wait(), timeout=10)
    finally:
        logging.getLogger("gateway.edge_view").removeHandler(heard)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
