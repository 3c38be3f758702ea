"""The bot's only way to the gateway: its own GraphQL documents, sent by hash over HTTP.

Each ``bot/operations/*.graphql`` file is one trusted document (the gateway registers the
same files at start-up); a request names it by ``documentId`` = ``sha256:<hex of the text>``
and picks one of its operations by name.  The bot's service key goes in ``Authorization``; a
bound citizen's subject token in ``X-Subject-Token``.

    gateway = GatewayClient(httpx.AsyncClient(base_url=url), key=bot_key)
    result = await gateway.execute("MyStatus", token=token)
    result.data["me"]; result.missing_sources()    # {"court"} when the court bureau was down

Errors (transport and credentials only — GraphQL errors are data, in ``result.errors``)::

    GatewayError
     ├── GatewayUnavailable   no answer, 5xx, or a body that is not GraphQL
     ├── RateLimited          429 (``retry_after_s``)
     └── SessionExpired       401: the subject token expired or is no longer accepted
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import httpx

from bot.names import Names

__all__ = [
    "GatewayClient",
    "GatewayError",
    "GatewayUnavailable",
    "GqlError",
    "GqlResult",
    "RateLimited",
    "SessionExpired",
    "load_operations",
]

_OPERATION = re.compile(r"^\s*(?:query|mutation)\s+([A-Za-z_]\w*)", re.MULTILINE)
SOURCE_CODES = frozenset({"SOURCE_UNAVAILABLE", "SOURCE_TIMEOUT"})


class GatewayError(Exception):
    """The gateway could not be asked; the message is for logs (no personal data)."""


class GatewayUnavailable(GatewayError):
    pass


class RateLimited(GatewayError):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"rate limited for {retry_after_s} s")
        self.retry_after_s = retry_after_s


class SessionExpired(GatewayError):
    pass


def load_operations() -> dict[str, tuple[str, str]]:
    """Operation name → (document text, ``sha256:`` document id), from bot/operations."""
    found: dict[str, tuple[str, str]] = {}
    for entry in (resources.files("bot") / "operations").iterdir():
        if not entry.name.endswith(".graphql"):
            continue
        text = entry.read_text(encoding="utf-8")
        document_id = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
        for name in _OPERATION.findall(text):
            if name in found:
                raise ValueError(f"operation {name} is defined twice in bot/operations")
            found[name] = (text, document_id)
    return found


@dataclass(frozen=True, slots=True)
class GqlError:
    message: str
    code: str | None
    source: str | None
    path: tuple[str | int, ...]
    extensions: Mapping[str, Any]

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> GqlError:
        ext = raw.get("extensions") or {}
        return cls(
            message=str(raw.get("message", "")),
            code=ext.get("code"),
            source=ext.get("source"),
            path=tuple(raw.get("path") or ()),
            extensions=ext,
        )


@dataclass(frozen=True, slots=True)
class GqlResult:
    data: dict[str, Any] | None
    errors: tuple[GqlError, ...] = field(default=())

    def missing_sources(self) -> set[str]:
        """Bureaus that did not answer (their fields are null or their records missing)."""
        return {e.source for e in self.errors if e.code in SOURCE_CODES and e.source}

    def refusal(self) -> GqlError | None:
        """The first error that is not a bureau being down: a refusal to act on."""
        return next((e for e in self.errors if e.code not in SOURCE_CODES), None)


class GatewayClient:
    """Runs the bot's named operations; the ``http`` client (base URL set) is handed in."""

    def __init__(self, http: httpx.AsyncClient, *, key: str, path: str = "/graphql") -> None:
        self._http = http
        self._key = key
        self._path = path
        self._operations = load_operations()
        self._names = Names()

    @property
    def operations(self) -> Mapping[str, tuple[str, str]]:
        return self._operations

    async def names(self) -> Names:
        """The names of the gateway's sources and record kinds; asked once, kept once known
        (they change only when the gateway's bureaus do, with a restart)."""
        if not self._names:
            self._names = Names.of((await self.execute("Names")).data)
        return self._names

    async def negative_kinds(self) -> list[str]:
        """The record kinds offered for repair and objection: those the gateway declares
        ``NEGATIVE`` (never an empty filter, which would mean every kind)."""
        negative = (await self.names()).negative
        if not negative:
            raise GatewayUnavailable("the gateway named no negative record kinds")
        return list(negative)

    async def execute(
        self,
        operation: str,
        variables: Mapping[str, Any] | None = None,
        *,
        token: str | None = None,
    ) -> GqlResult:
        _, document_id = self._operations[operation]
        headers = {"Authorization": f"Bearer {self._key}"}
        if token is not None:
            headers["X-Subject-Token"] = token
        payload = {
            "documentId": document_id,
            "operationName": operation,
            "variables": dict(variables or {}),
        }
        try:
            response = await self._http.post(self._path, json=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise GatewayUnavailable(type(exc).__name__) from None
        if response.status_code == 401:
            raise SessionExpired(f"HTTP 401 on {operation}")
        if response.status_code == 429:
            raise RateLimited(int(response.headers.get("retry-after", "60") or 60))
        try:
            body = response.json()
        except ValueError:
            raise GatewayUnavailable(f"HTTP {response.status_code}: not JSON") from None
        if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
            raise GatewayUnavailable(f"HTTP {response.status_code}: not a GraphQL response")
        errors = tuple(GqlError.of(e) for e in body.get("errors") or ())
        if response.status_code >= 500 and body.get("data") is None:
            raise GatewayUnavailable(f"HTTP {response.status_code}")
        data = body.get("data")
        return GqlResult(data if isinstance(data, dict) else None, errors)
