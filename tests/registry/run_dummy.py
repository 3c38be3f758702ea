"""Run in a fresh interpreter by ``test_dummy_bureau``: register the dummy bureau, then build
the gateway exactly as production does and ask it what a client would; print what was seen.

    python -m tests.registry.run_dummy   # DATABASE_URL: a migrated database

Nothing in the gateway names the dummy bureau: it appears through the registry alone.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import secrets
from typing import Any

from tests.registry.dummy_bureau import DECIDED, install

install()  # before the gateway is imported: its settings, enums and loaders are derived

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from credit.access import (  # noqa: E402
    ClientScope,
    ConsentScope,
    Principal,
    PrincipalKind,
    bureau_scope,
    person_subject_key,
)
from gateway import consents  # noqa: E402
from gateway.app import create_app  # noqa: E402
from gateway.auth.clients import ClientKind, add_client  # noqa: E402
from gateway.database import Database  # noqa: E402
from gateway.demo import ensure_demo_bot, with_bureaus  # noqa: E402
from gateway.settings import DEMO_SUBJECT_KEY_SECRET, load_settings  # noqa: E402
from simulators.runner import run_bureaus, simulators  # noqa: E402
from simulators.world import World, WorldConfig  # noqa: E402
from tests.conftest import live_binding  # noqa: E402
from tests.fakes.servers import serve_app  # noqa: E402

RECORDS = "{ e: enterprise(uscc: $u) { records(filter: {sources: [DUMMY]}) { edges { node { id source kind } } } } }"  # noqa: E501
TWO = """query($a: String!, $b: String!) {
  a: enterprise(uscc: $a) { records(filter: {sources: [DUMMY]}) { edges { node { id } } } }
  b: enterprise(uscc: $b) { records(filter: {sources: [DUMMY]}) { edges { node { id } } } } }"""
GATED = (
    "query($u: String!) { enterprise(uscc: $u) { consentedRecords(source: DUMMY) { id source } } }"
)
OBJECT = """mutation($i: FileObjectionInput!) {
  fileObjection(input: $i) { id status deadline deadlineBasis } }"""
DECIDE = """mutation($i: DecideCaseInput!) { decideCase(input: $i) {
  status decision { correction } } }"""
ENUMS = '{ s: __type(name: "Source") { enumValues { name } } c: __type(name: "ConsentScopeEnum") { enumValues { name } } }'  # noqa: E501


async def objection(gateway: Any, ask: Any, uscc: str, rep: str, bot: str, officer: str) -> Any:
    """The firm's legal representative ``rep`` objects to its DP- record; the dummy bureau's
    officer upholds it; the outbox delivers the decision to the dummy simulator."""
    key = person_subject_key(rep, DEMO_SUBJECT_KEY_SECRET)
    binding = await live_binding(gateway.database.pool, key, rep)
    token = gateway.edge.authenticator.issue_subject_token(key, binding, (uscc,))
    citizen = {"Authorization": f"Bearer {bot}", "X-Subject-Token": token}
    objection = {"subjectCode": uscc, "source": "DUMMY", "recordId": f"DP-{uscc}",
                 "target": "CONTENT", "reason": "许可内容有误"}  # fmt: skip
    filed = await ask(OBJECT, citizen, i=objection)
    case = (filed.get("data") or {}).get("fileObjection") or {}
    upheld = {"caseId": case.get("id", ""), "outcome": "UPHELD", "reasons": ["经核查属实"],
              "correction": {"action": "WITHDRAW"}}  # fmt: skip
    decided = await ask(DECIDE, {"Authorization": f"Bearer {officer}"}, i=upheld)
    await gateway.rights_outbox.deliver_due()
    after = await ask("query($u: String!) " + RECORDS, u=uscc)
    return {"filed": filed, "decided": decided, "after": after}


async def main() -> dict[str, Any]:
    dsn = os.environ["DATABASE_URL"]
    world = World.generate(WorldConfig(seed=99, enterprises=50))
    first, second = sorted(world.registrations)[:2]
    names = list(simulators())
    keys = {name: f"key-{name}-{secrets.token_hex(4)}" for name in names}
    token_secrets = {
        n: secrets.token_urlsafe(16).encode() for n, s in simulators().items() if s.gated
    }
    seen: dict[str, Any] = {"simulators": names}
    async with run_bureaus(world, keys, secrets=token_secrets) as running:
        urls = {name: r.url for name, r in running.items()}
        settings = with_bureaus(load_settings(mode="demo"), urls, keys, token_secrets)
        settings = settings.model_copy(update={"trusted_documents_only": []})
        seen["timeout_s"] = settings.bureaus.of("dummy").timeout_s
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
        bank_id = f"dummy-bank-{secrets.token_hex(4)}"
        async with pool.acquire() as conn:
            client, key = await add_client(
                conn,
                kind=ClientKind.BANK,
                name="演示部门测试银行",
                scopes=["subject:read"],
                expires_at=None,
                bank_id=bank_id,
            )
            bot_key = await ensure_demo_bot(conn)
            _, officer_key = await add_client(  # bureau:dummy is a scope because it decides
                conn,
                kind=ClientKind.OFFICER,
                name="演示部门审核员",
                scopes=[ClientScope.OBJECTION_REVIEW, bureau_scope("dummy")],
                expires_at=None,
            )
            consent = await consents.grant(
                conn,
                by=Principal(
                    kind=PrincipalKind.CITIZEN, subject_key="rep", represents=frozenset({first})
                ),
                subject_code=first,
                bank_id=bank_id,
                scopes=[ConsentScope("dummy")],
                purpose="信易贷贷前审查",
                ends_on=dt.date.today() + dt.timedelta(days=30),
                now=dt.datetime.now(dt.UTC),
                max_days=settings.consent_max_days,
            )
        app = create_app(
            settings,
            database=Database(pool=pool, dsn=dsn),
            today=lambda: DECIDED + dt.timedelta(days=30),
        )
        dummy = running["dummy"].service.state
        async with serve_app(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:

            async def ask(query: str, headers: dict[str, str] | None = None, **v: Any) -> Any:
                body = {"query": query, "variables": v}
                answer = await http.post("/graphql", json=body, headers=headers or {})
                return answer.json()

            seen["enums"] = await ask(ENUMS)
            dummy.reset()
            seen["two"] = await ask(TWO, a=first, b=second)
            seen["two_calls"] = dict(dummy.calls)
            bank = {"Authorization": f"Bearer {key}", "X-Purpose": "LOAN_PRECHECK"}
            dummy.reset()
            seen["refused"] = await ask(GATED, bank, u=second)
            seen["refused_calls"] = dict(dummy.calls)
            seen["consented"] = await ask(GATED, bank, u=first)
            seen["consented_calls"] = dict(dummy.calls)
            seen["public"] = await ask("query($u: String!) " + RECORDS, u=first)
            rep = world.registrations[first].legal_rep_id
            gateway = app.state.gateway
            seen["rights"] = await objection(gateway, ask, first, rep, bot_key, officer_key)
            seen["rights_calls"] = dict(dummy.calls)
            seen["received"] = sorted(world.amendments.decisions)
        async with pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT scopes, consent_id AS cid FROM audit_log WHERE client_id = $1",
                client.id,
            )
        seen["audit"] = [{"scopes": list(r["scopes"]), "consent": r["cid"]} for r in rows]
        seen["consent_id"] = consent.id
        await pool.close()
    return seen


if __name__ == "__main__":
    print("SEEN " + json.dumps(asyncio.run(main()), ensure_ascii=False))
