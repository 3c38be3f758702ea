"""市场监管 connector: registration basics, mapped to :class:`credit.records.Registration`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import InvalidOperation
from typing import Any

from connectors.errors import NotFound, SourceProtocolError
from connectors.http import HttpBureau
from connectors.provenance import Sourced
from credit.money import wan_to_yuan
from credit.records import EntityType, OperatingStatus, Registration

__all__ = ["MarketConnector"]

BATCH_LIMIT = 100


class MarketConnector(HttpBureau):
    source = "market"

    async def registrations(self, codes: Sequence[str]) -> dict[str, Sourced[Registration]]:
        """Registrations for the codes the bureau knows; unknown codes are simply absent."""
        found: dict[str, Sourced[Registration]] = {}
        unique = list(dict.fromkeys(codes))
        for start in range(0, len(unique), BATCH_LIMIT):
            chunk = unique[start : start + BATCH_LIMIT]
            data = self._unwrap(
                await self.request("POST", "/api/v2/enterprises/batch", json={"uscc_list": chunk})
            )
            provenance = self.provenance()
            items = data.get("items") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise SourceProtocolError(self.source, "batch answer has no item list")
            for item in items:
                reg = self._registration(item)
                found[reg.uscc] = Sourced(reg, provenance)
        return found

    async def registration(self, code: str) -> Sourced[Registration]:
        response = await self.request("GET", f"/api/v2/enterprises/{code}")
        payload = self.decode(response)
        if isinstance(payload, dict) and payload.get("code") == "1004":
            raise NotFound(self.source, "subject unknown to the bureau")
        return Sourced(self._registration(self._unwrap_payload(payload)), self.provenance())

    def _unwrap(self, response: Any) -> Any:
        return self._unwrap_payload(self.decode(response))

    def _unwrap_payload(self, payload: Any) -> Any:
        if not isinstance(payload, dict) or "code" not in payload:
            raise SourceProtocolError(self.source, "answer is not in the bureau's envelope")
        if payload["code"] != "0000":
            raise SourceProtocolError(self.source, f"bureau status {payload['code']}")
        return payload.get("data")

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
            raise SourceProtocolError(
                self.source, "registration item has missing or bad fields"
            ) from None
