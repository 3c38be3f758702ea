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

__all__ = [
    "DASHES",
    "DIGIT",
    "ID_NUMBER_FORM",
    "INVISIBLES",
    "MOBILE_FORM",
    "mask_id_number",
    "mask_name",
    "mask_numbers_in",
    "mask_phone",
]

# Every way the gateway accepts a personal number written (credit.identifiers, gateway.sms):
# half- or full-width digits, an upper- or lower-case, half- or full-width X, spaces, dashes of
# any kind or brackets between the characters, a +86 before a mobile number.  Regular
# expression sources without boundaries: log redaction (gateway.logs) and masking here choose
# their own.
DIGIT = "[0-9０-９]"
DASHES = (
    "-\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a"
    "\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
    "\u2212\u207b\u208b\u2796\u02d7"
)
"""Every dash (Unicode's Pd category) and every minus sign a typed or pasted code may carry."""
INVISIBLES = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060"
    "\u2066\u2067\u2068\u2069\ufeff"
)
"""Characters that print as nothing: zero-width spaces and joiners, direction marks, the BOM
(U+FEFF) and the soft hyphen, as a copy from a web page or a spreadsheet brings them along."""
_GAP_CHARS = "\\s" + "".join(re.escape(ch) for ch in DASHES + INVISIBLES) + "()（）"
_GAP = f"[{_GAP_CHARS}]{{0,3}}"
ID_NUMBER_FORM = f"{DIGIT}(?:{_GAP}{DIGIT}){{16}}{_GAP}[0-9０-９XxＸｘ]"
"""An 18-character citizen ID number (17 digits and a digit or X) as it may be written."""
MOBILE_FORM = f"(?:(?:[+＋]|00)?86{_GAP})?[1１]{_GAP}[3-9３-９](?:{_GAP}{DIGIT}){{9}}"
"""A mainland mobile number as it may be written."""

# In text shown to a caller, a number glued to letters is still masked (graphql-core echoes
# an enum value as sent: ``X11010519491231002X``); a run inside a longer run of digits (a
# timestamp, an amount) is not one.
_ID_NUMBER = re.compile(f"(?<!{DIGIT}){ID_NUMBER_FORM}(?!{DIGIT})")
_MOBILE = re.compile(f"(?<!{DIGIT}){MOBILE_FORM}(?!{DIGIT})")
_GAPS = re.compile(f"[{_GAP_CHARS}]")
_COUNTRY = re.compile("^(?:[+＋]|00)?86(?=[1１].{10}$)")


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
        return mask_id_number(_GAPS.sub("", found.group()))

    def phone(found: re.Match[str]) -> str:
        return mask_phone(_COUNTRY.sub("", _GAPS.sub("", found.group())))

    return _MOBILE.sub(phone, _ID_NUMBER.sub(id_number, text))
