"""The public credit report: sections (empty and filled), period and visibility filters."""

from __future__ import annotations

import datetime as dt

import pytest

from credit.advice import AdviceCode
from credit.classification import Badge, CreditClass
from credit.publicity import PublicityPolicy
from credit.records import (
    KIND_TRAITS,
    OperatingStatus,
    RecordKind,
    RepairStatus,
    Severity,
    Source,
)
from credit.report import (
    EMPTY_TEXT,
    RECORDED_BY,
    SECTION_SOURCES,
    InvalidReportPeriod,
    SectionKey,
    credit_report,
    section_of,
    section_sources,
)
from tests.credit.factories import SUBJECT, grade, rec, registration

D = dt.date
FROM, TO, DAY = D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 15)
POLICY = PublicityPolicy()
K = RecordKind


def test_period_must_not_start_after_it_ends() -> None:
    with pytest.raises(InvalidReportPeriod) as caught:
        credit_report(SUBJECT, TO, FROM, DAY, POLICY)
    assert caught.value.extensions() == {"code": "INVALID_REPORT_PERIOD"}
    assert "起始日期不能晚于截止日期" in str(caught.value)


def test_empty_report_says_so_in_every_section() -> None:
    report = credit_report(SUBJECT, FROM, TO, DAY, POLICY)
    assert [s.key for s in report.sections] == list(SectionKey)
    assert [s.title for s in report.sections] == [
        "行政管理信息",
        "诚实守信信息",
        "严重失信主体名单信息",
        "经营异常信息",
        "信用承诺信息",
        "信用评价信息",
        "司法判决信息",
        "其他信息",
    ]
    for section in report.sections:
        assert section.count == 0
        assert section.empty_text == EMPTY_TEXT == "查询期内无相关信息"
    assert report.basic is None
    assert report.basic_empty_text == EMPTY_TEXT
    assert report.classification is not None
    assert report.classification.credit_class is CreditClass.TRUSTWORTHY
    assert report.advice is not None
    assert [a.code for a in report.advice] == [AdviceCode.KEEP_GOOD_RECORD]
    assert (report.subject_code, report.generated_on) == (SUBJECT, DAY)
    assert (report.period_from, report.period_to) == (FROM, TO)


def test_basic_info_masks_the_legal_representative() -> None:
    reg = registration()
    report = credit_report(SUBJECT, FROM, TO, DAY, POLICY, registration=reg)
    assert report.basic is not None
    assert report.basic.name == reg.name
    assert report.basic.status is OperatingStatus.ACTIVE
    assert report.basic.legal_rep_name == "马**"
    assert report.basic_empty_text is None
    assert not hasattr(report.basic, "legal_rep_id")
    assert not hasattr(report.basic, "phone")
    own = credit_report(SUBJECT, FROM, TO, DAY, POLICY, registration=reg, reveal_personal=True)
    assert own.basic is not None
    assert own.basic.legal_rep_name == "马示例"
    assert report.classification is not None
    assert report.classification.badges == (Badge.ACTIVE,)


@pytest.mark.parametrize(
    ("kind", "key", "fields"),
    [
        (K.PERMIT, SectionKey.ADMINISTRATIVE, {}),
        (K.ADMIN_PENALTY, SectionKey.ADMINISTRATIVE, {"severity": Severity.GENERAL}),
        (K.MARKET_PENALTY, SectionKey.ADMINISTRATIVE, {}),
        (K.RED_LIST, SectionKey.HONESTY, {}),
        (K.JUDGMENT_DEFAULTER, SectionKey.SERIOUS_LISTS, {"defaulter_ground": 1}),
        (K.SERIOUS_VIOLATION, SectionKey.SERIOUS_LISTS, {}),
        (K.SERIOUS_DISHONESTY, SectionKey.SERIOUS_LISTS, {}),
        (K.ABNORMAL_OPERATION, SectionKey.ABNORMAL, {}),
        (K.COMMITMENT, SectionKey.COMMITMENT, {}),
        (K.EVALUATION, SectionKey.EVALUATION, {}),
        (K.CONSUMPTION_RESTRICTION, SectionKey.JUDICIAL, {}),
    ],
)
def test_each_section_is_filled_by_its_records(
    kind: RecordKind, key: SectionKey, fields: dict[str, object]
) -> None:
    record = rec(kind, D(2025, 6, 1), **fields)
    report = credit_report(SUBJECT, FROM, TO, DAY, POLICY, records=[record])
    section = report.section(key)
    assert section.records == (record,)
    assert section.count == 1
    assert section.empty_text is None
    for other in report.sections:
        if other.key is not key:
            assert other.count == 0
            assert other.empty_text == EMPTY_TEXT


def test_honesty_lists_a_grades_published_in_the_period() -> None:
    grades = [
        grade(2024, "A", score=95),  # published 2025-04-01: inside
        grade(2023, "A", score=92),  # published 2024-04-01: before the period
        grade(2025, "A", score=96, assigned_on=D(2025, 12, 1)),  # inside
        grade(2022, "B", score=80, assigned_on=D(2025, 5, 1)),  # not an A
    ]
    report = credit_report(SUBJECT, FROM, TO, DAY, POLICY, tax_grades=grades)
    honesty = report.section(SectionKey.HONESTY)
    assert honesty.tax_grades == (grades[2], grades[0])  # newest year first
    assert honesty.count == 2
    # an A grade is only public once it has been published
    early = credit_report(SUBJECT, FROM, TO, D(2025, 6, 1), POLICY, tax_grades=grades)
    assert early.section(SectionKey.HONESTY).tax_grades == (grades[0],)


def test_only_records_dated_inside_the_period() -> None:
    before = rec(K.ADMIN_PENALTY, D(2024, 12, 31), severity=Severity.SERIOUS)
    first = rec(K.ADMIN_PENALTY, D(2025, 1, 1), severity=Severity.SERIOUS)
    last = rec(K.ADMIN_PENALTY, D(2025, 12, 31), severity=Severity.SERIOUS)
    after = rec(K.ADMIN_PENALTY, D(2026, 1, 1), severity=Severity.SERIOUS)
    report = credit_report(SUBJECT, FROM, TO, DAY, POLICY, records=[before, first, last, after])
    assert report.section(SectionKey.ADMINISTRATIVE).records == (last, first)  # newest first


def test_only_records_visible_on_the_report_day() -> None:
    expired = rec(K.MARKET_PENALTY, D(2025, 2, 1), minor_sanction=True)  # through 2025-05-01
    repaired = rec(
        K.ADMIN_PENALTY,
        D(2025, 2, 1),
        repair_status=RepairStatus.REPAIRED,
        repaired_on=D(2025, 9, 1),
    )
    minor = rec(K.ADMIN_PENALTY, D(2025, 2, 1), severity=Severity.MINOR)  # never published
    removed = rec(K.ABNORMAL_OPERATION, D(2025, 2, 1), ended_on=D(2025, 8, 1))
    lapsed_permit = rec(K.PERMIT, D(2025, 2, 1), ended_on=D(2025, 12, 31))
    shown = rec(K.ADMIN_PENALTY, D(2025, 2, 1))
    records = [expired, repaired, minor, removed, lapsed_permit, shown]
    report = credit_report(SUBJECT, FROM, TO, DAY, POLICY, records=records)
    assert report.section(SectionKey.ADMINISTRATIVE).records == (shown,)
    assert report.section(SectionKey.ABNORMAL).count == 0


def test_a_due_escalation_is_no_serious_listing_in_the_report() -> None:
    # 将被列入: shown as due in the classification and advice, not among the serious lists
    entry = rec(K.ABNORMAL_OPERATION, D(2022, 6, 1))
    report = credit_report(SUBJECT, D(2022, 1, 1), TO, DAY, POLICY, records=[entry])
    assert report.section(SectionKey.ABNORMAL).records == (entry,)
    assert report.section(SectionKey.SERIOUS_LISTS).records == ()
    assert report.classification is not None
    assert report.classification.credit_class is CreditClass.DISHONEST
    assert Badge.PUNISHMENT not in report.classification.badges
    assert report.advice is not None
    assert "将被列入严重违法失信名单" in " ".join(a.message for a in report.advice)


def test_report_carries_classification_and_advice() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 6, 1), title="虚假宣传")
    report = credit_report(SUBJECT, FROM, TO, DAY, POLICY, records=[penalty])
    assert report.classification is not None
    assert report.classification.credit_class is CreditClass.DISHONEST
    assert report.advice is not None
    assert [a.code for a in report.advice] == [AdviceCode.REPAIR_AVAILABLE]
    assert report.advice is not None
    assert report.advice[0].record_id == penalty.id


def test_advice_covers_visible_records_outside_the_period() -> None:
    # the standing on the report day matters: a 2024 penalty still public gets advice
    older = rec(K.ADMIN_PENALTY, D(2024, 6, 1), severity=Severity.SERIOUS)
    report = credit_report(SUBJECT, FROM, TO, DAY, POLICY, records=[older])
    assert report.section(SectionKey.ADMINISTRATIVE).count == 0
    assert report.advice is not None
    assert [a.record_id for a in report.advice] == [older.id]


def test_a_bureau_that_did_not_answer_marks_its_sections_and_withholds_the_conclusions() -> None:
    penalty = rec(K.ADMIN_PENALTY, D(2025, 6, 1))
    report = credit_report(
        SUBJECT, FROM, TO, DAY, POLICY, records=[penalty], unavailable=[Source.COURT]
    )
    marked = {s.key for s in report.sections if s.unavailable}
    assert marked == {SectionKey.SERIOUS_LISTS, SectionKey.JUDICIAL}
    assert report.section(SectionKey.JUDICIAL).empty_text is None  # not "nothing found"
    assert report.section(SectionKey.ADMINISTRATIVE).count == 1  # the others still show
    assert report.classification is None
    assert report.advice is None


def test_every_record_kind_has_a_bureau_and_every_section_but_other_is_fed() -> None:
    declared = {k for k in RecordKind.members() if k in KIND_TRAITS}
    assert set(RECORDED_BY) == set(RecordKind.members()) - declared
    assert {k for k, fed in SECTION_SOURCES.items() if not fed} == {SectionKey.OTHER}


def test_a_declared_kind_lands_in_its_section_fed_by_its_bureau() -> None:
    from connectors.customs import CERTIFIED, CUSTOMS, DISHONEST  # declared by its connector

    assert section_of(DISHONEST) is SectionKey.SERIOUS_LISTS
    assert section_of(CERTIFIED) is SectionKey.HONESTY
    assert CUSTOMS in section_sources(SectionKey.SERIOUS_LISTS)
    assert CUSTOMS not in SECTION_SOURCES[SectionKey.SERIOUS_LISTS]  # the domain's own table
