"""The connector contract every bureau connector (and the platform connector) keeps.

A connector has a ``source`` name (a :class:`credit.records.Source` value), batch methods that
take many subject codes and return ``dict[code, Sourced[T]]`` — one upstream call per batch,
codes the source does not know simply absent — and an idempotent ``aclose()``.  Consent-gated
connectors take, per subject, the :class:`Grant` to present, and can forget a consent's cached
answers at once.

    class Connector(Protocol):
        source: str
        async def aclose(self) -> None: ...

    found = await market.registrations(["91640104…", "91640105…"])
    found["91640104…"].value.name, found["91640104…"].provenance.cached
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from connectors.errors import ConnectorError
from connectors.provenance import Sourced

__all__ = ["BatchFetch", "Connector", "ConsentScoped", "GatedBatchFetch", "Grant", "settle"]

T = TypeVar("T")


class Connector(Protocol):
    """What the registry, the gateway's lifespan and the contract tests rely on."""

    @property
    def source(self) -> str: ...

    async def aclose(self) -> None:
        """Release what the connector owns (not the client or pool handed in); idempotent."""
        ...


class BatchFetch(Protocol[T]):
    """A public batch method, e.g. ``market.registrations``."""

    async def __call__(self, codes: Sequence[str], /) -> Mapping[str, Sourced[T]]: ...


@dataclass(frozen=True, slots=True)
class Grant:
    """What a consent-gated call presents for one subject.

    ``consent_id`` scopes the cache (revoking it drops the entries); ``token`` is the signed
    authorisation (``credit.authorisation``) sent to the bureau.  Its ``repr`` hides the token.
    """

    consent_id: str
    token: str

    def __repr__(self) -> str:
        return f"Grant(consent_id={self.consent_id!r}, token=<hidden>)"


class GatedBatchFetch(Protocol[T]):
    """A consent-gated batch method, e.g. ``tax.grades``: code → the grant to present."""

    async def __call__(self, grants: Mapping[str, Grant], /) -> Mapping[str, Sourced[T]]: ...


class ConsentScoped(Protocol):
    """A connector caching consent-gated data."""

    def drop_consent(self, consent_id: str) -> int:
        """Forget every cached answer fetched under ``consent_id``; returns how many."""
        ...


async def settle(
    codes: Sequence[str], batch: Awaitable[Mapping[str, Sourced[T]]]
) -> list[Sourced[T] | ConnectorError | None]:
    """One answer per code, in order — what a DataLoader's load function returns.

    A value; ``None`` when the source does not know the code; or, when the batch failed for
    that code, its :class:`ConnectorError` (which the DataLoader raises for that key alone)::

        async def load(codes: list[str]) -> list[Sourced[Registration] | ConnectorError | None]:
            return await settle(codes, market.registrations(codes))
    """
    try:
        found = await batch
    except ConnectorError as exc:
        return [exc.partial.get(c) or exc.failed.get(c) for c in codes]
    return [found.get(code) for code in codes]
