"""Serve an ASGI app over real HTTP on a free loopback port, inside the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Literal

import uvicorn
from starlette.types import ASGIApp

from simulators.serving import StartedServer, listen

__all__ = ["serve_app"]


@contextlib.asynccontextmanager
async def serve_app(
    app: ASGIApp, *, lifespan: Literal["auto", "on", "off"] = "on"
) -> AsyncIterator[str]:
    """Yield the base URL while uvicorn serves ``app``; lifespan errors surface here."""
    sock = listen("127.0.0.1")
    server = StartedServer(
        uvicorn.Config(app, log_level="warning", lifespan=lifespan, timeout_graceful_shutdown=1)
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        if not await server.wait_started(task):
            raise RuntimeError("server did not start")
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()
