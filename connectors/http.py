"""The shared HTTP request loop: auth, error translation, JSON decoding.

Each bureau connector subclasses :class:`HttpBureau` and declares only what differs — its
``source`` name, how its key is sent, its paths and its payload mapping.  httpx exceptions are
translated to the connector error tree here and nowhere else.

    class MarketConnector(HttpBureau):
        source = "market"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import httpx
import orjson

from connectors.config import BureauConfig
from connectors.errors import (
    SourceProtocolError,
    SourceRejected,
    SourceTimeout,
    SourceUnavailable,
)
from connectors.provenance import Provenance

__all__ = ["Clock", "HttpBureau", "utc_now"]

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class HttpBureau:
    """Base of every HTTP bureau connector.  Receives its client; never builds one."""

    source: ClassVar[str] = "bureau"

    def __init__(
        self, client: httpx.AsyncClient, config: BureauConfig, *, clock: Clock = utc_now
    ) -> None:
        self._client = client
        self._config = config
        self._clock = clock
        self._closed = False

    def auth_headers(self) -> dict[str, str]:
        """How this bureau wants its key; override when it differs."""
        return {"X-Api-Key": self._config.api_key.get_secret_value()}

    def provenance(self) -> Provenance:
        return Provenance(source=self.source, fetched_at=self._clock())

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """One attempt; a non-2xx answer or a transport failure raises a ConnectorError."""
        try:
            response = await self._client.request(
                method,
                self._config.url.rstrip("/") + path,
                content=None if json is None else orjson.dumps(json),
                params=params,
                headers={
                    **self.auth_headers(),
                    **({"Content-Type": "application/json"} if json is not None else {}),
                    **(headers or {}),
                },
                timeout=self._config.timeout_s,
            )
        except httpx.TimeoutException:
            raise SourceTimeout(self.source, "no answer within the timeout") from None
        except httpx.TransportError as exc:
            raise SourceUnavailable(self.source, type(exc).__name__) from None
        status = response.status_code
        if status == 429 or status >= 500:
            raise SourceUnavailable(
                self.source, f"HTTP {status}", retry_after=_retry_after(response)
            )
        if status >= 400:
            raise SourceRejected(self.source, f"HTTP {status}", status=status)
        return response

    def decode(self, response: httpx.Response) -> Any:
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise SourceProtocolError(self.source, "response is not valid JSON") from None

    async def aclose(self) -> None:
        """Idempotent.  The client belongs to whoever handed it in and is not closed here."""
        self._closed = True
