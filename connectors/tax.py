"""税务 connector (consent-gated): 纳税信用等级 by year and monthly tax paid.

The tax bureau wraps everything in ``{"head": {"rtnCode", "rtnMsg", "tranSeq"}, "body"}``; every
call is a POST; dates are ``YYYYMMDD``, months ``YYYYMM``, amounts yuan strings; the app key
goes in ``X-Tax-AppKey`` and each taxpayer's authorisation token in its item's ``sqm``.  In a
batch each item carries its own ``rtnCode``: ``00`` answered, ``04`` unknown taxpayer (left out
of the answer), ``20`` token refused (:class:`ConsentRejected` for that subject alone).

    grants = {uscc: Grant(consent_id, token), ...}
    await tax.ledgers(grants)    # dict[code, Sourced[TaxLedger]]: grades (oldest year first)
                                 # and monthly payments (oldest month first), one call

Answers are cached under each subject's consent id; ``tax.drop_consent(consent_id)`` forgets
them at once when the consent is revoked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import httpx

from connectors.bureau import Bureau
from connectors.errors import ConnectorError, ConsentRejected, SourceProtocolError
from connectors.http import HttpBureau
from connectors.protocol import Grant
from connectors.provenance import Sourced
from credit.access import ConsentScope
from credit.money import yuan
from credit.records import Source, TaxGrade, TaxGradeLetter, TaxPayment
from credit.vocabulary import Label

__all__ = ["BATCH_LIMIT", "TaxConnector", "TaxLedger"]

BATCH_LIMIT = 100
LEDGER = "ledger"

T = TypeVar("T")
R = TypeVar("R")


def _yyyymmdd(value: str) -> dt.date:
    return dt.datetime.strptime(value, "%Y%m%d").date()


def _grade(item: Mapping[str, Any]) -> TaxGrade:
    score, assigned = item.get("pjfs"), item.get("pdrq")
    return TaxGrade(
        year=int(item["pjnd"]),
        grade=TaxGradeLetter(item["xydj"]),
        score=int(score) if score is not None else None,
        assigned_directly=item.get("zjpd") == "Y",
        assigned_on=_yyyymmdd(assigned) if assigned else None,
    )


def _payment(item: Mapping[str, Any]) -> TaxPayment:
    month = str(item["ssq"])
    return TaxPayment(
        month=dt.date(int(month[:4]), int(month[4:6]), 1),
        amount_yuan=yuan(Decimal(item["sjje"])),
        zero_return=item["lsbz"] == "Y",
    )


@dataclass(frozen=True, slots=True)
class TaxLedger:
    """A taxpayer's grades (oldest year first) and monthly payments (oldest month first)."""

    grades: tuple[TaxGrade, ...]
    payments: tuple[TaxPayment, ...]


class TaxConnector(HttpBureau):
    source = "tax"
    kinds = (LEDGER,)
    consent_kinds = frozenset(kinds)

    def authorise(self, request: httpx.Request) -> None:
        request.headers["X-Tax-AppKey"] = self._config.api_key.get_secret_value()

    async def ledgers(self, grants: Mapping[str, Grant]) -> dict[str, Sourced[TaxLedger]]:
        """Grades and payments together: one upstream call per 100 taxpayers."""

        def ledger(item: Mapping[str, Any]) -> TaxLedger:
            return TaxLedger(
                self._rows(item.get("pjxx"), _grade), self._rows(item.get("items"), _payment)
            )

        return await self.gated_batch(
            LEDGER, grants, lambda wanted: self._fetch("ledger", wanted, ledger)
        )

    async def _fetch(
        self,
        resource: str,
        wanted: dict[str, Grant],
        build: Callable[[Mapping[str, Any]], R],
    ) -> dict[str, R | ConnectorError]:
        found: dict[str, R | ConnectorError] = {}
        codes = list(wanted)
        for start in range(0, len(codes), BATCH_LIMIT):
            chunk = codes[start : start + BATCH_LIMIT]
            items = await self.call(
                "POST",
                f"/tax/api/v1/{resource}/batch-query",
                self._items,
                json={"items": [{"nsrsbh": c, "sqm": wanted[c].token} for c in chunk]},
            )
            if len(items) != len(chunk):
                raise SourceProtocolError(self.source, "批量应答条数与请求不符")
            for code, item in zip(chunk, items, strict=True):
                status = item.get("rtnCode")
                if status == "00":
                    found[code] = build(item)
                elif status == "20":
                    found[code] = ConsentRejected(self.source)
                elif status != "04":
                    raise SourceProtocolError(self.source, f"条目返回码 {status}")
        return found

    # --- the bureau's envelope ---------------------------------------------------------------

    def _items(self, response: httpx.Response) -> list[Mapping[str, Any]]:
        payload = self.decode(response)
        head = payload.get("head") if isinstance(payload, dict) else None
        if not isinstance(head, dict) or "rtnCode" not in head:
            raise SourceProtocolError(self.source, "应答不符合该部门的报文格式")
        if head["rtnCode"] != "00":
            raise SourceProtocolError(self.source, f"部门返回码 {head['rtnCode']}")
        body = payload.get("body")
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise SourceProtocolError(self.source, "批量应答缺少条目列表")
        return items

    def _rows(self, rows: Any, mapper: Callable[[Mapping[str, Any]], T]) -> tuple[T, ...]:
        if not isinstance(rows, list):
            raise SourceProtocolError(self.source, "条目缺少明细列表")
        try:
            return tuple(mapper(row) for row in rows)
        except (KeyError, ValueError, TypeError, InvalidOperation, AttributeError):
            raise SourceProtocolError(self.source, "明细字段缺失或格式错误") from None


BUREAU = Bureau.http(
    TaxConnector,
    source=Source.declare("tax", Label("税务", "Tax")),
    rank=30,
    consent=ConsentScope.TAX,
    feeds=("tax_grades", "tax_payments"),
)
