"""What a connector module declares about its bureau: the set of bureaus is data.

Every bureau connector module ends with one :class:`Bureau`; :mod:`connectors.registry`
collects them (nothing else lists the bureaus), and the gateway derives from them its settings
(``GATEWAY_BUREAUS__<SOURCE>__…``), the connector set, the data loaders, the schema's ``Source``
and ``ConsentScope`` enums, the consent scope → bureau map and the scope labels::

    BUREAU = Bureau.http(
        TaxConnector,
        source=Source.declare("tax", Label("税务", "Tax")),
        rank=30,
        consent=ConsentScope.declare("tax", Label("纳税信息", "Tax grades and payments")),
        feeds=("tax_grades", "tax_payments"),
    )

Its names are its source's :class:`~credit.vocabulary.Label` (the one bilingual name table);
what a consent of its scope covers is the scope's label.

``records`` names the connector's batch method giving the bureau's public credit records (they
then join every subject's records list, the report and the pre-check's facts);
``gated_records`` one giving records only under a grant of the bureau's consent scope.
``rank`` orders the bureaus in enums and lists (the first seven keep their historical order).
``rights`` says the bureau decides objections to and repairs of the records it keeps
(谁认定、谁修复), and by which rules (:class:`~credit.rights.desks.RightsDesk`): the gateway
accepts cases about its records only then, delivers its decisions to it and lets officers
scoped ``bureau:<source>`` decide them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import asyncpg
import httpx

from connectors.clock import Clock
from connectors.config import BureauConfig
from connectors.observe import NO_OBSERVER, BureauObserver
from connectors.protocol import Connector, Grant
from connectors.provenance import Sourced
from credit.access import ConsentScope
from credit.records import CreditRecord, Source
from credit.rights.desks import RightsDesk
from credit.vocabulary import Label

__all__ = [
    "Bureau",
    "BureauParts",
    "ConnectorFactory",
    "GatedRecordsFetch",
    "Label",
    "RecordsFetch",
    "RightsDesk",
]

Records = tuple[CreditRecord, ...]
RecordsFetch = Callable[[Sequence[str]], Awaitable[Mapping[str, Sourced[Records]]]]
GatedRecordsFetch = Callable[[Mapping[str, Grant]], Awaitable[Mapping[str, Sourced[Records]]]]


@dataclass(frozen=True, slots=True)
class BureauParts:
    """What a connector is built from: the shared HTTP client, its settings, the pool."""

    http: httpx.AsyncClient
    config: BureauConfig
    pool: asyncpg.Pool
    clock: Clock
    observer: BureauObserver = NO_OBSERVER  # metrics and traces of every attempt


class ConnectorFactory(Protocol):
    def __call__(self, parts: BureauParts, /) -> Connector: ...


def _http(cls: Callable[..., Connector]) -> ConnectorFactory:
    def build(parts: BureauParts) -> Connector:
        return cls(parts.http, parts.config, clock=parts.clock, observer=parts.observer)

    return build


@dataclass(frozen=True)
class Bureau:
    """One bureau, as its connector module declares it."""

    source: Source
    rank: int
    build: ConnectorFactory
    consent: ConsentScope | None = None
    feeds: tuple[str, ...] = ()  # record kinds and pre-check facts it feeds (documentation)
    records: str | None = None  # the connector's batch method giving public records
    gated_records: str | None = None  # its batch method giving records under a grant
    remote: bool = True  # an HTTP bureau with settings; False: the platform's own database
    rights: RightsDesk | None = None  # it decides objections and repairs about its records

    @classmethod
    def http(
        cls,
        connector: Callable[..., Connector],
        *,
        source: Source,
        rank: int,
        consent: ConsentScope | None = None,
        feeds: tuple[str, ...] = (),
        records: str | None = None,
        gated_records: str | None = None,
        rights: RightsDesk | None = None,
    ) -> Bureau:
        """A bureau reached over HTTP by ``connector(client, config, clock=…)``."""
        return cls(
            source=source,
            rank=rank,
            build=_http(connector),
            consent=consent,
            feeds=feeds,
            records=records,
            gated_records=gated_records,
            rights=rights,
        )

    def records_of(self, connector: Connector) -> RecordsFetch | None:
        """The bound batch method giving this bureau's public records, if it has one."""
        fetch: RecordsFetch | None = getattr(connector, self.records) if self.records else None
        return fetch

    def gated_records_of(self, connector: Connector) -> GatedRecordsFetch | None:
        """The bound batch method giving its records under a grant, if it has one."""
        name = self.gated_records
        fetch: GatedRecordsFetch | None = getattr(connector, name) if name else None
        return fetch

    @property
    def name(self) -> Label:
        """Its Chinese and English names (its source's label)."""
        return self.source.label
