"""What the fact generators know about one subject, and the small date helpers they share.

A :class:`Subject` is the compact, derived view of one organisation or person that every
bureau's generator reads: its code, a record-id stem, its kind, division, dates, size and a
latent credit :class:`Tier` that correlates the bureaus (a firm in trouble tends to be in
trouble everywhere).  Generators draw from their own seeded :class:`random.Random` per subject
and bureau (:func:`subject_rng`), so each bureau's facts are stable on their own.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum

from credit.calendar import add_months
from credit.records import EntityType
from simulators.names import Industry

__all__ = [
    "ORGANISATION_KINDS",
    "Subject",
    "Tier",
    "fen",
    "last_months",
    "pick_day",
    "subject_rng",
]

ORGANISATION_KINDS = (
    EntityType.ENTERPRISE,
    EntityType.INDIVIDUAL_BUSINESS,
    EntityType.COOPERATIVE,
    EntityType.PUBLIC_INSTITUTION,
    EntityType.SOCIAL_ORGANISATION,
    EntityType.RURAL_COLLECTIVE,
)

_SALTS = {
    "org": 1,
    "person": 2,
    "share": 3,
    "court": 4,
    "market": 5,
    "national": 6,
    "tax": 7,
    "hrss": 8,
    "utilities": 9,
    "platform": 10,
    "boundary": 11,
    "court_person": 12,
    "person_tier": 13,
    "shareholders": 14,
    "person_phone": 15,
}


class Tier(IntEnum):
    """Latent credit standing: drives the rates of every kind of record."""

    GOOD = 0  # ~70 %
    FAIR = 1  # ~20 %
    POOR = 2  # ~8 %
    BAD = 3  # ~2 %

    @classmethod
    def draw(cls, rng: random.Random) -> Tier:
        roll = rng.random()
        if roll < 0.70:
            return cls.GOOD
        if roll < 0.90:
            return cls.FAIR
        if roll < 0.98:
            return cls.POOR
        return cls.BAD


def subject_rng(seed: int, salt: str, index: int) -> random.Random:
    """The generator for one (world seed, purpose, subject index): independent streams."""
    return random.Random((seed << 64) | (_SALTS[salt] << 48) | index)


@dataclass(frozen=True, slots=True)
class Subject:
    """One organisation (``kind`` set) or person (``kind`` None), as generators see it."""

    index: int
    code: str
    serial: str  # record-id stem, e.g. "E000123" / "P000045": never personal data
    name: str
    kind: EntityType | None
    division: str
    established: dt.date  # persons: their 18th birthday (first day they can be a party)
    ended: dt.date | None  # deregistered / revoked on (organisations)
    tier: Tier
    industry: Industry | None
    headcount: int  # usual staff (organisations), 0 for persons
    capital_yuan: Decimal
    legal_rep_name: str
    today: dt.date

    @property
    def is_person(self) -> bool:
        return self.kind is None

    @property
    def last_day(self) -> dt.date:
        """Last day the subject can act: yesterday, or the day it ended."""
        yesterday = self.today - dt.timedelta(days=1)
        return min(yesterday, self.ended) if self.ended else yesterday


def pick_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date | None:
    """A uniform day in [start, end], or None when the range is empty."""
    span = (end - start).days
    if span < 0:
        return None
    return start + dt.timedelta(days=rng.randint(0, span))


@functools.lru_cache(maxsize=64)  # pure, and asked for every subject: compute once per day
def last_months(today: dt.date, count: int) -> tuple[dt.date, ...]:
    """First days of the ``count`` whole months before ``today``'s month, oldest first."""
    this_month = today.replace(day=1)
    return tuple(add_months(this_month, -n) for n in range(count, 0, -1))


def fen(amount: int) -> Decimal:
    """Yuan from an integer number of fen, to the fen (cheaper than quantizing in hot loops)."""
    return Decimal(amount).scaleb(-2)
