"""httpx's transport API over aiohttp's connection pool, for the bureau client.

The connectors are written against httpx (``build_request``, ``send``, ``httpx.Response``,
its exceptions); this transport changes only what carries the bytes.  httpcore's pool scans
every connection of the pool on each request it assigns and returns, and asks each one's
socket for its peer (``getpeername``) to see whether it expired — under 50 clients that was
~40 % of the gateway's CPU per cold request (issue 14).  aiohttp keeps idle connections in
a queue per host and parses answers in C.

Bureau answers are small JSON documents, so the body is read here, whole, and handed to httpx
as content (httpx still applies any ``Content-Encoding``).  aiohttp's failures become httpx's:
a connection refused or reset is a :class:`httpx.ConnectError` / :class:`httpx.ReadError`,
a timeout a :class:`httpx.TimeoutException` — the connectors translate those as before.

    httpx.AsyncClient(transport=AiohttpTransport(connections=50))
"""

from __future__ import annotations

import aiohttp
import httpx
from yarl import URL

__all__ = ["AiohttpTransport"]


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One aiohttp session (one connection pool) beneath an httpx client or mount.

    ``connections`` bounds the connections open at once (requests beyond wait for one);
    idle ones are kept ``keepalive_s`` seconds.  The session is made on first use, inside
    the event loop that uses it.
    """

    def __init__(self, *, connections: int, keepalive_s: float = 30.0) -> None:
        self._connections = connections
        self._keepalive_s = keepalive_s
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._connections, limit_per_host=0, keepalive_timeout=self._keepalive_s
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),  # bureaus set none; httpx keeps any
                auto_decompress=False,  # httpx decodes, as it would over httpcore
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = request.extensions.get("timeout", {})
        headers = request.headers
        try:
            async with self._client().request(
                request.method,
                URL(str(request.url), encoded=True),
                # decoded here (multi_items() works out the encoding again for every header)
                headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers.raw],
                data=request.content or None,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=timeout.get("pool"),
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                ),
            ) as answer:
                body = await answer.read()
        except aiohttp.ConnectionTimeoutError as exc:
            raise httpx.ConnectTimeout(str(exc), request=request) from exc
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise httpx.ReadTimeout(str(exc) or "timed out", request=request) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except (aiohttp.ClientResponseError, aiohttp.ClientPayloadError) as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc
        return httpx.Response(
            answer.status,
            headers=answer.raw_headers,
            content=body,
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
