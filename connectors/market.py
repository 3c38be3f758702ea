"""市场监管 connector: registrations, penalties, permits, 经营异常名录, 严重违法失信名单.

The bureau's envelope is ``{"code": "0000", "msg": ..., "data": ...}``; ``"1004"`` (subject
unknown) comes with HTTP 200.  Amounts are 万元 (converted to yuan here), dates ISO, key in
``X-Api-Key``, at most :data:`BATCH_LIMIT` codes per batch.  Registrations use pinyin-initial
fields; penalties and permits the 双公示 ``CF_``/``XK_`` fields (DOMAIN.md §6).

    await market.dossiers(codes)             # registration and every record kind, one call
    await market.registrations(codes)        # dict[code, Sourced[Registration]]; unknown: absent
    await market.penalties(codes)            # dict[code, Sourced[tuple[CreditRecord, ...]]]
    await market.permits(codes)              # ... every code answered, () when none
    await market.abnormal_operations(codes)
    await market.serious_violations(codes)
    await market.shareholders(codes)         # dict[code, Sourced[tuple[Shareholding, ...]]]
    await market.represented_by(id_number)   # Sourced[tuple[Registration, ...]], not cached
    await market.search(name, page=1, size=20)   # Sourced[RegistrationPage], not cached

The record batches answer a flat list naming each item's subject; the bureau does not say which
codes it does not know, so a code without records (known or not) gets an empty tuple.  The
bureau has no batch endpoint for shareholders: the codes not in cache are asked for one by one,
concurrently (bounded by the bulkhead); unknown codes are absent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from connectors.bureau import Bureau, RightsDesk
from connectors.errors import ConnectorError, NotFound, SourceProtocolError
from connectors.http import HttpBureau
from connectors.market_mapping import (
    MAPPING_ERRORS,
    abnormal_record,
    penalty_record,
    permit_record,
    registration,
    serious_record,
    shareholding,
)
from connectors.provenance import Sourced
from credit.publicity import never_published
from credit.records import CreditRecord, Registration, Shareholding, Source
from credit.rights.desks import RepairRule
from credit.vocabulary import Label

__all__ = ["BATCH_LIMIT", "MarketConnector", "MarketDossier", "RegistrationPage"]

BATCH_LIMIT = 100
MAX_PAGE_SIZE = 50
REGISTRATION = "registration"
PENALTIES = "penalties"
PERMITS = "permits"
ABNORMAL = "abnormal-operations"
SERIOUS = "serious-violations"
SHAREHOLDERS = "shareholders"
DOSSIER = "dossier"

Records = tuple[CreditRecord, ...]
_RECORD_KINDS: dict[str, tuple[str, Callable[[Mapping[str, Any]], CreditRecord]]] = {
    # kind: (subject field, mapper)
    PENALTIES: ("CF_XDR_SHXYM", penalty_record),
    PERMITS: ("XK_XDR_SHXYM", permit_record),
    ABNORMAL: ("tyshxydm", abnormal_record),
    SERIOUS: ("tyshxydm", serious_record),
}


@dataclass(frozen=True, slots=True)
class MarketDossier:
    """Everything market regulation holds about one organisation, from one call."""

    registration: Registration
    records: Records  # penalties, permits, abnormal operations, serious violations


@dataclass(frozen=True, slots=True)
class RegistrationPage:
    total: int
    page: int
    size: int
    items: tuple[Registration, ...]


class MarketConnector(HttpBureau):
    source = "market"
    kinds = (DOSSIER, REGISTRATION, PENALTIES, PERMITS, ABNORMAL, SERIOUS, SHAREHOLDERS)

    async def dossiers(self, codes: Sequence[str]) -> dict[str, Sourced[MarketDossier]]:
        """Registration and every record kind per organisation, one upstream call per 100
        codes; unknown codes are absent."""
        return await self.batch(DOSSIER, codes, self._fetch_dossiers)

    async def registrations(self, codes: Sequence[str]) -> dict[str, Sourced[Registration]]:
        """Registrations for the codes the bureau knows; unknown codes are simply absent."""
        return await self.batch(REGISTRATION, codes, self._fetch_registrations)

    async def registration(self, code: str) -> Sourced[Registration]:
        """One registration; :class:`NotFound` when the bureau does not know the code."""
        found = await self.registrations([code])
        if code not in found:
            raise NotFound(self.source, "该部门未查询到此主体")
        return found[code]

    async def penalties(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        """行政处罚 (MARKET_PENALTY by market regulation, ADMIN_PENALTY by other authorities)."""
        return await self._records(PENALTIES, codes)

    async def permits(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self._records(PERMITS, codes)

    async def abnormal_operations(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self._records(ABNORMAL, codes)

    async def serious_violations(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self._records(SERIOUS, codes)

    async def shareholders(
        self, codes: Sequence[str]
    ) -> dict[str, Sourced[tuple[Shareholding, ...]]]:
        """Natural-person shareholders of enterprises (other kinds: an empty tuple)."""
        return await self.batch(SHAREHOLDERS, codes, self._fetch_shareholders)

    async def represented_by(self, id_number: str) -> Sourced[tuple[Registration, ...]]:
        """Organisations whose legal representative holds ``id_number`` (sent in the body)."""
        self._check_open()
        items = await self.call(
            "POST", "/api/v2/enterprises/by-legal-rep", self._items, json={"zjhm": id_number}
        )
        return Sourced(tuple(self._map(registration, i) for i in items), self.provenance())

    async def search(
        self, name: str, *, page: int = 1, size: int = 20
    ) -> Sourced[RegistrationPage]:
        """Organisations whose name contains ``name``; ``size`` at most 50."""
        self._check_open()
        params: dict[str, str | int] = {
            "name": name,
            "page": page,
            "size": min(max(size, 1), MAX_PAGE_SIZE),
        }
        data = await self.call("GET", "/api/v2/enterprises", self._data, params=params)
        try:
            items = tuple(self._map(registration, i) for i in data["items"])
            found = RegistrationPage(
                int(data["total"]), int(data["page"]), int(data["size"]), items
            )
        except (KeyError, TypeError, ValueError):
            raise SourceProtocolError(self.source, "检索应答缺少分页字段") from None
        return Sourced(found, self.provenance())

    # --- fetching ----------------------------------------------------------------------------

    async def _fetch_registrations(self, codes: list[str]) -> dict[str, Registration]:
        found: dict[str, Registration] = {}
        for chunk in _chunks(codes):
            items = await self.call(
                "POST", "/api/v2/enterprises/batch", self._items, json={"uscc_list": chunk}
            )
            found.update((reg.uscc, reg) for reg in (self._map(registration, i) for i in items))
        return found

    async def _fetch_shareholders(
        self, codes: list[str]
    ) -> dict[str, tuple[Shareholding, ...] | ConnectorError]:
        # Half the bureau's slots at most: a batch of 100 must not overflow its own queue.
        lanes = asyncio.Semaphore(max(1, self._config.max_in_flight // 2))

        async def one(code: str) -> tuple[Shareholding, ...] | None:
            async with lanes:
                path = f"/api/v2/enterprises/{code}/shareholders"
                return await self.call("GET", path, self._holders)

        answers = await asyncio.gather(*(one(code) for code in codes))
        return {code: got for code, got in zip(codes, answers, strict=True) if got is not None}

    async def _fetch_dossiers(self, codes: list[str]) -> dict[str, MarketDossier]:
        found: dict[str, MarketDossier] = {}
        for chunk in _chunks(codes):
            for item in await self.call(
                "POST", "/api/v2/dossiers/batch", self._items, json={"uscc_list": chunk}
            ):
                found[str(item.get("tyshxydm"))] = self._dossier(item)
        return found

    def _dossier(self, item: Mapping[str, Any]) -> MarketDossier:
        records: list[CreditRecord] = []
        for kind, (_, mapper) in _RECORD_KINDS.items():
            entries = item.get(kind)
            if not isinstance(entries, list):
                raise SourceProtocolError(self.source, "档案应答缺少记录列表")
            mapped = (self._map(mapper, entry) for entry in entries)
            records.extend(r for r in mapped if not never_published(r))
        basics = item.get("djxx")
        if not isinstance(basics, dict):
            raise SourceProtocolError(self.source, "档案应答缺少登记信息")
        return MarketDossier(self._map(registration, basics), tuple(records))

    async def _records(self, kind: str, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        subject_field, mapper = _RECORD_KINDS[kind]

        async def fetch(wanted: list[str]) -> dict[str, Records | ConnectorError]:
            grouped: dict[str, list[CreditRecord]] = {code: [] for code in wanted}
            for chunk in _chunks(wanted):
                items = await self.call(
                    "POST", f"/api/v2/{kind}/batch", self._items, json={"uscc_list": chunk}
                )
                for item in items:
                    subject = item.get(subject_field)
                    if subject in grouped:
                        record = self._map(mapper, item)
                        if not never_published(record):  # SAMR Order 45 Art. 2
                            grouped[subject].append(record)
            return {code: tuple(records) for code, records in grouped.items()}

        return await self.batch(kind, codes, fetch)

    # --- the bureau's envelope ---------------------------------------------------------------

    def _data(self, response: httpx.Response) -> Any:
        payload = self.decode(response)
        if not isinstance(payload, dict) or "code" not in payload:
            raise SourceProtocolError(self.source, "应答不符合该部门的报文格式")
        if payload["code"] != "0000":
            raise SourceProtocolError(self.source, f"部门返回状态 {payload['code']}")
        return payload.get("data")

    def _holders(self, response: httpx.Response) -> tuple[Shareholding, ...] | None:
        payload = self.decode(response)
        if isinstance(payload, dict) and payload.get("code") == "1004":
            return None  # the bureau does not know this organisation
        data = self._data(response)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise SourceProtocolError(self.source, "股东应答缺少条目列表")
        return tuple(self._map(shareholding, item) for item in items)

    def _items(self, response: httpx.Response) -> list[Mapping[str, Any]]:
        data = self._data(response)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise SourceProtocolError(self.source, "批量应答缺少条目列表")
        return items

    def _map(self, mapper: Callable[[Mapping[str, Any]], Any], item: Mapping[str, Any]) -> Any:
        try:
            return mapper(item)
        except MAPPING_ERRORS:
            raise SourceProtocolError(self.source, "条目字段缺失或格式错误") from None


def _chunks(codes: list[str]) -> list[list[str]]:
    return [codes[i : i + BATCH_LIMIT] for i in range(0, len(codes), BATCH_LIMIT)]


# Its records come with each registration (the dossier), so the loaders read them from there.
BUREAU = Bureau.http(
    MarketConnector,
    source=Source.declare("market", Label("市场监管", "Market regulation")),
    rank=20,
    feeds=(
        "PERMIT",
        "ADMIN_PENALTY",
        "MARKET_PENALTY",
        "ABNORMAL_OPERATION",
        "SERIOUS_VIOLATION",
        "registration",
        "market_records",
        "legal_rep_birth_date",
    ),
    # objections: no statutory deadline found (a setting); repairs: 市场监管总局令第107号
    rights=RightsDesk(repair=RepairRule.SAMR),
)
