"""Objections and repairs through the real gateway, PostgreSQL and bureau simulators."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
from starlette.applications import Starlette

from credit.classification import classify
from credit.publicity import repairable_from
from credit.records import CreditRecord, RepairStatus
from gateway.database import Database
from simulators.world import World
from tests.gateway.rights.conftest import (
    POLICY,
    TODAY,
    Caller,
    codes,
    gql,
    never_repairable,
    not_yet_repairable,
    repairable_today,
)

REASON = "已履行处罚决定并作出信用承诺"
Pick = Callable[[Callable[[CreditRecord], bool]], tuple[str, str, CreditRecord]]

RECORDS = """query($c: String!) { enterprise(uscc: $c) {
  records(first: 30) { edges { node { id source rightsState repairStatus } } }
  classification { creditClass }
} }"""
COMMITMENT = """query($s: Source!, $r: String!, $c: String) {
  repairCommitment(source: $s, recordId: $r, subjectCode: $c) { text version channel } }"""
CASE = """id kind status statusText round deadline deadlineBasis overdue channel statement
  commitment attachments { name size } decision { outcome reasons correction deliveredAt }"""
APPLY = f"""mutation($i: RepairApplicationInput!) {{ applyCreditRepair(input: $i) {{ {CASE} }} }}"""
OBJECT = f"""mutation($i: FileObjectionInput!) {{ fileObjection(input: $i) {{ {CASE} }} }}"""
DECIDE = f"""mutation($i: DecideCaseInput!) {{ decideCase(input: $i) {{ {CASE} }} }}"""
WITHDRAW_REPAIR = """mutation($id: ID!) { withdrawRepair(caseId: $id) { id status } }"""
QUEUE = f"""query($b: Source) {{ reviewQueue(bureau: $b) {{ {CASE} recordId }} }}"""
MINE = f"""query {{ myCases {{ {CASE} }} }}"""


def shown(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    edges = body["data"]["enterprise"]["records"]["edges"]
    return {e["node"]["id"]: e["node"] for e in edges}


def repair_input(uscc: str, record: CreditRecord, **more: Any) -> dict[str, Any]:
    return {
        "subjectCode": uscc,
        "source": record.source.name,
        "recordId": record.id,
        "statement": "罚款已于2026年3月全额缴纳，违法行为已整改。",
        "commitmentAccepted": True,
        **more,
    }


def objection_input(uscc: str, record: CreditRecord, **more: Any) -> dict[str, Any]:
    return {
        "subjectCode": uscc,
        "source": record.source.name,
        "recordId": record.id,
        "target": "CONTENT",
        "reason": "处罚对象错误：该日本企业未在该地点经营（另附租赁合同）。",
        **more,
    }


async def delivered(app: Starlette) -> None:
    """One pass of the outbox, and the end of any pass the background loop has under way
    (its rows stay locked until it has written what happened)."""
    gateway = app.state.gateway
    await gateway.rights_outbox.deliver_due()
    async with gateway.database.pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT id FROM rights_outbox FOR UPDATE")


async def test_an_accepted_repair_ends_publicity_and_bank_sharing_on_the_next_request(
    rights_as: Caller, firms: Pick, rights_app: Starlette, rights_world: World
) -> None:
    uscc, rep, record = firms(repairable_today)
    async with rights_as() as public, rights_as("bank") as bank:
        before_public = shown(await gql(public, RECORDS, c=uscc))  # warms the caches
        before_bank = shown(await gql(bank, RECORDS, c=uscc))
    assert before_public[record.id]["rightsState"] is None
    assert record.id in before_bank
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        commitment = await gql(me, COMMITMENT, s=record.source.name, r=record.id, c=uscc)
        text = commitment["data"]["repairCommitment"]["text"]
        assert record.title in text
        filed = await gql(me, APPLY, i=repair_input(uscc, record))
    case = filed["data"]["applyCreditRepair"]
    assert case["status"] == "OPEN"
    assert case["commitment"] == text  # the wording accepted is the wording stored
    assert case["channel"] in ("国家企业信用信息公示系统", "“信用中国”网站")
    async with rights_as() as public, rights_as("bank") as bank:
        assert shown(await gql(public, RECORDS, c=uscc))[record.id]["rightsState"] == (
            "REPAIR_PENDING"
        )
        assert shown(await gql(bank, RECORDS, c=uscc))[record.id]["rightsState"] == (
            "REPAIR_PENDING"
        )
    officer = "officer" if record.source.value == "market" else "national_officer"
    async with rights_as(officer) as desk:
        queue = await gql(desk, QUEUE)
        assert case["id"] in [c["id"] for c in queue["data"]["reviewQueue"]]
        accept = {"caseId": case["id"], "outcome": "ACCEPTED", "reasons": [REASON]}
        decided = await gql(desk, DECIDE, i=accept)
    assert decided["data"]["decideCase"]["status"] == "ACCEPTED"
    # The very next request — caches still warm, delivery or not — no longer shows it.
    async with rights_as() as public, rights_as("bank") as bank:
        answer = await public.post("/graphql", json={"query": RECORDS, "variables": {"c": uscc}})
        after_public = shown(answer.json())
        after_bank = shown(await gql(bank, RECORDS, c=uscc))
    assert record.id not in after_public
    assert record.id not in after_bank
    assert any(p["source"] == "rights" for p in answer.json()["extensions"]["provenance"])
    await delivered(rights_app)
    facts = rights_world.facts(uscc)
    assert facts is not None
    served = next(r for r in facts.records() if r.id == record.id)
    assert served.repair_status is RepairStatus.REPAIRED  # the bureau has it too
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        mine = shown(await gql(me, RECORDS, c=uscc))  # the subject still sees it, repaired
        listed = await gql(me, MINE)
    assert "errors" not in listed, listed
    cases = listed["data"]["myCases"]
    assert mine[record.id]["rightsState"] == "REPAIRED"
    done = next(c for c in cases if c["id"] == case["id"])
    assert done["decision"]["reasons"] == [REASON]
    assert done["decision"]["deliveredAt"] is not None


async def test_an_upheld_objection_changes_the_record_and_the_classification(
    rights_as: Caller,
    firms: Pick,
    rights_app: Starlette,
    rights_world: World,
    rights_bureaus: dict[str, Any],
) -> None:
    def changes_class(record: CreditRecord) -> bool:
        if not repairable_today(record) and not not_yet_repairable(record):
            return False
        facts = rights_world.facts(record.subject_code)
        assert facts is not None
        everything = facts.records()
        rest = [r for r in everything if r.id != record.id]
        return (
            classify(everything, TODAY, POLICY).credit_class
            != classify(rest, TODAY, POLICY).credit_class
        )

    uscc, rep, record = firms(changes_class)
    async with rights_as() as public:
        before = await gql(public, RECORDS, c=uscc)
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        case = (await gql(me, OBJECT, i=objection_input(uscc, record)))["data"]["fileObjection"]
    async with rights_as() as public, rights_as("bank") as bank:
        assert shown(await gql(public, RECORDS, c=uscc))[record.id]["rightsState"] == (
            "OBJECTION_PENDING"
        )  # marked, not hidden
        bank_view = await bank.post("/graphql", json={"query": QUEUE})
    assert codes(bank_view.json()) == ["FORBIDDEN"]  # a bank never reads the objection
    officer = "officer" if record.source.value == "market" else "national_officer"
    async with rights_as(officer) as desk:
        decided = await gql(desk, DECIDE, i={
            "caseId": case["id"], "outcome": "UPHELD", "reasons": ["经核查，处罚对象认定错误"],
            "correction": {"action": "WITHDRAW"}})  # fmt: skip
    assert decided["data"]["decideCase"]["decision"]["correction"] == "WITHDRAW"
    await delivered(rights_app)
    bureau = rights_bureaus[record.source.value].service.state
    calls = bureau.total_calls  # the cache was warm since `before` (no request since)
    async with rights_as() as public:
        after = await gql(public, RECORDS, c=uscc)
    assert bureau.total_calls > calls  # the delivery dropped the cached answer: asked again
    assert record.id not in shown(after)
    assert (
        after["data"]["enterprise"]["classification"]["creditClass"]
        != before["data"]["enterprise"]["classification"]["creditClass"]
    )
    facts = rights_world.facts(uscc)
    assert facts is not None
    assert next(r for r in facts.records() if r.id == record.id).deleted_on == TODAY


async def test_a_refusal_reaches_the_citizen_with_its_reasons(
    rights_as: Caller, firms: Pick
) -> None:
    uscc, rep, record = firms(repairable_today)
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        case = (await gql(me, APPLY, i=repair_input(uscc, record)))["data"]["applyCreditRepair"]
    officer = "officer" if record.source.value == "market" else "national_officer"
    async with rights_as(officer) as desk:
        await gql(desk, DECIDE, i={"caseId": case["id"], "outcome": "REFUSED",
                                   "reasons": ["未提交罚款缴纳凭证"]})  # fmt: skip
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        cases = (await gql(me, MINE))["data"]["myCases"]
        again = await gql(me, OBJECT, i=objection_input(uscc, record, target="REPAIR_DECISION"))
    mine = next(c for c in cases if c["id"] == case["id"])
    assert mine["status"] == "REFUSED"
    assert mine["decision"]["reasons"] == ["未提交罚款缴纳凭证"]
    assert again["data"]["fileObjection"]["status"] == "OPEN"  # objecting to the refusal


async def test_refusals_have_precise_codes_and_write_nothing(
    rights_as: Caller, firms: Pick, rights_db: Database
) -> None:
    async def rows() -> tuple[int, int, int]:
        async with rights_db.pool.acquire() as conn:
            return (
                await conn.fetchval("SELECT count(*) FROM rights_cases"),
                await conn.fetchval("SELECT count(*) FROM rights_events"),
                await conn.fetchval("SELECT count(*) FROM rights_attachments"),
            )

    uscc, rep, record = firms(repairable_today)
    later_uscc, later_rep, later = firms(not_yet_repairable)
    never_uscc, never_rep, never = firms(never_repairable)
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        first = await gql(me, OBJECT, i=objection_input(uscc, record, idempotencyKey="k-1"))
        case_id = first["data"]["fileObjection"]["id"]
        before = await rows()
        same = await gql(me, OBJECT, i=objection_input(uscc, record, idempotencyKey="k-1"))
        assert same["data"]["fileObjection"]["id"] == case_id  # a double submit: one case
        changed = objection_input(uscc, record, idempotencyKey="k-1", reason="另一个理由")
        assert codes(await gql(me, OBJECT, i=changed)) == ["IDEMPOTENCY_CONFLICT"]
        assert codes(await gql(me, OBJECT, i=objection_input(uscc, record))) == [
            "OBJECTION_ALREADY_OPEN"
        ]
        big = {"name": "证明.txt", "mediaType": "text/plain",
               "contentBase64": base64.b64encode(b"a" * (POLICY_MAX + 1)).decode()}  # fmt: skip
        exe = {"name": "证明.pdf", "mediaType": "application/pdf",
               "contentBase64": base64.b64encode(b"MZ\x90\x00").decode()}  # fmt: skip
        assert codes(await gql(me, APPLY, i=repair_input(uscc, record, attachments=[big]))) == [
            "ATTACHMENT_TOO_LARGE"
        ]
        assert codes(await gql(me, APPLY, i=repair_input(uscc, record, attachments=[exe]))) == [
            "ATTACHMENT_TYPE_NOT_ALLOWED"
        ]
        no_promise = repair_input(uscc, record, commitmentAccepted=False)
        assert codes(await gql(me, APPLY, i=no_promise)) == ["COMMITMENT_REQUIRED"]
        assert await rows() == before  # nothing half-written
    async with rights_as(citizen=later_rep, represents=(later_uscc,)) as me:
        early = await gql(me, APPLY, i=repair_input(later_uscc, later))
    assert codes(early) == ["REPAIR_NOT_YET"]
    day = repairable_from(later, POLICY)
    assert day is not None
    assert early["errors"][0]["extensions"]["repairableFrom"] == day.isoformat()
    assert day.isoformat() in early["errors"][0]["message"]
    async with rights_as(citizen=never_rep, represents=(never_uscc,)) as me:
        refused = await gql(me, APPLY, i=repair_input(never_uscc, never))
    assert codes(refused) == ["NOT_REPAIRABLE"]
    assert "依据" in refused["errors"][0]["message"]
    async with rights_as("court_officer") as court:
        wrong = await gql(court, DECIDE, i={"caseId": case_id, "outcome": "REJECTED",
                                            "reasons": ["无"]})  # fmt: skip
    assert codes(wrong) == ["WRONG_BUREAU"]
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        withdrawn = await gql(
            me, """mutation($id: ID!) { withdrawObjection(caseId: $id) { status } }""", id=case_id
        )
        assert withdrawn["data"]["withdrawObjection"]["status"] == "WITHDRAWN"
        assert codes(await gql(me, WITHDRAW_REPAIR, id=case_id)) == ["CASE_NOT_FOUND"]
    officer = "officer" if record.source.value == "market" else "national_officer"
    async with rights_as(officer) as desk:
        late = await gql(desk, DECIDE, i={"caseId": case_id, "outcome": "REJECTED",
                                          "reasons": ["无"]})  # fmt: skip
    assert codes(late) == ["CASE_WITHDRAWN"]


POLICY_MAX = 256 * 1024


async def test_a_decision_waits_in_the_outbox_while_the_bureau_is_down(
    rights_as: Caller,
    firms: Pick,
    rights_app: Starlette,
    rights_db: Database,
    rights_world: World,
    rights_bureaus: dict[str, Any],
) -> None:
    uscc, rep, record = firms(repairable_today)
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        case = (await gql(me, APPLY, i=repair_input(uscc, record)))["data"]["applyCreditRepair"]
    bureau = rights_bureaus[record.source.value].service
    bureau.state.behaviour.down = True
    officer = "officer" if record.source.value == "market" else "national_officer"
    async with rights_as(officer) as desk:
        await gql(desk, DECIDE, i={"caseId": case["id"], "outcome": "ACCEPTED",
                                   "reasons": ["已履行"]})  # fmt: skip
    await delivered(rights_app)
    async with rights_db.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT attempts, delivered_at, last_error FROM rights_outbox WHERE case_id = $1::uuid",
            case["id"],
        )
        assert row["delivered_at"] is None
        assert row["attempts"] >= 1
        assert row["last_error"] == "SOURCE_UNAVAILABLE"
        facts = rights_world.facts(uscc)
        assert facts is not None
        assert next(r for r in facts.records() if r.id == record.id).repair_status is (
            RepairStatus.NONE
        )
        bureau.state.behaviour.down = False
        await conn.execute(  # the backoff has passed
            "UPDATE rights_outbox SET next_attempt_at = now() WHERE case_id = $1::uuid", case["id"]
        )
        await delivered(rights_app)
        assert (
            await conn.fetchval(
                "SELECT delivered_at FROM rights_outbox WHERE case_id = $1::uuid", case["id"]
            )
            is not None
        )
    facts = rights_world.facts(uscc)
    assert facts is not None
    assert next(r for r in facts.records() if r.id == record.id).repair_status is (
        RepairStatus.REPAIRED
    )


async def test_open_and_overdue_cases_are_the_metrics_gauges(
    rights_as: Caller, firms: Pick, rights_url: str
) -> None:
    """An objection filed is one more open case in ``/metrics`` (issue 16's gauges, fed here)."""

    async def gauges() -> dict[str, float]:
        async with httpx.AsyncClient(base_url=rights_url) as http:
            text = (await http.get("/metrics")).text
        return {
            line.split()[0]: float(line.split()[1])
            for line in text.splitlines()
            if line.startswith("creditgw_rights_cases_")
        }

    before = await gauges()
    uscc, rep, record = firms(repairable_today)
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        filed = await gql(me, OBJECT, i=objection_input(uscc, record, reason="金额记载有误"))
    assert filed["data"]["fileObjection"]["status"] == "OPEN"
    after = await gauges()
    assert after["creditgw_rights_cases_open"] == before["creditgw_rights_cases_open"] + 1
    assert 0 <= after["creditgw_rights_cases_overdue"] <= after["creditgw_rights_cases_open"]


async def test_a_kept_public_answer_shows_an_objection_filed_after_it(
    rights_as: Caller, firms: Pick
) -> None:
    """The response cache keeps the public's answer; filing an objection drops it at once, so
    the very next request shows 异议处理中 (not the kept answer, for its sources' TTL)."""
    uscc, rep, record = firms(repairable_today)
    query = """query($c: String!) { enterprise(uscc: $c) {
      records(first: 30) { edges { node { id rightsState } } } } }"""
    async with rights_as() as public:
        await gql(public, query, c=uscc)
        kept = await gql(public, query, c=uscc)
    assert all(p["cached"] for p in kept["extensions"]["provenance"])  # served as kept
    assert kept["data"]["enterprise"]["records"]["edges"]
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        filed = await gql(me, OBJECT, i=objection_input(uscc, record))
    assert filed["data"]["fileObjection"]["status"] == "OPEN"
    async with rights_as() as public:
        after = await gql(public, query, c=uscc)
    states = {
        e["node"]["id"]: e["node"]["rightsState"]
        for e in after["data"]["enterprise"]["records"]["edges"]
    }
    assert states[record.id] == "OBJECTION_PENDING"
