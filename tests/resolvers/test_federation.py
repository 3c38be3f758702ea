"""The graph as a Federation v2 subgraph (``GATEWAY_FEDERATION=true``): composed with a bank's
own subgraph by the ecosystem's composer (run by Node), and references resolved in batches."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from credit.records import OperatingStatus
from gateway.app import create_app
from gateway.database import Database
from gateway.settings import Settings
from simulators.runner import RunningBureau
from simulators.world import World
from tests.conftest import TEST_WORLD
from tests.fakes.node_tools import run_node_tool
from tests.fakes.servers import serve_app

# A bank's subgraph: it extends our Enterprise with its own loan offers.
BANK_SUBGRAPH = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

type Enterprise @key(fields: "uscc") {
  uscc: String!
  loanOffers: [LoanOffer!]!
}

type LoanOffer {
  product: String!
  limitYuan: String!
}

type Query {
  myOffers: [LoanOffer!]!
}
"""


@pytest.fixture(scope="module")
async def subgraph(
    settings: Settings, seeded_database: Database
) -> AsyncIterator[httpx.AsyncClient]:
    tuned = settings.model_copy(update={"federation": True})
    app: Starlette = create_app(tuned, database=seeded_database, today=lambda: TEST_WORLD.today)
    async with serve_app(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        yield http


async def sdl_of(http: httpx.AsyncClient) -> str:
    body = (await http.post("/graphql", json={"query": "{ _service { sdl } }"})).json()
    sdl: str = body["data"]["_service"]["sdl"]
    return sdl


async def test_the_subgraph_composes_with_a_bank_subgraph_that_extends_enterprise(
    subgraph: httpx.AsyncClient,
) -> None:
    sdl = await sdl_of(subgraph)
    assert 'federation/v2.9"' in sdl
    assert 'type Enterprise implements Subject @key(fields: "uscc"' in sdl
    assert '@key(fields: "id", resolvable: false)' in sdl
    services = [
        {"name": "credit", "url": "http://credit.invalid/graphql", "sdl": sdl},
        {"name": "bank", "url": "http://bank.invalid/graphql", "sdl": BANK_SUBGRAPH},
    ]
    composed = await run_node_tool("compose.mjs", stdin=json.dumps(services))
    assert composed["errors"] == []
    supergraph = composed["supergraphSdl"]
    assert "loanOffers: [LoanOffer!]! @join__field(graph: BANK)" in supergraph
    assert "creditReport" in supergraph


async def test_fifty_entities_make_one_call_per_bureau(
    subgraph: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    codes = [r.uscc for r in world.registrations.values() if r.status is OperatingStatus.ACTIVE]
    codes = codes[:50]
    assert len(codes) == 50
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Enterprise { uscc name creditReport { sections { key count } } } } }"""
    representations = [{"__typename": "Enterprise", "uscc": code} for code in codes]
    body = (
        await subgraph.post("/graphql", json={"query": query, "variables": {"r": representations}})
    ).json()
    assert "errors" not in body, body.get("errors")
    entities = body["data"]["_entities"]
    assert [e["uscc"] for e in entities] == codes
    assert all(e["name"] == world.registrations[e["uscc"]].name for e in entities)
    assert all(len(e["creditReport"]["sections"]) == 8 for e in entities)
    calls = {name: b.service.state.total_calls for name, b in bureaus.items()}
    assert calls["market"] == calls["court"] == calls["national"] == 1, calls
    assert all(n <= 1 for n in calls.values()), calls


async def test_without_the_setting_there_is_no_subgraph(client: httpx.AsyncClient) -> None:
    body = (await client.post("/graphql", json={"query": "{ _service { sdl } }"})).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
