"""The GraphQL-over-HTTP audit (graphql-http's ``auditServer``), run by Node against the gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.database import Database
from gateway.settings import RateLimits, Settings
from tests.fakes.node_tools import run_node_tool
from tests.fakes.servers import serve_app


@pytest.fixture(scope="module")
async def audited_url(settings: Settings, seeded_database: Database) -> AsyncIterator[str]:
    # The audit sends ~70 anonymous requests in a burst; the public rate limit is not its subject.
    tuned = settings.model_copy(update={"rate_limits": RateLimits(public=10_000)})
    app: Starlette = create_app(tuned, database=seeded_database)
    async with serve_app(app) as url:
        yield f"{url}/graphql"


async def test_every_must_and_should_of_the_audit_passes(audited_url: str) -> None:
    results = await run_node_tool("audit.mjs", audited_url)
    not_ok = [f"{r['status']}: {r['name']} — {r['reason']}" for r in results if r["status"] != "ok"]
    assert not_ok == []
    assert len(results) >= 61, len(results)


@pytest.mark.parametrize(
    ("accept", "content_type", "status"),
    [
        ("application/graphql-response+json", "application/graphql-response+json", 400),
        ("application/json", "application/json", 200),
        (None, "application/json", 200),
        ("application/graphql-response+json;q=0.5, application/json", "application/json", 200),
    ],
)
async def test_a_document_that_fails_validation_is_a_400_only_for_the_new_media_type(
    audited_url: str, accept: str | None, content_type: str, status: int
) -> None:
    headers = {"accept": accept} if accept else {}
    async with httpx.AsyncClient() as http:
        response = await http.post(audited_url, json={"query": "{ noSuchField }"}, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(content_type)
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert ("data" in body) is (content_type == "application/json")
