"""One keep-alive HTTP/1.1 connection driven by hand: requests no client library would send
(invalid UTF-8, odd headers), and proof that the server kept the connection open.

    async with RawConnection.open(url) as conn:
        answer = await conn.send("POST", "/graphql", b"42", {"Content-Type": "application/json"})
        answer.status, answer.headers["content-type"], answer.body
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["RawAnswer", "RawConnection"]


@dataclass(frozen=True)
class RawAnswer:
    status: int
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value
    body: bytes


class RawConnection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self.host = writer.get_extra_info("peername")[0]

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, url: str) -> AsyncIterator[RawConnection]:
        parts = urlsplit(url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            yield cls(reader, writer)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def send(
        self, method: str, target: str, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> RawAnswer:
        """One request on this connection; raises if the server closed it instead of
        answering (``asyncio.IncompleteReadError``)."""
        head = [f"{method} {target} HTTP/1.1", f"Host: {self.host}"]
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if method not in ("GET", "HEAD") or body:
            head.append(f"Content-Length: {len(body)}")
        self._writer.write("\r\n".join(head).encode() + b"\r\n\r\n" + body)
        await self._writer.drain()
        status_line, *lines = (await self._reader.readuntil(b"\r\n\r\n")).decode().split("\r\n")
        found = {}
        for line in lines:
            if line:
                name, _, value = line.partition(":")
                found[name.strip().lower()] = value.strip()
        length = 0 if method == "HEAD" else int(found.get("content-length", "0"))
        return RawAnswer(int(status_line.split()[1]), found, await self._reader.readexactly(length))
