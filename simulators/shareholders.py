"""Natural-person shareholders of enterprises (91): who holds the registered capital.

The legal representative holds the largest share; up to two other persons, anyone in the
world, hold the rest.  Derived on demand from (seed, enterprise index) like everything else.
Other kinds of organisation (individual businesses, cooperatives, institutions, associations,
collectives) have no shareholders here.
"""

from __future__ import annotations

from decimal import Decimal

from credit.records import EntityType, Shareholding
from simulators.population import Population
from simulators.subject import subject_rng

__all__ = ["Shareholding", "shareholders"]


def shareholders(population: Population, index: int) -> tuple[Shareholding, ...]:
    if population.kind_of(index) is not EntityType.ENTERPRISE:
        return ()
    rng = subject_rng(population.seed, "shareholders", index)
    rep = population.rep_of(index)
    others = list(
        dict.fromkeys(rng.randrange(population.persons) for _ in range(rng.choice((0, 1, 1, 2))))
    )
    holders = [rep, *(p for p in others if p != rep)]
    hundredths = [10_000]  # basis points of 0.01 %
    if len(holders) > 1:
        major = rng.randint(5_100, 9_000)
        rest = 10_000 - major
        cut = rng.randint(1, rest - 1) if len(holders) == 3 else rest
        hundredths = [major, cut, rest - cut][: len(holders)]
    capital = population.org(index).capital_yuan
    return tuple(
        Shareholding(
            person_id=population.person(p).id_number,
            name=population.person(p).name,
            share_percent=Decimal(h).scaleb(-2),
            subscribed_yuan=(capital * h / 10_000).quantize(Decimal("0.01")),
        )
        for p, h in zip(holders, hundredths, strict=True)
    )
