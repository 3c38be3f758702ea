"""The measure catalogue and the sanctions (逢办必查) it yields: triggers, matters, expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from credit.measures import EDITION, MEASURES, Matter, Trigger, measure
from credit.publicity import PublicityPolicy
from credit.records import RecordKind, RepairStatus
from credit.sanctions import Sanction, discipline_check, sanctions_for
from tests.credit.factories import grade, rec

D = dt.date
DAY = D(2026, 5, 1)
POLICY = PublicityPolicy()
K = RecordKind


def ids(sanctions: list[Sanction]) -> set[str]:
    return {s.measure.id for s in sanctions}


# --- the catalogue ---------------------------------------------------------------------------


def test_catalogue_is_complete_and_consistent() -> None:
    assert 12 <= len(MEASURES) <= 20
    assert len({m.id for m in MEASURES}) == len(MEASURES)
    assert len({m.name for m in MEASURES}) == len(MEASURES)
    for m in MEASURES:
        assert m.edition == EDITION
        assert m.legal_basis.startswith("《")
        assert m.implementer
        assert m.target
        assert m.triggers
        assert measure(m.id) is m
    assert {t for m in MEASURES for t in m.triggers} == set(Trigger)
    assert {x for m in MEASURES for x in m.matters} == set(Matter)


def test_unknown_measure_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        measure("JC-99")


def test_real_citations_where_the_brief_names_them() -> None:
    assert measure("JC-05").legal_basis == (
        "《中华人民共和国政府采购法》第二十二条；"
        "《最高人民法院关于公布失信被执行人名单信息的若干规定》第八条"
    )
    assert measure("JC-01").legal_basis == (
        "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第一条、第三条"
    )
    assert measure("JC-08").legal_basis == "《中华人民共和国公司法》第十条、第一百七十八条"
    assert measure("JC-09").legal_basis == "《企业信息公示暂行条例》第十七条"
    assert measure("JC-09").edition == "全国失信惩戒措施基础清单（2024年版）"
    assert measure("JC-14").legal_basis == (
        "《纳税缴费信用管理办法》（国家税务总局公告2025年第12号）"
    )
    assert "（国发〔2016〕33号）" in measure("JC-16").legal_basis


# --- triggers --------------------------------------------------------------------------------


def test_judgment_defaulter_triggers_the_joint_punishment() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2025, 1, 1), defaulter_ground=1)
    found = sanctions_for([entry], DAY, POLICY)
    assert all(s.record is entry and s.trigger is Trigger.JUDGMENT_DEFAULTER for s in found)
    assert all(s.tax_grade is None and s.until is None for s in found)
    assert {"JC-01", "JC-02", "JC-05", "JC-06", "JC-08", "JC-11", "JC-17"} <= ids(found)
    assert "JC-14" not in ids(found)  # the invoice limit is a tax measure
    assert "JC-07" not in ids(found)  # the 条例's restriction is for abnormal/serious firms


def test_consumption_restriction_alone_limits_only_consumption() -> None:
    order = rec(K.CONSUMPTION_RESTRICTION, D(2025, 1, 1))
    found = sanctions_for([order], DAY, POLICY)
    assert ids(found) == {"JC-01", "JC-02", "JC-03", "JC-04"}
    assert discipline_check([order], Matter.GOVERNMENT_PROCUREMENT, DAY, POLICY) == []


def test_abnormal_listing_restricts_procurement_but_not_subsidies() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2025, 6, 1))
    found = sanctions_for([entry], DAY, POLICY)
    assert ids(found) == {"JC-07", "JC-15"}
    assert ids(discipline_check([entry], Matter.GOVERNMENT_PROCUREMENT, DAY, POLICY)) == {"JC-07"}
    assert discipline_check([entry], Matter.SUBSIDY, DAY, POLICY) == []


def test_a_due_escalation_triggers_only_the_abnormal_list_measures() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2022, 6, 1))
    found = sanctions_for([entry], DAY, POLICY)
    assert {s.trigger for s in found} == {Trigger.ABNORMAL_OPERATION}
    assert ids(found) == {"JC-07", "JC-15"}


def test_the_bureaus_escalated_listing_adds_jc_09() -> None:
    listing = rec(K.SERIOUS_VIOLATION, D(2025, 6, 22), escalated_from_abnormal=True)
    found = sanctions_for([listing], DAY, POLICY)
    serious = [s for s in found if s.trigger is Trigger.SERIOUS_VIOLATION]
    assert {"JC-05", "JC-11", "JC-12"} <= ids(serious)
    assert "JC-09" not in ids(serious)
    escalated = [s for s in found if s.trigger is Trigger.ESCALATED_SERIOUS_VIOLATION]
    assert ids(escalated) == {"JC-09"}
    assert all(s.until == D(2030, 6, 22) for s in found)  # 条例 第十七条: 5 years


def test_jc_09_only_for_firms_escalated_from_the_abnormal_list() -> None:
    own_grounds = rec(K.SERIOUS_VIOLATION, D(2025, 6, 22))
    assert "JC-09" not in ids(sanctions_for([own_grounds], DAY, POLICY))
    assert measure("JC-09").triggers == (Trigger.ESCALATED_SERIOUS_VIOLATION,)


def test_national_list_triggers_serious_measures() -> None:
    entry = rec(K.SERIOUS_DISHONESTY, D(2025, 1, 1), list_name="重大税收违法失信主体")
    hits = discipline_check([entry], Matter.BIDDING, DAY, POLICY)
    assert ids(hits) == {"JC-06"}
    assert hits[0].trigger is Trigger.SERIOUS_DISHONESTY


def test_tax_d_limits_invoices_and_financing() -> None:
    evaluated = grade(2024, "D", score=30)
    found = sanctions_for([], DAY, POLICY, tax_grades=[evaluated])
    assert ids(found) == {"JC-14", "JC-15", "JC-17"}
    assert all(s.tax_grade is evaluated and s.record is None and s.until is None for s in found)
    assert ids(discipline_check([], Matter.INVOICE, DAY, POLICY, tax_grades=[evaluated])) == {
        "JC-14"
    }


def test_direct_d_sanctions_run_two_years() -> None:
    direct = grade(2024, "D", assigned_directly=True, assigned_on=D(2025, 2, 1))
    replaced = [direct, grade(2025, "B")]  # B published 2026-04-01
    found = sanctions_for([], D(2027, 2, 1), POLICY, tax_grades=replaced)
    assert {s.until for s in found} == {D(2027, 2, 1)}
    assert sanctions_for([], D(2027, 2, 2), POLICY, tax_grades=replaced) == []


@pytest.mark.parametrize("letter", ["A", "B", "M", "C"])
def test_other_grades_trigger_nothing(letter: str) -> None:
    assert sanctions_for([], DAY, POLICY, tax_grades=[grade(2024, letter)]) == []


def test_penalties_and_positive_records_trigger_nothing() -> None:
    records = [
        rec(K.ADMIN_PENALTY, D(2026, 1, 1)),
        rec(K.MARKET_PENALTY, D(2026, 1, 1)),
        rec(K.RED_LIST, D(2026, 1, 1)),
        rec(K.PERMIT, D(2026, 1, 1)),
    ]
    assert sanctions_for(records, DAY, POLICY) == []


# --- matters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("matter", list(Matter))
def test_discipline_check_returns_only_measures_for_the_matter(matter: Matter) -> None:
    records = [
        rec(K.JUDGMENT_DEFAULTER, D(2025, 1, 1), defaulter_ground=1),
        rec(K.ABNORMAL_OPERATION, D(2022, 6, 1)),
        rec(K.SERIOUS_DISHONESTY, D(2025, 1, 1)),
    ]
    grades = [grade(2024, "D")]
    hits = discipline_check(records, matter, DAY, POLICY, tax_grades=grades)
    assert hits
    assert all(matter in s.measure.matters for s in hits)
    everything = sanctions_for(records, DAY, POLICY, tax_grades=grades)
    assert [s for s in everything if matter in s.measure.matters] == hits


def test_clean_subject_passes_every_check() -> None:
    for matter in Matter:
        assert discipline_check([rec(K.PERMIT, D(2025, 1, 1))], matter, DAY, POLICY) == []


def test_sanctions_follow_record_order_then_catalogue_order() -> None:
    first = rec(K.CONSUMPTION_RESTRICTION, D(2025, 1, 1))
    second = rec(K.SERIOUS_VIOLATION, D(2025, 1, 1))
    found = sanctions_for([first, second], DAY, POLICY)
    assert [s.record for s in found[:4]] == [first] * 4
    assert [s.measure.id for s in found[:4]] == ["JC-01", "JC-02", "JC-03", "JC-04"]
    assert all(s.record is second for s in found[4:])


# --- expiry ----------------------------------------------------------------------------------


def test_sanctions_end_with_the_listing() -> None:
    # the term ends Friday 2026-05-01, inside 劳动节 (1-5 May): deleted within 6, 7, 8 May
    entry = rec(K.JUDGMENT_DEFAULTER, D(2024, 5, 1), defaulter_ground=2)
    last = sanctions_for([entry], D(2026, 5, 8), POLICY)
    assert last
    assert {s.until for s in last} == {D(2026, 5, 8)}
    assert sanctions_for([entry], D(2026, 5, 9), POLICY) == []


def test_sanctions_end_3_working_days_after_performance() -> None:
    entry = rec(K.JUDGMENT_DEFAULTER, D(2024, 5, 1), defaulter_ground=1, ended_on=D(2026, 1, 2))
    assert sanctions_for([entry], D(2026, 1, 6), POLICY)  # Sunday 4 January worked (调休)
    assert sanctions_for([entry], D(2026, 1, 7), POLICY) == []


def test_repaired_listing_sets_nothing_off() -> None:
    entry = rec(
        K.SERIOUS_VIOLATION,
        D(2025, 1, 1),
        repair_status=RepairStatus.REPAIRED,
        repaired_on=D(2026, 3, 1),
    )
    before = sanctions_for([entry], D(2026, 2, 28), POLICY)
    assert {s.until for s in before} == {D(2026, 2, 28)}
    assert sanctions_for([entry], D(2026, 3, 1), POLICY) == []


def test_repaired_escalated_listing_ends_on_the_repair() -> None:
    listing = rec(
        K.SERIOUS_VIOLATION,
        D(2025, 6, 22),
        escalated_from_abnormal=True,
        repair_status=RepairStatus.REPAIRED,
        repaired_on=D(2026, 6, 1),
    )
    found = sanctions_for([listing], DAY, POLICY)
    assert {s.until for s in found} == {D(2026, 5, 31)}
    assert sanctions_for([listing], D(2026, 6, 1), POLICY) == []
