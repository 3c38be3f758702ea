"""Kill the process deciding a case: the decision is wholly stored (and later delivered to
the bureau) or not stored at all.  A process test: the kill is the point."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import asyncpg
from starlette.applications import Starlette

from credit.records import CreditRecord, RepairStatus
from gateway.database import Database
from simulators.world import World
from tests.gateway.rights.conftest import Caller, gql, repairable_today
from tests.gateway.rights.test_workflows import APPLY, delivered, repair_input

Pick = Callable[[Callable[[CreditRecord], bool]], tuple[str, str, CreditRecord]]
ROOT = Path(__file__).resolve().parents[3]


async def decide_then_kill(dsn: str, case_id: str, mode: str, wait_for: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.gateway.rights.decide_in_process", dsn, case_id, mode,
        stdout=asyncio.subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.stdout is not None
    async with asyncio.timeout(60):
        line = await proc.stdout.readline()
    assert line.decode().strip() == wait_for
    proc.send_signal(signal.SIGKILL)
    assert await proc.wait() == -signal.SIGKILL


async def stored(conn: asyncpg.Connection, case_id: str) -> tuple[int, int, int]:
    """(decision events, outbox rows, audit rows of the decider) of ``case_id``."""
    return (
        await conn.fetchval(
            "SELECT count(*) FROM rights_events WHERE case_id = $1::uuid AND type = 'DECIDED'",
            case_id,
        ),
        await conn.fetchval("SELECT count(*) FROM rights_outbox WHERE case_id = $1::uuid", case_id),
        await conn.fetchval(
            "SELECT count(*) FROM audit_log WHERE request_id = 'crash-test' AND client_id = $1",
            "crashtest001",
        ),
    )


async def test_a_decision_killed_midway_is_not_stored_and_a_finished_one_is_delivered(
    rights_as: Caller,
    firms: Pick,
    rights_db: Database,
    rights_app: Starlette,
    rights_world: World,
) -> None:
    uscc, rep, record = firms(repairable_today)
    async with rights_as(citizen=rep, represents=(uscc,)) as me:
        case = (await gql(me, APPLY, i=repair_input(uscc, record)))["data"]["applyCreditRepair"]
    async with rights_db.pool.acquire() as conn:
        audit_before = (await stored(conn, case["id"]))[2]
        await decide_then_kill(rights_db.dsn, case["id"], "hang", "in-transaction")
        assert await stored(conn, case["id"]) == (0, 0, audit_before)  # nothing at all
        await decide_then_kill(rights_db.dsn, case["id"], "finish", "decided")
        events, outbox, audit = await stored(conn, case["id"])
        assert (events, outbox) == (1, 1)  # all of it
        assert audit == audit_before + 1
        assert (
            await conn.fetchval(
                "SELECT delivered_at FROM rights_outbox WHERE case_id = $1::uuid", case["id"]
            )
            is None
        )
    await delivered(rights_app)  # another gateway's outbox delivers it
    facts = rights_world.facts(uscc)
    assert facts is not None
    assert next(r for r in facts.records() if r.id == record.id).repair_status is (
        RepairStatus.REPAIRED
    )
