"""The synthetic credit world: deterministic (same seed → same world), valid codes throughout.

    world = World.generate(WorldConfig(seed=7, enterprises=5000))
    world.registrations["91640104MA…"].name          # any organisation's registration
    world.persons["640104198…"].name                  # any person (legal rep, individual)
    world.facts(code).penalties                       # what every bureau holds about a subject
    world.boundary["penalty_publicity_ends_tomorrow"] # a subject placed on a rule's edge

Subjects: ``enterprises`` enterprises (91) and, by default in proportion, individual businesses
(92), cooperatives (93), public institutions (12), social organisations (51/52) and rural
collectives (N2); persons are the legal representatives plus ``individuals`` more.  Nothing is
materialised up front: registrations and facts are derived on demand from (seed, index) and kept
in bounded caches (``cache_size``, ``facts_cache_size``), so a million enterprises cost
milliseconds and megabytes, not minutes and gigabytes.
:mod:`simulators.facts` says which bureau knows whom; :mod:`simulators.boundary` lists the
boundary subjects.

Everything here is invented: names come from word lists, codes carry valid check characters,
and no real person or firm is meant.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from credit.policy import PublicityPolicy
from credit.records import EntityType, Person, Registration
from simulators import boundary
from simulators.codes import make_citizen_id, make_uscc
from simulators.facts import SubjectFacts, derive_facts
from simulators.names import DIVISIONS
from simulators.population import Population
from simulators.rights import Amendments
from simulators.shareholders import Shareholding, shareholders
from simulators.subject import subject_rng

__all__ = ["DIVISIONS", "World", "WorldConfig", "make_citizen_id", "make_uscc"]

_MIN_ENTERPRISES = 50  # room for every boundary subject among ordinary ones


@dataclass(frozen=True, slots=True)
class WorldConfig:
    """How big a world, from which seed, seen on which day.  ``None`` counts scale with
    ``enterprises``: individual businesses 1/5, cooperatives 1/50, public institutions, social
    organisations and rural collectives 1/100 each, individuals 1/5 (at least 100)."""

    seed: int = 20260401
    enterprises: int = 5000
    today: dt.date = dt.date(2026, 11, 22)
    individual_businesses: int | None = None
    cooperatives: int | None = None
    public_institutions: int | None = None
    social_organisations: int | None = None
    rural_collectives: int | None = None
    individuals: int | None = None
    cache_size: int = 50_000  # organisations and persons (~1 KiB each)
    facts_cache_size: int = 4_096  # subjects' facts (~20 KiB each: the monthly ledgers)
    policy: PublicityPolicy = field(default_factory=PublicityPolicy)

    def counts(self) -> dict[EntityType, int]:
        n = self.enterprises

        def pick(value: int | None, share: int) -> int:
            return n // share if value is None else value

        return {
            EntityType.ENTERPRISE: n,
            EntityType.INDIVIDUAL_BUSINESS: pick(self.individual_businesses, 5),
            EntityType.COOPERATIVE: pick(self.cooperatives, 50),
            EntityType.PUBLIC_INSTITUTION: pick(self.public_institutions, 100),
            EntityType.SOCIAL_ORGANISATION: pick(self.social_organisations, 100),
            EntityType.RURAL_COLLECTIVE: pick(self.rural_collectives, 100),
        }

    def individual_count(self) -> int:
        return max(100, self.enterprises // 5) if self.individuals is None else self.individuals


class Registrations(Mapping[str, Registration]):
    """USCC → registration, for every organisation, derived on demand (index order)."""

    def __init__(self, population: Population) -> None:
        self._population = population

    def __getitem__(self, code: str) -> Registration:
        index = self._population.org_index(code)
        if index is None:
            raise KeyError("unknown organisation")  # never the code: it may be an ID number
        return self._population.registration(index)

    def __iter__(self) -> Iterator[str]:
        return (self._population.org(i).code for i in range(self._population.organisations))

    def __len__(self) -> int:
        return self._population.organisations

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self._population.org_index(code) is not None


class Persons(Mapping[str, Person]):
    """ID number → person, for every person, derived on demand (index order)."""

    def __init__(self, population: Population) -> None:
        self._population = population

    def __getitem__(self, code: str) -> Person:
        index = self._population.person_index(code)
        if index is None:
            raise KeyError("unknown person")  # never the ID number itself
        return self._population.person(index)

    def __iter__(self) -> Iterator[str]:
        return (self._population.person_codes.code(i) for i in range(self._population.persons))

    def __len__(self) -> int:
        return self._population.persons

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self._population.person_index(code) is not None


class World:
    """All subjects and the facts each bureau holds about them.  Build with :meth:`generate`."""

    def __init__(self, config: WorldConfig, population: Population) -> None:
        self.config = config
        self.population = population
        self.registrations = Registrations(population)
        self.persons = Persons(population)
        self.boundary: dict[str, str] = {}
        self._boundary_orgs: dict[int, str] = {}
        self._boundary_persons: dict[int, str] = {}
        self._org_facts = functools.lru_cache(maxsize=config.facts_cache_size)(self._derive_org)
        self._person_facts = functools.lru_cache(maxsize=config.facts_cache_size)(
            self._derive_person
        )
        # Decisions the bureaus received (objections upheld, repairs accepted): every later
        # answer serves the changed record (simulators.rights).
        self.amendments = Amendments()

    @classmethod
    def generate(cls, config: WorldConfig | None = None) -> World:
        config = config or WorldConfig()
        if config.enterprises < _MIN_ENTERPRISES:
            raise ValueError(f"a world needs at least {_MIN_ENTERPRISES} enterprises")
        population = Population(
            config.seed,
            config.today,
            config.counts(),
            config.individual_count(),
            config.cache_size,
        )
        world = cls(config, population)
        world._place_boundary()
        return world

    def _place_boundary(self) -> None:
        population, today = self.population, self.config.today
        rng = subject_rng(self.config.seed, "boundary", population.persons + 1)
        cases = list(boundary.ENTERPRISE_CASES)
        orgs = rng.sample(range(self.config.enterprises), len(cases))
        individuals = range(population.organisations, population.persons)
        start = rng.randrange(len(individuals))

        def ordered() -> Iterator[int]:
            return (individuals[(start + k) % len(individuals)] for k in range(len(individuals)))

        def age(person: int) -> int:
            return (today - population.person(person).birth_date).days // 365

        # Lazily: a million-person world must not look at every individual.
        reps = list(itertools.islice((p for p in ordered() if 30 <= age(p) <= 55), len(cases)))
        fallback = (p for p in ordered() if p not in reps)
        reps += itertools.islice(fallback, len(cases) - len(reps))
        for case, org, rep in zip(cases, orgs, reps, strict=True):
            population.pin(org, established=boundary.established_on(case, today), rep=rep)
            self._boundary_orgs[org] = case
            self._boundary_persons[rep] = case
            self.boundary[case] = population.org(org).code
            if case == "legal_rep_is_defaulter":
                self.boundary[boundary.PERSON_CASE] = population.person(rep).id_number

    # --- facts -------------------------------------------------------------------------------

    def facts(self, code: str) -> SubjectFacts | None:
        """Everything known about ``code`` (a USCC or an ID number); None: not in this world."""
        index = self.population.org_index(code)
        if index is not None:
            return self.amendments.apply(self._org_facts(index))
        index = self.population.person_index(code)
        return self.amendments.apply(self._person_facts(index)) if index is not None else None

    def records(self, code: str) -> SubjectFacts | None:
        """Like :meth:`facts` without the monthly ledgers (tax paid, social insurance,
        utilities: ``()``/None), several times cheaper and not cached — for full sweeps such as
        seeding the platform tables.  Every record is the same as in :meth:`facts`."""
        index = self.population.org_index(code)
        if index is None or index in self._boundary_orgs:
            return self.facts(code)
        subject = self.population.org_subject(index)
        facts = derive_facts(subject, self.config.seed, self.config.policy, ledgers=False)
        return self.amendments.apply(facts)

    def _derive_org(self, index: int) -> SubjectFacts:
        subject = self.population.org_subject(index)
        case = self._boundary_orgs.get(index)
        if case is not None:
            return boundary.build(case, subject, self.config.seed, self.config.policy)
        return derive_facts(subject, self.config.seed, self.config.policy)

    def _derive_person(self, index: int) -> SubjectFacts:
        subject = self.population.person_subject(index)
        case = self._boundary_persons.get(index)
        if case is not None:
            return boundary.build_person(case, subject)
        return derive_facts(subject, self.config.seed, self.config.policy)

    # --- who is who --------------------------------------------------------------------------

    def organisation_codes(self, kind: EntityType | None = None) -> Iterator[str]:
        """USCCs in index order, of one kind or all."""
        indices = (
            range(self.population.organisations) if kind is None else self.population.range_of(kind)
        )
        return (self.population.org(i).code for i in indices)

    def kind_of(self, code: str) -> EntityType | None:
        """The organisation kind of a USCC in this world (None: not one of ours)."""
        index = self.population.org_index(code)
        return None if index is None else self.population.kind_of(index)

    def represented_by(self, id_number: str) -> list[str]:
        """USCCs of the organisations whose legal representative this person is."""
        index = self.population.person_index(id_number)
        if index is None:
            return []
        return [self.population.org(i).code for i in self.population.represented_by(index)]

    def shareholders(self, code: str) -> tuple[Shareholding, ...]:
        """Natural-person shareholders of an enterprise (empty for other kinds, unknown codes)."""
        index = self.population.org_index(code)
        return () if index is None else shareholders(self.population, index)

    def search(self, name_part: str) -> Iterator[Registration]:
        """Organisations whose name contains ``name_part``, in index order (a full scan)."""
        population = self.population
        for index in range(population.organisations):
            if name_part in population.org_name(index):
                yield population.registration(index)
