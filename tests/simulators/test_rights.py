"""The bureaus' decision desk: decisions are applied to the world once, served afterwards."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from connectors.registry import bureaus
from credit.records import RepairStatus
from simulators.runner import BUREAUS, build_services
from simulators.world import World, WorldConfig
from tests.conftest import TEST_WORLD


async def test_a_decision_is_applied_once_and_served_by_every_answer() -> None:
    world = World.generate(WorldConfig(seed=TEST_WORLD.seed, enterprises=TEST_WORLD.enterprises))
    keys = {n: f"k-{n}" for n in BUREAUS}
    market = build_services(world, keys)["market"]
    code, record = next(
        (c, r)
        for c in world.organisation_codes()
        if (facts := world.facts(c)) is not None
        for r in facts.penalties
    )
    transport = httpx.ASGITransport(app=market.app())
    async with httpx.AsyncClient(transport=transport, base_url="http://market") as http:
        body = {"decisionId": "d1", "recordId": record.id, "action": "REPAIR",
                "effectiveOn": "2026-11-22"}  # fmt: skip
        wrong_key = await http.post("/rights/v1/decisions", json=body)
        assert wrong_key.status_code == 401
        headers = {"X-Api-Key": "k-market"}
        bad = await http.post("/rights/v1/decisions", json={"recordId": 1}, headers=headers)
        assert bad.status_code == 400
        for _ in range(2):  # a redelivery is harmless
            ok = await http.post("/rights/v1/decisions", json=body, headers=headers)
            assert ok.json() == {"decisionId": "d1", "applied": True}
    assert len(world.amendments) == 1
    facts = world.facts(code)
    assert facts is not None
    served = next(r for r in facts.penalties if r.id == record.id)
    assert served.repair_status is RepairStatus.REPAIRED
    assert served.repaired_on == dt.date(2026, 11, 22)
    assert market.state.calls["rights.decisions"] == 3


@pytest.mark.parametrize("source", [b.source.value for b in bureaus().deciding if b.remote])
async def test_every_deciding_bureaus_simulator_accepts_decisions(source: str) -> None:
    # The registry's rights desks decide where the outbox delivers: each such simulator
    # (customs and ip too, whatever their own auth header) takes a decision with X-Api-Key.
    world = World.generate(WorldConfig(seed=TEST_WORLD.seed, enterprises=50))
    service = build_services(world, {n: f"k-{n}" for n in BUREAUS})[source]
    transport = httpx.ASGITransport(app=service.app())
    body = {"decisionId": f"d-{source}", "recordId": "X-1", "action": "WITHDRAW",
            "effectiveOn": "2026-11-22"}  # fmt: skip
    async with httpx.AsyncClient(transport=transport, base_url="http://bureau") as http:
        answer = await http.post(
            "/rights/v1/decisions", json=body, headers={"X-Api-Key": f"k-{source}"}
        )
    assert answer.json() == {"decisionId": f"d-{source}", "applied": True}
    assert world.amendments.decisions == {f"d-{source}"}
