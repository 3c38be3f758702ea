"""CPU per bureau call on the client side: httpx's client over aiohttp (the transport before)
against :class:`~connectors.transport.BureauClient` over
:class:`~connectors.transport.Http11Transport` (now).

    python -m bench.bureau_client [--calls 6000] [--concurrency 25] [--rounds 3]

A minimal HTTP/1.1 server answering a fixed JSON document runs in its own process, so the
figure (``time.process_time()`` of this process per call, after a warm-up) is the client's
alone: building the request, sending it, reading and parsing the answer — what each bureau
call costs the gateway.  Prints one JSON line per client and round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable

import aiohttp
import httpx
import orjson
import uvloop
from yarl import URL

from connectors.transport import BureauClient, Http11Transport

_ANSWER = orjson.dumps([{"uscc": "91350100M000100Y43", "name": "某某公司", "records": [1, 2]}] * 3)
_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (
    len(_ANSWER),
    _ANSWER,
)


class _Answer(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            length = 0
            for line in self.buffer[:end].split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            self.transport.write(_RESPONSE)  # type: ignore[attr-defined]


async def _serve() -> None:
    server = await asyncio.get_running_loop().create_server(_Answer, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


class _AiohttpTransport(httpx.AsyncBaseTransport):
    """The transport before this change, reduced to its path: httpx's API over aiohttp."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=50),
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
            )
        async with self._session.request(
            request.method,
            URL(str(request.url), encoded=True),
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw],
            data=request.content or None,
            allow_redirects=False,
        ) as answer:
            body = await answer.read()
        return httpx.Response(answer.status, headers=answer.raw_headers, content=body)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


async def _measure(client: httpx.AsyncClient, url: str, calls: int, concurrency: int) -> float:
    target = httpx.URL(url)
    body = orjson.dumps({"uscc_list": ["91350100M000100Y43"] * 3})

    async def one() -> None:
        request = client.build_request(
            "POST", target, content=body, headers={"Content-Type": "application/json"}, timeout=5.0
        )
        response = await client.send(request)
        orjson.loads(response.content)

    async def worker(n: int) -> None:
        for _ in range(n):
            await one()

    await asyncio.gather(*(worker(40) for _ in range(concurrency)))  # connections, caches
    started = time.process_time()
    await asyncio.gather(*(worker(calls // concurrency) for _ in range(concurrency)))
    return (time.process_time() - started) * 1e6 / (calls // concurrency * concurrency)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        await _serve()
        return
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.bureau_client", "--serve", stdout=subprocess.PIPE
    )
    try:
        assert server.stdout is not None
        port = (await server.stdout.readline()).decode().strip()
        url = f"http://127.0.0.1:{port}/api/batch"
        clients: dict[str, Callable[[], httpx.AsyncClient]] = {
            "httpx_over_aiohttp": lambda: httpx.AsyncClient(transport=_AiohttpTransport()),
            "bureau_client_http11": lambda: BureauClient(Http11Transport(connections=50)),
        }
        for round_ in range(args.rounds):
            for name, make in clients.items():
                async with make() as client:
                    cpu = await _measure(client, url, args.calls, args.concurrency)
                line = {"client": name, "round": round_, "cpu_us_per_call": round(cpu, 1)}
                print(json.dumps(line), flush=True)
    finally:
        server.terminate()
        await server.wait()


if __name__ == "__main__":
    uvloop.run(main())
