"""The product as separate processes for benchmarks: simulators, gateway, and a database.

    async with running_stack(enterprises=5000) as stack:
        stack.gateway_url, stack.bureau_urls, stack.keys

The gateway runs as ``creditgw serve`` in its own process (one uvicorn worker), against a
fresh database on ``DATABASE_URL`` (default: the local server), dropped afterwards; with
``server="granian"`` it runs under granian instead (``workers`` processes, uvloop).
``stack.gateway_pid`` and ``stack.simulator_pids`` name the processes, so a benchmark can
tell the gateway's CPU from the simulators' (:func:`cpu_seconds`, Linux ``/proc``) or attach
a sampling profiler to the gateway alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import sys
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx

from gateway.demo import start_simulators
from simulators.runner import BUREAUS, CONSENT_GATED
from simulators.serving import listen

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/test"
_PRINCIPAL_KINDS = ("PUBLIC", "BOT", "CITIZEN", "BANK", "OFFICER", "OPERATOR")
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


@dataclass
class Stack:
    gateway_url: str
    bureau_urls: dict[str, str]
    keys: dict[str, str]
    database_url: str
    gateway_pid: int = 0
    simulator_pids: list[int] = field(default_factory=list)
    token_secrets: dict[str, bytes] = field(default_factory=dict)  # consent-gated bureaus'

    async def set_behaviour(self, http: httpx.AsyncClient, **behaviour: object) -> None:
        """Apply one fault/latency setting to every bureau through its control route."""
        for name, url in self.bureau_urls.items():
            response = await http.post(
                f"{url}/_control/behaviour", json=behaviour, headers={"X-Api-Key": self.keys[name]}
            )
            response.raise_for_status()


@contextlib.asynccontextmanager
async def fresh_db(server_dsn: str) -> AsyncIterator[str]:
    name = f"cgw_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlsplit(server_dsn)._replace(path=f"/{name}").geturl()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@contextlib.asynccontextmanager
async def running_stack(
    *,
    enterprises: int = 5000,
    seed: int = 20260401,
    server: str = "uvicorn",
    workers: int = 1,
    env: Mapping[str, str] | None = None,
) -> AsyncIterator[Stack]:
    """``env``: more gateway settings (``GATEWAY_…``), over the stack's own."""
    keys = {name: secrets.token_urlsafe(16) for name in BUREAUS}
    token_secrets = {name: secrets.token_urlsafe(32).encode() for name in CONSENT_GATED}
    sock = listen("127.0.0.1")
    port = sock.getsockname()[1]
    sock.close()  # the gateway process binds it again; a race here only costs a retry
    async with (
        start_simulators(keys, seed=seed, enterprises=enterprises, secrets=token_secrets) as urls,
        fresh_db(os.environ.get("DATABASE_URL", LOCAL_PG)) as dsn,
    ):
        env = {
            **os.environ,
            "DATABASE_URL": dsn,
            "GATEWAY_PORT": str(port),
            "GATEWAY_MODE": "demo",
            "GATEWAY_LOG_LEVEL": "WARNING",
            # The benchmark measures throughput, not the rate limiter.
            **{f"GATEWAY_RATE_LIMITS__{kind}": "10000000" for kind in _PRINCIPAL_KINDS},
            **(env or {}),
        }
        for name, url in urls.items():
            env[f"GATEWAY_BUREAUS__{name.upper()}__URL"] = url
            env[f"GATEWAY_BUREAUS__{name.upper()}__API_KEY"] = keys[name]
            if name in token_secrets:
                env[f"GATEWAY_BUREAUS__{name.upper()}__AUTH_SECRET"] = token_secrets[name].decode()
        if server == "granian":
            command = [
                str(Path(sys.executable).with_name("granian")),
                "--interface",
                "asgi",
                "--factory",
                "--loop",
                "uvloop",
                "--no-ws",
                "--log-level",
                "warning",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "bench.granian_app:app",
            ]
        else:
            command = [sys.executable, "-m", "gateway", "serve"]
            if workers > 1:
                env["GATEWAY_WORKERS"] = str(workers)
        proc = await asyncio.create_subprocess_exec(*command, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient() as http:
                for _ in range(300):
                    with contextlib.suppress(httpx.HTTPError):
                        if (await http.get(f"{base}/readyz")).status_code == 200:
                            break
                    await asyncio.sleep(0.1)
                else:
                    raise RuntimeError("the gateway did not become ready")
            yield Stack(
                gateway_url=base,
                bureau_urls=urls,
                keys=keys,
                database_url=dsn,
                gateway_pid=proc.pid,
                simulator_pids=[p for p in _children(os.getpid()) if p != proc.pid],
                token_secrets=token_secrets,
            )
        finally:
            proc.terminate()
            await proc.wait()


__all__ = ["Stack", "cpu_seconds", "running_stack"]
