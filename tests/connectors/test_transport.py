"""The bureau transport over real sockets: reuse, framing, and each failure as httpx names it.

The happy path runs in every connector test (they all go through it to the simulators); these
are the edges a simulator cannot produce — a bureau closing an idle connection, answering
half, answering garbage, or never answering — served by small asyncio servers scripted here.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import ssl
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from connectors.transport import BureauClient, Http11Transport

BODY = b'{"ok": true}'
OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (
    len(BODY),
    BODY,
)


class Script(asyncio.Protocol):
    """Answers each request (one per received head) with what ``reply(n, data)`` returns:
    bytes to write, or None to say nothing."""

    def __init__(self, server: ScriptedServer) -> None:
        self.server = server
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.server.connections.append(self)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, _, rest = self.buffer.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if len(rest) < length:
                return
            self.buffer = rest[length:]
            self.server.requests.append(head + b"\r\n\r\n" + rest[:length])
            self.server.arrived.set()
            self.server.reply(self, len(self.server.requests))


class ScriptedServer:
    def __init__(self, reply: Callable[[Script, int], None]) -> None:
        self.reply = reply
        self.connections: list[Script] = []
        self.requests: list[bytes] = []
        self.arrived = asyncio.Event()

    async def received(self, n: int) -> None:
        """Until ``n`` requests have arrived."""
        while len(self.requests) < n:
            self.arrived.clear()
            await self.arrived.wait()


@contextlib.asynccontextmanager
async def scripted(
    reply: Callable[[Script, int], None],
) -> AsyncIterator[tuple[str, ScriptedServer]]:
    state = ScriptedServer(reply)
    server = await asyncio.get_running_loop().create_server(lambda: Script(state), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", state
    finally:
        server.close()
        for conn in state.connections:
            conn.transport.close()


def answer_ok(conn: Script, n: int) -> None:
    conn.transport.write(OK)  # type: ignore[attr-defined]


async def test_one_connection_carries_sequential_calls_and_the_request_is_what_httpx_built() -> (
    None
):
    async with (
        scripted(answer_ok) as (url, server),
        BureauClient(Http11Transport(connections=4)) as client,
    ):
        for _ in range(3):
            response = await client.post(
                f"{url}/api/x?q=1", json={"a": 1}, headers={"X-Api-Key": "k"}
            )
            assert response.status_code == 200
            assert response.json() == {"ok": True}
    assert len(server.connections) == 1
    first = server.requests[0]
    assert first.startswith(b"POST /api/x?q=1 HTTP/1.1\r\n")
    assert b"\r\nx-api-key: k\r\n" in first.lower()
    assert first.endswith((b'{"a":1}', b'{"a": 1}'))


async def test_a_chunked_answer_and_one_ended_by_closing_are_read_whole() -> None:
    def chunked(conn: Script, n: int) -> None:
        conn.transport.write(  # type: ignore[attr-defined]
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\n[1, 2\r\n3\r\n, 3\r\n1\r\n]\r\n0\r\n\r\n"
        )

    def until_close(conn: Script, n: int) -> None:
        conn.transport.write(b"HTTP/1.1 200 OK\r\n\r\n[4, 5]")  # type: ignore[attr-defined]
        conn.transport.close()

    async with BureauClient(Http11Transport(connections=4)) as client:
        async with scripted(chunked) as (url, _):
            assert (await client.get(url)).json() == [1, 2, 3]
        async with scripted(until_close) as (url, server):
            assert (await client.get(url)).json() == [4, 5]
            assert (await client.get(url)).json() == [4, 5]
            assert len(server.connections) == 2  # the closed one was not reused


async def test_a_connection_the_bureau_closed_while_idle_is_replaced_once() -> None:
    async with (
        scripted(answer_ok) as (url, server),
        BureauClient(Http11Transport(connections=4)) as client,
    ):
        assert (await client.get(url)).status_code == 200
        # The bureau drops the idle connection; our side has not noticed yet.
        server.connections[0].transport.abort()  # type: ignore[attr-defined]
        assert (await client.get(url)).status_code == 200
        assert len(server.connections) == 2


async def test_a_reused_connection_closed_before_any_answer_is_retried_once_on_a_new_one() -> None:
    def drop_the_second(conn: Script, n: int) -> None:
        if n == 2:  # closed as the request arrived (a keep-alive timeout racing it)
            conn.transport.abort()  # type: ignore[attr-defined]
        else:
            conn.transport.write(OK)  # type: ignore[attr-defined]

    def drop_all_but_the_first(conn: Script, n: int) -> None:
        if n == 1:
            conn.transport.write(OK)  # type: ignore[attr-defined]
        else:
            conn.transport.abort()  # type: ignore[attr-defined]

    async with BureauClient(Http11Transport(connections=4)) as client:
        async with scripted(drop_the_second) as (url, server):
            assert (await client.get(url)).status_code == 200
            assert (await client.get(url)).status_code == 200
            assert len(server.requests) == 3  # the second, sent again on a new connection
            assert len(server.connections) == 2
        async with scripted(drop_all_but_the_first) as (url, server):
            assert (await client.get(url)).status_code == 200
            with pytest.raises(httpx.ReadError):  # a new connection dropped too: no more tries
                await client.get(url)
            assert len(server.requests) == 3


async def test_an_answer_cut_short_is_a_read_error_and_garbage_a_protocol_error() -> None:
    def half(conn: Script, n: int) -> None:
        conn.transport.write(OK[:-5])  # type: ignore[attr-defined]
        conn.transport.close()

    def garbage(conn: Script, n: int) -> None:
        conn.transport.write(b"SMTP ready\r\n\r\n")  # type: ignore[attr-defined]

    async with BureauClient(Http11Transport(connections=4)) as client:
        async with scripted(half) as (url, _):
            with pytest.raises(httpx.ReadError, match="closed the connection"):
                await client.get(url)
        async with scripted(garbage) as (url, _):
            with pytest.raises(httpx.RemoteProtocolError, match="malformed answer"):
                await client.get(url)


async def test_refused_slow_and_crowded_calls_fail_as_httpx_names_them() -> None:
    async with scripted(lambda conn, n: None) as (url, server):
        port = int(url.rsplit(":", 1)[1])
    async with BureauClient(Http11Transport(connections=1)) as client:
        with pytest.raises(httpx.ConnectError, match="cannot connect"):
            await client.get(f"http://127.0.0.1:{port}/")  # the server above is gone
        async with scripted(lambda conn, n: None) as (url, server):
            with pytest.raises(httpx.ReadTimeout):  # 50 ms to answer, not to connect: a
                # stall of the loop while connecting would make it a ConnectTimeout
                await client.get(url, timeout=httpx.Timeout(5.0, read=0.05))
            silent = asyncio.create_task(client.get(url, timeout=httpx.Timeout(5.0)))
            await server.received(2)
            with pytest.raises(httpx.PoolTimeout):  # the only connection is taken
                await client.get(url, timeout=httpx.Timeout(5.0, pool=0.05))
            silent.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await silent


async def test_a_cancelled_call_closes_its_connection_and_the_next_call_gets_a_new_one() -> None:
    answered: list[int] = []

    def second_only(conn: Script, n: int) -> None:
        if n > 1:
            answered.append(n)
            conn.transport.write(OK)  # type: ignore[attr-defined]

    async with (
        scripted(second_only) as (url, server),
        BureauClient(Http11Transport(connections=4)) as client,
    ):
        waiting = asyncio.create_task(client.get(url))
        await server.received(1)
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
        assert (await client.get(url)).status_code == 200
        assert len(server.connections) == 2  # a late answer on the first can never be misread


async def test_each_origin_has_its_own_bound() -> None:
    held: list[Script] = []

    def hold(conn: Script, n: int) -> None:
        held.append(conn)

    async with scripted(hold) as (slow, slow_server), scripted(answer_ok) as (fast, _):
        transport = Http11Transport(connections=10, per_origin={slow: 2})
        async with BureauClient(transport) as client:
            calls = [asyncio.create_task(client.get(slow)) for _ in range(4)]
            await slow_server.received(2)
            assert (await client.get(fast)).status_code == 200  # another bureau is not held up
            assert len(slow_server.connections) == 2  # the other two wait for a connection
            assert len(slow_server.requests) == 2
            for call in calls:
                call.cancel()
            await asyncio.gather(*calls, return_exceptions=True)


async def test_the_bureau_client_runs_event_hooks_and_refuses_what_it_does_not_do() -> None:
    seen: list[str] = []

    async def on_request(request: httpx.Request) -> None:
        seen.append(f"request {request.url.path}")

    async def on_response(response: httpx.Response) -> None:
        seen.append(f"response {response.status_code}")

    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    async with BureauClient(
        transport, event_hooks={"request": [on_request], "response": [on_response]}
    ) as client:
        assert (await client.get("http://bureau/x")).status_code == 204
        with pytest.raises(NotImplementedError):
            await client.send(client.build_request("GET", "http://bureau/x"), stream=True)
    assert seen == ["request /x", "response 204"]


async def test_a_closed_transport_refuses_calls() -> None:
    transport = Http11Transport(connections=1)
    await transport.aclose()
    async with BureauClient(transport) as client:
        with pytest.raises(httpx.ConnectError, match="closed"):
            await client.get("http://127.0.0.1:9/")


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that signs itself (its own CA), and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试部门接口")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "bureau.pem", folder / "bureau.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


async def test_https_bureaus_are_verified_against_the_trust_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert_file, key_file = _self_signed(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert_file, key_file)
    state = ScriptedServer(answer_ok)
    server = await asyncio.get_running_loop().create_server(
        lambda: Script(state), "127.0.0.1", 0, ssl=tls
    )
    url = f"https://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
    try:
        async with BureauClient(Http11Transport(connections=2)) as client:
            with pytest.raises(httpx.ConnectError, match="SSL"):  # not in the trust store
                await client.get(url)
        # An operator trusts the bureaus' CA the way OpenSSL is told: SSL_CERT_FILE.
        monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
        async with BureauClient(Http11Transport(connections=2)) as client:
            response = await client.get(url)
            assert response.json() == {"ok": True}
    finally:
        server.close()
        for conn in state.connections:
            conn.transport.close()
