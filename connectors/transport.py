"""httpx's transport API over plain asyncio connections and httptools' C parser, for the
bureau client.

The connectors are written against httpx (``build_request``, ``send``, ``httpx.Response``,
its exceptions); this transport changes only what carries the bytes.  Bureau calls are small
HTTP/1.1 exchanges (a JSON request, a JSON answer) with a handful of hosts, and on a cold
request the client was a third of the gateway's CPU: httpcore's pool scanned every connection
on each request (issue 14, ~40 %), and aiohttp's request path, which replaced it, still spent
~110 µs per call on what a bureau never needs (cookies, redirects, auto headers, tracing
signals).  Here a request is one buffer written to a kept-alive connection and the answer is
parsed in C as it arrives; with :class:`BureauClient`'s direct send, a call (building the
request, sending, parsing the JSON answer) costs ~60 µs of CPU against ~165-195 µs for httpx's
client over aiohttp (``python -m bench.bureau_client``).

    BureauClient(Http11Transport(connections=100, per_origin={"http://court:8002": 32}))

What it does:

* **Connections** are kept per origin (scheme, host, port) and reused newest first; at most
  ``per_origin[origin]`` (else ``connections``) are open to one origin at once — a bureau's
  pool is as large as its bulkhead lets calls fly, and one bureau never waits for another's
  connections; a request beyond waits, up to httpx's ``pool`` timeout.  One idle longer than
  ``keepalive_s``, or that the bureau closed, is dropped, never reused.
  HTTPS uses the system's trust store with host-name checks; a bureaus' own CA is trusted
  the way OpenSSL is told, with ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``.
* **Answers** are read whole (bureau answers are small JSON documents) with ``Content-Length``
  or chunked framing; httpx still applies any ``Content-Encoding``.  A connection goes back
  to the pool only after a complete answer that allows keep-alive.
* **A reused connection that the bureau had closed** (it answered nothing: no byte came
  back) is retried once on a new connection — the request never reached the bureau's
  application.  Anything else is not retried here; the connectors' retry policy decides.
* **Failures** become httpx's: refused or unreachable → :class:`httpx.ConnectError`, slow to
  connect → :class:`httpx.ConnectTimeout`, slow to answer → :class:`httpx.ReadTimeout`, no
  free connection in time → :class:`httpx.PoolTimeout`, a malformed answer →
  :class:`httpx.RemoteProtocolError`, a connection lost mid-answer → :class:`httpx.ReadError`.
  A cancelled call closes its connection.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
import time
from collections.abc import Mapping
from typing import Any, cast

import httptools
import httpx

__all__ = ["BureauClient", "Http11Transport"]

Origin = tuple[bytes, str, int]


class _ConnectionLost(Exception):
    """The connection closed; ``answered``: some of the answer had arrived."""

    def __init__(self, answered: bool, cause: BaseException | None) -> None:
        super().__init__("connection lost")
        self.answered = answered
        self.cause = cause


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: one exchange at a time, answers parsed by httptools."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.idle_since = 0.0
        self.exchanges = 0
        self._parser = httptools.HttpResponseParser(self)
        self._answer: asyncio.Future[tuple[int, list[tuple[bytes, bytes]], bytes]] | None = None
        self._headers: list[tuple[bytes, bytes]] = []
        self._body: list[bytes] = []
        self._status = 0
        self._framed = False
        self._answered = False
        self._keep_alive = True
        self._closed = False

    # --- asyncio.Protocol ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        self._answered = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:  # pragma: no cover - bureaus never upgrade
            self._fail(httpx.RemoteProtocolError("unexpected protocol upgrade"))
        except httptools.HttpParserError as exc:
            self._fail(httpx.RemoteProtocolError(f"malformed answer ({exc})"))

    def eof_received(self) -> bool:
        self._lost(None)
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost(exc)

    # --- httptools callbacks -------------------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name, value))
        if name.lower() in (b"content-length", b"transfer-encoding"):
            self._framed = True

    def on_headers_complete(self) -> None:
        self._status = self._parser.get_status_code()
        self._keep_alive = self._parser.should_keep_alive()

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        answer = self._answer
        if answer is not None and not answer.done():
            answer.set_result((self._status, self._headers, b"".join(self._body)))

    # --- use -------------------------------------------------------------------------------------

    @property
    def reusable(self) -> bool:
        return (
            not self._closed
            and self._keep_alive
            and self.transport is not None
            and not self.transport.is_closing()
        )

    async def exchange(
        self, message: bytes, read_timeout: float | None
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        assert self.transport is not None
        if self._closed:
            raise _ConnectionLost(answered=False, cause=None)
        loop = asyncio.get_running_loop()
        self._answer = loop.create_future()
        self._headers, self._body, self._answered = [], [], False
        self._status, self._framed = 0, False
        self.exchanges += 1
        self.transport.write(message)
        try:
            if read_timeout is None:
                return await self._answer
            async with asyncio.timeout(read_timeout):
                return await self._answer
        finally:
            self._answer = None

    def close(self) -> None:
        self._closed = True
        if self.transport is not None:
            self.transport.close()

    def _fail(self, exc: BaseException) -> None:
        self._closed = True
        answer = self._answer
        if answer is not None and not answer.done():
            answer.set_exception(exc)
        if self.transport is not None:
            self.transport.close()

    def _lost(self, exc: BaseException | None) -> None:
        if self._closed:
            return
        self._closed = True
        answer = self._answer
        if answer is None or answer.done():
            return
        if self._status and exc is None and not self._framed:
            # An answer with neither a length nor chunks ends where the connection does.
            answer.set_result((self._status, self._headers, b"".join(self._body)))
            return
        answer.set_exception(_ConnectionLost(self._answered, exc))


class Http11Transport(httpx.AsyncBaseTransport):
    """A pool of HTTP/1.1 connections beneath an httpx client or mount.

    ``connections`` bounds the connections open at once; idle ones are kept ``keepalive_s``
    seconds.  Connections belong to the event loop that opened them.
    """

    def __init__(
        self,
        *,
        connections: int,
        per_origin: Mapping[str, int] | None = None,
        keepalive_s: float = 30.0,
    ) -> None:
        self._connections = connections
        self._per_origin = {_origin(httpx.URL(o)): n for o, n in (per_origin or {}).items()}
        self._limits: dict[Origin, asyncio.Semaphore] = {}
        self._keepalive_s = keepalive_s
        self._idle: dict[Origin, collections.deque[_Connection]] = {}
        self._open: set[_Connection] = set()
        self._tls: ssl.SSLContext | None = None
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._closed:
            raise httpx.ConnectError("the bureau client is closed", request=request)
        timeout = request.extensions.get("timeout", {})
        origin = _origin(request.url)
        limit = self._limits.get(origin)
        if limit is None:
            size = self._per_origin.get(origin, self._connections)
            limit = self._limits[origin] = asyncio.Semaphore(size)
        message = _message(request)
        try:
            async with asyncio.timeout(timeout.get("pool")):
                await limit.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout("no free bureau connection in time", request=request) from None
        try:
            for fresh in (False, True):
                conn = None if fresh else self._reuse(origin)
                reused = conn is not None
                if conn is None:
                    conn = await self._connect(origin, request, timeout.get("connect"))
                try:
                    status, headers, body = await conn.exchange(message, timeout.get("read"))
                except _ConnectionLost as lost:
                    self._discard(conn)
                    if reused and not lost.answered:
                        continue  # the bureau had closed it while idle: a new one, once
                    raise httpx.ReadError(
                        f"the bureau closed the connection{_cause(lost.cause)}", request=request
                    ) from None
                except TimeoutError:
                    self._discard(conn)
                    raise httpx.ReadTimeout(
                        "the bureau did not answer in time", request=request
                    ) from None
                except httpx.RemoteProtocolError as exc:
                    self._discard(conn)
                    raise httpx.RemoteProtocolError(str(exc), request=request) from None
                except BaseException:  # cancelled mid-exchange: the answer may still come
                    self._discard(conn)
                    raise
                self._release(origin, conn)
                return httpx.Response(
                    status,
                    headers=headers,
                    content=body,
                    request=request,
                    extensions={"http_version": b"HTTP/1.1"},
                )
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            limit.release()

    def _reuse(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        if not idle:
            return None
        now = time.monotonic()
        while idle:
            conn = idle.pop()  # newest first: the likeliest to be alive
            if conn.reusable and now - conn.idle_since < self._keepalive_s:
                return conn
            self._discard(conn)
        return None

    async def _connect(
        self, origin: Origin, request: httpx.Request, connect_timeout: float | None
    ) -> _Connection:
        scheme, host, port = origin
        tls = None
        if scheme == b"https":
            if self._tls is None:
                self._tls = ssl.create_default_context()
            tls = self._tls
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(connect_timeout):
                _, conn = await loop.create_connection(
                    _Connection, host, port, ssl=tls, server_hostname=host if tls else None
                )
        except TimeoutError:
            raise httpx.ConnectTimeout(
                f"connecting to {host}:{port} timed out", request=request
            ) from None
        except (OSError, ssl.SSLError) as exc:
            raise httpx.ConnectError(
                f"cannot connect to {host}:{port} ({type(exc).__name__})", request=request
            ) from None
        self._open.add(conn)
        return conn

    def _release(self, origin: Origin, conn: _Connection) -> None:
        if self._closed or not conn.reusable:
            self._discard(conn)
            return
        conn.idle_since = time.monotonic()
        self._idle.setdefault(origin, collections.deque()).append(conn)

    def _discard(self, conn: _Connection) -> None:
        conn.close()
        self._open.discard(conn)

    async def aclose(self) -> None:
        self._closed = True
        for conn in list(self._open):
            self._discard(conn)
        self._idle.clear()


_DEFAULT_PORTS = {b"http": 80, b"https": 443}


def _origin(url: httpx.URL) -> Origin:
    return (url.raw_scheme, url.host, url.port or _DEFAULT_PORTS[url.raw_scheme])


def _message(request: httpx.Request) -> bytes:
    """The request as it goes on the wire: request line, headers, body."""
    target = request.url.raw_path  # path and query, percent-encoded
    head = [request.method.encode("ascii"), b" ", target, b" HTTP/1.1\r\n"]
    for name, value in request.headers.raw:
        head += (name, b": ", value, b"\r\n")
    head.append(b"\r\n")
    return b"".join(head) + request.content


def _cause(exc: BaseException | None) -> str:
    return f" ({type(exc).__name__})" if exc is not None else ""


class BureauClient(httpx.AsyncClient):
    """httpx's client for the bureau connectors, handing each request straight to its transport.

    ``AsyncClient.send`` spends about as much CPU as the transport beneath it on what a bureau
    call never uses: cookies (parsed into a ``urllib`` request and an ``email`` message on every
    answer), redirects (never followed for bureaus), auth flows (the connectors sign requests
    themselves) and a streamed body (answers arrive whole).  Event hooks still run, and the
    rest of the API — ``build_request``, ``httpx.Response``, its exceptions — is httpx's own.
    """

    def __init__(self, transport: httpx.AsyncBaseTransport, **kwargs: Any) -> None:
        super().__init__(transport=transport, **kwargs)
        self._bureau_transport = transport

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        if stream or auth is not httpx.USE_CLIENT_DEFAULT or follow_redirects is True:
            raise NotImplementedError("bureau calls are neither streamed, redirected nor authed")
        hooks = self.event_hooks
        for hook in hooks["request"]:
            await hook(request)
        response = await self._bureau_transport.handle_async_request(request)
        await response.aread()
        for hook in hooks["response"]:
            await hook(response)
        return response
