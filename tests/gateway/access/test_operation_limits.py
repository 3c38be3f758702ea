"""Malicious and oversized documents are refused before any resolver runs (over real HTTP)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from pydantic import SecretStr

from gateway.database import Database
from gateway.limits import Edge, MemoryRateLimiter
from gateway.settings import Settings, load_settings
from tests.fakes.servers import serve_app
from tests.gateway.access.graph_app import GraphApp, graph_app, post_declaring

ADMIN = "admin-" + "a" * 40


def edge_settings(**changes: Any) -> Settings:
    base: dict[str, Any] = {
        "mode": "production",
        "redis_url": None,
        "admin_key": SecretStr(ADMIN),
        "trusted_documents_only": [],
    }
    base.update(changes)
    return load_settings(**base)


@pytest.fixture
async def served(
    request: pytest.FixtureRequest, migrated: Database
) -> AsyncIterator[tuple[GraphApp, httpx.AsyncClient]]:
    marker = request.node.get_closest_marker("edge_settings")
    settings = edge_settings(**(marker.kwargs if marker else {}))
    built = graph_app(Edge(settings, rate_limiter=MemoryRateLimiter()), migrated)
    async with serve_app(built.app) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        yield built, http


async def post(http: httpx.AsyncClient, query: str, **headers: str) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") is None
    [error] = body["errors"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])  # in Chinese
    found: dict[str, Any] = error["extensions"]
    return found


def aliases(n: int) -> str:
    return "{ " + " ".join(f"a{i}: hello" for i in range(n)) + " }"


def deep(levels: int) -> str:
    return "{ item { " + "parent { " * (levels - 2) + "id" + " }" * (levels - 1) + " }"


async def test_a_plain_query_runs(served: tuple[GraphApp, httpx.AsyncClient]) -> None:
    built, http = served
    body = await post(http, "{ hello whoami }")
    assert body["data"] == {"hello": "你好", "whoami": "public"}
    assert built.calls == {"hello": 1, "whoami": 1}


async def test_depth_100_is_refused(served: tuple[GraphApp, httpx.AsyncClient]) -> None:
    built, http = served
    ext = only_error(await post(http, deep(100)))
    assert ext == {"code": "QUERY_TOO_DEEP", "depth": 100, "maximum": 15}
    assert not built.calls
    assert "data" in await post(http, deep(15))
    assert only_error(await post(http, deep(16)))["code"] == "QUERY_TOO_DEEP"


async def test_ten_thousand_aliases_are_refused(served: tuple[GraphApp, httpx.AsyncClient]) -> None:
    built, http = served
    ext = only_error(await post(http, aliases(10_000)))
    assert ext == {"code": "TOO_MANY_TOKENS", "maximum": 5000}
    assert not built.calls


@pytest.mark.edge_settings(max_tokens=1_000_000)
async def test_aliases_are_counted_before_validation(
    served: tuple[GraphApp, httpx.AsyncClient],
) -> None:
    built, http = served
    ext = only_error(await post(http, aliases(10_000)))
    assert ext == {"code": "TOO_MANY_ALIASES", "aliases": 10_000, "maximum": 30}
    assert only_error(await post(http, aliases(31)))["code"] == "TOO_MANY_ALIASES"
    assert not built.calls
    assert len((await post(http, aliases(30)))["data"]) == 30


async def test_a_cost_bomb_through_nested_connections_is_refused(
    served: tuple[GraphApp, httpx.AsyncClient],
) -> None:
    built, http = served
    bomb = """{ items(first: 100) { edges { node { children(first: 100) { edges { node {
                children(first: 100) { edges { node { id } } } } } } } } } }"""
    ext = only_error(await post(http, bomb))
    assert ext["code"] == "QUERY_TOO_COSTLY"
    assert ext["budget"] == 500
    assert ext["cost"] > 1_000_000
    assert not built.calls


async def test_the_budget_is_per_principal(served: tuple[GraphApp, httpx.AsyncClient]) -> None:
    built, http = served
    query = "{ items(first: 50) { edges { node { children(first: 20) { totalCount } } } } }"
    # 1 + 50 × (1 + 1 + (1 + 20 × 1)) = 1,151: over the public 500, under the operator's 10,000
    ext = only_error(await post(http, query))
    assert (ext["code"], ext["cost"]) == ("QUERY_TOO_COSTLY", 1151)
    assert not built.calls
    body = await post(http, query, authorization=f"Bearer {ADMIN}")
    assert "errors" not in body
    assert built.calls["items"] == 1


async def test_a_five_megabyte_body_is_refused(served: tuple[GraphApp, httpx.AsyncClient]) -> None:
    built, http = served
    start = b'{"query": "{ hello }' + b" " * 65_536
    status, body = await post_declaring(str(http.base_url), "/graphql", 5_000_000, start)
    assert status == 413
    assert orjson.loads(body)["errors"][0]["extensions"] == {
        "code": "PAYLOAD_TOO_LARGE",
        "maximum": 1_000_000,
    }
    assert not built.calls


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{ hello }", "application/graphql"),
        (b"query=%7B+hello+%7D", "application/x-www-form-urlencoded"),
        (b'{"query": "{ hello }"}', "text/plain"),
        (b'{"query": "{ hello }"}', ""),
    ],
)
async def test_post_needs_json(
    served: tuple[GraphApp, httpx.AsyncClient], content: bytes, content_type: str
) -> None:
    built, http = served
    headers = {"content-type": content_type} if content_type else {}
    response = await http.post("/graphql", content=content, headers=headers)
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    ok = await http.post(
        "/graphql",
        content=b'{"query": "{ hello }"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert ok.json()["data"] == {"hello": "你好"}
    assert built.calls == {"hello": 1}


async def test_get_runs_queries_only(served: tuple[GraphApp, httpx.AsyncClient]) -> None:
    built, http = served
    ok = await http.get("/graphql", params={"query": "{ hello }"})
    assert ok.json()["data"] == {"hello": "你好"}
    refused = await http.get("/graphql", params={"query": "mutation { touch }"})
    assert refused.status_code in (400, 405)
    assert built.calls == {"hello": 1}


async def test_introspection_is_off_for_the_anonymous_in_production(
    served: tuple[GraphApp, httpx.AsyncClient],
) -> None:
    built, http = served
    query = "{ __schema { queryType { name } } }"
    assert only_error(await post(http, query)) == {"code": "INTROSPECTION_DISABLED"}
    nested = '{ hello ...F } fragment F on Query { __type(name: "Item") { name } }'
    assert only_error(await post(http, nested)) == {"code": "INTROSPECTION_DISABLED"}
    assert not built.calls
    allowed = await post(http, query, authorization=f"Bearer {ADMIN}")  # holds schema:read
    assert allowed["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    assert (await post(http, "{ hello __typename }"))["data"]["__typename"] == "Query"


@pytest.mark.edge_settings(mode="demo")
async def test_introspection_is_on_for_everyone_in_demo_mode(
    served: tuple[GraphApp, httpx.AsyncClient],
) -> None:
    _, http = served
    body = await post(http, "{ __schema { queryType { name } } }")
    assert body["data"] == {"__schema": {"queryType": {"name": "Query"}}}


async def test_invalid_documents_still_get_graphql_validation(
    served: tuple[GraphApp, httpx.AsyncClient],
) -> None:
    built, http = served
    body = await post(http, "{ nope }")
    assert body["data"] is None
    assert "nope" in body["errors"][0]["message"]
    assert not built.calls
