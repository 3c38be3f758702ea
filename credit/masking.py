"""Masking of personal identifiers for everyone but their owner (DOMAIN.md §1, §4).

>>> mask_id_number("11010519491231002X")
'1101**********002X'
>>> mask_phone("13912345678")
'139****5678'
"""

from __future__ import annotations

__all__ = ["mask_id_number", "mask_name", "mask_phone"]


def mask_id_number(id_number: str) -> str:
    """Keep the first 4 and last 4 characters: enough to tell two of one's own apart."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """Keep the surname: 张三丰 → 张**."""
    return name[:1] + "*" * (len(name) - 1) if name else name
