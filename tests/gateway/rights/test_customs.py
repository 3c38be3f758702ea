"""A bureau added after the rights workflows — customs (海关) — takes objections to its records
because its registry entry declares a rights desk: filed, marked, queued for a customs officer,
decided, delivered to the customs simulator over HTTP and applied, through the real gateway
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.applications import Starlette

from credit.calendar import STATUTORY
from credit.records import OperatingStatus
from credit.rights import CaseKind, ObjectionRule, RightsDesk, RightsPolicy, case_deadline
from simulators.customs import customs_file
from simulators.runner import RunningBureau
from simulators.world import World
from tests.gateway.rights.conftest import TODAY, Caller, codes, gql
from tests.gateway.rights.test_workflows import APPLY, CASE, DECIDE, OBJECT, delivered

RECORDS = """query($c: String!) { enterprise(uscc: $c) {
  records(filter: {sources: [CUSTOMS]}) { edges { node { id kind source rightsState } } } } }"""
QUEUE = f"""{{ reviewQueue(bureau: CUSTOMS) {{ {CASE} recordId }} }}"""


def rated_dishonest(
    world: World, used: set[str], rated_before: dt.date | None = None
) -> tuple[str, str, str]:
    """(USCC, its legal representative's ID number, its CUSTOMS_DISHONEST record's id) of a
    firm no other test of the package has taken (rated before ``rated_before``, if given)."""
    for code in world.organisation_codes():
        found = customs_file(world, code)
        reg = world.registrations[code]
        if found is None or found.rating != "失信" or code in used:
            continue
        if rated_before is not None and found.rated_on >= rated_before:
            continue
        if reg.status is OperatingStatus.ACTIVE and code not in world.boundary.values():
            used.add(code)
            return code, reg.legal_rep_id, f"CD-{found.customs_code}"
    raise AssertionError("the test world has no firm rated 失信 by customs")


def customs_nodes(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    edges = body["data"]["enterprise"]["records"]["edges"]
    return {e["node"]["id"]: e["node"] for e in edges}


async def test_a_customs_dishonest_rating_is_objected_to_end_to_end(
    rights_as: Caller,
    rights_world: World,
    used_firms: set[str],
    rights_app: Starlette,
    rights_bureaus: dict[str, RunningBureau],
) -> None:
    uscc, rep, record_id = rated_dishonest(rights_world, used_firms)
    async with rights_as() as public:
        before = customs_nodes(await gql(public, RECORDS, c=uscc))
    assert before[record_id]["kind"] == "CUSTOMS_DISHONEST"
    assert before[record_id]["rightsState"] is None
    reason = "本企业已补缴税款，失信认定所依据的欠税情形已不存在。"
    objection = {"subjectCode": uscc, "source": "CUSTOMS", "recordId": record_id,
                 "target": "CONTENT", "reason": reason}  # fmt: skip
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        filed = await gql(me, OBJECT, i=objection)
    assert "errors" not in filed, filed  # before the customs desk: INVALID_CASE_INPUT
    case = filed["data"]["fileObjection"]
    assert case["status"] == "OPEN"
    # Customs review an objection within 20 days of receipt, calendar days (their own rule).
    rule = RightsDesk(objection=ObjectionRule.CUSTOMS_REVIEW)
    due = case_deadline(CaseKind.OBJECTION, "customs", rule, TODAY, STATUTORY, RightsPolicy())
    assert case["deadline"] == due.due_on.isoformat()
    assert (
        case["deadlineBasis"]
        == "《海关注册登记和备案企业信用管理办法》：收到异议申请之日起20日内复核"
    )
    async with rights_as() as public:
        marked = customs_nodes(await gql(public, RECORDS, c=uscc))
    assert marked[record_id]["rightsState"] == "OBJECTION_PENDING"  # marked, not hidden
    upheld = {"caseId": case["id"], "outcome": "UPHELD", "reasons": ["经复核，欠税已于认定前缴清"],
              "correction": {"action": "WITHDRAW"}}  # fmt: skip
    async with rights_as("officer") as market:
        assert codes(await gql(market, DECIDE, i=upheld)) == ["WRONG_BUREAU"]  # 谁认定、谁修复
    async with rights_as("customs_officer") as desk:
        queue = await gql(desk, QUEUE)
        assert case["id"] in [c["id"] for c in queue["data"]["reviewQueue"]]
        decided = await gql(desk, DECIDE, i=upheld)
    assert decided["data"]["decideCase"]["decision"]["correction"] == "WITHDRAW"
    customs = rights_bureaus["customs"].service.state
    await delivered(rights_app)
    assert customs.calls["rights.decisions"] == 1  # over HTTP, to the customs desk
    assert case["id"] in rights_world.amendments.decisions  # the simulator accepted it
    async with rights_as() as public:
        after = customs_nodes(await gql(public, RECORDS, c=uscc))
    assert record_id not in after


async def test_a_customs_dishonest_rating_is_repaired_end_to_end(
    rights_as: Caller,
    rights_world: World,
    used_firms: set[str],
    rights_app: Starlette,
    rights_bureaus: dict[str, RunningBureau],
) -> None:
    # 署令第251号 第二十六条 [S]: a 失信企业 that corrected itself applies to customs in writing,
    # at the earliest 3 months after the rating; customs decide (谁认定、谁修复).
    uscc, rep, record_id = rated_dishonest(
        rights_world, used_firms, rated_before=TODAY - dt.timedelta(days=92)
    )
    repair = {"subjectCode": uscc, "source": "CUSTOMS", "recordId": record_id,
              "statement": "欠缴税款已于2026年5月全额补缴，已建立关务内控制度。",
              "commitmentAccepted": True}  # fmt: skip
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        filed = await gql(me, APPLY, i=repair)
    assert "errors" not in filed, filed  # before customs declared a route: NOT_REPAIRABLE
    case = filed["data"]["applyCreditRepair"]
    assert (case["status"], case["channel"]) == ("OPEN", "作出认定的海关（书面申请）")
    assert "10个工作日内答复申请人" in case["deadlineBasis"]  # 国办发〔2025〕22号
    async with rights_as() as public:
        marked = customs_nodes(await gql(public, RECORDS, c=uscc))
    assert marked[record_id]["rightsState"] == "REPAIR_PENDING"
    accept = {"caseId": case["id"], "outcome": "ACCEPTED", "reasons": ["已补缴税款并消除不良影响"]}
    async with rights_as("customs_officer") as desk:
        assert (await gql(desk, DECIDE, i=accept))["data"]["decideCase"]["status"] == "ACCEPTED"
    async with rights_as() as public:
        after = customs_nodes(await gql(public, RECORDS, c=uscc))
    assert record_id not in after  # repaired: no longer public
    await delivered(rights_app)
    assert rights_bureaus["customs"].service.state.calls["rights.decisions"] == 1
