"""The bureaus, as their connector modules declare them, and the connectors built from them.

Every module of this package that declares a :class:`~connectors.bureau.Bureau` (``BUREAU``)
is a bureau; nothing else lists them.  The gateway derives from :func:`bureaus` its settings,
its connector set, its loaders, the schema's enums and the consent scope → bureau map::

    registry = bureaus()                      # ordered by rank: court, market, tax, …
    registry.of(Source.TAX).consent           # ConsentScope.TAX
    registry.for_scope(ConsentScope.HRSS)     # the hrss Bureau
    registry.deciding                         # the bureaus taking objections and repairs
    connectors = build_connector_set(settings.bureaus, http_client, pool)
    await connectors.market.registrations(codes)
    connectors.of("customs")                  # any bureau's connector by its source
    connectors.drop_consent(consent_id)       # revocation: forget gated answers at once
    await connectors.aclose()                 # idempotent; the client and pool are not closed

``bureaus`` (the settings) is anything with one :class:`BureauConfig` per remote bureau, read
with ``of(source)`` (the gateway's ``Settings.bureaus``); a bad per-kind TTL name fails here,
at start-up, naming its variable.  :func:`register` adds a bureau declared elsewhere (a test's
dummy bureau) before anything is derived.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import pkgutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol, cast

import asyncpg
import httpx

from connectors.bureau import Bureau, BureauParts
from connectors.clock import SYSTEM_CLOCK, Clock
from connectors.config import BureauConfig
from connectors.court import CourtConnector
from connectors.hrss import HrssConnector
from connectors.identity import IdentityConnector
from connectors.market import MarketConnector
from connectors.national import NationalConnector
from connectors.observe import NO_OBSERVER, BureauObserver
from connectors.platform import PlatformConnector
from connectors.protocol import Connector, ConsentScoped
from connectors.tax import TaxConnector
from connectors.utilities import UtilitiesConnector
from credit.access import ConsentScope
from credit.records import Source

__all__ = [
    "BureauConfigs",
    "ConnectorSet",
    "Registry",
    "build_connector_set",
    "bureaus",
    "register",
]


class BureauConfigs(Protocol):
    """One config per remote bureau — what ``gateway.settings.Settings.bureaus`` provides."""

    def of(self, source: str) -> BureauConfig: ...


class Registry:
    """An ordered, immutable set of bureaus (by rank, then source)."""

    def __init__(self, declared: Iterable[Bureau]) -> None:
        ordered = sorted(declared, key=lambda b: (b.rank, b.source))
        self._by_source: dict[str, Bureau] = {b.source: b for b in ordered}
        if len(self._by_source) != len(ordered):
            raise ValueError("two bureaus declare the same source")
        scopes = [b.consent for b in ordered if b.consent is not None]
        if len(set(scopes)) != len(scopes) or ConsentScope.FULL_REPORT in scopes:
            raise ValueError("two bureaus declare the same consent scope (or full_report)")
        self._by_scope = {b.consent: b for b in ordered if b.consent is not None}

    def __iter__(self) -> Iterator[Bureau]:
        return iter(self._by_source.values())

    def __len__(self) -> int:
        return len(self._by_source)

    def with_bureau(self, bureau: Bureau) -> Registry:
        return Registry([*self, bureau])

    def of(self, source: str) -> Bureau:
        """The bureau of ``source``; ``KeyError`` for an unknown one."""
        return self._by_source[source]

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(b.source for b in self)

    @property
    def remote(self) -> tuple[Bureau, ...]:
        """The bureaus reached over HTTP (each has settings and a simulator)."""
        return tuple(b for b in self if b.remote)

    @property
    def gated(self) -> tuple[Bureau, ...]:
        """The consent-gated bureaus."""
        return tuple(self._by_scope.values())

    @property
    def deciding(self) -> tuple[Bureau, ...]:
        """The bureaus that decide objections and repairs about their records (``rights``)."""
        return tuple(b for b in self if b.rights is not None)

    def for_scope(self, scope: ConsentScope) -> Bureau:
        """The bureau whose data a consent of ``scope`` opens (``KeyError``: full_report)."""
        return self._by_scope[scope]

    @property
    def scopes(self) -> tuple[ConsentScope, ...]:
        """Every consent scope a subject can grant: each gated bureau's, then full_report."""
        return (*self._by_scope, ConsentScope.FULL_REPORT)


def _discover() -> list[Bureau]:
    import connectors

    found: list[Bureau] = []
    for info in pkgutil.iter_modules(connectors.__path__):
        declared = getattr(importlib.import_module(f"connectors.{info.name}"), "BUREAU", None)
        if isinstance(declared, Bureau):
            found.append(declared)
    return found


_extra: list[Bureau] = []


@functools.cache
def bureaus() -> Registry:
    """Every bureau declared by a module of this package (and :func:`register`)."""
    return Registry([*_discover(), *_extra])


def register(bureau: Bureau) -> Registry:
    """Add a bureau declared outside this package; before the gateway derives anything."""
    _extra.append(bureau)
    bureaus.cache_clear()
    return bureaus()


@dataclass(frozen=True)
class ConnectorSet:
    """One long-lived connector per bureau (owned by the gateway's lifespan)."""

    registry: Registry
    connectors: Mapping[str, Connector]

    def of(self, source: str) -> Connector:
        return self.connectors[source]

    def all(self) -> list[Connector]:
        return list(self.connectors.values())

    # Typed access for the fields that read one bureau's own shapes.
    @property
    def court(self) -> CourtConnector:
        return cast(CourtConnector, self.of(Source.COURT))

    @property
    def market(self) -> MarketConnector:
        return cast(MarketConnector, self.of(Source.MARKET))

    @property
    def tax(self) -> TaxConnector:
        return cast(TaxConnector, self.of(Source.TAX))

    @property
    def hrss(self) -> HrssConnector:
        return cast(HrssConnector, self.of(Source.HRSS))

    @property
    def utilities(self) -> UtilitiesConnector:
        return cast(UtilitiesConnector, self.of(Source.UTILITIES))

    @property
    def national(self) -> NationalConnector:
        return cast(NationalConnector, self.of(Source.NATIONAL))

    @property
    def identity(self) -> IdentityConnector:
        return cast(IdentityConnector, self.of(Source.IDENTITY))

    @property
    def platform(self) -> PlatformConnector:
        return cast(PlatformConnector, self.of(Source.PLATFORM))

    def drop_consent(self, consent_id: str) -> int:
        """Forget every answer cached under ``consent_id`` (every gated bureau); how many."""
        gated = (cast(ConsentScoped, self.of(b.source)) for b in self.registry.gated)
        return sum(connector.drop_consent(consent_id) for connector in gated)

    async def aclose(self) -> None:
        """Close every connector; idempotent."""
        await asyncio.gather(*(connector.aclose() for connector in self.all()))


def build_connector_set(
    configs: BureauConfigs,
    http_client: httpx.AsyncClient,
    pool: asyncpg.Pool,
    *,
    clock: Clock = SYSTEM_CLOCK,
    registry: Registry | None = None,
    observer: BureauObserver = NO_OBSERVER,
) -> ConnectorSet:
    chosen = bureaus() if registry is None else registry
    built: dict[str, Connector] = {
        b.source: b.build(
            BureauParts(
                http_client,
                configs.of(b.source) if b.remote else BureauConfig(),
                pool,
                clock,
                observer,
            )
        )
        for b in chosen
    }
    return ConnectorSet(chosen, built)
