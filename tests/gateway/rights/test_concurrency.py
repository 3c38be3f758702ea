"""Races: two objections to one record at once, two decisions on one case at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from credit.records import CreditRecord
from gateway.database import Database
from tests.gateway.rights.conftest import Caller, codes, gql, repairable_today
from tests.gateway.rights.test_workflows import DECIDE, OBJECT, objection_input

Pick = Callable[[Callable[[CreditRecord], bool]], tuple[str, str, CreditRecord]]


async def test_one_of_two_simultaneous_objections_and_decisions_wins(
    rights_as: Caller, firms: Pick, rights_db: Database
) -> None:
    uscc, rep, record = firms(repairable_today)
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        answers = await asyncio.gather(
            *(gql(me, OBJECT, i=objection_input(uscc, record, reason=f"理由{n}")) for n in (1, 2))
        )
    outcomes = sorted(tuple(codes(a)) for a in answers)
    assert outcomes == [(), ("OBJECTION_ALREADY_OPEN",)]
    case_id = next(a["data"]["fileObjection"]["id"] for a in answers if not codes(a))
    officer = "officer" if record.source.value == "market" else "national_officer"
    async with rights_as(officer) as one, rights_as(officer) as two:
        decisions = await asyncio.gather(
            gql(one, DECIDE, i={"caseId": case_id, "outcome": "REJECTED", "reasons": ["甲"]}),
            gql(two, DECIDE, i={"caseId": case_id, "outcome": "REJECTED", "reasons": ["乙"]}),
        )
    assert sorted(tuple(codes(d)) for d in decisions) == [(), ("CASE_ALREADY_DECIDED",)]
    async with rights_db.pool.acquire() as conn:
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM rights_events WHERE case_id = $1::uuid", case_id
            )
            == 2
        )  # filed, decided once
