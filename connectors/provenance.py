"""Provenance: where a value came from and how fresh it is.  Carried by every connector result.

Sourced(value, Provenance(source="market", fetched_at=..., cached=False, stale=False))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

__all__ = ["Provenance", "Sourced"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Provenance:
    source: str
    fetched_at: dt.datetime  # when the bureau answered (UTC)
    cached: bool = False  # served from our cache rather than this request's call
    stale: bool = False  # served past its TTL because the bureau failed (stale-if-error)

    def age_s(self, now: dt.datetime) -> float:
        return max(0.0, (now - self.fetched_at).total_seconds())

    def as_cached(self, *, stale: bool = False) -> Provenance:
        return replace(self, cached=True, stale=stale)


@dataclass(frozen=True, slots=True)
class Sourced(Generic[T]):
    """A value and its provenance."""

    value: T
    provenance: Provenance

    def as_cached(self, *, stale: bool = False) -> Sourced[T]:
        return Sourced(self.value, self.provenance.as_cached(stale=stale))
