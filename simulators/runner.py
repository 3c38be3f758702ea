"""Start bureau simulators on free loopback ports, in the current event loop.

    async with run_bureaus(world, keys, secrets=secrets) as bureaus:
        bureaus["market"].url   # http://127.0.0.1:PORT

``keys`` maps every name in :data:`BUREAUS` to its API key.  ``secrets`` maps each consent-gated
bureau (:data:`CONSENT_GATED`) to the secret its subject tokens are
signed with (:mod:`credit.authorisation`); omitted, :func:`demo_secrets` is used — fixed,
public values, good for demos and tests only.

Used by the test fixtures (in-process, so tests can flip faults directly) and by
``python -m simulators serve`` (its own process, for ``make demo`` and benchmarks).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import pkgutil
import socket
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

import uvicorn

from simulators.service import BureauService, Simulator
from simulators.serving import StartedServer, listen
from simulators.world import World

__all__ = [
    "BUREAUS",
    "CONSENT_GATED",
    "RunningBureau",
    "build_services",
    "demo_secrets",
    "register",
    "run_bureaus",
    "simulators",
]

_extra: list[Simulator] = []


def simulators() -> dict[str, Simulator]:
    """Every declared simulator by bureau name, by name: each module of this package that
    declares one (``SIMULATOR``), and those added by :func:`register`."""
    import simulators as package

    found: dict[str, Simulator] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        declared = getattr(importlib.import_module(f"simulators.{info.name}"), "SIMULATOR", None)
        if isinstance(declared, Simulator):
            found[declared.name] = declared
    for extra in _extra:
        found[extra.name] = extra
    return {name: found[name] for name in sorted(found)}


def register(simulator: Simulator) -> None:
    """Add a simulator declared outside this package (a test's dummy bureau)."""
    _extra.append(simulator)


BUREAUS = tuple(simulators())
CONSENT_GATED = tuple(name for name, sim in simulators().items() if sim.gated)


def demo_secrets() -> dict[str, bytes]:
    """Well-known token secrets for the consent-gated bureaus: demos and tests only."""
    names = [name for name, sim in simulators().items() if sim.gated]
    return {name: f"demo-{name}-token-secret".encode() for name in names}


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
    return {
        name: sim.build(world, keys[name], tokens[name] if sim.gated else b"")
        for name, sim in simulators().items()
    }


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
