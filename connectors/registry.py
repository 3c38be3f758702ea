"""The gateway's connectors, one of each, built together and closed together.

    connectors = build_connector_set(settings.bureaus, http_client, pool)
    await connectors.market.registrations(codes)
    connectors.drop_consent(consent_id)    # revocation: forget gated answers at once
    await connectors.aclose()              # idempotent; the client and pool are not closed

``bureaus`` is anything with one :class:`BureauConfig` attribute per bureau (the gateway's
``Settings.bureaus``); a bad per-kind TTL name fails here, at start-up, naming its variable.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, fields
from typing import Protocol

import asyncpg
import httpx

from connectors.clock import SYSTEM_CLOCK, Clock
from connectors.config import BureauConfig
from connectors.court import CourtConnector
from connectors.hrss import HrssConnector
from connectors.identity import IdentityConnector
from connectors.market import MarketConnector
from connectors.national import NationalConnector
from connectors.observe import NO_OBSERVER, BureauObserver
from connectors.platform import PlatformConnector
from connectors.protocol import Connector
from connectors.tax import TaxConnector
from connectors.utilities import UtilitiesConnector

__all__ = ["BureauConfigs", "ConnectorSet", "build_connector_set"]


class BureauConfigs(Protocol):
    """One config per bureau — what ``gateway.settings.Bureaus`` provides."""

    @property
    def court(self) -> BureauConfig: ...
    @property
    def market(self) -> BureauConfig: ...
    @property
    def tax(self) -> BureauConfig: ...
    @property
    def hrss(self) -> BureauConfig: ...
    @property
    def utilities(self) -> BureauConfig: ...
    @property
    def national(self) -> BureauConfig: ...
    @property
    def identity(self) -> BureauConfig: ...


@dataclass(frozen=True)
class ConnectorSet:
    """One long-lived instance of each connector (owned by the gateway's lifespan)."""

    court: CourtConnector
    market: MarketConnector
    tax: TaxConnector
    hrss: HrssConnector
    utilities: UtilitiesConnector
    national: NationalConnector
    identity: IdentityConnector
    platform: PlatformConnector

    def all(self) -> list[Connector]:
        return [getattr(self, f.name) for f in fields(self)]

    def drop_consent(self, consent_id: str) -> int:
        """Forget every answer cached under ``consent_id`` (tax, hrss, utilities); how many."""
        gated = (self.tax, self.hrss, self.utilities)
        return sum(connector.drop_consent(consent_id) for connector in gated)

    async def aclose(self) -> None:
        """Close every connector; idempotent."""
        await asyncio.gather(*(connector.aclose() for connector in self.all()))


def build_connector_set(
    bureaus: BureauConfigs,
    http_client: httpx.AsyncClient,
    pool: asyncpg.Pool,
    *,
    clock: Clock = SYSTEM_CLOCK,
    observer: BureauObserver = NO_OBSERVER,
) -> ConnectorSet:
    """``observer`` watches every HTTP bureau's attempts, retries and caches (metrics, traces)."""
    return ConnectorSet(
        court=CourtConnector(http_client, bureaus.court, clock=clock, observer=observer),
        market=MarketConnector(http_client, bureaus.market, clock=clock, observer=observer),
        tax=TaxConnector(http_client, bureaus.tax, clock=clock, observer=observer),
        hrss=HrssConnector(http_client, bureaus.hrss, clock=clock, observer=observer),
        utilities=UtilitiesConnector(
            http_client, bureaus.utilities, clock=clock, observer=observer
        ),
        national=NationalConnector(http_client, bureaus.national, clock=clock, observer=observer),
        identity=IdentityConnector(http_client, bureaus.identity, clock=clock, observer=observer),
        platform=PlatformConnector(pool, clock=clock),
    )
