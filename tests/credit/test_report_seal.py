"""The report number and its signed digest (credit.report_seal), and the 报告说明
(credit.report_notes)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest

from connectors.customs import CUSTOMS
from connectors.ip import IP
from credit.policy import PublicityPolicy
from credit.records import Performance, RecordKind, Source
from credit.report import CreditReport, SectionKey, credit_report, section_sources
from credit.report_notes import OBJECTIONS, bureau_name, objection_channels, report_notes
from credit.report_seal import (
    MIN_KEY_BYTES,
    InvalidReportNumber,
    digests_match,
    report_content,
    report_number,
    seal_digest,
    validate_report_number,
)
from tests.credit.factories import SUBJECT, rec, registration

D = dt.date
FROM, TO, DAY = D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 15)
POLICY = PublicityPolicy()
KEY = b"k" * MIN_KEY_BYTES
AT = dt.datetime(2026, 1, 15, 8, 30, tzinfo=dt.UTC)


DEFAULTER = rec(
    RecordKind.JUDGMENT_DEFAULTER,
    D(2025, 6, 1),
    defaulter_ground=1,
    case_number="(2025)宁0104执12号",
    executing_court="银川市兴庆区人民法院",
    performance=Performance.PARTIAL,
)


def _report(**changes: Any) -> CreditReport:
    record = dataclasses.replace(DEFAULTER, **changes)
    return credit_report(
        SUBJECT, FROM, TO, DAY, POLICY, records=[record], registration=registration()
    )


# --- numbers -------------------------------------------------------------------------------


def test_number_is_prefix_day_and_six_digit_sequence() -> None:
    assert report_number(D(2026, 11, 22), 1) == "XYBG20261122000001"
    assert report_number(D(2026, 11, 22), 999_999) == "XYBG20261122999999"
    for bad in (0, 1_000_000):
        with pytest.raises(ValueError, match="sequence"):
            report_number(D(2026, 11, 22), bad)


@pytest.mark.parametrize("raw", ["XYBG20261122000001", " xybg2026 1122000001 "])
def test_a_number_as_printed_or_typed_is_read(raw: str) -> None:
    assert validate_report_number(raw) == "XYBG20261122000001"


@pytest.mark.parametrize(
    "raw",
    ["", "XYBG2026112200001", "XYBG20261122000001X", "XYBG20261322000001", "AB20261122000001"],
)
def test_a_malformed_number_is_refused_with_a_stable_code(raw: str) -> None:
    with pytest.raises(InvalidReportNumber) as caught:
        validate_report_number(raw)
    assert caught.value.extensions() == {"code": "INVALID_REPORT_NUMBER"}
    assert "XYBG" in str(caught.value)


# --- digests -------------------------------------------------------------------------------


def test_the_content_is_canonical_and_covers_the_printed_record_fields() -> None:
    content = report_content(_report())
    assert content == report_content(_report())
    parsed = json.loads(content)
    [record] = next(s for s in parsed["sections"] if s["records"])["records"]
    assert record["case_number"] == "(2025)宁0104执12号"
    assert record["performance"] == "部分履行"
    for change in (
        {"performance": Performance.FULL},
        {"case_number": "(2025)宁0104执13号"},
        {"authority_code": "116401040000000000"},
        {"title": "另一案"},
    ):
        assert report_content(_report(**change)) != content


def test_digest_binds_number_moment_and_content_under_the_key() -> None:
    content = report_content(_report())
    digest = seal_digest(KEY, "XYBG20260115000001", AT, content)
    assert len(digest) == 64
    assert digest == seal_digest(KEY, "XYBG20260115000001", AT.astimezone(), content)
    others = {
        seal_digest(KEY, "XYBG20260115000002", AT, content),
        seal_digest(KEY, "XYBG20260115000001", AT + dt.timedelta(microseconds=1), content),
        seal_digest(KEY, "XYBG20260115000001", AT, content + b" "),
        seal_digest(b"j" * MIN_KEY_BYTES, "XYBG20260115000001", AT, content),
    }
    assert digest not in others
    assert len(others) == 4


def test_a_short_key_or_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        seal_digest(b"k" * (MIN_KEY_BYTES - 1), "XYBG20260115000001", AT, b"{}")
    with pytest.raises(ValueError, match="offset"):
        seal_digest(KEY, "XYBG20260115000001", AT.replace(tzinfo=None), b"{}")


def test_presented_digests_are_compared_case_insensitively_and_only_if_well_formed() -> None:
    digest = seal_digest(KEY, "XYBG20260115000001", AT, b"{}")
    assert digests_match(digest, digest.upper())
    assert digests_match(digest, f" {digest[:32]} {digest[32:]} ")
    assert not digests_match(digest, digest[:-1] + ("0" if digest[-1] != "0" else "1"))
    assert not digests_match(digest, digest[:63])
    assert not digests_match(digest, "g" * 64)


# --- 报告说明 --------------------------------------------------------------------------------


def test_cut_off_is_the_oldest_answer_and_none_without_any() -> None:
    report = _report()
    later, earlier = AT, AT - dt.timedelta(minutes=4)
    notes = report_notes(report, [later, earlier])
    assert notes.data_cutoff == earlier
    assert report_notes(report, []).data_cutoff is None


def test_sources_per_section_are_the_sections_own() -> None:
    notes = report_notes(_report(), [AT])
    assert {n.key: n.sources for n in notes.sections} == {k: section_sources(k) for k in SectionKey}
    judicial = next(n for n in notes.sections if n.key.name == "JUDICIAL")
    assert judicial.bureaus == ("人民法院",)


def test_every_feeding_bureau_has_an_objection_channel_citing_its_instrument() -> None:
    notes = report_notes(_report(), [AT])
    feeding = {s for key in SectionKey for s in section_sources(key)}
    assert {o.source for o in notes.objections} == feeding
    for objection in objection_channels():
        assert objection.bureau == bureau_name(objection.source)
        assert objection.instrument.startswith("《")
        assert objection.channel
    court = next(o for o in OBJECTIONS if o.source is Source.COURT)
    assert "执行法院" in court.channel
    assert "第十一条、第十二条" in court.instrument  # 申请纠正, 复议 (法释〔2017〕7号)
    market = next(o for o in OBJECTIONS if o.source is Source.MARKET)
    assert "国家企业信用信息公示系统" in market.channel
    assert any("异议处理中" in s for s in notes.statements)


def test_a_registry_bureau_is_in_the_notes_of_the_sections_it_feeds() -> None:
    # Customs and IP are registry bureaus (connectors.customs, .ip): their kinds declare the
    # sections, their modules the objection channel; the notes name them like the others.
    notes = report_notes(_report(), [AT])
    by_key = {n.key: n for n in notes.sections}
    assert CUSTOMS in by_key[SectionKey.SERIOUS_LISTS].sources  # 海关失信企业
    assert "海关" in by_key[SectionKey.HONESTY].bureaus  # 高级认证
    assert "知识产权管理部门" in by_key[SectionKey.ADMINISTRATIVE].bureaus
    customs = next(o for o in notes.objections if o.source == CUSTOMS)
    assert customs.instrument == "《海关注册登记和备案企业信用管理办法》"
    assert "单一窗口" in customs.channel
    ip = next(o for o in notes.objections if o.source == IP)
    assert "国家知识产权局" in ip.channel
    assert [o.source for o in notes.objections][-2:] == [CUSTOMS, IP]  # after the domain's
