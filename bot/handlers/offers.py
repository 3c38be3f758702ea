"""What banks offer on the platform: 信易贷 products, and the banks behind them (the banks a
citizen can authorise).  Fetched fresh each time: a button names a position in this list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.graphql import GatewayClient

__all__ = ["Bank", "Product", "banks_of", "products_of"]


@dataclass(frozen=True, slots=True)
class Bank:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Product:
    code: str
    name: str
    bank: Bank
    parameters: Mapping[str, Any] = field(default_factory=dict)


async def products_of(gateway: GatewayClient, token: str) -> list[Product]:
    if "FinancingProducts" not in gateway.operations:  # a gateway without 信易贷 products
        return []
    result = await gateway.execute("FinancingProducts", token=token)
    connection = (result.data or {}).get("financingProducts") or {}
    return [
        Product(n["code"], n["name"], Bank(n["bankId"], n["bankName"]), n.get("parameters") or {})
        for n in (e["node"] for e in connection.get("edges", []))
    ]


async def banks_of(gateway: GatewayClient, token: str) -> list[Bank]:
    """Distinct banks of the products on offer, in the gateway's order."""
    seen: dict[str, Bank] = {}
    for product in await products_of(gateway, token):
        seen.setdefault(product.bank.id, product.bank)
    return list(seen.values())
