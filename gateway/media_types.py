"""GraphQL over HTTP media types: which one a client gets, and the status code that goes with it.

    media = negotiate(request.headers.get("accept"))
    status = media.status(body)           # the HTTP status for a GraphQL response body

``application/graphql-response+json`` (the GraphQL-over-HTTP spec's own type) lets the status
code say what happened: a request the server refused before executing it (it does not parse,
does not validate, breaks a limit) has no ``data`` and a 4xx; an executed operation is 200, its
field errors in the body.  ``application/json`` is the legacy type: 200 whenever there is a
GraphQL response at all, so old clients that treat any 4xx as a transport failure keep working.
A client that states no preference (no ``Accept``, or ``*/*``) gets ``application/json``, as
the spec asks until every client understands the new type.

The edge's refusals (:func:`gateway.auth.errors.refusal`) call :func:`negotiate` too, so every
answer of ``/graphql`` speaks the type the client asked for.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

__all__ = ["MediaType", "negotiate"]

# Refusals whose cause is on our side: the request was fine, the server could not serve it.
_SERVER_CODES = {"INTERNAL": 500, "AUDIT_UNAVAILABLE": 503, "AUTH_UNAVAILABLE": 503}


class MediaType(enum.StrEnum):
    """The two JSON types a GraphQL response is sent as."""

    GRAPHQL_RESPONSE = "application/graphql-response+json"
    JSON = "application/json"

    @property
    def content_type(self) -> str:
        return f"{self.value}; charset=utf-8"

    def status(self, body: Mapping[str, Any]) -> int:
        """The status of a GraphQL response body: 200 for an executed operation; for the new
        type, the refusal's own status when the operation never ran (no ``data``)."""
        if self is MediaType.JSON or "data" in body:
            return 200
        codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors", ()) if e]
        return self.error_status(*(c for c in codes if isinstance(c, str)))

    def error_status(self, *codes: str) -> int:
        """The status of a GraphQL refusal carrying these ``extensions.code`` values: under
        ``application/json`` still a 200 (legacy clients read the body), else 400, or 5xx when
        the fault was ours.  Refusals of the HTTP request itself (401, 413, 429) keep theirs."""
        if self is MediaType.JSON:
            return 200
        return next((_SERVER_CODES[c] for c in codes if c in _SERVER_CODES), 400)


def negotiate(accept: str | None) -> MediaType | None:
    """The type to answer with for an ``Accept`` header, or ``None`` when the client accepts
    neither (406).  The first acceptable entry with the highest ``q`` wins."""
    if not accept or not accept.strip():
        return MediaType.JSON
    best: tuple[float, int, MediaType] | None = None
    for position, entry in enumerate(accept.split(",")):
        kind, *params = (part.strip() for part in entry.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = _media_for(kind.lower())
        if media is None or quality <= 0:
            continue
        rank = (quality, -position, media)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return best[2] if best is not None else None


def _media_for(kind: str) -> MediaType | None:
    if kind == MediaType.GRAPHQL_RESPONSE:
        return MediaType.GRAPHQL_RESPONSE
    if kind in {MediaType.JSON, "application/*", "*/*"}:
        return MediaType.JSON
    return None
