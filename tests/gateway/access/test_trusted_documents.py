"""Trusted documents: persisted operations by sha256, and callers restricted to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

import httpx
import orjson
import pytest
from pydantic import SecretStr

from gateway.auth import ClientKind, add_client
from gateway.database import Database
from gateway.limits import (
    Edge,
    MemoryRateLimiter,
    bot_operations,
    document_hash,
    register_document,
    requested_hash,
)
from gateway.settings import load_settings
from tests.fakes.servers import serve_app
from tests.gateway.access.graph_app import GraphApp, graph_app

HELLO = "query Hello { hello }\n"
WHOAMI = "query WhoAmI { whoami }\n"
ADMIN = "admin-" + "c" * 40


@pytest.fixture
async def served(migrated: Database) -> AsyncIterator[tuple[GraphApp, httpx.AsyncClient]]:
    settings = load_settings(
        redis_url=None,
        admin_key=SecretStr(ADMIN),
        trusted_documents_only=["public", "bot"],
    )
    edge = Edge(settings, rate_limiter=MemoryRateLimiter(), documents={document_hash(HELLO): HELLO})
    built = graph_app(edge, migrated)
    async with serve_app(built.app) as url, httpx.AsyncClient(base_url=url) as http:
        yield built, http


async def post(http: httpx.AsyncClient, payload: dict[str, Any], **headers: str) -> Any:
    response = await http.post("/graphql", json=payload, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def code_of(body: dict[str, Any]) -> str:
    assert body["data"] is None
    [error] = body["errors"]
    code: str = error["extensions"]["code"]
    return code


def apq(sha: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


async def test_restricted_callers_run_registered_documents_in_every_form(
    served: tuple[GraphApp, httpx.AsyncClient],
) -> None:
    built, http = served
    sha = document_hash(HELLO)
    forms: list[dict[str, Any]] = [
        {"query": HELLO},  # the registered text itself
        {"extensions": apq(sha)},
        {"extensions": apq(sha.upper())},
        {"extensions": {"documentId": f"sha256:{sha}"}},
        {"documentId": f"sha256:{sha}"},
        {"documentId": sha, "operationName": "Hello"},
        {"query": HELLO, "extensions": apq(sha)},
    ]
    for payload in forms:
        assert (await post(http, payload))["data"] == {"hello": "你好"}, payload
    got = await http.get("/graphql", params={"documentId": f"sha256:{sha}"})
    assert got.json()["data"] == {"hello": "你好"}
    got = await http.get("/graphql", params={"extensions": orjson.dumps(apq(sha)).decode()})
    assert got.json()["data"] == {"hello": "你好"}
    assert built.calls["hello"] == len(forms) + 2


async def test_restricted_callers_cannot_send_other_text(
    served: tuple[GraphApp, httpx.AsyncClient],
) -> None:
    built, http = served
    assert code_of(await post(http, {"query": WHOAMI})) == "TRUSTED_DOCUMENT_REQUIRED"
    assert code_of(await post(http, {"query": "{ hello }"})) == "TRUSTED_DOCUMENT_REQUIRED"
    unknown = document_hash(WHOAMI)
    assert code_of(await post(http, {"extensions": apq(unknown)})) == "PERSISTED_QUERY_NOT_FOUND"
    assert code_of(await post(http, {"documentId": "sha256:nonsense"})) == (
        "PERSISTED_QUERY_NOT_FOUND"
    )
    mismatch = {"query": WHOAMI, "extensions": apq(document_hash(HELLO))}
    assert code_of(await post(http, mismatch)) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert not built.calls


async def test_unrestricted_callers_send_any_text_and_may_use_hashes(
    served: tuple[GraphApp, httpx.AsyncClient],
) -> None:
    built, http = served
    admin = {"authorization": f"Bearer {ADMIN}"}
    assert (await post(http, {"query": WHOAMI}, **admin))["data"] == {"whoami": "operator"}
    by_hash = {"extensions": apq(document_hash(HELLO))}
    assert (await post(http, by_hash, **admin))["data"] == {"hello": "你好"}
    # Sending text with its hash never registers it (a client cannot make a text trusted).
    await post(http, {"query": WHOAMI, "extensions": apq(document_hash(WHOAMI))}, **admin)
    assert code_of(await post(http, {"extensions": apq(document_hash(WHOAMI))})) == (
        "PERSISTED_QUERY_NOT_FOUND"
    )
    assert built.calls == {"whoami": 2, "hello": 1}


async def test_documents_registered_in_the_database(
    served: tuple[GraphApp, httpx.AsyncClient], migrated: Database, unique: str
) -> None:
    built, http = served
    text = f"query Who{unique} {{ whoami }}\n"
    assert code_of(await post(http, {"query": text})) == "TRUSTED_DOCUMENT_REQUIRED"
    async with migrated.pool.acquire() as conn:
        sha = await register_document(conn, text, name="who")
        assert await register_document(conn, text) == sha
    assert (await post(http, {"query": text}))["data"] == {"whoami": "public"}
    assert (await post(http, {"documentId": f"sha256:{sha}"}))["data"] == {"whoami": "public"}
    assert built.calls["whoami"] == 2


async def test_the_bot_is_restricted_too(
    served: tuple[GraphApp, httpx.AsyncClient], migrated: Database
) -> None:
    built, http = served
    async with migrated.pool.acquire() as conn:
        _, bot_key = await add_client(
            conn,
            kind=ClientKind.BOT,
            name="对话机器人",
            scopes=[],
            expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
        )
    bot = {"authorization": f"Bearer {bot_key}"}
    assert code_of(await post(http, {"query": WHOAMI}, **bot)) == "TRUSTED_DOCUMENT_REQUIRED"
    assert (await post(http, {"query": HELLO}, **bot))["data"] == {"hello": "你好"}
    assert built.calls == {"hello": 1}


def test_requested_hash_forms() -> None:
    assert requested_hash(None) is None
    assert requested_hash({}) is None
    assert requested_hash({"persistedQuery": {"sha256Hash": "AB"}}) == "ab"
    assert requested_hash({"documentId": "sha256:CD"}) == "cd"
    assert requested_hash({"persistedQuery": "x", "other": 1}) is None


def test_the_bots_operation_files_are_registered() -> None:
    folder = resources.files("bot") / "operations"
    files = [e for e in folder.iterdir() if e.name.endswith(".graphql")] if folder.is_dir() else []
    known = bot_operations()
    assert len(known) == len({e.read_text(encoding="utf-8") for e in files})
    for entry in files:
        text = entry.read_text(encoding="utf-8")
        assert known[document_hash(text)] == text
