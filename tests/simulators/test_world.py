"""The synthetic world: deterministic, valid codes, consistent subjects, plausible rates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter

import pytest

from credit.identifiers import validate_citizen_id, validate_uscc
from credit.policy import PublicityPolicy
from credit.publicity import publicity_window
from credit.records import EntityType, OperatingStatus, RecordKind, TaxGradeLetter
from simulators.names import DIVISIONS
from simulators.world import World, WorldConfig, make_uscc

SMALL = WorldConfig(seed=11, enterprises=200)
PREFIXES = {
    EntityType.ENTERPRISE: {"91"},
    EntityType.INDIVIDUAL_BUSINESS: {"92"},
    EntityType.COOPERATIVE: {"93"},
    EntityType.PUBLIC_INSTITUTION: {"12"},
    EntityType.SOCIAL_ORGANISATION: {"51", "52"},
    EntityType.RURAL_COLLECTIVE: {"N2"},
}


def _snapshot(world: World) -> list[object]:
    return [(world.registrations[c], world.facts(c)) for c in world.registrations] + [
        (world.persons[p], world.facts(p)) for p in world.persons
    ]


def test_same_seed_gives_the_same_world() -> None:
    assert _snapshot(World.generate(SMALL)) == _snapshot(World.generate(SMALL))
    assert World.generate(SMALL).boundary == World.generate(SMALL).boundary


def test_another_seed_gives_another_world() -> None:
    other = World.generate(dataclasses.replace(SMALL, seed=12))
    world = World.generate(SMALL)
    assert set(world.registrations).isdisjoint(other.registrations)
    assert set(world.persons).isdisjoint(other.persons)


def test_counts_per_kind_follow_the_config(world: World) -> None:
    expected = world.config.counts()
    kinds = Counter(world.registrations[c].entity_type for c in world.registrations)
    assert kinds == Counter({k: n for k, n in expected.items() if n})
    assert len(world.registrations) == sum(expected.values())
    assert len(world.persons) == len(world.registrations) + world.config.individual_count()


def test_every_code_is_valid_unique_and_found_again(world: World) -> None:
    codes = list(world.registrations)
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert validate_uscc(code) == code
        reg = world.registrations[code]
        assert reg.uscc == code
        assert code[:2] in PREFIXES[reg.entity_type]
        assert code[2:8] == reg.division_code in DIVISIONS
        assert world.kind_of(code) is reg.entity_type
    people = list(world.persons)
    assert len(set(people)) == len(people)
    for id_number in people:
        assert validate_citizen_id(id_number, today=world.config.today) == id_number
        person = world.persons[id_number]
        assert person.id_number == id_number
        assert person.male == (int(id_number[16]) % 2 == 1)
        assert 18 <= (world.config.today - person.birth_date).days // 365 <= 80


def test_unknown_codes_are_not_subjects(world: World) -> None:
    rng = random.Random(5)
    for _ in range(200):
        stranger = make_uscc(rng, "91", "640104")
        assert stranger not in world.registrations
        assert world.facts(stranger) is None
    with pytest.raises(KeyError):
        world.registrations["91640104MA00000000"]
    assert "not-a-code" not in world.persons


def test_legal_representatives_are_persons_of_the_world(world: World) -> None:
    for code in world.registrations:
        reg = world.registrations[code]
        person = world.persons[reg.legal_rep_id]
        assert person.name == reg.legal_rep_name
        assert code in world.represented_by(reg.legal_rep_id)
    shared = Counter(world.registrations[c].legal_rep_id for c in world.registrations)
    assert any(n > 1 for n in shared.values()), "some people run several firms"


def test_registrations_are_plausible(world: World) -> None:
    today = world.config.today
    for code in world.registrations:
        reg = world.registrations[code]
        assert reg.established_on < today
        assert reg.name
        assert reg.address.startswith("宁夏回族自治区")
        assert reg.registered_capital_yuan > 0
        if reg.status is OperatingStatus.DEREGISTERED:
            assert reg.deregistered_on is not None
            assert reg.established_on < reg.deregistered_on < today
        else:
            assert reg.deregistered_on is None


def test_records_are_consistent(world: World) -> None:
    today, policy = world.config.today, world.config.policy
    for code in [*world.registrations, *world.persons]:
        facts = world.facts(code)
        assert facts is not None
        records = facts.records()
        assert len({r.id for r in records}) == len(records)
        for record in records:
            assert record.subject_code == code
            assert record.decided_on <= today
            start = record.publish_from or record.decided_on
            if record.kind is not RecordKind.PERMIT and record.kind is not RecordKind.EVALUATION:
                assert start <= today
            if record.ended_on is not None and record.kind is not RecordKind.COMMITMENT:
                assert record.ended_on >= start
            if record.kind in {RecordKind.ADMIN_PENALTY, RecordKind.MARKET_PENALTY}:
                window = publicity_window(record, policy)
                assert record.declared_publicity_until == window.max_until
                assert record.details["CF_WSH"].endswith("号")
            if record.kind is RecordKind.JUDGMENT_DEFAULTER:
                assert record.defaulter_ground in range(1, 7)
                assert record.title.startswith(f"({int(record.details['filed_on'][:4])})宁")
        if facts.tax is not None:
            for grade in facts.tax.grades:
                assert (grade.score is None) == grade.assigned_directly
                assert grade.assigned_directly <= (grade.grade is TaxGradeLetter.D)
            assert len(facts.tax.payments) <= 24


def test_rates_are_roughly_plausible() -> None:
    world = World.generate(WorldConfig(seed=99, enterprises=3000))
    enterprises = list(world.organisation_codes(EntityType.ENTERPRISE))
    having: Counter[RecordKind] = Counter()
    latest: Counter[TaxGradeLetter] = Counter()
    status: Counter[OperatingStatus] = Counter()
    zero_run = 0
    for code in enterprises:
        facts = world.facts(code)
        assert facts is not None
        having.update(facts.kinds())
        status[world.registrations[code].status] += 1
        assert facts.tax is not None
        if facts.tax.grades:
            latest[facts.tax.grades[-1].grade] += 1
        flags = [p.zero_return for p in facts.tax.payments]
        zero_run += any(all(flags[i : i + 3]) for i in range(len(flags) - 2))
    n = len(enterprises)

    def share(count: int) -> float:
        return count / n

    assert 0.01 <= share(having[RecordKind.JUDGMENT_DEFAULTER]) <= 0.05
    assert share(having[RecordKind.MARKET_PENALTY] + having[RecordKind.ADMIN_PENALTY]) >= 0.05
    assert share(having[RecordKind.MARKET_PENALTY]) <= 0.15
    assert 0.03 <= share(having[RecordKind.ABNORMAL_OPERATION]) <= 0.12
    assert 0.005 <= share(having[RecordKind.SERIOUS_DISHONESTY]) <= 0.03
    assert 0.3 <= share(having[RecordKind.PERMIT]) <= 0.9
    assert 0.85 <= share(status[OperatingStatus.ACTIVE]) <= 0.95
    graded = sum(latest.values())
    assert 0.15 <= latest[TaxGradeLetter.A] / graded <= 0.5
    assert 0.4 <= latest[TaxGradeLetter.B] / graded <= 0.7
    assert latest[TaxGradeLetter.D] / graded <= 0.1
    assert 0.02 <= share(zero_run) <= 0.15


def test_a_million_enterprises_are_served_without_materialising_them() -> None:
    world = World.generate(WorldConfig(seed=3, enterprises=1_000_000, cache_size=100))
    assert len(world.registrations) > 1_000_000
    code = world.population.org(987_654).code
    assert world.registrations[code].uscc == code
    facts = world.facts(code)
    assert facts is not None
    assert facts.code == code
    assert world.population.org.cache_info().currsize <= 100


def test_the_policy_is_the_worlds(world: World) -> None:
    assert world.config.policy == PublicityPolicy()
    assert world.config.today == dt.date(2026, 11, 22)


def test_records_without_ledgers_are_the_same_records(world: World) -> None:
    for code in world.registrations:
        full, light = world.facts(code), world.records(code)
        assert full is not None
        assert light is not None
        assert light.records() == full.records()
        assert (light.tax is None) == (full.tax is None)
        if full.tax is not None and light.tax is not None:
            assert light.tax.grades == full.tax.grades


def test_enterprises_have_natural_person_shareholders(world: World) -> None:
    for code in world.organisation_codes(EntityType.ENTERPRISE):
        holders = world.shareholders(code)
        assert 1 <= len(holders) <= 3
        assert holders[0].person_id == world.registrations[code].legal_rep_id
        assert sum(h.share_percent for h in holders) == 100
        assert holders[0].share_percent == max(h.share_percent for h in holders)
        assert len({h.person_id for h in holders}) == len(holders)
    cooperative = next(world.organisation_codes(EntityType.COOPERATIVE))
    assert world.shareholders(cooperative) == ()
