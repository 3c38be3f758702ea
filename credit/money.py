"""Money: yuan as :class:`~decimal.Decimal`, to the fen.  Feeds that speak 万元 convert here.

>>> wan_to_yuan("1E+3")
Decimal('10000000.00')
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["FEN", "WAN", "wan_to_yuan", "yuan"]

WAN = Decimal(10_000)  # 1 万元 = 10,000 yuan
FEN = Decimal("0.01")


def yuan(value: Decimal | int | str) -> Decimal:
    """An amount in yuan, rounded to the fen, never in exponent notation."""
    return Decimal(str(value)).quantize(FEN)


def wan_to_yuan(value: Decimal | int | str) -> Decimal:
    """Convert an amount stated in 万元 (as 双公示 feeds do) to yuan."""
    return yuan(Decimal(str(value)) * WAN)
