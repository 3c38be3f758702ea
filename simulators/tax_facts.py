"""Tax facts: 纳税信用等级 by year and 24 months of tax paid, for market-registered taxpayers.

Grades (DOMAIN.md §3): A ≥ 90, B 70-89, M for a firm in its first year (scored like B),
C 40-69, D < 40 — or D assigned directly, without a score, for a serious violation; a direct D
also covers the next year (``PublicityPolicy.tax_direct_d_years``).  Grades for year Y are
published in ``PublicityPolicy.tax_grade_published_month`` of Y+1 (day 20 here).  A 重大税收
违法失信主体 listing (national lists) makes its year a direct D.

Payments: one row per month the firm existed, oldest first; a zero-return month (零申报) has
amount 0.  Firms in trouble run zero-return streaks (the pre-check rule reads "3 consecutive
or 6 cumulative"); individual businesses and cooperatives, often under the VAT threshold or
exempt, file zero returns more often.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from credit.policy import PublicityPolicy
from credit.records import (
    CreditRecord,
    EntityType,
    TaxGrade,
    TaxGradeLetter,
    TaxPayment,
)
from simulators.national_facts import MAJOR_TAX_LIST
from simulators.subject import Subject, Tier, fen, last_months, pick_day

__all__ = ["TAXPAYER_KINDS", "TaxLedger", "grade_score", "published_on", "tax_ledger"]

TAXPAYER_KINDS = frozenset(
    {EntityType.ENTERPRISE, EntityType.INDIVIDUAL_BUSINESS, EntityType.COOPERATIVE}
)
_L = TaxGradeLetter
_GRADE_WEIGHTS = {
    Tier.GOOD: ((_L.A, _L.B, _L.M), (45, 50, 5)),
    Tier.FAIR: ((_L.A, _L.B, _L.M, _L.C), (5, 60, 10, 25)),
    Tier.POOR: ((_L.B, _L.C, _L.D), (30, 50, 20)),
    Tier.BAD: ((_L.C, _L.D), (40, 60)),
}
_SCORES = {_L.A: (90, 100), _L.B: (70, 89), _L.M: (70, 89), _L.C: (40, 69), _L.D: (0, 39)}
_ZERO_RUN_RATE = {Tier.GOOD: 0.03, Tier.FAIR: 0.1, Tier.POOR: 0.3, Tier.BAD: 0.6}
_SCALE = {Tier.GOOD: 120, Tier.FAIR: 100, Tier.POOR: 60, Tier.BAD: 30}  # fen per yuan


@dataclass(frozen=True, slots=True)
class TaxLedger:
    grades: tuple[TaxGrade, ...]  # oldest year first
    payments: tuple[TaxPayment, ...]  # oldest month first


def published_on(year: int, policy: PublicityPolicy) -> dt.date:
    """The day the grades for ``year`` were published (day 20 of the publication month)."""
    return dt.date(year + 1, policy.tax_grade_published_month, 20)


def grade_score(rng: random.Random, letter: TaxGradeLetter) -> int:
    low, high = _SCORES[letter]
    return rng.randint(low, high)


def _grades(
    subject: Subject,
    rng: random.Random,
    national: tuple[CreditRecord, ...],
    policy: PublicityPolicy,
) -> tuple[TaxGrade, ...]:
    direct: dict[int, dt.date] = {}
    for entry in national:
        if entry.list_name == MAJOR_TAX_LIST:
            for offset in range(policy.tax_direct_d_years):
                direct.setdefault(entry.decided_on.year + offset, entry.decided_on)
    letters, weights = _GRADE_WEIGHTS[subject.tier]
    grades = []
    for year in range(max(subject.established.year, subject.today.year - 5), subject.today.year):
        published = published_on(year, policy)
        if published > subject.today or (subject.ended and subject.ended.year < year):
            continue
        if year in direct:
            found = direct[year] if direct[year].year == year else published
            grades.append(TaxGrade(year, _L.D, None, assigned_directly=True, assigned_on=found))
            continue
        letter = _L.M if year == subject.established.year else rng.choices(letters, weights)[0]
        if letter is _L.D and rng.random() < 0.4:  # e.g. 虚开发票 found by an audit that year
            found = pick_day(rng, dt.date(year, 1, 1), dt.date(year, 12, 31)) or published
            grades.append(TaxGrade(year, _L.D, None, assigned_directly=True, assigned_on=found))
            continue
        grades.append(TaxGrade(year, letter, grade_score(rng, letter), assigned_on=published))
    return tuple(grades)


def _base_fen(subject: Subject) -> int:
    """The usual monthly tax, in fen."""
    if subject.kind is EntityType.ENTERPRISE:
        usual = max(800, int(subject.capital_yuan) // 500)  # 0.2 % of the capital
        return usual * _SCALE[subject.tier]
    return 600_00


def zero_months(subject: Subject, rng: random.Random, months: int) -> set[int]:
    """Which of the last ``months`` months (0 = oldest) are zero returns."""
    zeros: set[int] = set()
    if subject.kind is not EntityType.ENTERPRISE:
        zeros.update(m for m in range(months) if rng.random() < 0.3)
    if rng.random() < _ZERO_RUN_RATE[subject.tier]:
        for _ in range(rng.choice((1, 1, 2))):
            length = rng.choices((1, 2, 3, 4, 6, 9), weights=(30, 25, 20, 10, 10, 5))[0]
            start = rng.randrange(0, months - length + 1)
            zeros.update(range(start, start + length))
    return zeros


def payments(
    subject: Subject, rng: random.Random, zeros: set[int], months: int = 24
) -> tuple[TaxPayment, ...]:
    base = _base_fen(subject)
    rows = []
    for n, month in enumerate(last_months(subject.today, months)):
        if month < subject.established.replace(day=1) or (subject.ended and month > subject.ended):
            continue
        if n in zeros:
            rows.append(TaxPayment(month, fen(0), zero_return=True))
            continue
        amount = fen(base * (50 + int(rng.random() * 111)) // 100)
        rows.append(TaxPayment(month, amount, zero_return=False))
    return tuple(rows)


def tax_ledger(
    subject: Subject,
    rng: random.Random,
    national: tuple[CreditRecord, ...],
    policy: PublicityPolicy,
    *,
    with_payments: bool = True,
) -> TaxLedger | None:
    """None: not a taxpayer this bureau knows (persons, 事业单位, 社会组织, 农村集体).

    Grades are drawn before payments, so ``with_payments=False`` gives the same grades.
    """
    if subject.kind not in TAXPAYER_KINDS:
        return None
    grades = _grades(subject, rng, national, policy)
    if not with_payments:
        return TaxLedger(grades, ())
    return TaxLedger(grades, payments(subject, rng, zero_months(subject, rng, 24)))
