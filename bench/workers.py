"""Throughput at one and at two gateway workers (``GATEWAY_WORKERS``), where the gateway is
what limits it.

    python -m bench.workers [--seconds 10] [--connections 50] [--workers 1,2]

This machine has two cores, shared by the gateway, the bureau simulators, PostgreSQL, Redis and
the load generator, so a cold request (five bureau calls, answered by Python simulators that
cost about as much CPU as the gateway) cannot show two workers' worth of gateway: the other
processes take the second core.  What it can show is the gateway's own scaling, with the rest
made cheap:

* **warm** public requests (50 enterprises again and again, answered from the response cache,
  ~0.3 ms of gateway CPU each), so the bureaus and the database do no work;
* **wrk** (C, Debian's ``wrk``; ``make bench-tools`` installs it) as the load generator, a few
  percent of a core at these rates, instead of the Python one;
* the same settings at one and two workers — Redis, a shared token secret and
  ``PROMETHEUS_MULTIPROC_DIR``, as several workers require — so only the process count differs.

Prints one JSON line per worker count: requests per second, p50 / p99 (wrk's), the gateway's
CPU per request (all its processes, from ``/proc``) and wrk's CPU share, then the ratio.  On a
machine with cores to spare the ratio is the issue's figure; here the second worker's core is
shared with wrk and Redis, which the CPU figures show.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.speed import PUBLIC_PROFILE, gateway_cpu, loadgen
from bench.stack import running_stack
from gateway.seed import seed_platform
from simulators.world import World, WorldConfig

_LUA = """
bodies = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"},
                    bodies[(counter %% #bodies) + 1])
end
"""
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _latency_ms(text: str, label: str) -> float:
    match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    return round(float(match[1]) * _UNITS[match[2]], 2) if match else float("nan")


async def _run_wrk(url: str, script: Path, connections: int, seconds: float) -> dict[str, Any]:
    wrk = shutil.which("wrk")
    assert wrk is not None
    proc = await asyncio.create_subprocess_exec(
        wrk, "-t2", f"-c{connections}", f"-d{round(seconds)}s", "--latency", "-s", str(script), url,
        stdout=subprocess.PIPE,
    )  # fmt: skip
    out, _ = await proc.communicate()
    text = out.decode()
    found = re.search(r"(\d+) requests in", text)
    if found is None:
        raise RuntimeError(f"wrk said:\n{text}")
    requests = int(found[1])
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "requests": requests,
        "errors": int(errors[1]) if errors else 0,
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1]), 1),  # type: ignore[index]
        "p50_ms": _latency_ms(text, "50"),
        "p99_ms": _latency_ms(text, "99"),
    }


async def measure(workers: int, seconds: float, connections: int) -> dict[str, Any]:
    world = World.generate(WorldConfig(enterprises=5000))
    codes = [c for c in world.organisation_codes() if c.startswith("91")][:50]
    bodies = [{"query": PUBLIC_PROFILE, "variables": {"code": c}} for c in codes]
    with tempfile.TemporaryDirectory() as multiproc:
        env = {
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "GATEWAY_SUBJECT_TOKEN_SECRET": secrets.token_urlsafe(32),
            "PROMETHEUS_MULTIPROC_DIR": multiproc,
        }
        async with running_stack(enterprises=5000, workers=workers, env=env) as stack:
            conn = await asyncpg.connect(stack.database_url)
            try:
                await seed_platform(conn, world)
            finally:
                await conn.close()
            async with httpx.AsyncClient() as http:
                await stack.set_behaviour(http)  # instant bureaus: only the first pass asks
            await asyncio.to_thread(loadgen, stack, {}, bodies, connections, 3)  # every worker
            lua = _LUA % ",".join(json.dumps(json.dumps(b)) for b in bodies)
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(lua)
            try:
                before = gateway_cpu(stack)
                times_before = os.times()
                result = await _run_wrk(
                    f"{stack.gateway_url}/graphql", Path(script.name), connections, seconds
                )
                times_after = os.times()
                used = gateway_cpu(stack) - before
            finally:
                os.unlink(script.name)
    wrk_cpu = (times_after.children_user + times_after.children_system) - (
        times_before.children_user + times_before.children_system
    )
    done = max(1, result["requests"])
    return {
        "workers": workers,
        **result,
        "gateway_cpu_ms": round(used * 1000 / done, 3),
        "gateway_cores": round(used / seconds, 2),
        "wrk_cores": round(wrk_cpu / seconds, 2),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make bench-tools` (Debian's wrk)")
    rps: dict[int, float] = {}
    for workers in (int(w) for w in args.workers.split(",")):
        line = await measure(workers, args.seconds, args.connections)
        rps[workers] = line["rps"]
        print(json.dumps(line), flush=True)
    if 1 in rps and len(rps) > 1:
        most = max(rps)
        print(
            json.dumps({"ratio": f"{most} workers / 1", "rps_ratio": round(rps[most] / rps[1], 2)})
        )


if __name__ == "__main__":
    asyncio.run(main())
