"""A citizen objects to their own court-list entry: the SPC 2017 deadlines, the court's
officer alone decides, and the court is told to correct within 3 working days."""

from __future__ import annotations

from starlette.applications import Starlette

from credit.calendar import STATUTORY
from credit.publicity import visible_to_public
from credit.records import RecordKind, Source
from credit.rights import CaseKind, RightsPolicy, case_deadline
from gateway.rights import desk_of
from simulators.world import World
from tests.gateway.rights.conftest import POLICY, TODAY, Caller, codes, gql
from tests.gateway.rights.test_workflows import DECIDE, OBJECT, delivered

CORRECT_BY = """mutation($i: DecideCaseInput!) {
  decideCase(input: $i) { decision { correctBy } } }"""
MY_RECORDS = """{ me { person { records(first: 20) { edges { node { id rightsState } } } } } }"""


async def test_an_objection_to_my_own_court_entry(
    rights_as: Caller, rights_world: World, rights_app: Starlette
) -> None:
    person, record = next(
        (code, r)
        for code in rights_world.persons
        if code not in rights_world.boundary.values()
        and (facts := rights_world.facts(code)) is not None
        for r in facts.court
        if r.kind is RecordKind.JUDGMENT_DEFAULTER and visible_to_public(r, TODAY, POLICY)
    )
    reason = "该案已于2026年10月执行完毕，法院未及时删除。"
    async with rights_as(citizen=person) as me:
        filed = await gql(me, OBJECT, i={"source": "COURT", "recordId": record.id,
                                         "target": "CONTENT", "reason": reason})  # fmt: skip
        case = filed["data"]["fileObjection"]
        mine = await gql(me, MY_RECORDS)
    edges = mine["data"]["me"]["person"]["records"]["edges"]
    assert {e["node"]["id"]: e["node"]["rightsState"] for e in edges}[record.id] == (
        "OBJECTION_PENDING"
    )
    rules = desk_of(Source.COURT)
    assert rules is not None
    due = case_deadline(CaseKind.OBJECTION, Source.COURT, rules, TODAY, STATUTORY, RightsPolicy())
    assert case["deadline"] == due.due_on.isoformat()
    assert "最高人民法院" in case["deadlineBasis"]
    upheld = {"caseId": case["id"], "outcome": "UPHELD", "reasons": ["已执行完毕，依法删除"],
              "correction": {"action": "WITHDRAW"}}  # fmt: skip
    async with rights_as("officer") as market:
        assert codes(await gql(market, DECIDE, i=upheld)) == ["WRONG_BUREAU"]
    async with rights_as("court_officer") as court:
        queue = await gql(court, "{ reviewQueue(bureau: COURT) { id statement } }")
        assert {c["id"]: c["statement"] for c in queue["data"]["reviewQueue"]}[case["id"]] == reason
        decided = await gql(
            court,
            "mutation($i: DecideCaseInput!) { decideCase(input: $i) { decision { correctBy } } }",
            i=upheld,
        )
    assert decided["data"]["decideCase"]["decision"]["correctBy"] == (
        STATUTORY.add_working_days(TODAY, 3).isoformat()
    )
    await delivered(rights_app)
    facts = rights_world.facts(person)
    assert facts is not None
    assert next(r for r in facts.court if r.id == record.id).deleted_on == TODAY
