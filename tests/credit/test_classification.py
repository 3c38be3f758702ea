"""The four classes, their reasons, and the report badges."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from credit.classification import (
    Badge,
    CreditClass,
    ReasonCode,
    active_direct_d,
    classify,
    current_tax_grade,
)
from credit.publicity import PublicityPolicy
from credit.records import (
    CreditRecord,
    OperatingStatus,
    RecordKind,
    RepairStatus,
    Severity,
    TaxGrade,
)
from credit.regimes import DEFAULT_REGIMES
from tests.credit.factories import grade, rec, registration

D = dt.date
DAY = D(2026, 5, 1)
POLICY = PublicityPolicy()
K = RecordKind
C = CreditClass

CASES: list[tuple[str, list[CreditRecord], list[TaxGrade], CreditClass, ReasonCode]] = [
    (
        "defaulter",
        [rec(K.JUDGMENT_DEFAULTER, D(2025, 1, 1), defaulter_ground=1)],
        [],
        C.SERIOUSLY_DISHONEST,
        ReasonCode.JUDGMENT_DEFAULTER,
    ),
    (
        "serious violation list",
        [rec(K.SERIOUS_VIOLATION, D(2025, 1, 1))],
        [],
        C.SERIOUSLY_DISHONEST,
        ReasonCode.SERIOUS_VIOLATION_LIST,
    ),
    (
        # due (将被列入), not yet decided by the bureau: 失信 like the abnormal entry itself
        "abnormal listing due for the serious list",
        [rec(K.ABNORMAL_OPERATION, D(2022, 1, 1))],
        [],
        C.DISHONEST,
        ReasonCode.ESCALATION_DUE,
    ),
    (
        "serious listing the bureau decided after 3 years on the abnormal list",
        [
            rec(K.SERIOUS_VIOLATION, D(2025, 1, 22), escalated_from_abnormal=True),
            rec(K.ABNORMAL_OPERATION, D(2022, 1, 1)),
        ],
        [],
        C.SERIOUSLY_DISHONEST,
        ReasonCode.SERIOUS_VIOLATION_LIST,
    ),
    (
        "national list",
        [rec(K.SERIOUS_DISHONESTY, D(2025, 1, 1), list_name="重大税收违法失信主体")],
        [],
        C.SERIOUSLY_DISHONEST,
        ReasonCode.SERIOUS_DISHONESTY_LIST,
    ),
    (
        "direct D",
        [],
        [grade(2025, "D", assigned_directly=True, assigned_on=D(2025, 9, 1))],
        C.SERIOUSLY_DISHONEST,
        ReasonCode.TAX_DIRECT_D,
    ),
    (
        "serious penalty",
        [rec(K.ADMIN_PENALTY, D(2025, 6, 1), severity=Severity.SERIOUS)],
        [],
        C.DISHONEST,
        ReasonCode.SERIOUS_PENALTY,
    ),
    (
        "general penalty",
        [rec(K.ADMIN_PENALTY, D(2025, 6, 1), severity=Severity.GENERAL)],
        [],
        C.DISHONEST,
        ReasonCode.GENERAL_PENALTY,
    ),
    (
        "market penalty",
        [rec(K.MARKET_PENALTY, D(2024, 6, 1))],
        [],
        C.DISHONEST,
        ReasonCode.GENERAL_PENALTY,
    ),
    (
        "abnormal listing",
        [rec(K.ABNORMAL_OPERATION, D(2025, 6, 1))],
        [],
        C.DISHONEST,
        ReasonCode.ABNORMAL_OPERATION,
    ),
    ("evaluated D", [], [grade(2024, "D", score=35)], C.DISHONEST, ReasonCode.TAX_D),
    (
        "market warning",
        [rec(K.MARKET_PENALTY, D(2026, 3, 1), minor_sanction=True)],
        [],
        C.WARNING,
        ReasonCode.MINOR_PENALTY,
    ),
    ("C grade", [], [grade(2024, "C", score=55)], C.WARNING, ReasonCode.TAX_C),
    (
        "consumption restriction",
        [rec(K.CONSUMPTION_RESTRICTION, D(2025, 1, 1))],
        [],
        C.WARNING,
        ReasonCode.CONSUMPTION_RESTRICTION,
    ),
    ("nothing", [], [], C.TRUSTWORTHY, ReasonCode.NO_NEGATIVE_RECORD),
    ("A grade", [], [grade(2024, "A", score=95)], C.TRUSTWORTHY, ReasonCode.TAX_A),
    (
        "red list",
        [rec(K.RED_LIST, D(2025, 1, 1), list_name="银川市诚信示范企业")],
        [],
        C.TRUSTWORTHY,
        ReasonCode.RED_LIST,
    ),
]


@pytest.mark.parametrize(
    ("records", "grades", "expected", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_reason_produces_its_class(
    records: list[CreditRecord], grades: list[TaxGrade], expected: CreditClass, code: ReasonCode
) -> None:
    result = classify(records, DAY, POLICY, tax_grades=grades)
    assert result.credit_class is expected
    assert code in [r.code for r in result.reasons]
    assert all(r.credit_class is expected for r in result.reasons)
    if records:
        linked = [r for r in result.reasons if r.code is code]
        assert linked[0].record_id == records[0].id


def test_published_minor_penalty_warns() -> None:
    ndrc_36 = dataclasses.replace(DEFAULT_REGIMES[1], minor_published=True)
    policy = PublicityPolicy(regimes=(DEFAULT_REGIMES[0], ndrc_36, *DEFAULT_REGIMES[2:]))
    minor = rec(K.ADMIN_PENALTY, D(2026, 4, 1), severity=Severity.MINOR)
    assert classify([minor], DAY, policy).credit_class is C.WARNING
    assert classify([minor], DAY, POLICY).credit_class is C.TRUSTWORTHY  # not published
    small_fine = rec(K.MARKET_PENALTY, D(2026, 4, 1), minor_sanction=True, sanctions=("罚款",))
    assert classify([small_fine], DAY, POLICY).credit_class is C.WARNING


@pytest.mark.parametrize(
    "facts",
    [{"sanctions": ("警告",)}, {"sanctions": ("罚款",), "simple_procedure": True}],
    ids=["warning only", "简易程序"],
)
def test_unpublished_market_penalties_are_never_rated_warning(facts: dict[str, object]) -> None:
    for decided in (D(2025, 12, 24), D(2025, 12, 25), D(2026, 4, 1)):
        penalty = rec(K.MARKET_PENALTY, decided, minor_sanction=True, **facts)
        assert classify([penalty], DAY, POLICY).credit_class is C.TRUSTWORTHY


def test_revoked_licence_warns_and_badges() -> None:
    result = classify([], DAY, POLICY, registration=registration(OperatingStatus.REVOKED))
    assert result.credit_class is C.WARNING
    assert [r.code for r in result.reasons] == [ReasonCode.LICENCE_REVOKED]
    assert result.badges == (Badge.REVOKED,)


def test_the_worst_class_wins_and_lesser_findings_are_kept() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 6, 1))
    defaulter = rec(K.JUDGMENT_DEFAULTER, D(2025, 1, 1), defaulter_ground=3)
    restriction = rec(K.CONSUMPTION_RESTRICTION, D(2025, 1, 1))
    result = classify([restriction, penalty, defaulter], DAY, POLICY, tax_grades=[grade(2024, "C")])
    assert result.credit_class is C.SERIOUSLY_DISHONEST
    assert [r.code for r in result.reasons] == [ReasonCode.JUDGMENT_DEFAULTER]
    assert [r.code for r in result.lesser_reasons] == [
        ReasonCode.GENERAL_PENALTY,
        ReasonCode.CONSUMPTION_RESTRICTION,
        ReasonCode.TAX_C,
    ]


def test_messages_cite_their_rule() -> None:
    defaulter = rec(
        K.JUDGMENT_DEFAULTER, D(2025, 1, 1), defaulter_ground=2, title="(2025)宁01执1号"
    )
    [reason] = classify([defaulter], DAY, POLICY).reasons
    assert "失信被执行人" in reason.message
    assert "(2025)宁01执1号" in reason.message
    assert "《最高人民法院关于公布失信被执行人名单信息的若干规定》第二条" in reason.message
    penalty = rec(K.ADMIN_PENALTY, D(2026, 4, 1))
    [reason] = classify([penalty], DAY, POLICY).reasons
    assert "《信用修复管理办法》（国家发展改革委令第36号）" in reason.message
    older = rec(K.ADMIN_PENALTY, D(2025, 6, 1))
    [reason] = classify([older], DAY, POLICY).reasons
    assert "（国家发展改革委令第58号）" in reason.message
    [reason] = classify([], DAY, POLICY, tax_grades=[grade(2024, "D")]).reasons
    assert reason.message == "2024年度纳税信用等级为D级（《纳税缴费信用管理办法》）"


def test_expired_records_no_longer_count() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 4, 30))  # general: public through 2026-04-30
    assert classify([penalty], D(2026, 4, 30), POLICY).credit_class is C.DISHONEST
    assert classify([penalty], D(2026, 5, 1), POLICY).credit_class is C.TRUSTWORTHY
    # the term ends Thursday 2026-04-30; 劳动节 1-5 May off: deleted within 6, 7, 8 May
    defaulter = rec(K.JUDGMENT_DEFAULTER, D(2024, 4, 30), defaulter_ground=5)
    assert classify([defaulter], D(2026, 5, 8), POLICY).credit_class is C.SERIOUSLY_DISHONEST
    assert classify([defaulter], D(2026, 5, 9), POLICY).credit_class is C.TRUSTWORTHY


def test_repaired_records_no_longer_count() -> None:
    penalty = rec(
        K.ADMIN_PENALTY,
        D(2025, 6, 1),
        repair_status=RepairStatus.REPAIRED,
        repaired_on=D(2025, 10, 1),
    )
    assert classify([penalty], D(2025, 9, 30), POLICY).credit_class is C.DISHONEST
    assert classify([penalty], D(2025, 10, 1), POLICY).credit_class is C.TRUSTWORTHY


def test_performed_abnormal_listing_no_longer_counts() -> None:
    entry = rec(K.ABNORMAL_OPERATION, D(2025, 6, 1), ended_on=D(2026, 1, 10))
    assert classify([entry], D(2026, 1, 10), POLICY).credit_class is C.DISHONEST
    assert classify([entry], D(2026, 1, 11), POLICY).credit_class is C.TRUSTWORTHY


def test_direct_d_lasts_two_years_then_the_current_grade_counts() -> None:
    direct = grade(2023, "D", assigned_directly=True, assigned_on=D(2024, 3, 15))
    assert active_direct_d([direct], D(2026, 3, 15), POLICY) is direct
    assert active_direct_d([direct], D(2026, 3, 16), POLICY) is None
    grades = [direct, grade(2024, "B", score=80)]  # published 2025-04-01
    on_day = classify([], D(2026, 3, 15), POLICY, tax_grades=grades)
    assert on_day.credit_class is C.SERIOUSLY_DISHONEST
    assert "保留至2026-03-15" in on_day.reasons[0].message
    assert classify([], D(2026, 3, 16), POLICY, tax_grades=grades).credit_class is C.TRUSTWORTHY
    # still the latest grade after its two years: an ordinary D
    alone = classify([], D(2026, 3, 16), POLICY, tax_grades=[direct])
    assert [r.code for r in alone.reasons] == [ReasonCode.TAX_D]


def test_current_grade_is_the_latest_published() -> None:
    grades = [grade(2024, "A"), grade(2025, "C")]  # published 2025-04-01 and 2026-04-01
    assert current_tax_grade(grades, D(2025, 3, 31), POLICY) is None
    assert current_tax_grade(grades, D(2025, 4, 1), POLICY) is grades[0]
    assert current_tax_grade(grades, D(2026, 4, 1), POLICY) is grades[1]
    assert current_tax_grade(grades, D(2026, 3, 31), POLICY) is grades[0]


@pytest.mark.parametrize(
    ("status", "badge"),
    [
        (OperatingStatus.ACTIVE, Badge.ACTIVE),
        (OperatingStatus.DEREGISTERED, Badge.DEREGISTERED),
    ],
)
def test_status_badge(status: OperatingStatus, badge: Badge) -> None:
    assert classify([], DAY, POLICY, registration=registration(status)).badges == (badge,)


def test_incentive_badge_for_red_list_or_a_grade() -> None:
    red = rec(K.RED_LIST, D(2025, 1, 1))
    assert Badge.INCENTIVE in classify([red], DAY, POLICY).badges
    assert Badge.INCENTIVE in classify([], DAY, POLICY, tax_grades=[grade(2024, "A")]).badges
    expired = rec(K.RED_LIST, D(2024, 1, 1), ended_on=D(2025, 12, 31))
    assert Badge.INCENTIVE not in classify([expired], DAY, POLICY).badges
    # a warning does not take incentives away; dishonesty does
    warned = classify([red, rec(K.CONSUMPTION_RESTRICTION, D(2025, 1, 1))], DAY, POLICY)
    assert Badge.INCENTIVE in warned.badges
    punished = classify([red, rec(K.ADMIN_PENALTY, D(2026, 1, 1))], DAY, POLICY)
    assert Badge.INCENTIVE not in punished.badges


def test_punishment_badge_only_for_serious_lists() -> None:
    defaulter = rec(K.JUDGMENT_DEFAULTER, D(2025, 1, 1), defaulter_ground=1)
    result = classify([defaulter], DAY, POLICY, registration=registration())
    assert result.badges == (Badge.ACTIVE, Badge.PUNISHMENT)
    abnormal = rec(K.ABNORMAL_OPERATION, D(2025, 6, 1))
    assert Badge.PUNISHMENT not in classify([abnormal], DAY, POLICY).badges
    due = rec(K.ABNORMAL_OPERATION, D(2022, 6, 1))
    assert Badge.PUNISHMENT not in classify([due], DAY, POLICY).badges
    decided = rec(K.SERIOUS_VIOLATION, D(2025, 6, 22), escalated_from_abnormal=True)
    assert Badge.PUNISHMENT in classify([due, decided], DAY, POLICY).badges
    direct_d = grade(2025, "D", assigned_directly=True, assigned_on=D(2025, 9, 1))
    assert Badge.PUNISHMENT not in classify([], DAY, POLICY, tax_grades=[direct_d]).badges
