"""The per-request context resolvers see: loaders built fresh for each request.

The gateway builds one :class:`GraphContext` per HTTP request (STYLE.md §6: never module-level
loaders) from the long-lived connectors the lifespan owns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from connectors.market import MarketConnector
from connectors.provenance import Provenance, Sourced
from credit.records import Registration

__all__ = ["Connectors", "GraphContext", "Loaders", "ProvenanceLog"]


@dataclass(frozen=True)
class Connectors:
    """The long-lived bureau connectors (owned by the gateway's lifespan)."""

    market: MarketConnector


@dataclass
class ProvenanceLog:
    """Which sources fed which response paths, for the response's ``extensions``."""

    entries: list[tuple[Provenance, str]] = field(default_factory=list)

    def record(self, provenance: Provenance, path: str) -> None:
        self.entries.append((provenance, path))


class Loaders:
    """DataLoaders for one request: one batched bureau call per kind per tick."""

    def __init__(self, connectors: Connectors) -> None:
        async def load_registrations(codes: list[str]) -> list[Sourced[Registration] | None]:
            found = await connectors.market.registrations(codes)
            return [found.get(code) for code in codes]

        self.registration: DataLoader[str, Sourced[Registration] | None] = DataLoader(
            load_fn=load_registrations
        )


@dataclass
class GraphContext:
    connectors: Connectors
    loaders: Loaders
    today: dt.date
    request_id: str
    provenance: ProvenanceLog = field(default_factory=ProvenanceLog)
