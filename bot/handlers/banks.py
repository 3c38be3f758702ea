"""The banks a citizen can authorise: those offering a 信易贷 product on the platform."""

from __future__ import annotations

from dataclasses import dataclass

from bot.graphql import GatewayClient

__all__ = ["Bank", "banks_of"]


@dataclass(frozen=True, slots=True)
class Bank:
    id: str
    name: str


async def banks_of(gateway: GatewayClient, token: str) -> list[Bank]:
    """Distinct banks of the products on offer, in the gateway's order."""
    if "FinancingProducts" not in gateway.operations:
        return []
    result = await gateway.execute("FinancingProducts", token=token)
    seen: dict[str, Bank] = {}
    for product in (result.data or {}).get("financingProducts") or ():
        seen.setdefault(product["bankId"], Bank(product["bankId"], product["bankName"]))
    return list(seen.values())
