"""Small value types shared by many GraphQL types."""

from __future__ import annotations

from decimal import Decimal

import strawberry

__all__ = ["Money"]


@strawberry.type(description="金额（人民币） / An amount of money in CNY")
class Money:
    yuan: Decimal = strawberry.field(description="金额，单位：元 / Amount in yuan")
    currency: str = strawberry.field(description="币种，ISO 4217 / Currency code", default="CNY")
