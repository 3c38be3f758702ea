"""Each boundary subject sits exactly on its boundary, judged by credit.publicity itself."""

from __future__ import annotations

import datetime as dt

import pytest

from credit.calendar import add_months, add_years
from credit.identifiers import validate_uscc
from credit.publicity import escalation, publicity_window, visible_to_public
from credit.records import (
    KIND_TRAITS,
    CreditRecord,
    OperatingStatus,
    Performance,
    Polarity,
    RecordKind,
    RepairStatus,
    Severity,
    Source,
    TaxGradeLetter,
)
from credit.regimes import Anchor
from simulators.boundary import ENTERPRISE_CASES, PERSON_CASE
from simulators.facts import SubjectFacts
from simulators.national_facts import MAJOR_TAX_LIST
from simulators.world import World

DAY = dt.timedelta(days=1)


def _facts(world: World, case: str) -> SubjectFacts:
    facts = world.facts(world.boundary[case])
    assert facts is not None
    return facts


def _only(records: tuple[CreditRecord, ...]) -> CreditRecord:
    [record] = records
    return record


def _negatives(facts: SubjectFacts) -> list[CreditRecord]:
    return [r for r in facts.records() if r.kind.polarity is Polarity.NEGATIVE]


def test_every_case_is_an_active_enterprise_with_a_grown_up_representative(world: World) -> None:
    assert set(world.boundary) == {*ENTERPRISE_CASES, PERSON_CASE}
    codes = [world.boundary[case] for case in ENTERPRISE_CASES]
    assert len(set(codes)) == len(codes)
    for code in codes:
        reg = world.registrations[code]
        assert reg.status is OperatingStatus.ACTIVE
        age = (world.config.today - world.persons[reg.legal_rep_id].birth_date).days // 365
        assert 30 <= age <= 55


def test_penalty_listed_yesterday(world: World) -> None:
    today = world.config.today
    record = _only(_facts(world, "penalty_listed_yesterday").penalties)
    assert record.publish_from == today - DAY
    assert visible_to_public(record, today, world.config.policy)
    assert not visible_to_public(record, today - 2 * DAY, world.config.policy)


@pytest.mark.parametrize(
    ("case", "last_day", "kind"),
    [
        ("penalty_publicity_ends_tomorrow", 1, RecordKind.ADMIN_PENALTY),
        ("penalty_publicity_ended_yesterday", -1, RecordKind.ADMIN_PENALTY),
        ("market_minor_ends_tomorrow", 1, RecordKind.MARKET_PENALTY),
    ],
)
def test_publicity_ends_on_the_edge(world: World, case: str, last_day: int, kind: str) -> None:
    policy, today = world.config.policy, world.config.today
    record = _only(_facts(world, case).penalties)
    end = today + last_day * DAY
    assert record.kind is kind
    assert publicity_window(record, policy).visible_until == end
    assert record.declared_publicity_until == end
    assert visible_to_public(record, end, policy)
    assert not visible_to_public(record, end + DAY, policy)
    # Changed with the dated regimes (issue 11): the months and the day they count from are
    # the regime's in force on the decision date (Order 107 / Order 36: from the decision).
    regime = publicity_window(record, policy).regime
    assert regime is not None
    counted_from = record.decided_on
    if regime.counted_from is Anchor.PUBLICATION:
        counted_from = record.publish_from or record.decided_on
    if kind is RecordKind.MARKET_PENALTY:
        assert record.minor_sanction
        assert record.sanctions == ("罚款",)  # a warning alone would never be published
        assert end == add_months(counted_from, regime.minor_max_months)
    else:
        assert record.severity is Severity.GENERAL
        assert end == add_months(counted_from, regime.general_max_months)


def test_penalty_repaired(world: World) -> None:
    policy, today = world.config.policy, world.config.today
    facts = _facts(world, "penalty_repaired")
    record = _only(facts.penalties)
    window = publicity_window(record, policy)
    assert record.severity is Severity.SERIOUS
    assert record.repair_status is RepairStatus.REPAIRED
    assert record.repaired_on is not None
    assert window.repairable_from is not None
    assert window.repairable_from <= record.repaired_on < today
    assert window.max_until is not None
    assert window.max_until > today
    assert not visible_to_public(record, today, policy)
    assert visible_to_public(record, record.repaired_on - DAY, policy)
    [pledge] = [c for c in facts.commitments if c.details.get("related_record_id") == record.id]
    assert pledge.title == "信用修复型"


def test_tax_d_assigned_directly(world: World) -> None:
    facts = _facts(world, "tax_d_direct")
    assert facts.tax is not None
    latest = facts.tax.grades[-1]
    assert latest.year == world.config.today.year - 1
    assert latest.grade is TaxGradeLetter.D
    assert latest.assigned_directly
    assert latest.score is None
    assert _only(facts.national).list_name == MAJOR_TAX_LIST


def test_defaulter_performed_two_working_days_ago(world: World) -> None:
    policy, today = world.config.policy, world.config.today
    record = _only(_facts(world, "defaulter_performed_2_working_days").court)
    assert record.ended_on is not None
    calendar = policy.working_calendar()
    between = [
        record.ended_on + n * DAY
        for n in range((today - record.ended_on).days)
        if calendar.is_working_day(record.ended_on + n * DAY)
    ]
    assert len(between) == 2
    assert calendar.is_working_day(record.ended_on)
    assert record.defaulter_ground == 2
    # Changed in issue 11: a ground-2 listing has a term, and performing early does not end it
    # (最高法2017年规定 第十条第二款): listed past the 3 working days after performance, until
    # 3 working days after the term ends
    assert visible_to_public(record, today, policy)
    deadline = calendar.add_working_days(record.ended_on, policy.defaulter_removal_working_days)
    assert visible_to_public(record, deadline + DAY, policy)
    window = publicity_window(record, policy)
    assert window.max_until is not None
    term_end = calendar.add_working_days(window.max_until, policy.defaulter_removal_working_days)
    assert window.visible_until == term_end
    # Added with the report's fields (issue 11): the court prints 全部履行 once performed, and
    # the case number and executing court the list carries
    assert record.performance is Performance.FULL
    assert record.case_number == record.title
    assert record.executing_court == record.authority


def test_ground_one_defaulter_stays_until_performed(world: World) -> None:
    policy, today = world.config.policy, world.config.today
    facts = _facts(world, "defaulter_ground1_unperformed")
    record = next(r for r in facts.court if r.kind is RecordKind.JUDGMENT_DEFAULTER)
    assert record.defaulter_ground == 1
    assert record.ended_on is None
    assert record.decided_on == add_years(today, -3)
    assert visible_to_public(record, today, policy)
    # Added with the report's fields (issue 11): unperformed, this entry is one of the third the
    # simulator serves as 部分履行 (chosen by its id); partly performing does not end a listing
    assert record.performance is Performance.PARTIAL


def test_abnormal_listing_three_years_old(world: World) -> None:
    policy, today = world.config.policy, world.config.today
    record = _only(_facts(world, "abnormal_listed_3_years_ago").abnormal)
    assert record.publish_from == add_years(today, -3)
    assert record.ended_on is None
    escalated = escalation(record, policy)
    assert escalated is not None
    assert escalated.due_on == today + DAY  # 将被列入 from tomorrow, not listed (issue 11)
    assert not _facts(world, "abnormal_listed_3_years_ago").serious_violations


def test_zero_return_run_of_exactly_three(world: World) -> None:
    facts = _facts(world, "zero_return_run_3")
    assert facts.tax is not None
    flags = [p.zero_return for p in facts.tax.payments]
    assert flags[-3:] == [True, True, True]
    assert sum(flags) == 3
    assert facts.tax.payments[-1].month == add_months(world.config.today.replace(day=1), -1)
    assert all(p.amount_yuan > 0 for p in facts.tax.payments[:-3])


def test_every_kind(world: World) -> None:
    facts = _facts(world, "every_kind")
    # every kind of the world's own bureaus; those the added bureaus declare come from them
    assert facts.kinds() == {k for k in RecordKind.members() if k not in KIND_TRAITS}
    # Added with the report's fields (issue 11): every bureau record names its deciding
    # authority's 统一社会信用代码 (a state organ: 11…); the platform's own records do not
    for record in facts.records():
        if record.source is Source.PLATFORM:
            assert record.authority_code == ""
        else:
            assert validate_uscc(record.authority_code).startswith("11"), record.id
    assert facts.tax
    assert facts.tax.grades
    assert facts.tax.payments
    assert facts.social_insurance
    assert facts.utilities


def test_clean_a_grade(world: World) -> None:
    code = world.boundary["clean_a_grade"]
    facts = _facts(world, "clean_a_grade")
    assert not _negatives(facts)
    assert facts.tax is not None
    assert {g.grade for g in facts.tax.grades} == {TaxGradeLetter.A}
    assert all(not p.zero_return for p in facts.tax.payments)
    assert facts.social_insurance
    assert all(m.arrears_yuan == 0 for m in facts.social_insurance)
    assert facts.utilities
    assert all(b.arrears_yuan == 0 for b in facts.utilities)
    assert any(
        r.list_name == "A级纳税人" and visible_to_public(r, world.config.today, world.config.policy)
        for r in facts.red_lists
    )
    rep = world.facts(world.registrations[code].legal_rep_id)
    assert rep is not None
    assert not rep.court


def test_young_enterprise(world: World) -> None:
    reg = world.registrations[world.boundary["young_enterprise"]]
    assert reg.established_on == add_months(world.config.today, -11)
    facts = _facts(world, "young_enterprise")
    assert facts.tax is not None
    assert {g.grade for g in facts.tax.grades} <= {TaxGradeLetter.M}
    assert len(facts.tax.payments) == 11


def test_legal_representative_is_a_defaulter(world: World) -> None:
    code = world.boundary["legal_rep_is_defaulter"]
    assert not _negatives(_facts(world, "legal_rep_is_defaulter"))
    rep_id = world.registrations[code].legal_rep_id
    assert rep_id == world.boundary[PERSON_CASE]
    assert world.represented_by(rep_id) == [code]
    rep = world.facts(rep_id)
    assert rep is not None
    record = _only(rep.court)
    assert record.kind is RecordKind.JUDGMENT_DEFAULTER
    assert visible_to_public(record, world.config.today, world.config.policy)
