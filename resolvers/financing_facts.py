"""Gathering the facts of pre-checks through the request's data facade, many firms at once.

    found = await gather_facts(sources, product, purpose, usccs, path="precheckFinancing")
    found[uscc].facts      # EnterpriseFacts: each fact known (with provenance) or missing
    found[uscc].reads      # what was read about whom, under which consent (for the audit)
    # or UnknownEnterprise when no bureau knows the USCC

Only the facts the product's rules read are fetched (minimum necessary).  Two rounds, each
for every firm at once, so that a batch makes one call per bureau: (1) the registrations (the
market dossier) and the firms' consents; (2) everything else — records, the legal
representatives' court entries (their ID numbers come from round 1) in the same court batch as
the firms', the consent-gated ledgers under the grants round 1 found, and the legal
representatives' own consents.  A bureau that fails leaves its facts missing; a gated fact
without a consent is not asked for at all.  Provenance is read back from the request's
provenance log, under one path per firm and fact (``<path>.<uscc>.<fact>``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from connectors.errors import ConnectorError, ConsentRejected
from connectors.http import utc_now
from connectors.protocol import Grant
from connectors.provenance import Provenance
from credit.access import ConsentScope
from credit.financing import (
    CONSENT_SCOPE_OF,
    SOURCE_OF,
    EnterpriseFacts,
    Fact,
    FactKey,
    FactProvenance,
    Known,
    Missing,
    MissingReason,
    Product,
    facts_read,
)
from credit.records import (
    CreditRecord,
    Registration,
    SocialInsuranceMonth,
    Source,
    TaxGrade,
    TaxPayment,
    UtilityBill,
)
from resolvers.data import ProvenanceLog, RecordsFound
from resolvers.financing_service import ReadNote, SubjectConsents

__all__ = ["FactSource", "Gathered", "Sources", "UnknownEnterprise", "gather_facts"]

T = TypeVar("T")
_RECORDS = {
    Source.MARKET: FactKey.MARKET_RECORDS,
    Source.COURT: FactKey.COURT_RECORDS,
    Source.NATIONAL: FactKey.NATIONAL_RECORDS,
    SOURCE_OF[FactKey.CUSTOMS_RECORDS]: FactKey.CUSTOMS_RECORDS,
    SOURCE_OF[FactKey.IP_RECORDS]: FactKey.IP_RECORDS,
}
_REP = (FactKey.LEGAL_REP_RECORDS, FactKey.LEGAL_REP_BIRTH_DATE)
_GATED_LOADS = {
    FactKey.TAX_GRADES: "tax_grades",
    FactKey.TAX_PAYMENTS: "tax_payments",
    FactKey.SOCIAL_INSURANCE: "contributions",
    FactKey.UTILITIES: "utility_bills",
}


class FactSource(Protocol):
    """What the gathering asks of :class:`resolvers.data.SubjectData`."""

    async def registration(self, code: str, *, path: str) -> Registration | None: ...
    async def records(self, code: str, *, path: str) -> RecordsFound: ...
    async def court_records(self, code: str, *, path: str) -> tuple[CreditRecord, ...]: ...
    async def tax_grades(self, code: str, grant: Grant, *, path: str) -> tuple[TaxGrade, ...]: ...
    async def tax_payments(
        self, code: str, grant: Grant, *, path: str
    ) -> tuple[TaxPayment, ...]: ...
    async def contributions(
        self, code: str, grant: Grant, *, path: str
    ) -> tuple[SocialInsuranceMonth, ...]: ...
    async def utility_bills(
        self, code: str, grant: Grant, *, path: str
    ) -> tuple[UtilityBill, ...]: ...


class ConsentSource(Protocol):
    async def consents(
        self, purpose: str, subjects: Mapping[str, str]
    ) -> dict[str, SubjectConsents]: ...


@dataclass(frozen=True, slots=True)
class Sources:
    """The request's facade, consents, provenance log, and a person's subject key."""

    data: FactSource
    consents: ConsentSource
    provenance: ProvenanceLog
    person_key: Callable[[str], str]  # ID number → subject key (never the clear number)


class UnknownEnterprise(Exception):
    """No bureau knows the USCC: an item error, not a decision."""


@dataclass(frozen=True, slots=True)
class Gathered:
    facts: EnterpriseFacts
    consent_ids: tuple[str, ...]
    reads: tuple[ReadNote, ...]


def _missing(source: Source, error: ConnectorError, scope: ConsentScope | None) -> Missing:
    if isinstance(error, ConsentRejected):
        return Missing(source, MissingReason.CONSENT_REJECTED, scope)
    return Missing(source, MissingReason.SOURCE_UNAVAILABLE)


def _birth_date(id_number: str) -> dt.date | None:
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


class _ProvenanceIndex:
    """The log's entries by (path, source), indexed as they are appended (a batch notes
    hundreds; scanning the log for every fact would be quadratic)."""

    def __init__(self, log: ProvenanceLog) -> None:
        self._log = log
        self._seen = 0
        self._found: dict[tuple[str, str], Provenance] = {}

    def get(self, path: str, source: Source) -> Provenance | None:
        entries = self._log.entries
        for provenance, noted in entries[self._seen :]:
            self._found.setdefault((noted, provenance.source), provenance)
        self._seen = len(entries)
        return self._found.get((path, source.value))


class _Firm:
    """One firm's gathering: its paths in the provenance log, and its facts as they arrive."""

    def __init__(self, uscc: str, base: str, log: _ProvenanceIndex) -> None:
        self.uscc = uscc
        self.field = base  # the response field, named in the audit rows
        self._base = f"{base}.{uscc}"
        self._log = log
        self.facts: dict[FactKey, Fact[Any]] = {}
        self.registration: Registration | None = None
        self.unknown = False
        self.consents = SubjectConsents()
        self.rep_key: str | None = None
        self.rep_consent: str | None = None

    def path(self, name: str) -> str:
        return f"{self._base}.{name}"

    def provenance(self, name: str, source: Source) -> FactProvenance:
        """Where the answer noted under ``name`` came from (now, when the source knew nothing
        and so noted nothing)."""
        p = self._log.get(self.path(name), source)
        if p is None:
            return FactProvenance(source, utc_now())
        return FactProvenance(source, p.fetched_at, p.cached, p.stale)

    async def fetch(
        self, key: FactKey, load: Awaitable[T], scope: ConsentScope | None = None
    ) -> None:
        try:
            value = await load
        except ConnectorError as error:
            self.facts[key] = _missing(SOURCE_OF[key], error, scope)
            return
        self.facts[key] = Known(value, self.provenance(key.value, SOURCE_OF[key]))


async def _registration(data: FactSource, firm: _Firm) -> None:
    try:
        found = await data.registration(firm.uscc, path=firm.path(FactKey.REGISTRATION.value))
    except ConnectorError as error:
        firm.facts[FactKey.REGISTRATION] = _missing(Source.MARKET, error, None)
        return
    if found is None:
        firm.unknown = True
        return
    firm.registration = found
    prov = firm.provenance(FactKey.REGISTRATION.value, Source.MARKET)
    firm.facts[FactKey.REGISTRATION] = Known(found, prov)


async def _records(data: FactSource, firm: _Firm, wanted: frozenset[FactKey]) -> None:
    name = "records"
    found = await data.records(firm.uscc, path=firm.path(name))
    failed = {f.source: f for f in found.failures}
    for source, key in _RECORDS.items():
        if key not in wanted:
            continue
        if source.value in failed:
            firm.facts[key] = _missing(source, failed[source.value], None)
        else:
            mine = tuple(r for r in found.records if r.source is source)
            firm.facts[key] = Known(mine, firm.provenance(name, source))


async def _round_two(data: FactSource, firm: _Firm, wanted: frozenset[FactKey]) -> None:
    loads: list[Awaitable[None]] = []
    if wanted & set(_RECORDS.values()):
        loads.append(_records(data, firm, wanted))
    rep = firm.registration
    if FactKey.LEGAL_REP_RECORDS in wanted:
        if rep is None:  # market failed: who the representative is is unknown
            firm.facts[FactKey.LEGAL_REP_RECORDS] = Missing(
                Source.MARKET, MissingReason.SOURCE_UNAVAILABLE
            )
        else:
            name = FactKey.LEGAL_REP_RECORDS.value
            load = data.court_records(rep.legal_rep_id, path=firm.path(name))
            loads.append(firm.fetch(FactKey.LEGAL_REP_RECORDS, load))
    for key, method in _GATED_LOADS.items():
        if key not in wanted:
            continue
        scope = CONSENT_SCOPE_OF[key]
        grant = firm.consents.grants.get(scope)
        if grant is None:
            firm.facts[key] = Missing(SOURCE_OF[key], MissingReason.NO_CONSENT, scope)
            continue
        fetch: Callable[..., Awaitable[Any]] = getattr(data, method)
        loads.append(firm.fetch(key, fetch(firm.uscc, grant, path=firm.path(key.value)), scope))
    await asyncio.gather(*loads)


def _birth(firm: _Firm) -> Fact[dt.date]:
    reg = firm.registration
    if reg is None:
        return Missing(Source.MARKET, MissingReason.SOURCE_UNAVAILABLE)
    if firm.rep_consent is None:  # 个人信息保护法 第十四条: the person's own consent
        return Missing(Source.MARKET, MissingReason.NO_CONSENT, ConsentScope.FULL_REPORT)
    birth = _birth_date(reg.legal_rep_id)
    if birth is None:
        return Missing(Source.MARKET, MissingReason.SOURCE_UNAVAILABLE)
    return Known(birth, firm.provenance(FactKey.REGISTRATION.value, Source.MARKET))


def _fields(field: str, keys: set[FactKey]) -> tuple[str, ...]:
    return tuple(sorted(f"{field}.{k.value}" for k in keys))


def _finish(firm: _Firm, wanted: frozenset[FactKey]) -> Gathered:
    if FactKey.LEGAL_REP_BIRTH_DATE in wanted:
        firm.facts[FactKey.LEGAL_REP_BIRTH_DATE] = _birth(firm)
    unread = Missing(Source.PLATFORM, MissingReason.SOURCE_UNAVAILABLE)  # no rule reads it
    values: dict[str, Any] = {key.value: firm.facts.get(key, unread) for key in FactKey}
    facts = EnterpriseFacts(uscc=firm.uscc, consents=dict(firm.consents.consent_ids), **values)
    read = {k for k in wanted if isinstance(firm.facts.get(k), Known)}
    scopes = sorted({CONSENT_SCOPE_OF[k] for k in read if k in CONSENT_SCOPE_OF})
    used = tuple(sorted({firm.consents.grants[s].consent_id for s in scopes}))
    reads = [ReadNote(firm.uscc, _fields(firm.field, read - set(_REP)), tuple(scopes), used)]
    rep_read = read & set(_REP)
    rep_ids: tuple[str, ...] = ()
    if rep_read and firm.rep_key is not None:
        if FactKey.LEGAL_REP_BIRTH_DATE in rep_read and firm.rep_consent is not None:
            rep_ids = (firm.rep_consent,)
        reads.append(ReadNote(firm.rep_key, _fields(firm.field, rep_read), consent_ids=rep_ids))
    return Gathered(facts, used + rep_ids, tuple(reads))


async def gather_facts(
    sources: Sources, product: Product, purpose: str, usccs: Sequence[str], *, path: str
) -> dict[str, Gathered | UnknownEnterprise]:
    """Each firm's facts for ``product`` (see the module docstring); keys are ``usccs``."""
    wanted = facts_read(product)
    index = _ProvenanceIndex(sources.provenance)
    firms = {u: _Firm(u, path, index) for u in dict.fromkeys(usccs)}
    gated = bool(wanted & set(CONSENT_SCOPE_OF))

    async def no_consents() -> dict[str, SubjectConsents]:
        return {}

    _, consents = await asyncio.gather(
        asyncio.gather(*(_registration(sources.data, f) for f in firms.values())),
        sources.consents.consents(purpose, {u: u for u in firms}) if gated else no_consents(),
    )
    known = [f for f in firms.values() if not f.unknown]
    for firm in known:
        firm.consents = consents.get(firm.uscc, SubjectConsents())
        if firm.registration is not None and wanted & set(_REP):
            firm.rep_key = sources.person_key(firm.registration.legal_rep_id)
    reps = {f.rep_key: f.registration.legal_rep_id for f in known if f.rep_key and f.registration}
    ask_reps = FactKey.LEGAL_REP_BIRTH_DATE in wanted and reps
    _, rep_consents = await asyncio.gather(
        asyncio.gather(*(_round_two(sources.data, f, wanted) for f in known)),
        sources.consents.consents(purpose, reps) if ask_reps else no_consents(),
    )
    for firm in known:
        if firm.rep_key is not None and firm.rep_key in rep_consents:
            firm.rep_consent = rep_consents[firm.rep_key].consent_ids.get(ConsentScope.FULL_REPORT)
    return {
        u: UnknownEnterprise() if firm.unknown else _finish(firm, wanted)
        for u, firm in firms.items()
    }
