"""Boundary subjects: enterprises placed exactly on a rule's edge relative to ``today``.

Each case is an active enterprise with otherwise clean facts (A grades, taxes paid every month,
no arrears) plus the one fact the case is about, dated with :mod:`credit.publicity` and
:mod:`credit.calendar` so the periods stay in :class:`~credit.policy.PublicityPolicy`.  Their
legal representatives are clean individuals aged 30-55 (one case excepted).  Tests and other
engineers find them by name: ``world.boundary["penalty_publicity_ends_tomorrow"]``.

=================================== ===================================================
penalty_listed_yesterday            一般 administrative penalty published yesterday
penalty_publicity_ends_tomorrow     一般 penalty whose longest publicity ends tomorrow
penalty_publicity_ended_yesterday   一般 penalty whose longest publicity ended yesterday
market_minor_ends_tomorrow          market small fine (3-month minor class) ending tomorrow
penalty_repaired                    严重 penalty past its minimum, repaired 30 days ago
tax_d_direct                        last published year: D assigned directly (重大税收违法)
defaulter_performed_2_working_days  失信被执行人 (ground 2) performed 2 working days ago
defaulter_ground1_unperformed       ground 1, listed 3 years ago, never performed
abnormal_listed_3_years_ago         经营异常 listed exactly 3 years ago, still listed
zero_return_run_3                   the last 3 months zero returns, none before
every_kind                          at least one record of every kind and every ledger
clean_a_grade                       A every year, red-listed, nothing negative
young_enterprise                    established 11 months ago
legal_rep_is_defaulter              clean itself; its legal representative is a defaulter
defaulter_legal_rep                 (a person) that legal representative's ID number
=================================== ===================================================
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from credit.calendar import add_months, add_years
from credit.money import yuan
from credit.policy import PublicityPolicy
from credit.publicity import publicity_window
from credit.records import CreditRecord, RecordKind, RepairStatus, Severity, Source, TaxGrade
from credit.records import TaxGradeLetter as L
from credit.regimes import Family
from simulators.codes import authority_code
from simulators.court_facts import defaulter, restriction
from simulators.facts import SubjectFacts
from simulators.incentives import (
    A_GRADE_LIST,
    commitment,
    commitments,
    evaluation,
    evaluations,
    red_list,
    red_lists,
)
from simulators.ledgers import social_insurance, utility_bills
from simulators.market_facts import abnormal_entry, permit, permit_records
from simulators.names import COURTS
from simulators.national_facts import MAJOR_TAX_LIST, NATIONAL_LISTS, national_entry
from simulators.penalty_facts import VIOLATIONS, penalty
from simulators.subject import Subject, Tier, subject_rng
from simulators.tax_facts import TaxLedger, grade_score, payments, published_on, tax_ledger

__all__ = ["ENTERPRISE_CASES", "PERSON_CASE", "build", "build_person", "established_on"]

PERSON_CASE = "defaulter_legal_rep"
_ADMIN = next(v for v in VIOLATIONS if v.kind is RecordKind.ADMIN_PENALTY)
# a small fine, no warning alone (never published) and above 简易程序's 3,000 yuan
_MARKET_SMALL_FINE = next(v for v in VIOLATIONS if v.violation == "无照经营")
_MARKET_FINE = next(
    v for v in VIOLATIONS if v.kind is RecordKind.MARKET_PENALTY and "没收" in v.category
)
_Builder = Callable[[Subject, SubjectFacts, PublicityPolicy], SubjectFacts]


def established_on(case: str, today: dt.date) -> dt.date:
    return add_months(today, -11) if case == "young_enterprise" else add_years(today, -8)


def _clean(subject: Subject, seed: int, policy: PublicityPolicy) -> SubjectFacts:
    rng = subject_rng(seed, "boundary", subject.index)
    years = range(max(subject.established.year, subject.today.year - 5), subject.today.year)
    grades = tuple(
        TaxGrade(year, letter, grade_score(rng, letter), assigned_on=published_on(year, policy))
        for year in years
        if published_on(year, policy) <= subject.today
        for letter in [L.M if year == subject.established.year else L.A]  # new firms get M
    )
    ledger = TaxLedger(grades, payments(subject, rng, zeros=set()))
    permits = permit_records(subject, rng)
    return SubjectFacts(
        subject.code,
        permits=permits,
        tax=ledger,
        social_insurance=social_insurance(subject, rng),
        utilities=utility_bills(subject, rng),
        red_lists=red_lists(subject, rng, grades, False, policy),
        commitments=commitments(subject, rng, permits),
        evaluations=evaluations(subject, rng),
    )


def _penalty_ending(
    subject: Subject, policy: PublicityPolicy, *, last_day: dt.date, minor_market: bool
) -> CreditRecord:
    """A penalty whose longest publicity ends on ``last_day``, found by asking the policy
    (the regime in force on the decision it guesses)."""
    violation = _MARKET_SMALL_FINE if minor_market else _ADMIN
    family = Family.MARKET if minor_market else Family.NDRC
    guess = last_day
    for _ in range(2):  # the regime of the guessed decision date gives the months
        regime = policy.regime(family, guess)
        months = regime.minor_max_months if minor_market else regime.general_max_months
        guess = add_months(last_day, -months)
    for delta in (0, -1, 1, -2, 2, -3, 3):
        published = guess + dt.timedelta(days=delta)
        record = penalty(
            subject,
            violation,
            number=0,
            decided=published - dt.timedelta(days=2),
            published=published,
            fine_wan=Decimal("0.5") if minor_market else yuan(2),
            severity=Severity.MINOR if minor_market else Severity.GENERAL,
            policy=policy,
        )
        if publicity_window(record, policy).max_until == last_day:
            return record
    raise AssertionError(f"no publication date ends publicity on {last_day}")


def _case_number(s: Subject, filed: dt.date) -> str:
    return f"({filed.year})宁{COURTS[s.division][0]}执{s.index % 5000 + 1}号"


def _working_days_before(policy: PublicityPolicy, day: dt.date, count: int) -> dt.date:
    calendar = policy.working_calendar()
    while count:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


def _listed_yesterday(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    day = s.today - dt.timedelta(days=1)
    record = penalty(
        s,
        _ADMIN,
        number=0,
        decided=day - dt.timedelta(days=3),
        published=day,
        fine_wan=yuan(3),
        severity=Severity.GENERAL,
        policy=p,
    )
    return dataclasses.replace(f, penalties=(record,))


def _ends_tomorrow(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    day = s.today + dt.timedelta(days=1)
    record = _penalty_ending(s, p, last_day=day, minor_market=False)
    return dataclasses.replace(f, penalties=(record,))


def _ended_yesterday(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    day = s.today - dt.timedelta(days=1)
    record = _penalty_ending(s, p, last_day=day, minor_market=False)
    return dataclasses.replace(f, penalties=(record,))


def _market_minor(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    day = s.today + dt.timedelta(days=1)
    record = _penalty_ending(s, p, last_day=day, minor_market=True)
    return dataclasses.replace(f, penalties=(record,))


def _repaired(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    published = add_months(s.today, -18)
    record = penalty(
        s,
        _ADMIN,
        number=0,
        decided=published - dt.timedelta(days=5),
        published=published,
        fine_wan=yuan(50),
        severity=Severity.SERIOUS,
        policy=p,
    )
    record = dataclasses.replace(
        record, repair_status=RepairStatus.REPAIRED, repaired_on=s.today - dt.timedelta(days=30)
    )
    made = commitments(s, subject_rng(0, "boundary", s.index), (record,))
    return dataclasses.replace(f, penalties=(record,), commitments=f.commitments + made)


def _tax_d_direct(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    major = next(e for e in NATIONAL_LISTS if e.name == MAJOR_TAX_LIST)
    listed = dt.date(s.today.year - 1, 9, 15)
    entry = national_entry(s, major, number=0, listed=listed, removed=None)
    good = dataclasses.replace(s, tier=Tier.GOOD)
    ledger = tax_ledger(good, subject_rng(0, "boundary", s.index), (entry,), p)
    assert ledger is not None
    red = red_lists(s, subject_rng(0, "boundary", s.index), ledger.grades, True, p)
    return dataclasses.replace(f, national=(entry,), tax=ledger, red_lists=red)


def _performed_recently(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    performed = _working_days_before(p, s.today, 2)
    decided = add_years(s.today, -1)
    filed = decided - dt.timedelta(days=60)
    record = defaulter(
        s,
        number=0,
        case=_case_number(s, filed),
        filed=filed,
        decided=decided,
        ground=2,
        performed=performed,
        amount=yuan(120_000),
    )
    return dataclasses.replace(f, court=(record,))


def _ground1(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    decided = add_years(s.today, -3)
    filed = decided - dt.timedelta(days=60)
    case = _case_number(s, filed)
    record = defaulter(
        s,
        number=0,
        case=case,
        filed=filed,
        decided=decided,
        ground=1,
        amount=yuan(860_000),
    )
    order = restriction(
        s, number=0, case=case, decided=decided - dt.timedelta(days=40), lifted=None
    )
    return dataclasses.replace(f, court=(record, order))


def _abnormal_3y(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    entry = abnormal_entry(s, number=0, listed=add_years(s.today, -3))
    return dataclasses.replace(f, abnormal=(entry,))


def _zero_run_3(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    assert f.tax is not None
    rows = payments(s, subject_rng(0, "boundary", s.index), zeros={21, 22, 23})
    return dataclasses.replace(f, tax=TaxLedger(f.tax.grades, rows))


def _every_kind(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    year_ago = add_years(s.today, -1)
    case = _case_number(s, year_ago)
    court = (
        defaulter(
            s,
            number=0,
            case=case,
            filed=year_ago,
            decided=year_ago + dt.timedelta(days=40),
            ground=1,
            amount=yuan(300_000),
        ),
        restriction(s, number=0, case=case, decided=year_ago + dt.timedelta(days=10), lifted=None),
    )
    penalties = (
        penalty(
            s,
            _MARKET_FINE,
            number=0,
            decided=add_months(s.today, -6),
            published=add_months(s.today, -6),
            fine_wan=yuan(8),
            severity=Severity.GENERAL,
            policy=p,
        ),
        penalty(
            s,
            _ADMIN,
            number=1,
            decided=add_months(s.today, -2),
            published=add_months(s.today, -2),
            fine_wan=yuan(20),
            severity=Severity.SERIOUS,
            policy=p,
        ),
    )
    permits = f.permits or (
        permit(s, "食品经营许可证", number=0, issued=add_years(s.today, -2), serial=88),
    )
    serious = CreditRecord(
        id=f"YZ-{s.serial}-0",
        kind=RecordKind.SERIOUS_VIOLATION,
        source=Source.MARKET,
        subject_code=s.code,
        title="拒不执行市场监督管理部门责令召回缺陷产品的决定",
        decided_on=add_months(s.today, -4),
        authority="宁夏回族自治区市场监督管理局",
        authority_code=authority_code("宁夏回族自治区市场监督管理局", s.division),
        legal_basis="《市场监督管理严重违法失信名单管理办法》第四条",
        publish_from=add_months(s.today, -4),
    )
    listing = national_entry(
        s, NATIONAL_LISTS[1], number=0, listed=add_months(s.today, -5), removed=None
    )
    old_a = s.today.year - 4
    red = red_list(
        s,
        A_GRADE_LIST,
        "国家税务总局宁夏回族自治区税务局",
        "《纳税缴费信用管理办法》（国家税务总局公告2025年第12号）",
        number=0,
        listed=published_on(old_a, p),
        until=published_on(old_a + 1, p) - dt.timedelta(days=1),
    )
    pledge = commitment(
        s,
        "主动型",
        "本单位自愿公开承诺依法诚信经营，接受社会监督",
        number=0,
        made=add_months(s.today, -1),
        until=add_months(s.today, 11),
        status="履约中",
    )
    rated = f.evaluations or (
        evaluation(
            s,
            "公共信用综合评价",
            "宁夏回族自治区发展和改革委员会",
            "B",
            number=0,
            day=add_months(s.today, -8),
            score=Decimal("78.5"),
        ),
    )
    return dataclasses.replace(
        f,
        court=court,
        penalties=penalties,
        permits=permits,
        abnormal=(abnormal_entry(s, number=0, listed=add_months(s.today, -7)),),
        serious_violations=(serious,),
        national=(listing,),
        red_lists=(red,),
        commitments=(*f.commitments, pledge),
        evaluations=rated,
    )


def _unchanged(s: Subject, f: SubjectFacts, p: PublicityPolicy) -> SubjectFacts:
    return f


ENTERPRISE_CASES: dict[str, _Builder] = {
    "penalty_listed_yesterday": _listed_yesterday,
    "penalty_publicity_ends_tomorrow": _ends_tomorrow,
    "penalty_publicity_ended_yesterday": _ended_yesterday,
    "market_minor_ends_tomorrow": _market_minor,
    "penalty_repaired": _repaired,
    "tax_d_direct": _tax_d_direct,
    "defaulter_performed_2_working_days": _performed_recently,
    "defaulter_ground1_unperformed": _ground1,
    "abnormal_listed_3_years_ago": _abnormal_3y,
    "zero_return_run_3": _zero_run_3,
    "every_kind": _every_kind,
    "clean_a_grade": _unchanged,
    "young_enterprise": _unchanged,
    "legal_rep_is_defaulter": _unchanged,
}


def build(case: str, subject: Subject, seed: int, policy: PublicityPolicy) -> SubjectFacts:
    """The facts of boundary enterprise ``case``."""
    good = dataclasses.replace(subject, tier=Tier.GOOD)
    facts = ENTERPRISE_CASES[case](good, _clean(good, seed, policy), policy)
    # Cases add commitments to the clean ones: number them afresh so ids stay unique.
    pledges = tuple(
        dataclasses.replace(c, id=f"CN-{subject.serial}-{n}")
        for n, c in enumerate(facts.commitments)
    )
    return dataclasses.replace(facts, commitments=pledges)


def build_person(case: str, person: Subject) -> SubjectFacts:
    """Facts of a boundary enterprise's legal representative: clean, or the defaulter case."""
    if case != "legal_rep_is_defaulter":
        return SubjectFacts(person.code)
    decided = add_years(person.today, -1)
    filed = decided - dt.timedelta(days=50)
    record = defaulter(
        person,
        number=0,
        case=_case_number(person, filed),
        filed=filed,
        decided=decided,
        ground=1,
        amount=yuan(95_000),
    )
    return SubjectFacts(person.code, court=(record,))
