"""Who may file what: repair windows (reusing credit.publicity), objection rounds, attachments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from connectors.customs import CUSTOMS, DISHONEST
from connectors.ip import IP, PLEDGE
from credit.policy import PublicityPolicy
from credit.publicity import repairable_from
from credit.records import CreditRecord, RecordKind, RepairStatus, Severity
from credit.rights import (
    CaseKind,
    CaseState,
    CaseStatus,
    Correction,
    CorrectionAction,
    ObjectionTarget,
    RecordMark,
    RightsPolicy,
    RightsState,
    check_attachment,
    check_objection,
    check_repair,
    commitment_text,
    marked,
    rights_state,
)
from credit.rights.errors import (
    AttachmentTooLarge,
    AttachmentTypeNotAllowed,
    InvalidCaseInput,
    NotRepairable,
    ObjectionAlreadyOpen,
    ObjectionLimitReached,
    RepairAlreadyOpen,
    RepairNotYet,
)
from tests.credit.factories import rec

POLICY = PublicityPolicy()
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def case(kind: CaseKind, status: CaseStatus) -> CaseState:
    return CaseState(kind, status, AT, 1)


def penalty(**fields: Any) -> CreditRecord:
    fields.setdefault("sanctions", ("罚款",))
    return rec(RecordKind.MARKET_PENALTY, dt.date(2026, 1, 5), severity=Severity.GENERAL, **fields)


def test_repair_before_the_minimum_period_says_the_date() -> None:
    record = penalty()
    day = repairable_from(record, POLICY)
    assert day is not None
    with pytest.raises(RepairNotYet) as refused:
        check_repair(record, day - dt.timedelta(days=1), POLICY)
    assert refused.value.repairable_from == day
    assert day.isoformat() in str(refused.value)
    assert refused.value.extensions()["repairableFrom"] == day.isoformat()
    route = check_repair(record, day, POLICY)
    assert route.channel == "国家企业信用信息公示系统"  # market records: the market bureau's


def test_never_repairable_sanctions_are_refused_citing_the_rule() -> None:
    record = penalty(sanctions=("罚款", "吊销营业执照"))
    with pytest.raises(NotRepairable) as refused:
        check_repair(record, dt.date(2026, 11, 1), POLICY)
    assert "吊销营业执照" in str(refused.value)
    assert "市场监管总局令第45号）第十四条" in str(refused.value)


def test_listings_ended_by_performance_are_not_repaired() -> None:
    defaulter = rec(RecordKind.JUDGMENT_DEFAULTER, dt.date(2025, 3, 1), defaulter_ground=1)
    with pytest.raises(NotRepairable) as refused:
        check_repair(defaulter, dt.date(2026, 11, 1), POLICY)
    assert "履行义务" in str(refused.value)


def test_a_declared_kind_is_repairable_where_its_bureau_declares_a_route() -> None:
    # A customs 失信企业 rating (connectors.customs): repair by written application to customs,
    # at the earliest 3 months after the rating (署令第251号 第二十六条 [S]).
    rated = dt.date(2026, 3, 10)
    dishonest = rec(DISHONEST, rated, source=CUSTOMS, authority="银川海关")
    with pytest.raises(RepairNotYet) as early:
        check_repair(dishonest, dt.date(2026, 6, 10), POLICY)
    assert early.value.repairable_from == dt.date(2026, 6, 11)
    route = check_repair(dishonest, dt.date(2026, 6, 11), POLICY)
    assert route.channel == "作出认定的海关（书面申请）"
    assert "书面申请信用修复" in route.basis
    # A declared kind without a route ends only when its bureau ends it.
    pledge = rec(PLEDGE, rated, source=IP, authority="国家知识产权局")
    with pytest.raises(NotRepairable):
        check_repair(pledge, dt.date(2026, 11, 1), POLICY)


def test_repaired_or_open_repair_is_refused() -> None:
    record = penalty(repair_status=RepairStatus.REPAIRED, repaired_on=dt.date(2026, 6, 1))
    with pytest.raises(NotRepairable):
        check_repair(record, dt.date(2026, 11, 1), POLICY)
    with pytest.raises(RepairAlreadyOpen):
        check_repair(penalty(), dt.date(2026, 11, 1), POLICY,
                     [case(CaseKind.REPAIR, CaseStatus.OPEN)])  # fmt: skip


def test_objection_rounds() -> None:
    rights = RightsPolicy()
    assert check_objection(ObjectionTarget.CONTENT, [], rights) == 1
    with pytest.raises(ObjectionAlreadyOpen):
        check_objection(ObjectionTarget.CONTENT, [case(CaseKind.OBJECTION, CaseStatus.OPEN)],
                        rights)  # fmt: skip
    once = [case(CaseKind.OBJECTION, CaseStatus.REJECTED)]
    assert check_objection(ObjectionTarget.CONTENT, once, rights) == 2
    with pytest.raises(ObjectionLimitReached):
        check_objection(ObjectionTarget.CONTENT, once * 2, rights)
    with pytest.raises(InvalidCaseInput):
        check_objection(ObjectionTarget.REPAIR_DECISION, [], rights)
    refused = [case(CaseKind.REPAIR, CaseStatus.REFUSED)]
    assert check_objection(ObjectionTarget.REPAIR_DECISION, refused, rights) == 1


@pytest.mark.parametrize(
    ("name", "media_type", "content", "error"),
    [
        ("a.txt", "text/plain", "证明".encode() * 200_000, AttachmentTooLarge),
        ("a.exe", "application/x-msdownload", b"MZ\x90\x00", AttachmentTypeNotAllowed),
        ("a.pdf", "application/pdf", b"MZ\x90\x00not a pdf", AttachmentTypeNotAllowed),
        ("a.png", "image/png", b"%PDF-1.7", AttachmentTypeNotAllowed),
        ("a.txt", "text/plain", b"\x00\x01\x02", AttachmentTypeNotAllowed),
    ],
)
def test_attachments_are_limited_by_size_and_content(
    name: str, media_type: str, content: bytes, error: type[Exception]
) -> None:
    with pytest.raises(error):
        check_attachment(name, media_type, content, RightsPolicy())


def test_good_attachments_pass() -> None:
    for media_type, content in [
        ("application/pdf", b"%PDF-1.7\n..."),
        ("image/png", b"\x89PNG\r\n\x1a\n...."),
        ("image/jpeg", b"\xff\xd8\xff\xe0...."),
        ("text/plain; charset=utf-8", "已缴清罚款。".encode()),
    ]:
        check_attachment("证明", media_type, content, RightsPolicy())


def test_marks_show_pending_states_and_apply_decided_corrections() -> None:
    record = penalty()
    key = (record.source.value, record.id)
    (pending,) = marked([record], {key: RecordMark(*key, objection_open=True)})
    assert rights_state(pending) is RightsState.OBJECTION_PENDING
    (applied,) = marked([record], {key: RecordMark(*key, repair_open=True)})
    assert rights_state(applied) is RightsState.REPAIR_PENDING
    day = dt.date(2026, 7, 1)
    (done,) = marked([record], {key: RecordMark(*key, corrections=((Correction(
        CorrectionAction.REPAIR), day),))})  # fmt: skip
    assert rights_state(done) is RightsState.REPAIRED
    assert done.repaired_on == day
    (gone,) = marked([record], {key: RecordMark(*key, corrections=((Correction(
        CorrectionAction.WITHDRAW), day),))})  # fmt: skip
    assert gone.deleted_on == day


def test_the_commitment_names_the_subject_and_the_record() -> None:
    text = commitment_text("宁夏示例科技有限公司", "超标排放", dt.date(2026, 12, 2))
    assert "宁夏示例科技有限公司" in text
    assert "超标排放" in text
    assert "2026年12月02日" in text
