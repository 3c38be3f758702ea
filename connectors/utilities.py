"""水电气 connector (consent-gated): monthly water, electricity and gas bills.

The utilities' data hub answers ``{"status": "OK", "data": …}`` (errors: ``{"status", "error":
{"code", "message"}}`` with HTTP status codes).  Dates are **epoch milliseconds** (a bill's
``period`` is its month's first day at 00:00 Asia/Shanghai) and amounts **fen** (integers);
both are converted here.  The key goes in ``X-Auth-Token``, each account's authorisation token
in its batch request's ``authorization``.  Each result carries a status: ``OK``, ``FORBIDDEN``
(token refused: :class:`ConsentRejected` for that subject alone) or ``NOT_FOUND`` (left out).

    await utilities.bills({uscc: Grant(consent_id, token), ...})
    # dict[code, Sourced[tuple[UtilityBill, ...]]], by month then utility

Answers are cached under each subject's consent id; ``utilities.drop_consent(consent_id)``
forgets them at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import httpx

from connectors.bureau import Bureau
from connectors.errors import ConnectorError, ConsentRejected, SourceProtocolError
from connectors.http import HttpBureau
from connectors.protocol import Grant
from connectors.provenance import Sourced
from credit.access import ConsentScope
from credit.money import yuan
from credit.records import Source, UtilityBill, UtilityKind
from credit.vocabulary import Label

__all__ = ["BATCH_LIMIT", "CHINA_STANDARD_TIME", "UtilitiesConnector"]

BATCH_LIMIT = 100
BILLS = "bills"
CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

Bills = tuple[UtilityBill, ...]


def _fen(value: Any) -> Decimal:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("amounts are integer fen")
    return yuan(Decimal(value) / 100)


def _bill(item: Mapping[str, Any]) -> UtilityBill:
    period = dt.datetime.fromtimestamp(int(item["period"]) / 1000, CHINA_STANDARD_TIME).date()
    return UtilityBill(
        month=period,
        kind=UtilityKind(str(item["utility"]).upper()),
        amount_yuan=_fen(item["amountFen"]),
        arrears_yuan=_fen(item.get("arrearsFen", 0)),
    )


class UtilitiesConnector(HttpBureau):
    source = "utilities"
    kinds = (BILLS,)
    consent_kinds = frozenset(kinds)

    def authorise(self, request: httpx.Request) -> None:
        request.headers["X-Auth-Token"] = self._config.api_key.get_secret_value()

    async def bills(self, grants: Mapping[str, Grant]) -> dict[str, Sourced[Bills]]:
        return await self.gated_batch(BILLS, grants, self._fetch)

    async def _fetch(self, wanted: dict[str, Grant]) -> dict[str, Bills | ConnectorError]:
        found: dict[str, Bills | ConnectorError] = {}
        codes = list(wanted)
        for start in range(0, len(codes), BATCH_LIMIT):
            chunk = codes[start : start + BATCH_LIMIT]
            requests = [{"creditCode": c, "authorization": wanted[c].token} for c in chunk]
            results = await self.call(
                "POST", "/v3/bills:batchQuery", self._results, json={"requests": requests}
            )
            if len(results) != len(chunk):
                raise SourceProtocolError(self.source, "批量应答条数与请求不符")
            for code, result in zip(chunk, results, strict=True):
                status = result.get("status")
                if status == "OK":
                    found[code] = self._bills(result.get("bills"))
                elif status == "FORBIDDEN":
                    found[code] = ConsentRejected(self.source)
                elif status != "NOT_FOUND":
                    raise SourceProtocolError(self.source, f"条目状态 {status}")
        return found

    def _results(self, response: httpx.Response) -> list[Mapping[str, Any]]:
        payload = self.decode(response)
        if not isinstance(payload, dict) or payload.get("status") != "OK":
            raise SourceProtocolError(self.source, "应答不符合该部门的报文格式")
        data = payload.get("data")
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise SourceProtocolError(self.source, "批量应答缺少结果列表")
        return results

    def _bills(self, bills: Any) -> Bills:
        if not isinstance(bills, list):
            raise SourceProtocolError(self.source, "结果缺少账单列表")
        try:
            return tuple(_bill(b) for b in bills)
        except (KeyError, ValueError, TypeError, OverflowError, OSError):
            raise SourceProtocolError(self.source, "账单字段缺失或格式错误") from None


BUREAU = Bureau.http(
    UtilitiesConnector,
    source=Source.declare("utilities", Label("水电气", "Utilities")),
    rank=50,
    consent=ConsentScope.UTILITIES,
    feeds=("utilities",),
)
