"""Start bureau simulators on free loopback ports, in the current event loop.

    async with run_bureaus(world, keys) as bureaus:
        bureaus["market"].url   # http://127.0.0.1:PORT

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

from simulators.market import MarketBureau
from simulators.service import BureauService
from simulators.serving import StartedServer, listen
from simulators.world import World

__all__ = ["BUREAUS", "RunningBureau", "build_services", "run_bureaus"]

BUREAUS = ("market",)


@dataclass
class RunningBureau:
    service: BureauService
    url: str
    server: StartedServer
    task: asyncio.Task[None]
    sock: socket.socket


def build_services(world: World, keys: Mapping[str, str]) -> dict[str, BureauService]:
    services: list[BureauService] = [MarketBureau(world, keys["market"])]
    return {s.name: s for s in services}


@contextlib.asynccontextmanager
async def run_bureaus(
    world: World,
    keys: Mapping[str, str],
    *,
    host: str = "127.0.0.1",
    ports: Mapping[str, int] | None = None,
) -> AsyncIterator[dict[str, RunningBureau]]:
    running: dict[str, RunningBureau] = {}
    try:
        for name, service in build_services(world, keys).items():
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
