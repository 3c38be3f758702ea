"""Issue 6's figures: financing pre-checks per second, single and batch, measured from a
separate process against the product running as separate processes.

    python -m bench.precheck [--seconds 10] [--concurrency 32] [--batch-concurrency 4]

The demo bank pre-checks ``BANK_TAX_LOAN`` (market, court for the firm and its legal
representative, national lists, tax) on enterprises that consented, each request a new
idempotency key (so every request decides and stores afresh).  Scenarios:

  single          precheckFinancing, one enterprise per request, each enterprise once
  batch           precheckFinancingBatch, 100 enterprises per request, each enterprise once
  ... 20-80 ms    both again with every bureau answering in 20-80 ms

with the simulators' default latency (none) first.  Prints one JSON line per scenario; the
``prechecks_per_s`` field counts decisions (a batch request holds 100).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.stack import Stack, running_stack
from credit.access import ConsentScope, Principal, PrincipalKind
from gateway import consents
from gateway.auth.demo import DEMO_BANK_ID, ensure_demo_clients
from gateway.settings import load_settings
from simulators.world import World, WorldConfig

SINGLE = """mutation($input: PrecheckFinancingInput!) {
  precheckFinancing(input: $input) { id outcome score suggestedLimit { yuan } }
}"""
BATCH = """mutation($input: PrecheckFinancingBatchInput!) {
  precheckFinancingBatch(input: $input) { index precheck { id outcome } error { code } }
}"""
PRODUCT = "BANK_TAX_LOAN"
PURPOSE = "信易贷贷前审查"


def run_load(
    stack: Stack, key: str, bodies: list[dict[str, Any]], concurrency: int, seconds: float
) -> dict[str, Any]:
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


async def consent_all(conn: asyncpg.Connection, codes: list[str]) -> None:
    """Each enterprise consents to the demo bank reading its tax data for the pre-check: the
    first through the consent store, the rest as the same rows in one statement (setup speed)."""
    ends = dt.date.today() + dt.timedelta(days=30)
    now = dt.datetime.now(dt.UTC)
    rep = Principal(
        PrincipalKind.CITIZEN, subject_key="p:" + "0" * 64, represents=frozenset(codes[:1])
    )
    first = await consents.grant(
        conn,
        by=rep,
        subject_code=codes[0],
        bank_id=DEMO_BANK_ID,
        scopes={ConsentScope.TAX},
        purpose=PURPOSE,
        ends_on=ends,
        now=now,
        max_days=90,
    )
    await conn.execute(
        """INSERT INTO consents (subject_code, bank_id, scopes, purpose, granted_by, granted_on,
                                 ends_on)
           SELECT code, $2, $3, $4, $5, $6, $7 FROM unnest($1::text[]) AS code""",
        codes[1:],
        DEMO_BANK_ID,
        ["tax"],
        PURPOSE,
        rep.subject_key,
        first.granted_on,
        ends,
    )


def single_bodies(codes: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "query": SINGLE,
            "variables": {
                "input": {
                    "uscc": code,
                    "productCode": PRODUCT,
                    "amount": "100000",
                    "purpose": "LOAN_PRECHECK",
                    "idempotencyKey": secrets.token_hex(12),
                }
            },
        }
        for code in codes
    ]


def batch_bodies(codes: list[str]) -> list[dict[str, Any]]:
    chunks = [codes[i : i + 100] for i in range(0, len(codes) - 99, 100)]
    return [
        {
            "query": BATCH,
            "variables": {
                "input": {
                    "productCode": PRODUCT,
                    "purpose": "LOAN_PRECHECK",
                    "idempotencyKey": secrets.token_hex(12),
                    "items": [{"uscc": c, "amount": "100000"} for c in chunk],
                }
            },
        }
        for chunk in chunks
    ]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--batch-concurrency", type=int, default=4)
    parser.add_argument("--enterprises", type=int, default=40_000)
    args = parser.parse_args()
    world = World.generate(WorldConfig(enterprises=args.enterprises))
    codes = [c for c in world.organisation_codes() if c.startswith("91")]
    async with running_stack(enterprises=args.enterprises) as stack:
        conn = await asyncpg.connect(stack.database_url)
        try:
            key = (await ensure_demo_clients(conn, load_settings(mode="demo")))["bank"]
            await consent_all(conn, codes)
        finally:
            await conn.close()
        fresh = iter(codes)  # every scenario gets enterprises no one asked about before
        async with httpx.AsyncClient() as http:
            for latency in ([0, 0], [20, 80]):
                await stack.set_behaviour(http, latency_ms=latency)
                label = "" if latency == [0, 0] else " 20-80 ms"
                share = len(codes) // 4
                singles = single_bodies(list(itertools.islice(fresh, share)))
                result = run_load(stack, key, singles, args.concurrency, args.seconds)
                print(
                    json.dumps(
                        {
                            "scenario": f"single{label}",
                            "concurrency": args.concurrency,
                            "prechecks_per_s": result["rps"],
                            "all_fresh": result["requests"] <= len(singles),
                            **result,
                        }
                    ),
                    flush=True,
                )
                batches = batch_bodies(list(itertools.islice(fresh, share)))
                result = run_load(stack, key, batches, args.batch_concurrency, args.seconds)
                print(
                    json.dumps(
                        {
                            "scenario": f"batch of 100{label}",
                            "concurrency": args.batch_concurrency,
                            "prechecks_per_s": round(result["rps"] * 100, 1),
                            "all_fresh": result["requests"] <= len(batches),
                            **result,
                        }
                    ),
                    flush=True,
                )


if __name__ == "__main__":
    asyncio.run(main())
