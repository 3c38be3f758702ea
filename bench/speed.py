"""Issue 14's figures: the gateway's CPU per request, cold and warm, at several concurrencies.

    python -m bench.speed [--scenarios public,officer] [--clients 4,16,50] [--seconds 8]
                          [--latency 20,80] [--workers 1] [--server uvicorn|granian]

Simulators, gateway and load generator run each in their own process (:mod:`bench.stack`);
the gateway's CPU is read from ``/proc`` before and after each run (user + system of the
gateway process and its children), so what other engineers run on the shared cores does not
count — only wall-clock figures (req/s, p50, p99) move with them.  Two profiles:

  public   :data:`PUBLIC_PROFILE`, no credentials — one enterprise's registration and its
           records (market, court, national and the platform's own tables)
  officer  :data:`bench.graph_load.PROFILE` with the demo officer's key — the full profile
           (classification, sanctions, the credit report)

and two states of the caches:

  cold     a different enterprise each request (every bureau asked), bureau latency uniform
           in ``--latency`` ms (default 20-80 ms, as in the issue's comparison), after a
           second of the same on enterprises of its own: a long-lived worker's documents are
           parsed and its bureau connections open, so the first run does not carry them
  warm     the same 50 enterprises again and again, bureaus instant, after one pass to fill
           the caches

Prints one JSON line per (profile, state, clients): ``gateway_cpu_ms`` per request, ``rps``,
``p50_ms``, ``p99_ms``, the database's round trips per request (``db_xact``, transactions
committed in the bench database, from ``pg_stat_database``) and the gateway's memory
(``rss_mib`` now, ``peak_rss_mib``: the largest process's VmRSS and VmHWM).

A shared VM's CPU speed itself varies (the same loop here took 0.71-1.12 s within a minute), and
CPU per request with it: ``reference_ms`` is the CPU time of :func:`reference_loop` in this
process just before and after the run (their mean), and ``cpu_per_reference`` the gateway's
CPU per request in those units, comparable across runs and machines.  Memory at the
1,000,000-enterprise world: ``--enterprises 1000000``; with the caches filled towards their
bounds: ``--states cold --seconds 50 --fresh 12000`` (12,000 new enterprises per run).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.graph_load import PROFILE
from bench.stack import Stack, cpu_seconds, running_stack
from gateway.auth.demo import ensure_demo_clients
from gateway.seed import seed_platform
from gateway.settings import load_settings
from simulators.world import World, WorldConfig

PUBLIC_PROFILE = """query PublicProfile($code: String!) {
  enterprise(uscc: $code) {
    uscc name status establishedOn registeredCapital { yuan } industry
    records(first: 20) {
      totalCount
      edges { node { id kind source title decidedOn authority severity
                     publicity { publishFrom visibleUntil } } }
    }
  }
}"""

QUERIES = {"public": PUBLIC_PROFILE, "officer": PROFILE}


def gateway_cpu(stack: Stack) -> float:
    """CPU seconds of the gateway process and its workers (``GATEWAY_WORKERS`` > 1)."""
    pids = [stack.gateway_pid, *_descendants(stack.gateway_pid)]
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except OSError:
            continue
    return total


def gateway_memory_mib(stack: Stack) -> dict[str, float]:
    """The largest resident set among the gateway's processes, now and at its peak (MiB)."""
    rss = peak = 0.0
    for pid in [stack.gateway_pid, *_descendants(stack.gateway_pid)]:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss = max(rss, int(fields["VmRSS"].split()[0]) / 1024)
        peak = max(peak, int(fields["VmHWM"].split()[0]) / 1024)
    return {"rss_mib": round(rss, 1), "peak_rss_mib": round(peak, 1)}


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    parents = {pid}
    for entry in sorted(Path("/proc").iterdir(), key=lambda p: p.name):
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue
        if parent in parents:
            found.append(int(entry.name))
            parents.add(int(entry.name))
    return found


async def xact_count(conn: asyncpg.Connection) -> int:
    value = await conn.fetchval(
        "SELECT xact_commit + xact_rollback FROM pg_stat_database"
        " WHERE datname = current_database()"
    )
    return int(value)


def loadgen(
    stack: Stack,
    headers: dict[str, str],
    bodies: list[dict[str, Any]],
    clients: int,
    seconds: float,
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(bodies, f)
    command = [
        sys.executable,
        "-m",
        "bench.loadgen",
        "--url",
        f"{stack.gateway_url}/graphql",
        "--body-file",
        f.name,
        "--concurrency",
        str(clients),
        "--seconds",
        str(seconds),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    try:
        out = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    finally:
        Path(f.name).unlink()
    return dict(json.loads(out.stdout))


async def run(
    stack: Stack,
    conn: asyncpg.Connection,
    headers: dict[str, str],
    bodies: list[dict[str, Any]],
    clients: int,
    seconds: float,
) -> dict[str, Any]:
    # pg_stat_database is updated when a backend reports (at most every second or so); a
    # short pause lets the gateway's backends flush theirs before and after.
    await asyncio.sleep(1.2)
    reference = reference_loop()
    xacts_before = await xact_count(conn)
    cpu_before = gateway_cpu(stack)
    result = await asyncio.to_thread(loadgen, stack, headers, bodies, clients, seconds)
    cpu_after = gateway_cpu(stack)
    await asyncio.sleep(1.2)
    xacts_after = await xact_count(conn) - 1  # our own query
    reference = (reference + reference_loop()) / 2
    done = max(1, int(result["requests"]))
    cpu_ms = (cpu_after - cpu_before) * 1000 / done
    return {
        "gateway_cpu_ms": round(cpu_ms, 2),
        "reference_ms": round(reference * 1000, 1),
        "cpu_per_reference": round(cpu_ms / (reference * 1000), 4),
        **{k: result[k] for k in ("requests", "errors", "rps", "p50_ms", "p99_ms")},
        "db_xact": round(max(0, xacts_after - xacts_before - 1) / done, 2),
        **gateway_memory_mib(stack),
    }


def reference_loop() -> float:
    """CPU seconds of a fixed pure-Python loop (~0.1 s on a 2025 server core): the unit this
    machine's speed is read in just now."""
    started = time.process_time()
    total = 0
    for n in range(1_500_000):
        total += n
    return time.process_time() - started


async def scenario_run(
    stack: Stack,
    conn: asyncpg.Connection,
    officer: str,
    scenario: str,
    state: str,
    codes: list[str],
    clients: int,
    seconds: float,
    warm_up: list[str],
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {officer}"} if scenario == "officer" else {}
    bodies = [{"query": QUERIES[scenario], "variables": {"code": c}} for c in codes]
    if state == "warm":  # one pass first: caches, parser and validation caches, imports
        await asyncio.to_thread(loadgen, stack, headers, bodies, clients, 2)
    else:  # the process, not the enterprises: other new ones for a second
        first = [{"query": QUERIES[scenario], "variables": {"code": c}} for c in warm_up]
        await asyncio.to_thread(loadgen, stack, headers, first, clients, 1)
    result = await run(stack, conn, headers, bodies, clients, seconds)
    if state == "cold" and result["requests"] > len(codes):
        result["note"] = "more requests than fresh enterprises: some were warm"
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenarios", default="public,officer")
    parser.add_argument("--states", default="cold,warm")
    parser.add_argument("--clients", default="4,16,50")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--latency", default="20,80", help="cold bureau latency, ms: low,high")
    parser.add_argument("--enterprises", type=int, default=50000)
    parser.add_argument("--fresh", type=int, default=3000, help="enterprises per cold run")
    parser.add_argument(
        "--workers", type=int, default=1, help="gateway processes (GATEWAY_WORKERS for uvicorn)"
    )
    parser.add_argument("--server", choices=("uvicorn", "granian"), default="uvicorn")
    args = parser.parse_args()
    world = World.generate(WorldConfig(enterprises=args.enterprises))
    codes = [c for c in world.organisation_codes() if c.startswith("91")]
    latency = [int(x) for x in args.latency.split(",")]
    async with running_stack(
        enterprises=args.enterprises, server=args.server, workers=args.workers
    ) as stack:
        conn = await asyncpg.connect(stack.database_url)
        try:
            await seed_platform(conn, world)
            officer = (await ensure_demo_clients(conn, load_settings(mode="demo")))["officer"]
            fresh = iter(codes[50:])  # every cold run takes enterprises no run asked before
            async with httpx.AsyncClient() as http:
                for scenario in args.scenarios.split(","):
                    for state in args.states.split(","):
                        for clients in (int(c) for c in args.clients.split(",")):
                            if state == "warm":
                                await stack.set_behaviour(http)
                                chosen = codes[:50]
                            else:
                                await stack.set_behaviour(http, latency_ms=latency)
                                chosen = list(itertools.islice(fresh, args.fresh))
                            warm_up = list(itertools.islice(fresh, 500)) if state == "cold" else []
                            result = await scenario_run(
                                stack,
                                conn,
                                officer,
                                scenario,
                                state,
                                chosen,
                                clients,
                                args.seconds,
                                warm_up,
                            )
                            line = {"profile": scenario, "state": state, "clients": clients}
                            print(json.dumps({**line, **result}), flush=True)
        finally:
            await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
