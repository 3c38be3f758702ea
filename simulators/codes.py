"""Valid identifiers for the synthetic world, numbered so that no lookup table is needed.

A world of a million subjects cannot afford a dict from code to subject, so each code space is
a seeded bijection between a subject's index and its code: the index is scrambled by an affine
permutation (``y = a·x + b mod M``, ``a`` invertible mod ``M``) and spelled as a code; reading a
code back inverts the permutation.  Codes look random, never repeat, and every one is valid
(GB 32100 and GB 11714 check characters, GB 11643 check character and a real birth date).

* :class:`OrgCodeSpace` — the 组织机构代码 body ``MA`` + six characters of the USCC alphabet;
  the USCC around it adds the two-character type prefix and the division.
* :class:`PersonCodeSpace` — ID numbers over the Ningxia divisions, birth dates from 1950 to
  2004 and all 1,000 sequence numbers (odd: male).

    >>> space = OrgCodeSpace(seed=7, size=10)
    >>> space.index_of(space.body(3))
    3
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random

from credit.identifiers import (
    USCC_ALPHABET,
    citizen_id_check_char,
    gb11714_check_char,
    uscc_check_char,
)
from simulators.names import DIVISIONS

__all__ = [
    "PROVINCE",
    "OrgCodeSpace",
    "PersonCodeSpace",
    "authority_code",
    "make_citizen_id",
    "make_uscc",
    "uscc_from_body",
]

PROVINCE = "640000"
_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_DIVISION_LIST = tuple(DIVISIONS)
_FIRST_BIRTH = dt.date(1950, 1, 1)
_LAST_BIRTH = dt.date(2004, 12, 31)
_BIRTH_DAYS = (_LAST_BIRTH - _FIRST_BIRTH).days + 1


def _affine(seed: int, salt: str, modulus: int) -> tuple[int, int, int]:
    """(a, b, a⁻¹) of a seeded permutation of range(modulus)."""
    digest = hashlib.blake2b(f"{seed}:{salt}".encode(), digest_size=16).digest()
    a = int.from_bytes(digest[:8], "big") % modulus
    while a < 2 or math.gcd(a, modulus) != 1:
        a = (a + 1) % modulus
    b = int.from_bytes(digest[8:], "big") % modulus
    return a, b, pow(a, -1, modulus)


def uscc_from_body(prefix: str, division: str, body8: str) -> str:
    """USCC = type prefix (2) + division (6) + 组织机构代码 (body + check) + USCC check."""
    first17 = prefix + division + body8 + gb11714_check_char(body8)
    return first17 + uscc_check_char(first17)


def authority_code(name: str, division: str) -> str:
    """The 统一社会信用代码 of a state organ or court (type ``11`` 机关) named ``name`` in
    ``division`` (a provincial one, named 宁夏回族自治区…, in 640000): the same name always has
    the same code, with an all-digit 组织机构代码 (never ``MA…``, so never a subject's)."""
    if name.startswith("宁夏回族自治区"):
        division = PROVINCE
    digest = hashlib.blake2b(f"authority:{name}".encode(), digest_size=8).digest()
    return uscc_from_body("11", division, f"{int.from_bytes(digest, 'big') % 10**8:08d}")


class OrgCodeSpace:
    """Index ↔ 8-character 组织机构代码 body (``MA`` + 6), for ``size`` organisations."""

    HEAD = "MA"
    WIDTH = 6
    MODULUS = len(USCC_ALPHABET) ** WIDTH

    def __init__(self, seed: int, size: int) -> None:
        if not 0 <= size <= self.MODULUS:
            raise ValueError(f"an org code space holds at most {self.MODULUS} subjects")
        self.size = size
        self._a, self._b, self._a_inv = _affine(seed, "org", self.MODULUS)

    def body(self, index: int) -> str:
        y = (self._a * index + self._b) % self.MODULUS
        chars = []
        for _ in range(self.WIDTH):
            y, r = divmod(y, len(USCC_ALPHABET))
            chars.append(USCC_ALPHABET[r])
        return self.HEAD + "".join(reversed(chars))

    def index_of(self, body8: str) -> int | None:
        """The index whose body this is, or None (not ours)."""
        if len(body8) != 2 + self.WIDTH or not body8.startswith(self.HEAD):
            return None
        y = 0
        for ch in body8[2:]:
            value = _VALUE.get(ch)
            if value is None:
                return None
            y = y * len(USCC_ALPHABET) + value
        index = ((y - self._b) * self._a_inv) % self.MODULUS
        return index if index < self.size else None


class PersonCodeSpace:
    """Index ↔ 18-digit ID number, for ``size`` persons."""

    MODULUS = len(_DIVISION_LIST) * _BIRTH_DAYS * 1000

    def __init__(self, seed: int, size: int) -> None:
        if not 0 <= size <= self.MODULUS:
            raise ValueError(f"a person code space holds at most {self.MODULUS} subjects")
        self.size = size
        self._a, self._b, self._a_inv = _affine(seed, "person", self.MODULUS)

    def code(self, index: int) -> str:
        y = (self._a * index + self._b) % self.MODULUS
        rest, seq = divmod(y, 1000)
        division, day = divmod(rest, _BIRTH_DAYS)
        born = _FIRST_BIRTH + dt.timedelta(days=day)
        first17 = f"{_DIVISION_LIST[division]}{born:%Y%m%d}{seq:03d}"
        return first17 + citizen_id_check_char(first17)

    def index_of(self, code: str) -> int | None:
        if len(code) != 18 or not code[:17].isdigit():
            return None
        try:
            division = _DIVISION_LIST.index(code[:6])
            born = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
        except ValueError:
            return None
        day = (born - _FIRST_BIRTH).days
        if not 0 <= day < _BIRTH_DAYS:
            return None
        y = (division * _BIRTH_DAYS + day) * 1000 + int(code[14:17])
        index = ((y - self._b) * self._a_inv) % self.MODULUS
        return index if index < self.size else None


def make_uscc(rng: random.Random, prefix: str, division: str) -> str:
    """A random valid USCC (not numbered: for codes outside any world, e.g. in tests)."""
    body8 = "".join(rng.choice(USCC_ALPHABET) for _ in range(8))
    return uscc_from_body(prefix, division, body8)


def make_citizen_id(rng: random.Random, division: str, born: dt.date, male: bool) -> str:
    """A random valid ID number for a birth date and sex."""
    seq = rng.randrange(0, 499) * 2 + (1 if male else 0)
    first17 = f"{division}{born:%Y%m%d}{seq:03d}"
    return first17 + citizen_id_check_char(first17)
