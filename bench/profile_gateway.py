"""Where the gateway's own CPU goes on a full profile: py-spy on the gateway process alone.

    make bench-tools                     # py-spy (and wrk): measuring tools, not dependencies
    python -m bench.profile_gateway [--seconds 10] [--concurrency 4] [--cold] [--top 30]
                                    [--profile public|officer] [--latency 20,80]

Runs the bench stack (simulators, gateway and load generator each in their own process),
warms the caches, then samples the gateway while the load generator asks for the officer's
full profile (:data:`bench.graph_load.PROFILE`) or, with ``--profile public``, the public one
(:data:`bench.speed.PUBLIC_PROFILE`, no credentials) — so the simulators' work (they derive
facts on demand) is not in the profile.  Prints the gateway's CPU per request, then the
functions with the most samples *inside* them (inclusive) and *in* them (self), and the share
per package.
``--cold`` asks a different enterprise each request (no cache hits), with instant bureaus or
with ``--latency low,high`` ms.
``--raw FILE`` keeps py-spy's collapsed stacks for a flame graph.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.speed import QUERIES, gateway_cpu, loadgen
from bench.stack import Stack, running_stack
from gateway.auth.demo import ensure_demo_clients
from gateway.seed import seed_platform
from gateway.settings import load_settings
from simulators.world import World, WorldConfig

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]*)(?::\d+)?\)$")


def _where(frame: str) -> tuple[str, str]:
    """(``module-ish file:function``, package) of one collapsed-stack frame."""
    match = _FRAME.match(frame)
    if match is None:
        return frame, "?"
    path = match["file"]
    for marker in ("site-packages/", f"{Path.cwd()}/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    package = path.split("/", 1)[0].removesuffix(".py") if "/" in path else path
    return f"{path}:{match['func']}", package


def summarise(raw: str, top: int) -> dict[str, list[tuple[str, float]]]:
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    packages: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [_where(f) for f in stack.split(";")[1:]]  # the first is the thread
        for name in {name for name, _ in frames}:
            inclusive[name] += count
        if frames:
            own[frames[-1][0]] += count
            packages[frames[-1][1]] += count

    def share(counter: collections.Counter[str]) -> list[tuple[str, float]]:
        return [(k, round(100 * v / max(1, total), 1)) for k, v in counter.most_common(top)]

    return {"inclusive": share(inclusive), "self": share(own), "packages": share(packages)}


def run_load(
    stack: Stack, key: str, codes: list[str], args: argparse.Namespace, seconds: float
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"} if args.profile == "officer" else {}
    query = QUERIES[args.profile]
    bodies = [{"query": query, "variables": {"code": c}} for c in codes]
    before = gateway_cpu(stack)
    result = loadgen(stack, headers, bodies, args.concurrency, seconds)
    done = max(1, int(result["requests"]))
    result["gateway_cpu_ms"] = round((gateway_cpu(stack) - before) * 1000 / done, 2)
    return result


def sample(
    stack: Stack, key: str, codes: list[str], args: argparse.Namespace
) -> tuple[dict[str, Any], str]:
    """Run the load while py-spy samples the gateway; (load figures, collapsed stacks)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        raise SystemExit("py-spy is not installed: make bench-tools")
    run_load(stack, key, codes[:50], args, 2)  # warm caches and code paths
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "stacks.txt"
        spying = subprocess.Popen(  # noqa: S603 - a fixed tool with our own arguments
            [
                spy,
                "record",
                "--pid",
                str(stack.gateway_pid),
                "--format",
                "raw",
                "--rate",
                str(args.rate),
                "--duration",
                str(int(args.seconds)),
                "--output",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        chosen = codes[50:] if args.cold else codes[:50]
        result = run_load(stack, key, chosen, args, args.seconds)
        spying.wait()
        raw = out.read_text()
    if args.raw:
        args.raw.write_text(raw)
    return result, raw


async def profile(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
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
            if args.cold and args.latency:
                latency = [int(x) for x in args.latency.split(",")]
                await stack.set_behaviour(http, latency_ms=latency)
        return await asyncio.to_thread(sample, stack, key, codes, args)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--rate", type=int, default=250)
    parser.add_argument("--raw", type=Path)
    parser.add_argument("--profile", choices=sorted(QUERIES), default="officer")
    parser.add_argument("--latency", default="", help="cold bureau latency, ms: low,high")
    args = parser.parse_args()
    result, raw = asyncio.run(profile(args))
    print(
        json.dumps({"profile": args.profile, "scenario": "cold" if args.cold else "warm", **result})
    )
    for title, rows in summarise(raw, args.top).items():
        print(f"\n{title} (% of samples)")
        for name, pct in rows:
            print(f"{pct:6.1f}  {name}")


if __name__ == "__main__":
    main()
