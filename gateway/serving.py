"""``creditgw serve``: one process or several workers, and the checks that make them agree.

Workers and replicas share only PostgreSQL and Redis.  So a start with several workers, or any
production start, is refused (:class:`~gateway.settings.SettingsError`, naming the setting)
without a shared ``GATEWAY_SUBJECT_TOKEN_SECRET`` (each process would sign citizens' tokens with
its own random key and refuse the others'), without Redis (rate limits would be counted per
process: two workers, twice the limit; revocations would not reach the others) — and, with
several workers, without ``PROMETHEUS_MULTIPROC_DIR`` (each worker would answer ``/metrics``
with its own counts only).  A secret shorter than 32 bytes is refused by the settings.

    serve(load_settings())           # blocks; GATEWAY_WORKERS picks the process count
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from uvicorn.supervisors import Multiprocess

from gateway.logs import configure_logging
from gateway.metrics import MULTIPROC_ENV
from gateway.settings import Settings, SettingsError, load_settings

__all__ = ["app_from_environment", "deployment_problems", "serve", "worker_count"]

log = logging.getLogger(__name__)


def worker_count(settings: Settings) -> int:
    """``GATEWAY_WORKERS``, or one per CPU core in production and one in demo mode."""
    if settings.workers is not None:
        return settings.workers
    if settings.mode == "demo":
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def deployment_problems(
    settings: Settings, workers: int, environ: Mapping[str, str] = os.environ
) -> list[str]:
    """What keeps this start from agreeing with its other workers and replicas; empty: none."""
    problems: list[str] = []
    shared = workers > 1 or settings.mode == "production"
    why = (
        f"required with several workers (GATEWAY_WORKERS={workers})"
        if workers > 1
        else "required in production (replicas share only PostgreSQL and Redis)"
    )
    if shared and settings.subject_token_secret is None:
        problems.append(
            f"GATEWAY_SUBJECT_TOKEN_SECRET: {why}; without it each process signs citizens' "
            "tokens with its own random key and refuses the others'"
        )
    if shared and settings.redis_url is None:
        problems.append(
            f"GATEWAY_REDIS_URL (or REDIS_URL): {why}; without it rate limits are counted and "
            "revocations heard per process"
        )
    if workers > 1:
        folder = environ.get(MULTIPROC_ENV, "")
        if not folder:
            problems.append(
                f"{MULTIPROC_ENV}: required with several workers (GATEWAY_WORKERS={workers}); "
                "an empty folder writable by every worker, so /metrics counts them all"
            )
        elif not Path(folder).is_dir() or not os.access(folder, os.W_OK):
            problems.append(f"{MULTIPROC_ENV}: {folder} is not a writable folder")
    return problems


def check_deployment(
    settings: Settings, workers: int, environ: Mapping[str, str] = os.environ
) -> None:
    problems = deployment_problems(settings, workers, environ)
    if problems:
        raise SettingsError("invalid setting — " + "; ".join(problems))


def app_from_environment() -> Starlette:
    """The app of one worker (uvicorn's factory): settings read again in that process."""
    from gateway.app import create_app

    settings = load_settings()
    configure_logging(settings.log_level)
    return create_app(settings, serving=True)


def _clear_multiprocess_folder(folder: str) -> None:
    """Samples of an earlier run's workers would be added to this run's: start empty."""
    for stale in Path(folder).glob("*.db"):
        stale.unlink()


class _AnnouncingServer(uvicorn.Server):
    """Says where it listens once it does (with ``GATEWAY_PORT=0``, a free port)."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            for server in self.servers:
                for sock in server.sockets:
                    _announce(sock.getsockname())


def _announce(address: tuple[str, int] | Any, workers: int = 1) -> None:
    host, port = address[0], address[1]
    log.info("gateway listening on http://%s:%d (%d worker(s))", host, port, workers)


def serve(settings: Settings) -> int:
    """Run the gateway until stopped; refuses a start whose processes would disagree."""
    workers = worker_count(settings)
    check_deployment(settings, workers)
    configure_logging(settings.log_level)
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "timeout_graceful_shutdown": 10,
    }
    if workers == 1:
        from gateway.app import create_app

        server = _AnnouncingServer(uvicorn.Config(create_app(settings, serving=True), **options))
        with contextlib.suppress(KeyboardInterrupt):
            server.run()
        return 0 if server.started else 3  # uvicorn's own code for a failed start-up
    _clear_multiprocess_folder(os.environ[MULTIPROC_ENV])
    config = uvicorn.Config(
        "gateway.serving:app_from_environment", factory=True, workers=workers, **options
    )
    sock = config.bind_socket()
    sock.listen(config.backlog)  # listening before the workers start: connections wait for them
    _announce(sock.getsockname(), workers)
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[sock]).run()
    return 0
