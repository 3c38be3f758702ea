"""Monthly ledgers: social insurance and housing fund (hrss), water/electricity/gas (utilities).

Both cover the 24 whole months before ``today``'s month, from the month the organisation was
established and up to the month it ended.  Amounts are what was due and paid that month;
``arrears_yuan`` is the part of that month's amount left unpaid (not a running total).

* Social insurance: due ≈ head count × contribution base × 35 % (employer and employee shares);
  housing fund (where the unit pays it) ≈ head count × base × 24 %.  Units in trouble skip
  months, which become arrears.
* Utilities: water and electricity for every organisation, gas for some (most restaurants);
  electricity peaks in summer, gas in winter.  Units in trouble leave some bills unpaid.
"""

from __future__ import annotations

import datetime as dt
import random

from credit.records import EntityType, SocialInsuranceMonth, UtilityBill, UtilityKind
from simulators.subject import Subject, Tier, fen, last_months

__all__ = ["LEDGER_MONTHS", "social_insurance", "utility_bills"]

LEDGER_MONTHS = 24
_ARREARS_RATE = {Tier.GOOD: 0.0, Tier.FAIR: 0.03, Tier.POOR: 0.3, Tier.BAD: 0.7}
_UTILITY_ARREARS_RATE = {Tier.GOOD: 0.0, Tier.FAIR: 0.02, Tier.POOR: 0.2, Tier.BAD: 0.5}
_HOUSING_FUND_RATE = {Tier.GOOD: 0.7, Tier.FAIR: 0.5, Tier.POOR: 0.3, Tier.BAD: 0.2}
_HEAVY_INDUSTRY = {"化工", "矿业", "能源", "机械制造", "食品", "酒业", "医药"}


def _months(subject: Subject) -> list[dt.date]:
    first = subject.established.replace(day=1)
    return [
        m
        for m in last_months(subject.today, LEDGER_MONTHS)
        if m >= first and not (subject.ended and m > subject.ended)
    ]


def _unpaid_months(rng: random.Random, count: int, rate: float) -> set[int]:
    if count == 0 or rng.random() >= rate:
        return set()
    length = min(count, rng.choice((1, 2, 3, 6)))
    start = rng.randrange(0, count - length + 1)
    return set(range(start, start + length))


def social_insurance(
    subject: Subject, rng: random.Random
) -> tuple[SocialInsuranceMonth, ...] | None:
    """None: the unit has no social-insurance account (persons, most sole traders)."""
    if subject.is_person or subject.headcount == 0:
        return None
    if subject.kind is EntityType.INDIVIDUAL_BUSINESS and rng.random() >= 0.35:
        return None
    months = _months(subject)
    base = rng.randrange(4_500, 8_000, 100)  # monthly contribution base per head, yuan
    pays_fund = subject.kind is EntityType.PUBLIC_INSTITUTION or (
        rng.random() < _HOUSING_FUND_RATE[subject.tier]
    )
    unpaid = _unpaid_months(rng, len(months), _ARREARS_RATE[subject.tier])
    rows = []
    headcount = subject.headcount
    zero = fen(0)
    for n, month in enumerate(months):
        drift = rng.random()  # staff change by one now and then (random() is cheap here)
        headcount = max(1, headcount - (drift < 1 / 6) + (drift > 5 / 6))
        due_si = headcount * base * 35  # fen: 35 % of the base
        due_hf = headcount * base * 24 if pays_fund else 0
        if n in unpaid:
            paid_si = 0 if rng.random() < 0.6 else due_si // 2
            arrears = fen(due_si + due_hf - paid_si)
            rows.append(SocialInsuranceMonth(month, headcount, fen(paid_si), zero, arrears))
        else:
            rows.append(SocialInsuranceMonth(month, headcount, fen(due_si), fen(due_hf)))
    return tuple(rows)


def _seasonal(kind: UtilityKind, month: int) -> int:
    """Percentage of the usual bill in this calendar month."""
    if kind is UtilityKind.ELECTRICITY and month in (6, 7, 8):
        return 130
    if kind is UtilityKind.GAS:
        return 220 if month in (11, 12, 1, 2, 3) else 60
    return 100


def utility_bills(subject: Subject, rng: random.Random) -> tuple[UtilityBill, ...] | None:
    """None: persons (the utilities bureau serves organisations' accounts only)."""
    if subject.is_person:
        return None
    heavy = subject.industry is not None and subject.industry.word in _HEAVY_INDUSTRY
    restaurant = subject.industry is not None and subject.industry.word == "餐饮管理"
    usual = {  # yuan per month
        UtilityKind.WATER: 80 + 25 * subject.headcount,
        UtilityKind.ELECTRICITY: (600 if heavy else 120) * max(1, subject.headcount),
    }
    if rng.random() < (0.9 if restaurant else 0.35):
        usual[UtilityKind.GAS] = 300 + 40 * subject.headcount
    months = _months(subject)
    unpaid = _unpaid_months(rng, len(months), _UTILITY_ARREARS_RATE[subject.tier])
    bills = []
    zero = fen(0)
    random = rng.random  # ±15 % around the usual bill; the hot loop of the world
    for n, month in enumerate(months):
        for kind, amount in usual.items():
            due = fen(amount * _seasonal(kind, month.month) * (85 + int(random() * 31)) // 100)
            arrears = due if n in unpaid and kind is not UtilityKind.WATER else zero
            bills.append(UtilityBill(month, kind, due, arrears))
    return tuple(bills)
