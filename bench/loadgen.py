"""A closed-loop HTTP load generator, run in its own process so it measures the server, not
itself (a Python httpx client saturates near 300 req/s; aiohttp goes much further).

    python -m bench.loadgen --url http://127.0.0.1:8000/graphql --body-file q.json \
        --concurrency 50 --seconds 10

Prints one JSON line: requests, errors, rps, p50_ms, p90_ms, p99_ms, max_ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

import aiohttp


def percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return float("nan")
    index = min(len(sorted_ms) - 1, max(0, round(q * (len(sorted_ms) - 1))))
    return sorted_ms[index]


async def run(
    url: str,
    bodies: list[bytes],
    concurrency: int,
    seconds: float,
    extra_headers: dict[str, str] | None = None,
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    headers = {"Content-Type": "application/json", **(extra_headers or {})}
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker(offset: int) -> None:
            nonlocal errors
            i = offset
            while time.perf_counter() < stop_at:
                body = bodies[i % len(bodies)]
                i += concurrency
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    payload = await response.read()
                elapsed = (time.perf_counter() - started) * 1000
                if response.status != 200 or b'"errors"' in payload:
                    errors += 1
                latencies.append(elapsed)

        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        wall = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p90_ms": round(percentile(latencies, 0.90), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(latencies[-1], 2) if latencies else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--body-file", required=True, help="JSON list of request bodies")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    bodies = [json.dumps(b).encode() for b in json.loads(Path(args.body_file).read_text())]
    result = asyncio.run(run(args.url, bodies, args.concurrency, args.seconds, headers))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
