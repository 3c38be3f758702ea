"""A decision taken in a process of its own, for the kill test (test_crash.py).

    python -m tests.gateway.rights.decide_in_process <dsn> <case id> hang|finish

``hang`` stops inside the decision's transaction — after its event row is written, before
its outbox row — says ``in-transaction`` on stdout and waits to be killed; ``finish``
decides and says ``decided``, then waits to be killed.  (The pause is the one thing this
harness adds: everything else is the gateway's own code.)
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import asyncpg

from credit.access import ClientScope, Principal, PrincipalKind, bureau_scope
from credit.rights import Outcome
from gateway.rights import service as rights_service
from gateway.rights import store
from gateway.settings import load_settings
from tests.conftest import TEST_WORLD

OFFICER = Principal(
    PrincipalKind.OFFICER,
    client_id="crashtest001",
    display_name="审核员",
    scopes=frozenset({ClientScope.REPAIR_REVIEW, bureau_scope("market"),
                      bureau_scope("national")}),
)  # fmt: skip


async def main(dsn: str, case_id: str, mode: str) -> None:
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
    enqueue = store.enqueue

    async def paused(*args: Any) -> None:
        print("in-transaction", flush=True)
        await asyncio.Event().wait()  # until killed
        await enqueue(*args)

    if mode == "hang":
        store.enqueue = paused  # type: ignore[assignment]
    service = rights_service.GatewayRights(
        pool, load_settings(mode="demo"), OFFICER, "crash-test", today=lambda: TEST_WORLD.today
    )
    await service.decide(case_id, Outcome.ACCEPTED, ["已履行处罚决定"], None)
    print("decided", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
