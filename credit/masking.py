"""Masking of personal identifiers for everyone but their owner (DOMAIN.md §1, §4).

>>> mask_id_number("11010519491231002X")
'1101**********002X'
>>> mask_phone("13912345678")
'139****5678'
>>> mask_numbers_in("Value 'X11010519491231002X' does not exist")
"Value 'X1101**********002X' does not exist"
"""

from __future__ import annotations

import re

__all__ = ["mask_id_number", "mask_name", "mask_numbers_in", "mask_phone"]

# Every way a caller may write an ID number or a mobile number that the gateway accepts: spaces
# or dashes between the characters, full-width digits (``\d`` matches them) and ``Ｘ``; a run
# inside a longer run of digits (a timestamp, an amount) is not one.
_ID_NUMBER = re.compile(r"(?<!\d)\d(?:[ \-]?\d){16}[ \-]?[\dXxＸｘ](?!\d)")
_MOBILE = re.compile(r"(?<!\d)1[ \-]?[3-9](?:[ \-]?\d){9}(?!\d)")
_SEPARATORS = re.compile(r"[ \-]")


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


def mask_numbers_in(text: str) -> str:
    """``text`` with every ID or mobile number in it masked, e.g. a caller's input echoed in
    an error message."""

    def id_number(found: re.Match[str]) -> str:
        return mask_id_number(_SEPARATORS.sub("", found.group()))

    def phone(found: re.Match[str]) -> str:
        return mask_phone(_SEPARATORS.sub("", found.group()))

    return _MOBILE.sub(phone, _ID_NUMBER.sub(id_number, text))
