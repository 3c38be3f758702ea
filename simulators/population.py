"""Who lives in the synthetic world: organisations and persons, derived on demand from an index.

Organisations are numbered 0…n-1 by kind, enterprises first (so enterprise *i* is organisation
*i*); persons are numbered 0…m-1, where person *i* < n is the usual legal representative of
organisation *i* and the rest are individuals.  Nothing per subject is stored: a subject's
attributes come from its own seeded stream (:func:`~simulators.subject.subject_rng`), and its
code from the code spaces of :mod:`simulators.codes`, so a million subjects cost no memory
until asked for (a bounded cache keeps the recent ones).

Some enterprises share the legal representative of the enterprise before them (5 %): person
*p* represents organisation *p* and the run of sharing organisations after it.  The boundary
subjects' representatives are chosen individuals instead (:meth:`Population.pin`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import random
from dataclasses import dataclass
from decimal import Decimal

from credit.records import EntityType, OperatingStatus, Person, Registration
from simulators import names
from simulators.codes import OrgCodeSpace, PersonCodeSpace, uscc_from_body
from simulators.subject import ORGANISATION_KINDS, Subject, Tier, subject_rng

__all__ = ["Population"]

_DIVISION_WEIGHTS = (20, 14, 18, 12, 10, 6, 10, 10)  # Yinchuan's districts hold most firms
_PREFIXES = {
    EntityType.ENTERPRISE: ("91",),
    EntityType.INDIVIDUAL_BUSINESS: ("92",),
    EntityType.COOPERATIVE: ("93",),
    EntityType.PUBLIC_INSTITUTION: ("12",),
    EntityType.SOCIAL_ORGANISATION: ("51", "52"),  # 社会团体, 民办非企业单位
    EntityType.RURAL_COLLECTIVE: ("N2",),  # 村级集体经济组织
}
# kind -> (youngest, oldest) age in days; status weights (存续, 注销, 吊销); head count range
_AGES = {
    EntityType.ENTERPRISE: (90, 365 * 25),
    EntityType.INDIVIDUAL_BUSINESS: (30, 365 * 15),
    EntityType.COOPERATIVE: (200, 365 * 15),
    EntityType.PUBLIC_INSTITUTION: (365 * 5, 365 * 40),
    EntityType.SOCIAL_ORGANISATION: (365, 365 * 30),
    EntityType.RURAL_COLLECTIVE: (365, 365 * 8),
}
_STATUS = {
    EntityType.ENTERPRISE: (90, 7, 3),
    EntityType.INDIVIDUAL_BUSINESS: (85, 13, 2),
}
_HEADCOUNT = {
    EntityType.INDIVIDUAL_BUSINESS: (1, 4),
    EntityType.COOPERATIVE: (2, 15),
    EntityType.PUBLIC_INSTITUTION: (15, 300),
    EntityType.SOCIAL_ORGANISATION: (2, 20),
    EntityType.RURAL_COLLECTIVE: (2, 8),
}
_INDUSTRY_TEXT = {
    EntityType.INDIVIDUAL_BUSINESS: "零售业",
    EntityType.COOPERATIVE: "农业",
    EntityType.PUBLIC_INSTITUTION: "公共管理和社会组织",
    EntityType.SOCIAL_ORGANISATION: "社会组织",
    EntityType.RURAL_COLLECTIVE: "农业",
}
_CAPITAL_WAN = (10, 50, 100, 200, 300, 500, 1000, 2000, 5000)


def _mobile(rng: random.Random) -> str:
    """A mainland mobile number (1[3589] + 9 digits)."""
    return f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}"


@dataclass(frozen=True, slots=True)
class _Org:
    code: str
    kind: EntityType
    name: str
    division: str
    tier: Tier
    established: dt.date
    status: OperatingStatus
    ended: dt.date | None
    industry: names.Industry | None
    capital_yuan: Decimal
    headcount: int
    address: str
    phone: str


class Population:
    """Counts per kind, code ↔ index, and the derived attributes of every subject."""

    def __init__(
        self,
        seed: int,
        today: dt.date,
        counts: dict[EntityType, int],
        individuals: int,
        cache_size: int,
    ) -> None:
        self.seed, self.today = seed, today
        self.counts = {kind: counts.get(kind, 0) for kind in ORGANISATION_KINDS}
        self._starts: list[int] = []
        total = 0
        for kind in ORGANISATION_KINDS:
            self._starts.append(total)
            total += self.counts[kind]
        self.organisations = total
        self.persons = total + individuals
        self.org_codes = OrgCodeSpace(seed, self.organisations)
        self.person_codes = PersonCodeSpace(seed, self.persons)
        self.established_override: dict[int, dt.date] = {}
        self._rep_override: dict[int, int] = {}  # organisation -> person
        self._represents: dict[int, int] = {}  # person -> organisation (overrides only)
        self.org = functools.lru_cache(maxsize=cache_size)(self._derive_org)
        self.person = functools.lru_cache(maxsize=cache_size)(self._derive_person)

    # --- organisations ---------------------------------------------------------------------

    def kind_of(self, index: int) -> EntityType:
        return ORGANISATION_KINDS[bisect.bisect_right(self._starts, index) - 1]

    def range_of(self, kind: EntityType) -> range:
        start = self._starts[ORGANISATION_KINDS.index(kind)]
        return range(start, start + self.counts[kind])

    def org_index(self, code: str) -> int | None:
        if len(code) != 18:
            return None
        index = self.org_codes.index_of(code[8:16])
        return index if index is not None and self.org(index).code == code else None

    def _derive_org(self, index: int) -> _Org:
        rng = subject_rng(self.seed, "org", index)
        kind = self.kind_of(index)
        division = rng.choices(tuple(names.DIVISIONS), weights=_DIVISION_WEIGHTS)[0]
        prefix = rng.choice(_PREFIXES[kind])
        code = uscc_from_body(prefix, division, self.org_codes.body(index))
        tier = Tier.draw(rng)
        industry = rng.choice(names.INDUSTRIES) if kind is EntityType.ENTERPRISE else None
        if kind is EntityType.ENTERPRISE:
            assert industry is not None
            name = names.enterprise_name(rng, division, industry)
        elif kind is EntityType.INDIVIDUAL_BUSINESS:
            name = names.individual_business_name(rng, division, names.person_name(rng))
        elif kind is EntityType.COOPERATIVE:
            name = names.cooperative_name(rng, division)
        elif kind is EntityType.PUBLIC_INSTITUTION:
            name = names.public_institution_name(rng, division)
        elif kind is EntityType.SOCIAL_ORGANISATION:
            name = names.social_organisation_name(rng, division, non_profit=prefix == "52")
        else:
            name = names.rural_collective_name(rng, division)
        youngest, oldest = _AGES[kind]
        established = self.established_override.get(index) or self.today - dt.timedelta(
            days=rng.randrange(youngest, oldest)
        )
        alive, gone, revoked = _STATUS.get(kind, (98, 2, 0))
        if tier is Tier.BAD:
            revoked *= 5
        status = rng.choices(list(OperatingStatus), weights=(alive, gone, revoked))[0]
        ended = None
        latest = self.today - dt.timedelta(days=30)
        if index in self.established_override or established + dt.timedelta(days=180) > latest:
            status = OperatingStatus.ACTIVE
        elif status is not OperatingStatus.ACTIVE:
            span = (latest - established).days - 180
            ended = established + dt.timedelta(days=180 + rng.randint(0, span))
        if kind is EntityType.ENTERPRISE:
            capital = Decimal(rng.choice(_CAPITAL_WAN)) * 10_000
            headcount = min(500, 3 + int(capital / 200_000) + rng.randint(0, 10))
        else:
            capital = Decimal(rng.randrange(1, 500)) * 10_000
            headcount = rng.randint(*_HEADCOUNT[kind])
        phone = _mobile(rng)
        return _Org(
            code,
            kind,
            name,
            division,
            tier,
            established,
            status,
            ended,
            industry,
            capital,
            headcount,
            names.street_address(rng, division),
            phone,
        )

    def org_name(self, index: int) -> str:
        """The name alone, bypassing the cache (for full scans that should not evict it)."""
        return self._derive_org(index).name

    def registration(self, index: int) -> Registration:
        org = self.org(index)
        rep = self.person(self.rep_of(index))
        return Registration(
            uscc=org.code,
            name=org.name,
            entity_type=org.kind,
            status=org.status,
            established_on=org.established,
            registered_capital_yuan=org.capital_yuan,
            address=org.address,
            division_code=org.division,
            industry=org.industry.category if org.industry else _INDUSTRY_TEXT[org.kind],
            legal_rep_name=rep.name,
            legal_rep_id=rep.id_number,
            phone=org.phone,
            deregistered_on=org.ended if org.status is OperatingStatus.DEREGISTERED else None,
        )

    def org_subject(self, index: int) -> Subject:
        org = self.org(index)
        return Subject(
            index=index,
            code=org.code,
            serial=f"O{index:07d}",
            name=org.name,
            kind=org.kind,
            division=org.division,
            established=org.established,
            ended=org.ended,
            tier=org.tier,
            industry=org.industry,
            headcount=org.headcount,
            capital_yuan=org.capital_yuan,
            legal_rep_name=self.person(self.rep_of(index)).name,
            today=self.today,
        )

    # --- legal representatives ---------------------------------------------------------------

    def _shares_rep(self, index: int) -> bool:
        """Whether enterprise ``index`` has the legal representative of enterprise ``index-1``."""
        if index == 0 or index >= self.counts[EntityType.ENTERPRISE]:
            return False
        if index in self._rep_override or index - 1 in self._rep_override:
            return False
        return subject_rng(self.seed, "share", index).random() < 0.05

    def rep_of(self, index: int) -> int:
        """The person index of organisation ``index``'s legal representative."""
        if index in self._rep_override:
            return self._rep_override[index]
        while self._shares_rep(index):
            index -= 1
        return index

    def represented_by(self, person: int) -> list[int]:
        """Organisations whose legal representative person ``person`` is."""
        if person in self._represents:
            return [self._represents[person]]
        if person >= self.organisations or person in self._rep_override:
            return []
        found = [person]
        while self._shares_rep(found[-1] + 1):
            found.append(found[-1] + 1)
        return found

    def pin(self, org: int, *, established: dt.date, rep: int) -> None:
        """Fix a boundary organisation: founded on ``established``, active, run by ``rep``.

        ``rep`` must be an individual nobody else has; call before the world is served.
        """
        if rep < self.organisations or rep in self._represents:
            raise ValueError("only an unassigned individual can be pinned as representative")
        self.established_override[org] = established
        self._rep_override[org] = rep
        self._represents[rep] = org
        self.org.cache_clear()

    # --- persons -----------------------------------------------------------------------------

    def person_index(self, code: str) -> int | None:
        return self.person_codes.index_of(code)

    def _derive_person(self, index: int) -> Person:
        code = self.person_codes.code(index)
        rng = subject_rng(self.seed, "person", index)
        born = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
        # its own stream: the phone leaves every other attribute of the world as it was
        phone = _mobile(subject_rng(self.seed, "person_phone", index))
        return Person(code, names.person_name(rng), born, int(code[16]) % 2 == 1, code[:6], phone)

    def person_tier(self, index: int) -> Tier:
        """Own standing, but never better than the organisation the person usually runs."""
        tier = Tier.draw(subject_rng(self.seed, "person_tier", index))
        if index < self.organisations and index not in self._rep_override:
            tier = max(tier, self.org(index).tier)
        return tier

    def person_subject(self, index: int) -> Subject:
        person = self.person(index)
        adult = person.birth_date.replace(year=person.birth_date.year + 18, day=1)
        return Subject(
            index=index,
            code=person.id_number,
            serial=f"P{index:07d}",
            name=person.name,
            kind=None,
            division=person.division_code,
            established=adult,
            ended=None,
            tier=self.person_tier(index),
            industry=None,
            headcount=0,
            capital_yuan=Decimal(0),
            legal_rep_name=person.name,
            today=self.today,
        )
