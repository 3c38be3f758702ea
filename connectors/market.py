"""市场监管 connector: registration basics, mapped to :class:`credit.records.Registration`.

The bureau's envelope is ``{"code": "0000", "msg": ..., "data": ...}`` with HTTP 200 even for
"not found" (``code`` ``"1004"``); amounts in 万元, ISO dates, pinyin-initial field names, key
in ``X-Api-Key``.  Batch endpoints take at most :data:`BATCH_LIMIT` codes.

    found = await market.registrations(codes)      # dict[code, Sourced[Registration]]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import InvalidOperation
from typing import Any

import httpx

from connectors.errors import NotFound, SourceProtocolError
from connectors.http import HttpBureau
from connectors.provenance import Sourced
from credit.money import wan_to_yuan
from credit.records import EntityType, OperatingStatus, Registration

__all__ = ["BATCH_LIMIT", "MarketConnector"]

BATCH_LIMIT = 100
REGISTRATION = "registration"


class MarketConnector(HttpBureau):
    source = "market"
    kinds = (REGISTRATION,)

    async def registrations(self, codes: Sequence[str]) -> dict[str, Sourced[Registration]]:
        """Registrations for the codes the bureau knows; unknown codes are simply absent."""
        return await self.batch(REGISTRATION, codes, self._fetch_registrations)

    async def registration(self, code: str) -> Sourced[Registration]:
        """One registration; :class:`NotFound` when the bureau does not know the code."""
        found = await self.registrations([code])
        if code not in found:
            raise NotFound(self.source, "该部门未查询到此主体")
        return found[code]

    async def _fetch_registrations(self, codes: list[str]) -> dict[str, Registration]:
        found: dict[str, Registration] = {}
        for start in range(0, len(codes), BATCH_LIMIT):
            chunk = codes[start : start + BATCH_LIMIT]
            items = await self.call(
                "POST", "/api/v2/enterprises/batch", self._items, json={"uscc_list": chunk}
            )
            found.update((reg.uscc, reg) for reg in map(self._registration, items))
        return found

    # --- the bureau's envelope and fields, mapped in one place -------------------------------

    def _data(self, response: httpx.Response) -> Any:
        payload = self.decode(response)
        if not isinstance(payload, dict) or "code" not in payload:
            raise SourceProtocolError(self.source, "应答不符合该部门的报文格式")
        if payload["code"] != "0000":
            raise SourceProtocolError(self.source, f"部门返回状态 {payload['code']}")
        return payload.get("data")

    def _items(self, response: httpx.Response) -> list[Mapping[str, Any]]:
        data = self._data(response)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise SourceProtocolError(self.source, "批量应答缺少条目列表")
        return items

    def _registration(self, item: Mapping[str, Any]) -> Registration:
        try:
            closed = item.get("zxrq")
            return Registration(
                uscc=str(item["tyshxydm"]),
                name=str(item["qymc"]),
                entity_type=EntityType(item["qylx"]),
                status=OperatingStatus(item["djzt"]),
                established_on=dt.date.fromisoformat(item["clrq"]),
                registered_capital_yuan=wan_to_yuan(item["zczb"]),
                address=str(item["zs"]),
                division_code=str(item["djjgxzqh"]),
                industry=str(item["hyml"]),
                legal_rep_name=str(item["fddbr"]),
                legal_rep_id=str(item["fddbrzjhm"]),
                phone=str(item.get("lxdh") or ""),
                deregistered_on=dt.date.fromisoformat(closed) if closed else None,
            )
        except (KeyError, ValueError, TypeError, InvalidOperation):
            raise SourceProtocolError(self.source, "登记信息条目字段缺失或格式错误") from None
