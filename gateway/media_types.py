"""GraphQL over HTTP media types: which one a client gets, and what a request error costs it.

    media = accepted(request.headers.get("accept"))
    response.status_code = media.request_error_status     # when the operation never ran

``application/graphql-response+json`` (the GraphQL-over-HTTP spec's own type) lets the status
code say what happened: a request the server refused before executing it (it does not parse,
does not validate, breaks a limit, names no operation) has no ``data`` and a 400; an executed
operation is 200, its field errors in the body.  ``application/json`` is the legacy type: 200
whenever there is a GraphQL response at all, so old clients that treat a 4xx as a transport
failure keep working.  A client that states no preference (no ``Accept``, or ``*/*``) gets
``application/json``, as the spec asks until every client understands the new type.

:class:`~gateway.edge_view.EdgeView` asks here for a request error's status and the response's
type, and :func:`gateway.auth.errors.refusal` for the type of the edge's own refusals, so every
answer of ``/graphql`` speaks the type the client asked for.
"""

from __future__ import annotations

import enum

__all__ = ["MediaType", "accepted", "negotiate"]


class MediaType(enum.StrEnum):
    """The two JSON types a GraphQL response is sent as."""

    GRAPHQL_RESPONSE = "application/graphql-response+json"
    JSON = "application/json"

    @property
    def content_type(self) -> str:
        return f"{self.value}; charset=utf-8"

    @property
    def request_error_status(self) -> int:
        """The status of an answer whose errors kept the operation from running at all."""
        return 200 if self is MediaType.JSON else 400


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


def accepted(accept: str | None) -> MediaType:
    """The type to answer with; ``application/json`` when the client accepts neither (the
    spec lets a server answer so rather than 406)."""
    return negotiate(accept) or MediaType.JSON


def _media_for(kind: str) -> MediaType | None:
    if kind == MediaType.GRAPHQL_RESPONSE:
        return MediaType.GRAPHQL_RESPONSE
    if kind in {MediaType.JSON, "application/*", "*/*"}:
        return MediaType.JSON
    return None
