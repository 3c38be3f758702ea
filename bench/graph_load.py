"""Issue 4's figures: a full enterprise profile under load, measured from a separate process.

    python -m bench.graph_load [--seconds 10] [--concurrency 50]

Scenarios (simulators, gateway and load generator each in their own process):
  warm      every bureau instant, the same 50 enterprises over and over (caches warm)
  cold      bureau latency uniform 20-80 ms, a different enterprise each request (caches cold)
  overhead  bureau latency fixed at 50 ms, one client, cold: gateway p50 minus 50 ms is the
            gateway's own overhead above the slowest bureau
Prints one JSON line per scenario, with the CPU each process spent per request
(``gateway_cpu_ms``, ``simulators_cpu_ms``): on a shared machine these move less than the
latencies do.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.stack import Stack, cpu_seconds, running_stack
from gateway.auth.demo import ensure_demo_clients
from gateway.seed import seed_platform
from gateway.settings import load_settings
from simulators.world import World, WorldConfig

PROFILE = """query Profile($code: String!) {
  subject(code: $code) {
    code displayName
    ... on Enterprise { name status establishedOn registeredCapital { yuan } industry }
    records(first: 20) { totalCount edges { node { id kind severity publicity { visibleNow } } } }
    classification { creditClass reasons { code message } badges }
    sanctions { measure { id name } }
    creditReport { sections { key count } advice { message } }
  }
}"""


def run_load(
    stack: Stack, key: str, codes: list[str], concurrency: int, seconds: float
) -> dict[str, Any]:
    before = _cpu(stack)
    result = _loadgen(stack, key, codes, concurrency, seconds)
    after = _cpu(stack)
    done = max(1, int(result["requests"]))
    result["gateway_cpu_ms"] = round((after[0] - before[0]) * 1000 / done, 2)
    result["simulators_cpu_ms"] = round((after[1] - before[1]) * 1000 / done, 2)
    return result


def _cpu(stack: Stack) -> tuple[float, float]:
    return cpu_seconds(stack.gateway_pid), sum(cpu_seconds(p) for p in stack.simulator_pids)


def _loadgen(
    stack: Stack, key: str, codes: list[str], concurrency: int, seconds: float
) -> dict[str, Any]:
    bodies = [{"query": PROFILE, "variables": {"code": code}} for code in codes]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(bodies, f)
    out = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "bench.loadgen",
            "--url",
            f"{stack.gateway_url}/graphql",
            "--body-file",
            f.name,
            "--concurrency",
            str(concurrency),
            "--seconds",
            str(seconds),
            "--header",
            f"Authorization: Bearer {key}",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    Path(f.name).unlink()
    return dict(json.loads(out.stdout))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--enterprises", type=int, default=5000)
    args = parser.parse_args()
    world = World.generate(WorldConfig(enterprises=args.enterprises))
    codes = [c for c in itertools.islice(world.organisation_codes(), 5000) if c.startswith("91")]
    async with running_stack(enterprises=args.enterprises) as stack:
        conn = await asyncpg.connect(stack.database_url)
        try:
            await seed_platform(conn, world)
            key = (await ensure_demo_clients(conn, load_settings(mode="demo")))["officer"]
        finally:
            await conn.close()
        async with httpx.AsyncClient() as http:
            await stack.set_behaviour(http)
            warm = codes[:50]
            run_load(stack, key, warm, args.concurrency, 2)  # fill the caches
            result = run_load(stack, key, warm, args.concurrency, args.seconds)
            print(json.dumps({"scenario": "warm", "concurrency": args.concurrency, **result}))

            await stack.set_behaviour(http, latency_ms=[20, 80])
            result = run_load(stack, key, codes[50:], args.concurrency, args.seconds)
            print(
                json.dumps({"scenario": "cold 20-80ms", "concurrency": args.concurrency, **result})
            )

            await stack.set_behaviour(http, latency_ms=[50, 50])
            result = run_load(stack, key, codes[::-1], 1, args.seconds)
            overhead = round(result["p50_ms"] - 50.0, 2)
            print(
                json.dumps(
                    {
                        "scenario": "overhead (bureaus 50 ms)",
                        "concurrency": 1,
                        "gateway_overhead_p50_ms": overhead,
                        **result,
                    }
                )
            )


if __name__ == "__main__":
    asyncio.run(main())
