"""Per-request access to a subject's facts: one batched loader per bureau call kind.

Resolvers ask this facade, never a connector: every load in a tick becomes one bureau call,
bounded by the request deadline, and every answer used is written to the provenance log under
the response path it fed.  Record sources that fail are reported, not hidden: callers get the
records that did arrive plus the failures, and decide (a list shows what it has; a
classification refuses to guess).

    data = SubjectData(connectors, deadline, provenance)
    found = await data.records(code, path="subject.records")
    found.records, found.failures
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from strawberry.dataloader import DataLoader

from connectors.clock import utc_now
from connectors.errors import ConnectorError
from connectors.market import MarketDossier, RegistrationPage
from connectors.protocol import Grant
from connectors.provenance import Provenance, Sourced
from connectors.registry import ConnectorSet
from connectors.tax import TaxLedger
from credit.records import (
    CreditRecord,
    Registration,
    SocialInsuranceMonth,
    Source,
    TaxGrade,
    TaxPayment,
    UtilityBill,
)
from credit.rights import RecordMark, marked
from resolvers.source_loader import Deadline, SourceLoader

__all__ = ["GatedLoader", "ProvenanceLog", "RecordsFound", "SubjectData"]

T = TypeVar("T")
Records = tuple[CreditRecord, ...]


RecordsFetch = Callable[[Sequence[str]], Awaitable[Mapping[str, Sourced[Records]]]]
MarkKey = tuple[str, str]  # (source, record id)
MarksFetch = Callable[[Sequence[MarkKey]], Awaitable[Mapping[MarkKey, RecordMark]]]
RIGHTS_SOURCE = "rights"  # provenance of the marks: the gateway's own case store


class GatedLoader(Generic[T]):
    """A :class:`SourceLoader` for consent-gated data: each code is loaded with its grant."""

    def __init__(
        self,
        source: str,
        fetch: Callable[[Mapping[str, Grant]], Awaitable[Mapping[str, Sourced[T]]]],
        deadline: Deadline,
    ) -> None:
        self._grants: dict[str, Grant] = {}

        async def by_codes(codes: Sequence[str]) -> Mapping[str, Sourced[T]]:
            return await fetch({code: self._grants[code] for code in codes})

        self._loader: SourceLoader[T] = SourceLoader(source, by_codes, deadline)

    async def load(self, code: str, grant: Grant) -> Sourced[T] | None:
        self._grants[code] = grant
        return await self._loader.load(code)


async def _attempt(load: Awaitable[Sourced[T] | None]) -> Sourced[T] | ConnectorError | None:
    """A load whose source failure is a value, so one failed source does not hide the rest."""
    try:
        return await load
    except ConnectorError as exc:
        return exc


class ProvenanceLog:
    """Which source answers fed which response paths (``extensions.provenance``)."""

    def __init__(self) -> None:
        self.entries: list[tuple[Provenance, str]] = []

    def record(self, provenance: Provenance, path: str) -> None:
        self.entries.append((provenance, path))

    def at(self, path: str) -> tuple[Provenance, ...]:
        """The answers that fed ``path``, each once, in the order they were used."""
        return tuple(dict.fromkeys(p for p, fed in self.entries if fed == path))


@dataclass(frozen=True, slots=True)
class RecordsFound:
    records: Records
    failures: tuple[ConnectorError, ...]
    provenance: tuple[Provenance, ...] = ()  # of the sources that answered, in source order

    def raise_if_incomplete(self) -> None:
        """For conclusions that must not be drawn from part of the facts."""
        if self.failures:
            raise self.failures[0]


class SubjectData:
    def __init__(
        self,
        connectors: ConnectorSet,
        deadline: Deadline,
        provenance: ProvenanceLog,
        *,
        marks: MarksFetch | None = None,
    ) -> None:
        self._provenance = provenance
        # Every record answer carries its objection and repair marks (credit.rights.marks):
        # one query for all the records of a tick.
        self._marks = DataLoader(load_fn=self._load_marks) if marks is not None else None
        self._fetch_marks = marks
        # Every record source's outcome per subject, gathered once per request however many
        # fields (records, classification, sanctions, report, pre-checks) build on them.
        self._gathered: dict[str, asyncio.Future[RecordsFound]] = {}

        def loader(
            source: str, fetch: Callable[[Sequence[str]], Awaitable[Mapping[str, Sourced[T]]]]
        ) -> SourceLoader[T]:
            return SourceLoader(source, fetch, deadline)

        market = connectors.market
        self._market = market
        self._deadline = deadline
        # One call per bureau for a whole profile: market's dossier holds the registration and
        # every market record kind; the tax ledger holds grades and payments.
        self._dossier = loader(Source.MARKET, market.dossiers)
        # The gated loaders are made on first use: most callers may not read gated data.
        self._connectors = connectors
        self._gated_records: dict[str, GatedLoader[Records]] = {}
        # Every other bureau that declares public records (connectors.bureau); codes a source
        # does not know answer ().
        self._by_source = {
            bureau.source: loader(bureau.source, fetch)
            for bureau in connectors.registry
            if (fetch := bureau.records_of(connectors.of(bureau.source))) is not None
        }
        self._court: SourceLoader[Records] = self._by_source[Source.COURT]
        self._record_loaders: tuple[SourceLoader[Records], ...] = tuple(self._by_source.values())

    @functools.cached_property
    def _tax(self) -> GatedLoader[TaxLedger]:
        return GatedLoader("tax", self._connectors.tax.ledgers, self._deadline)

    @functools.cached_property
    def _contributions(self) -> GatedLoader[tuple[SocialInsuranceMonth, ...]]:
        return GatedLoader("hrss", self._connectors.hrss.contributions, self._deadline)

    @functools.cached_property
    def _bills(self) -> GatedLoader[tuple[UtilityBill, ...]]:
        return GatedLoader("utilities", self._connectors.utilities.bills, self._deadline)

    def _note(self, found: Sourced[T] | None, path: str) -> T | None:
        if found is None:
            return None
        self._provenance.record(found.provenance, path)
        return found.value

    async def registration(self, code: str, *, path: str) -> Registration | None:
        """Raises the market connector's error when the bureau fails."""
        dossier = self._note(await self._dossier.load(code), path)
        return dossier.registration if dossier is not None else None

    async def tax_grades(self, code: str, grant: Grant, *, path: str) -> tuple[TaxGrade, ...]:
        ledger = self._note(await self._tax.load(code, grant), path)
        return ledger.grades if ledger is not None else ()

    async def tax_payments(self, code: str, grant: Grant, *, path: str) -> tuple[TaxPayment, ...]:
        ledger = self._note(await self._tax.load(code, grant), path)
        return ledger.payments if ledger is not None else ()

    async def contributions(
        self, code: str, grant: Grant, *, path: str
    ) -> tuple[SocialInsuranceMonth, ...]:
        return self._note(await self._contributions.load(code, grant), path) or ()

    async def utility_bills(self, code: str, grant: Grant, *, path: str) -> tuple[UtilityBill, ...]:
        return self._note(await self._bills.load(code, grant), path) or ()

    async def gated_records(
        self, source: str, code: str, grant: Grant, *, path: str
    ) -> Records | None:
        """A consent-gated bureau's records on ``code`` (``None``: it does not know it)."""
        gated = self._gated_records.get(source)
        if gated is None:
            bureau = self._connectors.registry.of(source)
            fetch = bureau.gated_records_of(self._connectors.of(source))
            if fetch is None:
                raise KeyError(f"{source} declares no gated records")
            gated = self._gated_records[source] = GatedLoader(source, fetch, self._deadline)
        return self._note(await gated.load(code, grant), path)

    async def court_records(self, code: str, *, path: str) -> Records:
        """The court's entries alone (e.g. on a legal representative); raises its error."""
        return self._note(await self._court.load(code), path) or ()

    def prefetch_records(self, code: str) -> None:
        """Start every record source's load now, so they share the tick (and the round trip)
        of the registration instead of waiting for it."""
        self._gathering(code)

    def _gathering(self, code: str) -> asyncio.Future[RecordsFound]:
        gathering = self._gathered.get(code)
        if gathering is None:
            # The loads join this tick's batches now; the task only collects their answers.
            market = self._dossier.load(code)
            others = [source.load(code) for source in self._record_loaders]
            gathering = asyncio.ensure_future(self._gather(market, others))
            self._gathered[code] = gathering
        return gathering

    async def _gather(
        self,
        market: Awaitable[Sourced[MarketDossier] | None],
        loads: Sequence[Awaitable[Sourced[Records] | None]],
    ) -> RecordsFound:
        dossier = await _attempt(market)
        others = [await _attempt(load) for load in loads]  # all in flight already
        records: list[CreditRecord] = []
        provenance: list[Provenance] = []
        failures = [o for o in (dossier, *others) if isinstance(o, ConnectorError)]
        if isinstance(dossier, Sourced):
            provenance.append(dossier.provenance)
            records.extend(dossier.value.records)
        for outcome in others:
            if isinstance(outcome, Sourced):
                provenance.append(outcome.provenance)
                records.extend(outcome.value)
        shown = tuple(records)
        if self._marks is not None and shown:
            keys = [(r.source.value, r.id) for r in shown]
            found = await self._marks.load_many(keys)
            marks = {k: m for k, m in zip(keys, found, strict=True) if m is not None}
            if marks:
                shown = marked(shown, marks)
                provenance.append(Provenance(RIGHTS_SOURCE, utc_now()))
        return RecordsFound(shown, tuple(failures), tuple(provenance))

    async def _load_marks(self, keys: list[MarkKey]) -> list[RecordMark | None]:
        assert self._fetch_marks is not None
        found = await self._fetch_marks(keys)
        return [found.get(k) for k in keys]

    async def records(self, code: str, *, path: str) -> RecordsFound:
        """Every source's records about ``code``, fetched in parallel, and the failures."""
        gathering = self._gathering(code)
        # Shielded: a field that gives up must not cancel the gathering the others wait for.
        found = gathering.result() if gathering.done() else await asyncio.shield(gathering)
        for provenance in found.provenance:
            self._provenance.record(provenance, path)
        return found

    async def search(
        self, name: str, start: int, count: int, *, path: str
    ) -> tuple[int, tuple[Registration, ...]]:
        """``count`` registrations whose name contains ``name``, from offset ``start``.

        The bureau pages by page number; an offset that is not on a page boundary of size
        ``count`` (the caller changed its page size) takes the two pages around it.
        """
        if count == 0:
            return 0, ()
        first_page = start // count + 1
        pages = [first_page] if start % count == 0 else [first_page, first_page + 1]

        async def fetch() -> list[Sourced[RegistrationPage]]:
            return [await self._market.search(name, page=p, size=count) for p in pages]

        answers = await self._deadline.bound("market", fetch())
        for answer in answers:
            self._provenance.record(answer.provenance, path)
        items = tuple(reg for a in answers for reg in a.value.items)
        skip = start - (first_page - 1) * count
        return answers[0].value.total, items[skip : skip + count]
