"""Issue 14's memory figure: one gateway worker's resident set with every in-process cache
filled to its bound, at the 1,000,000-enterprise world.

    python -m bench.memory [--enterprises 1000000] [--subjects 12000] [--answers 2000]
                           [--big-answers 400] [--documents 600] [--big-documents 40]
                           [--consented 500] [--env GATEWAY_…=…]

About three minutes on two cores.  Simulators, gateway (``creditgw serve``, one uvicorn worker)
and this driver run each in their own process (:mod:`bench.stack`); bureaus answer at once.
The caches are filled through real GraphQL requests, in phases, and after every step the
gateway's ``VmRSS`` and ``VmHWM`` (``rss_mib``, ``peak_rss_mib``) are printed as one JSON line,
with the entries each bureau cache has stored so far (``entries``: misses in
``creditgw_bureau_cache_lookups_total`` from ``/metrics``, one stored entry each — past the
bound older ones are evicted, so the count goes on while the cache holds the bound):

  bureaus          the officer's full profile (records, classification, sanctions, credit
                   report) for ``--subjects`` new enterprises, 100 per ``subjects(codes: …)``
                   request: one entry per enterprise in every public bureau cache (market
                   dossier, court, national, customs rating, IP rights) and three in the
                   platform cache; the bound is 4,000 enterprises
                   (``GATEWAY_BUREAUS__<B>__CACHE_MAX_ENTRIES``, platform 12,000 / 3), the
                   rest shows the plateau
  answers          the public's one-enterprise profile for ``--answers`` enterprises: each a
                   kept answer (``GATEWAY_RESPONSE_CACHE_MAX_BYTES``, 4 MiB of JSON)
  big-answers      ``--big-answers`` public answers as large as the public's cost budget admits
                   (100 enterprises and their records each), evicting the small ones
  documents        ``--documents`` distinct documents of ``GATEWAY_DOCUMENT_CACHE_MAX_CHARS``
                   (4,096) characters, the longest kept: the parser, validation and per-text
                   limit caches and ``cacheable_document`` (512 each) full of the largest
                   entries they take — every cache is now at its bound
  big-documents    ``--big-documents`` distinct 1 MB documents (a comment: no tokens), which
                   none of them keeps; ``growth_mib`` is the working memory of four at a time
  consent-weights  the consent-gated caches cannot be filled from outside without thousands
                   of consents: the gateway's own connectors, run in this process against the
                   stack's bureaus, weigh one cached (consent, subject) entry per gated kind
                   (tracemalloc, ``--consented`` subjects); ``projected_full_mib`` adds them at
                   their bound (``…__CONSENT_CACHE_MAX_ENTRIES``, 250) to the documents figure,
                   with the in-process rate limiter's buckets at theirs
                   (``GATEWAY_RATE_LIMIT_MEMORY_KEYS``, 10,000 callers, measured likewise: every
                   request here comes from one address)

Every source's lifetime is set to an hour for the run (``GATEWAY_PLATFORM_CACHE_TTL_S``,
``GATEWAY_BUREAUS__<B>__TTL_S``): an entry that expired on the way would not be measured, and
lifetimes do not change what an entry weighs.  The platform tables are seeded only for the
enterprises asked about (the rest of the world's rows are never read).

Not filled (bounded, small, or unreachable from the schema): the market bureau's single-kind
caches (the schema reads its dossier only), verified API keys and bindings (4,096 each),
trusted documents (1,024, written by operators), the metrics' operation names (200).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import itertools
import json
import re
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, cast

import asyncpg
import httpx

from bench.speed import PUBLIC_PROFILE, gateway_memory_mib
from bench.stack import Stack, running_stack
from connectors.config import BureauConfig
from connectors.protocol import Grant
from connectors.registry import ConnectorSet, build_connector_set, bureaus
from credit.authorisation import sign_subject_token
from gateway.auth.demo import ensure_demo_clients
from gateway.limits import MemoryRateLimiter
from gateway.seed import seed_platform
from gateway.settings import load_settings
from simulators.world import World, WorldConfig

BATCH = 100  # the most subjects one request may ask for (resolvers.context.max_batch_subjects)
HOUR = "3600"

OFFICER_BATCH = """query Batch($codes: [String!]!) {
  subjects(codes: $codes) {
    code displayName
    ... on Enterprise { name status establishedOn registeredCapital { yuan } industry }
    records(first: 5) { totalCount edges { node { id kind severity publicity { visibleNow } } } }
    classification { creditClass reasons { code message } badges }
    sanctions { measure { id name } }
    creditReport { sections { key count } advice { message } }
  }
}"""

# As much as the public's cost budget (500) admits per enterprise, 100 enterprises a request.
PUBLIC_BATCH = """query Big($codes: [String!]!) {
  subjects(codes: $codes, kind: ENTERPRISE) {
    code
    ... on Enterprise { name status establishedOn address industry }
    records(first: 2) { totalCount edges { node { id kind title decidedOn authority } } }
  }
}"""

_MISSES = re.compile(
    r'^creditgw_bureau_cache_lookups_total\{bureau="([^"]+)",kind="([^"]+)",result="miss"\}'
    r" ([0-9.e+]+)$",
    re.MULTILINE,
)


class _Part:
    """The world's registrations of ``codes`` alone, for :func:`seed_platform`."""

    def __init__(self, world: World, codes: Iterable[str]) -> None:
        self.config = world.config
        self.registrations = {code: world.registrations[code] for code in codes}
        self.records = world.records


async def cache_entries(http: httpx.AsyncClient, stack: Stack) -> dict[str, int]:
    """Entries stored per bureau cache (``bureau.kind``), from the gateway's metrics."""
    text = (await http.get(f"{stack.gateway_url}/metrics")).text
    return {f"{b}.{k}": int(float(n)) for b, k, n in _MISSES.findall(text)}


class Driver:
    def __init__(self, stack: Stack, http: httpx.AsyncClient, clients: int) -> None:
        self.stack = stack
        self.http = http
        self.clients = clients
        self.errors = 0
        self.first_error = ""
        self.started = time.monotonic()

    async def post(self, body: dict[str, Any] | bytes, headers: dict[str, str]) -> None:
        url = f"{self.stack.gateway_url}/graphql"
        if isinstance(body, bytes):
            headers = {**headers, "Content-Type": "application/json"}
            response = await self.http.post(url, content=body, headers=headers)
        else:
            response = await self.http.post(url, json=body, headers=headers)
        answer = response.json() if response.status_code < 500 else {"errors": [response.text]}
        if response.status_code != 200 or answer.get("errors"):
            self.errors += 1
            self.first_error = self.first_error or json.dumps(answer, ensure_ascii=False)[:400]

    async def run(
        self,
        phase: str,
        requests: Sequence[Callable[[], Awaitable[None]]],
        every: int,
        extra: Callable[[int], dict[str, Any]],
    ) -> dict[str, Any]:
        """Send ``requests`` ``clients`` at a time; a line after every ``every`` of them."""
        line: dict[str, Any] = {}
        for start in range(0, len(requests), every):
            chunk = iter(requests[start : start + every])

            async def client(chunk: Iterable[Callable[[], Awaitable[None]]] = chunk) -> None:
                for send in chunk:
                    await send()

            await asyncio.gather(*(client() for _ in range(self.clients)))
            done = min(start + every, len(requests))
            line = await self.report(phase, done, extra(done))
        return line

    async def report(self, phase: str, done: int, extra: dict[str, Any]) -> dict[str, Any]:
        line = {
            "phase": phase,
            "requests": done,
            **extra,
            **gateway_memory_mib(self.stack),
            "entries": await cache_entries(self.http, self.stack),
            "errors": self.errors,
            "elapsed_s": round(time.monotonic() - self.started, 1),
        }
        if self.first_error:
            line["first_error"] = self.first_error
        print(json.dumps(line, ensure_ascii=False), flush=True)
        return line


def _padded(i: int, chars: int) -> bytes:
    """A JSON body whose document is ``chars`` characters long: a tiny query (no source, so its
    answer is never kept) and a comment (no tokens)."""
    head = f"query Pad{i} {{ __typename }}\n#"
    query = head + "x" * (chars - len(head))
    return json.dumps({"query": query, "operationName": f"Pad{i}"}).encode()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=12_000, help="enterprises cached")
    parser.add_argument("--answers", type=int, default=2_000, help="public answers kept")
    parser.add_argument("--big-answers", type=int, default=400, help="large public answers")
    parser.add_argument("--documents", type=int, default=600, help="distinct small documents")
    parser.add_argument("--big-documents", type=int, default=40, help="distinct 1 MB documents")
    parser.add_argument(
        "--consented", type=int, default=500, help="subjects for the consent-gated weights"
    )
    parser.add_argument("--clients", type=int, default=4, help="requests in flight")
    parser.add_argument(
        "--env", action="append", default=[], help="KEY=VALUE for the gateway, repeatable"
    )
    args = parser.parse_args()

    world = World.generate(WorldConfig(enterprises=args.enterprises))
    wanted = args.subjects + BATCH
    codes = list(itertools.islice((c for c in world.organisation_codes() if c[:2] == "91"), wanted))
    settings = load_settings(mode="demo")
    env = {"GATEWAY_PLATFORM_CACHE_TTL_S": HOUR}
    env |= {f"GATEWAY_BUREAUS__{b.source.value.upper()}__TTL_S": HOUR for b in bureaus().remote}
    env |= dict(pair.split("=", 1) for pair in args.env)
    async with running_stack(enterprises=args.enterprises, env=env) as stack:
        conn = await asyncpg.connect(stack.database_url)
        try:
            await seed_platform(conn, cast(World, _Part(world, codes)))
            officer = (await ensure_demo_clients(conn, settings))["officer"]
        finally:
            await conn.close()
        as_officer = {"Authorization": f"Bearer {officer}"}
        async with httpx.AsyncClient(timeout=120) as http:
            await stack.set_behaviour(http)  # bureaus answer at once
            d = Driver(stack, http, args.clients)
            one = {"query": PUBLIC_PROFILE, "variables": {"code": codes[-1]}}
            await d.post(one, {})
            await d.report("start", 1, {"settings": env | {"workers": "1"}})

            def officer_batch(i: int) -> Callable[[], Awaitable[None]]:
                batch = codes[i * BATCH : (i + 1) * BATCH]
                body = {"query": OFFICER_BATCH, "variables": {"codes": batch}}
                return lambda: d.post(body, as_officer)

            batches = [officer_batch(i) for i in range(args.subjects // BATCH)]
            await d.run("bureaus", batches, 10, lambda n: {"subjects": n * BATCH})

            def public_one(code: str) -> Callable[[], Awaitable[None]]:
                body = {"query": PUBLIC_PROFILE, "variables": {"code": code}}
                return lambda: d.post(body, {})

            small = [public_one(c) for c in codes[: args.answers]]
            await d.run("answers", small, 500, lambda n: {"kept_answers": n})

            cached = codes[: args.subjects]

            def public_batch(i: int) -> Callable[[], Awaitable[None]]:
                start = (i * 7) % len(cached)  # a different window of 100 each time
                window = (cached * 2)[start : start + BATCH]
                body = {"query": PUBLIC_BATCH, "variables": {"codes": window}}
                return lambda: d.post(body, {})

            big = [public_batch(i) for i in range(args.big_answers)]
            await d.run("big-answers", big, 100, lambda n: {"kept_answers": n})

            kept_chars = settings.document_cache_max_chars
            docs = [_poster(d, _padded(i, kept_chars)) for i in range(args.documents)]
            full = await d.run(
                "documents", docs, 200, lambda n: {"distinct_documents": n, "chars": kept_chars}
            )

            chars = settings.max_body_bytes - 100
            before = gateway_memory_mib(stack)["rss_mib"]

            def slope(n: int) -> dict[str, Any]:
                grown = gateway_memory_mib(stack)["rss_mib"] - before
                return {"distinct_documents": n, "chars": chars, "growth_mib": round(grown, 1)}

            pads = [_poster(d, _padded(i, chars)) for i in range(1000, 1000 + args.big_documents)]
            await d.run("big-documents", pads, max(1, args.big_documents // 4), slope)

            if args.consented:
                weights = await consent_weights(stack, http, codes[: args.consented])
                bound = settings.bureaus.of("tax").consent_cache_max_entries
                keys = settings.rate_limit_memory_keys
                buckets = await bucket_weight(keys) / 2**20
                mib = sum(weights.values()) * bound / 2**20 + buckets
                print(
                    json.dumps(
                        {
                            "phase": "consent-weights",
                            "subjects": args.consented,
                            "bytes_per_entry": weights,
                            "consent_cache_max_entries": bound,
                            "rate_limit_memory_keys": keys,
                            "rate_limit_buckets_mib": round(buckets, 1),
                            "at_bound_mib": round(mib, 1),
                            # every cache full: the documents phase's figure, and these
                            "projected_full_mib": round(full.get("rss_mib", 0) + mib, 1),
                        }
                    ),
                    flush=True,
                )


class _Configs:
    """The stack's bureaus, as the gateway is configured for them."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack

    def of(self, source: str) -> BureauConfig:
        secret = self.stack.token_secrets.get(source, b"").decode()
        return BureauConfig.model_validate(
            {
                "url": self.stack.bureau_urls[source],
                "api_key": self.stack.keys[source],
                "auth_secret": secret,
                "timeout_s": 30,
                "consent_cache_max_entries": 1_000_000,
            }
        )


def _gated_fetches(connectors: ConnectorSet) -> dict[str, tuple[str, Any]]:
    """Each consent-gated data kind's batch method, with its bureau's consent scope."""
    found: dict[str, tuple[str, Any]] = {
        "tax.ledger": ("tax", connectors.tax.ledgers),
        "hrss.contributions": ("hrss", connectors.hrss.contributions),
        "utilities.bills": ("utilities", connectors.utilities.bills),
    }
    for bureau in connectors.registry.gated:
        fetch = bureau.gated_records_of(connectors.of(bureau.source))
        if fetch is not None and bureau.consent is not None:
            found[f"{bureau.source}.{bureau.gated_records}"] = (bureau.consent.value, fetch)
    return found


async def consent_weights(
    stack: Stack, http: httpx.AsyncClient, codes: Sequence[str]
) -> dict[str, int]:
    """Bytes one cached (consent, subject) entry takes, per consent-gated kind: the gateway's
    own connectors, run here against the stack's bureaus, each subject under its own consent,
    measured with tracemalloc (entry, key and the cache's bookkeeping)."""
    connectors = build_connector_set(_Configs(stack), http, cast(asyncpg.Pool, None))
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    weights: dict[str, int] = {}
    tracemalloc.start()
    try:
        for kind, (scope, fetch) in _gated_fetches(connectors).items():
            secret = stack.token_secrets[kind.split(".")[0]]
            gc.collect()
            before = tracemalloc.get_traced_memory()[0]
            for start in range(0, len(codes), BATCH):
                grants = {
                    code: Grant(
                        f"consent-{code}",
                        sign_subject_token(
                            secret,
                            subject=code,
                            scope=scope,
                            consent_id=f"consent-{code}",
                            expires_at=expires,
                        ),
                    )
                    for code in codes[start : start + BATCH]
                }
                await fetch(grants)
            del grants
            gc.collect()
            weights[kind] = (tracemalloc.get_traced_memory()[0] - before) // len(codes)
    finally:
        tracemalloc.stop()
        await connectors.aclose()
    return weights


async def bucket_weight(max_keys: int) -> int:
    """Bytes the in-process rate limiter holds with ``max_keys`` callers (one address each)."""
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        limiter = MemoryRateLimiter(max_keys=max_keys)
        for i in range(max_keys):
            await limiter.take(f"addr:2001:db8:{i:x}::{i % 977:x}", per_minute=60)
        gc.collect()
        return int(tracemalloc.get_traced_memory()[0] - before)
    finally:
        tracemalloc.stop()


def _poster(d: Driver, body: bytes) -> Callable[[], Awaitable[None]]:
    return lambda: d.post(body, {})


if __name__ == "__main__":
    asyncio.run(main())
