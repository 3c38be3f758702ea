"""The review queue by deadline with overdue cases flagged, and the statistics per bureau and
month, as the gateway's calendar moves past a deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx
from starlette.applications import Starlette

from credit.calendar import STATUTORY
from credit.records import CreditRecord
from credit.rights import CaseKind, RightsPolicy, case_deadline
from gateway.database import Database
from gateway.rights import desk_of
from gateway.settings import Settings
from tests.fakes.servers import serve_app
from tests.gateway.rights.conftest import (
    TODAY,
    Caller,
    gql,
    repairable_today,
    rights_app_for,
)
from tests.gateway.rights.test_workflows import APPLY, DECIDE, QUEUE, repair_input

Pick = Callable[[Callable[[CreditRecord], bool]], tuple[str, str, CreditRecord]]
STATS = """query($b: Source, $m: Date) { rightsStatistics(bureau: $b, month: $m) {
  source month kind received decided decidedInTime overdue upheldRate } }"""


async def test_overdue_cases_are_flagged_and_counted(
    rights_as: Caller,
    firms: Pick,
    rights_settings: Settings,
    rights_db: Database,
    rights_keys: dict[str, str],
) -> None:
    uscc, rep, record = firms(repairable_today)
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        case = (await gql(me, APPLY, i=repair_input(uscc, record)))["data"]["applyCreditRepair"]
    rules = desk_of(record.source)
    assert rules is not None
    due = case_deadline(
        CaseKind.REPAIR, record.source, rules, TODAY, STATUTORY, RightsPolicy()
    ).due_on
    assert case["deadline"] == due.isoformat()
    assert case["overdue"] is False
    bureau = record.source.name
    officer = "officer" if record.source.value == "market" else "national_officer"
    headers = {"Authorization": f"Bearer {rights_keys[officer]}"}
    # The same gateway, its calendar on the deadline, then the day after it.
    for day, late in ((due, False), (due + dt.timedelta(days=1), True)):
        app: Starlette = rights_app_for(rights_settings, rights_db, day)
        async with serve_app(app) as url, httpx.AsyncClient(base_url=url, headers=headers) as desk:
            queue = (await gql(desk, QUEUE, b=bureau))["data"]["reviewQueue"]
            mine = next(c for c in queue if c["id"] == case["id"])
            assert mine["overdue"] is late
            deadlines = [c["deadline"] for c in queue]
            assert deadlines == sorted(deadlines)  # by deadline
            if late:
                decided = await gql(desk, DECIDE, i={"caseId": case["id"], "outcome": "ACCEPTED",
                                                     "reasons": ["已履行"]})  # fmt: skip
                assert decided["data"]["decideCase"]["overdue"] is False  # decided now
                stats = await gql(desk, STATS, b=bureau, m=TODAY.isoformat())
    rows = stats["data"]["rightsStatistics"]
    repairs = next(r for r in rows if r["kind"] == "REPAIR")
    assert repairs["month"] == TODAY.replace(day=1).isoformat()
    assert repairs["received"] >= 1
    assert repairs["overdue"] >= 1  # decided after its deadline
    assert repairs["decided"] >= 1
    assert repairs["decidedInTime"] <= repairs["decided"] - 1
    assert 0 < repairs["upheldRate"] <= 1


async def test_statistics_and_queues_are_for_ones_own_bureau(rights_as: Caller) -> None:
    async with rights_as("court_officer") as court:
        refused = await gql(court, STATS, b="MARKET", m=TODAY.isoformat())
        own = await gql(court, STATS, b="COURT", m=TODAY.isoformat())
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["WRONG_BUREAU"]
    assert "errors" not in own
    async with rights_as("bank") as bank:
        answer = await gql(bank, STATS)
    assert [e["extensions"]["code"] for e in answer["errors"]] == ["FORBIDDEN"]
