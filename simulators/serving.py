"""A uvicorn server that says when start-up is over, so nobody polls for it."""

from __future__ import annotations

import asyncio
import socket

import uvicorn

__all__ = ["StartedServer", "listen"]


class StartedServer(uvicorn.Server):
    """``await server.wait_started()`` returns once start-up finished (``started`` says how)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._startup_over = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self._startup_over.set()

    async def wait_started(self, task: asyncio.Task[None]) -> bool:
        """Wait until start-up is over or ``task`` (running ``serve``) ended; True if serving."""
        over = asyncio.create_task(self._startup_over.wait())
        await asyncio.wait([over, task], return_when=asyncio.FIRST_COMPLETED)
        over.cancel()
        if task.done():
            task.result()  # surface the failure
        return self.started


def listen(host: str, port: int = 0) -> socket.socket:
    """A bound, listening socket (port 0: a free one) to hand to ``serve(sockets=...)``."""
    # IPPROTO_TCP explicitly: asyncio turns Nagle off only for sockets whose proto says TCP, and
    # with Nagle on every answer waited ~40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
        sock.setblocking(False)
    except OSError:
        sock.close()  # a port in use: no socket left behind for the caller to leak
        raise
    return sock
