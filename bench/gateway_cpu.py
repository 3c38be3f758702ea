"""The gateway's own CPU per full-profile request, in process, without a web server.

    python -m bench.gateway_cpu [--requests 300] [--cold] [--profile out.prof]
                                [--principal public|officer]

The simulators run in their own process (their CPU is not counted) and the database is a fresh
one on ``DATABASE_URL`` (default: the local server); the gateway app runs in this process and
is called straight through ASGI, one request at a time, as the demo officer asking for
:data:`bench.graph_load.PROFILE` (``--principal public``: anonymously, for
:data:`bench.speed.PUBLIC_PROFILE`).  ``time.process_time()`` per request (the median over runs
of 50, and the lowest such run) is the gateway's CPU per request — its middleware, GraphQL
execution, resolvers, bureau clients and database driver, but not uvicorn's HTTP parsing nor
the network.
Warm (default): the same 50 enterprises again and again, after one pass to fill the caches;
``--cold``: a different enterprise each request (every bureau asked).  ``--profile`` writes
cProfile statistics of the measured requests (open with ``python -m pstats``).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import json
import secrets
import statistics
import time
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette

from bench.speed import QUERIES
from bench.stack import LOCAL_PG, fresh_db
from gateway.app import create_app
from gateway.auth.demo import ensure_demo_clients
from gateway.demo import start_simulators, with_bureaus
from gateway.migrations import apply_migrations
from gateway.seed import seed_platform
from gateway.settings import load_settings
from simulators.runner import BUREAUS, CONSENT_GATED
from simulators.world import World, WorldConfig

CHUNK = 50


async def call(app: Starlette, body: bytes, key: str | None) -> tuple[int, bytes]:
    """One POST /graphql straight through ASGI; (status, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *([(b"authorization", f"Bearer {key}".encode())] if key else []),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # no disconnect while the request runs
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)  # type: ignore[arg-type]
    return status, b"".join(chunks)


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    world = World.generate(WorldConfig(enterprises=args.enterprises))
    codes = [c for c in itertools.islice(world.organisation_codes(), 5000) if c.startswith("91")]
    keys = {name: secrets.token_urlsafe(16) for name in BUREAUS}
    token_secrets = {name: secrets.token_urlsafe(32).encode() for name in CONSENT_GATED}
    async with (
        start_simulators(
            keys, seed=20260401, enterprises=args.enterprises, secrets=token_secrets
        ) as urls,
        fresh_db(args.database_url) as dsn,
    ):
        conn = await asyncpg.connect(dsn)
        try:
            await apply_migrations(conn)
            await seed_platform(conn, world)
            settings = load_settings(
                mode="demo",
                database_url=dsn,
                log_level="WARNING",
                # The benchmark measures the gateway's work, not the rate limiter's refusals.
                rate_limits=dict.fromkeys(
                    ("public", "bot", "citizen", "bank", "officer", "operator"), 10_000_000
                ),
            )
            officer: str | None = (await ensure_demo_clients(conn, settings))["officer"]
        finally:
            await conn.close()
        app = create_app(with_bureaus(settings, urls, keys, token_secrets))
        query = QUERIES[args.principal]
        if args.principal == "public":
            officer = None
        warm = codes[:50]
        chosen = codes[50:] if args.cold else warm
        bodies = [orjson.dumps({"query": query, "variables": {"code": c}}) for c in chosen]
        async with app.router.lifespan_context(app):
            for body in [orjson.dumps({"query": query, "variables": {"code": c}}) for c in warm]:
                await call(app, body, officer)  # caches, parser and validation caches, imports
            # CPU time, not wall time: a neighbour on the shared cores does not move the shares
            profiler = cProfile.Profile(time.process_time) if args.profile else None
            wall: list[float] = []
            chunks: list[float] = []  # CPU ms per request over each run of CHUNK requests
            if profiler:
                profiler.enable()
            for i in range(args.requests):
                if i % CHUNK == 0:
                    chunk_started = time.process_time()
                started = time.perf_counter()
                status, answer = await call(app, bodies[i % len(bodies)], officer)
                wall.append((time.perf_counter() - started) * 1000)
                if status != 200 or b'"errors"' in answer:
                    raise RuntimeError(f"request failed: {status} {answer[:300]!r}")
                if i % CHUNK == CHUNK - 1:
                    chunks.append((time.process_time() - chunk_started) * 1000 / CHUNK)
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
    return {
        "principal": args.principal,
        "scenario": "cold" if args.cold else "warm",
        "requests": args.requests,
        # The median chunk: a neighbour's burst on a shared machine moves one chunk, not it.
        "gateway_cpu_ms": round(statistics.median(chunks), 3),
        "gateway_cpu_ms_min": round(min(chunks), 3),
        "wall_p50_ms": round(statistics.median(wall), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--principal", choices=sorted(QUERIES), default="officer")
    parser.add_argument("--database-url", default=LOCAL_PG)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args))))


if __name__ == "__main__":
    main()
