"""Start bureau simulators on free loopback ports, in the current event loop.

    async with run_bureaus(world, keys, secrets=secrets) as bureaus:
        bureaus["market"].url   # http://127.0.0.1:PORT

``keys`` maps every name in :data:`BUREAUS` to its API key.  ``secrets`` maps each consent-gated
bureau (:data:`CONSENT_GATED`: tax, hrss, utilities) to the secret its subject tokens are
signed with (:mod:`credit.authorisation`); omitted, :func:`demo_secrets` is used — fixed,
public values, good for demos and tests only.

Used by the test fixtures (in-process, so tests can flip faults directly) and by
``python -m simulators serve`` (its own process, for ``make demo`` and benchmarks).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

import uvicorn

from simulators.court import CourtBureau
from simulators.hrss import HrssBureau
from simulators.identity import IdentityBureau
from simulators.market import MarketBureau
from simulators.national import NationalBureau
from simulators.service import BureauService
from simulators.serving import StartedServer, listen
from simulators.tax import TaxBureau
from simulators.utilities import UtilitiesBureau
from simulators.world import World

__all__ = [
    "BUREAUS",
    "CONSENT_GATED",
    "RunningBureau",
    "build_services",
    "demo_secrets",
    "run_bureaus",
]

BUREAUS = ("court", "market", "tax", "hrss", "utilities", "national", "identity")
CONSENT_GATED = ("tax", "hrss", "utilities")


def demo_secrets() -> dict[str, bytes]:
    """Well-known token secrets for the consent-gated bureaus: demos and tests only."""
    return {name: f"demo-{name}-token-secret".encode() for name in CONSENT_GATED}


@dataclass
class RunningBureau:
    service: BureauService
    url: str
    server: StartedServer
    task: asyncio.Task[None]
    sock: socket.socket


def build_services(
    world: World, keys: Mapping[str, str], secrets: Mapping[str, bytes] | None = None
) -> dict[str, BureauService]:
    tokens = demo_secrets() if secrets is None else secrets
    services: list[BureauService] = [
        CourtBureau(world, keys["court"]),
        MarketBureau(world, keys["market"]),
        TaxBureau(world, keys["tax"], tokens["tax"]),
        HrssBureau(world, keys["hrss"], tokens["hrss"]),
        UtilitiesBureau(world, keys["utilities"], tokens["utilities"]),
        NationalBureau(world, keys["national"]),
        IdentityBureau(world, keys["identity"]),
    ]
    return {s.name: s for s in services}


@contextlib.asynccontextmanager
async def run_bureaus(
    world: World,
    keys: Mapping[str, str],
    *,
    host: str = "127.0.0.1",
    ports: Mapping[str, int] | None = None,
    secrets: Mapping[str, bytes] | None = None,
) -> AsyncIterator[dict[str, RunningBureau]]:
    running: dict[str, RunningBureau] = {}
    try:
        for name, service in build_services(world, keys, secrets).items():
            sock = listen(host, (ports or {}).get(name, 0))
            port = sock.getsockname()[1]
            config = uvicorn.Config(
                service.app(),
                log_level="warning",
                access_log=False,
                lifespan="off",
                timeout_graceful_shutdown=1,
            )
            server = StartedServer(config)
            task = asyncio.create_task(server.serve(sockets=[sock]), name=f"bureau-{name}")
            running[name] = RunningBureau(service, f"http://{host}:{port}", server, task, sock)
        for r in running.values():
            if not await r.server.wait_started(r.task):
                raise RuntimeError(f"bureau simulator {r.service.name} did not start")
        yield running
    finally:
        for r in running.values():
            r.server.should_exit = True
        await asyncio.gather(*(r.task for r in running.values()), return_exceptions=True)
        for r in running.values():
            r.sock.close()
