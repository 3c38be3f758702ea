"""credit.access: principals' invariants and every branch of the consent and visibility rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from credit.access import (
    ANONYMOUS,
    CONSENT_TZ,
    Audience,
    ClientScope,
    Consent,
    ConsentScope,
    ConsentTermTooLong,
    InvalidConsent,
    Principal,
    PrincipalKind,
    check_consent_request,
    consent_covers,
    find_live_consent,
    local_date,
    may_act_as_bank,
    may_act_for,
    may_introspect,
    may_manage_products,
    may_read_access_log,
    may_read_approval_stats,
    may_read_precheck,
    may_read_prechecks_on,
    may_see_record,
    may_see_unmasked,
    person_subject_key,
    record_audience,
    requires_audit,
)
from credit.policy import PublicityPolicy
from credit.publicity import shareable_with_bank, visible_to_public
from credit.records import RecordKind, RepairStatus, Severity
from tests.credit.factories import rec

FIRM = "91640104P5H4MY366K"
OTHER_FIRM = "91640100MA76F1FX9R"
PERSON = "p:" + "a" * 64
PURPOSE = "信易贷贷前审查"
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)  # 18:00 in Yinchuan

BANK = Principal(PrincipalKind.BANK, client_id="k1", display_name="甲银行", bank_id="bank-a")
CITIZEN = Principal(
    PrincipalKind.CITIZEN, client_id="bot", subject_key=PERSON, represents=frozenset({FIRM})
)
OFFICER = Principal(PrincipalKind.OFFICER, client_id="o1", scopes=frozenset({"schema:read"}))
OPERATOR = Principal(PrincipalKind.OPERATOR, client_id="admin")


def consent(**changes: object) -> Consent:
    base = Consent(
        id="c-1",
        subject_code=FIRM,
        bank_id="bank-a",
        scopes=frozenset({ConsentScope.TAX}),
        purpose=PURPOSE,
        granted_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 11, 30),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def covers(c: Consent, **changes: object) -> bool:
    args: dict[str, object] = {
        "bank_id": "bank-a",
        "scope": ConsentScope.TAX,
        "purpose": PURPOSE,
        "now": NOW,
    }
    args.update(changes)
    return consent_covers(c, **args)  # type: ignore[arg-type]


# --- principals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": PrincipalKind.BANK},  # a bank without its bank id
        {"kind": PrincipalKind.OFFICER, "bank_id": "b"},
        {"kind": PrincipalKind.CITIZEN},  # a citizen without a subject key
        {"kind": PrincipalKind.BANK, "bank_id": "b", "subject_key": PERSON},
        {"kind": PrincipalKind.OFFICER, "represents": frozenset({FIRM})},
        {"kind": PrincipalKind.PUBLIC, "scopes": frozenset({"schema:read"})},
    ],
)
def test_principal_invariants(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"principal|citizen|anonymous"):
        Principal(**kwargs)  # type: ignore[arg-type]


def test_principal_is_frozen_and_anonymous_is_public() -> None:
    assert ANONYMOUS.kind is PrincipalKind.PUBLIC
    assert ANONYMOUS.scopes == frozenset()
    with pytest.raises(dataclasses.FrozenInstanceError):
        BANK.bank_id = "other"  # type: ignore[misc]


def test_labels_name_the_kind_and_the_bot() -> None:
    assert ANONYMOUS.labels() == {"public"}
    assert BANK.labels() == {"bank"}
    relayed = dataclasses.replace(CITIZEN, via_bot=True)
    assert relayed.labels() == {"citizen", "bot"}


def test_has_scope() -> None:
    assert OFFICER.has_scope(ClientScope.SCHEMA_READ)
    assert not BANK.has_scope(ClientScope.SCHEMA_READ)


# --- consent coverage: one test per condition ----------------------------------------------


def test_a_matching_live_consent_covers() -> None:
    assert covers(consent())


def test_wrong_bank_is_not_covered() -> None:
    assert not covers(consent(), bank_id="bank-b")


def test_wrong_scope_is_not_covered() -> None:
    assert not covers(consent(), scope=ConsentScope.HRSS)


def test_full_report_covers_every_scope() -> None:
    full = consent(scopes=frozenset({ConsentScope.FULL_REPORT}))
    assert all(covers(full, scope=s) for s in ConsentScope.members())


def test_wrong_purpose_is_not_covered_and_spaces_do_not_matter() -> None:
    assert not covers(consent(), purpose="营销")
    assert covers(consent(), purpose=f"  {PURPOSE} ")


def test_before_the_grant_day_is_not_covered() -> None:
    assert not covers(consent(granted_on=dt.date(2026, 11, 21)))


def test_the_end_day_is_inclusive_in_china_time() -> None:
    last_day = consent(ends_on=dt.date(2026, 11, 20))
    assert covers(last_day)
    # 16:30 UTC on the 20th is already 00:30 on the 21st in Yinchuan.
    assert not covers(last_day, now=dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.UTC))
    assert covers(last_day, now=dt.datetime(2026, 11, 20, 15, 59, tzinfo=dt.UTC))


def test_expired_is_not_covered() -> None:
    assert not covers(consent(ends_on=dt.date(2026, 11, 19)))


def test_revoked_is_not_covered_from_the_revocation_on() -> None:
    revoked = consent(revoked_at=NOW)
    assert not covers(revoked)
    assert covers(revoked, now=NOW - dt.timedelta(seconds=1))


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        covers(consent(), now=dt.datetime(2026, 11, 20, 10, 0))


def test_local_date_is_china_standard_time() -> None:
    assert local_date(dt.datetime(2026, 12, 31, 16, 0, tzinfo=dt.UTC)) == dt.date(2027, 1, 1)
    assert CONSENT_TZ.utcoffset(None) == dt.timedelta(hours=8)


def test_find_live_consent_filters_by_subject_and_prefers_the_longest() -> None:
    short = consent(id="c-short", ends_on=dt.date(2026, 11, 25))
    long_ = consent(id="c-long", ends_on=dt.date(2026, 12, 15))
    other = consent(id="c-other", subject_code=OTHER_FIRM, ends_on=dt.date(2027, 1, 1))
    revoked = consent(id="c-rev", ends_on=dt.date(2027, 1, 2), revoked_at=NOW)
    found = find_live_consent(
        [short, other, revoked, long_],
        subject_code=FIRM,
        bank_id="bank-a",
        scope=ConsentScope.TAX,
        purpose=PURPOSE,
        now=NOW,
    )
    assert found == long_
    tie = consent(id="c-0", ends_on=long_.ends_on)
    assert (
        find_live_consent(
            [long_, tie],
            subject_code=FIRM,
            bank_id="bank-a",
            scope=ConsentScope.TAX,
            purpose=PURPOSE,
            now=NOW,
        )
        == tie
    )
    assert (
        find_live_consent(
            [other, revoked],
            subject_code=FIRM,
            bank_id="bank-a",
            scope=ConsentScope.TAX,
            purpose=PURPOSE,
            now=NOW,
        )
        is None
    )


# --- grant checks --------------------------------------------------------------------------


def grant_check(**changes: object) -> None:
    args: dict[str, object] = {
        "scopes": [ConsentScope.TAX],
        "purpose": PURPOSE,
        "granted_on": dt.date(2026, 11, 1),
        "ends_on": dt.date(2027, 1, 30),
        "max_days": 90,
    }
    args.update(changes)
    check_consent_request(**args)  # type: ignore[arg-type]


def test_a_term_of_exactly_the_maximum_is_allowed() -> None:
    grant_check()  # 90 days
    with pytest.raises(ConsentTermTooLong, match="90") as caught:
        grant_check(ends_on=dt.date(2027, 1, 31))
    assert caught.value.extensions() == {"code": "CONSENT_TERM_TOO_LONG", "maxDays": 90}


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"scopes": []}, "授权范围"),
        ({"purpose": "  "}, "用途"),
        ({"purpose": "长" * 101}, "用途"),
        ({"ends_on": dt.date(2026, 10, 31)}, "早于"),
    ],
)
def test_invalid_grants(changes: dict[str, object], words: str) -> None:
    with pytest.raises(InvalidConsent, match=words) as caught:
        grant_check(**changes)
    assert caught.value.code == "INVALID_CONSENT"


# --- who may see what ----------------------------------------------------------------------


def test_may_act_for_self_and_represented_firms_only() -> None:
    assert may_act_for(CITIZEN, PERSON)
    assert may_act_for(CITIZEN, FIRM)
    assert not may_act_for(CITIZEN, OTHER_FIRM)
    assert not may_act_for(OPERATOR, FIRM)
    assert not may_act_for(BANK, FIRM)


def test_only_the_person_sees_themself_unmasked() -> None:
    assert may_see_unmasked(CITIZEN, PERSON)
    assert not may_see_unmasked(CITIZEN, "p:" + "b" * 64)
    assert not may_see_unmasked(CITIZEN, FIRM)  # representing a firm is not being its people
    for other in (ANONYMOUS, BANK, OFFICER, OPERATOR):
        assert not may_see_unmasked(other, PERSON)


def test_access_log_readers() -> None:
    assert may_read_access_log(CITIZEN, PERSON)
    assert may_read_access_log(CITIZEN, FIRM)
    assert may_read_access_log(OPERATOR, OTHER_FIRM)
    assert not may_read_access_log(CITIZEN, OTHER_FIRM)
    assert not may_read_access_log(BANK, FIRM)
    assert not may_read_access_log(OFFICER, FIRM)
    assert not may_read_access_log(ANONYMOUS, FIRM)


def test_banks_and_officers_are_audited() -> None:
    assert requires_audit(BANK)
    assert requires_audit(OFFICER)
    for other in (ANONYMOUS, CITIZEN, OPERATOR):
        assert not requires_audit(other)


def test_introspection_needs_schema_read_outside_demo() -> None:
    assert may_introspect(ANONYMOUS, demo=True)
    assert not may_introspect(ANONYMOUS, demo=False)
    assert not may_introspect(BANK, demo=False)
    assert may_introspect(OFFICER, demo=False)


def test_person_subject_key_is_keyed_stable_and_normalised() -> None:
    one = person_subject_key("11010519491231002x", b"k1")
    assert one == person_subject_key(" 11010519491231002X", b"k1")
    assert one != person_subject_key("11010519491231002X", b"k2")
    assert one.startswith("p:")
    assert "11010519491231002" not in one
    with pytest.raises(ValueError, match="secret"):
        person_subject_key("11010519491231002X", b"")


# --- which records reach whom -----------------------------------------------------------------

DAY = dt.date(2026, 11, 22)
POLICY = PublicityPolicy()
IN_WINDOW = rec(RecordKind.ADMIN_PENALTY, dt.date(2026, 6, 1), severity=Severity.GENERAL)
EXPIRED = rec(RecordKind.ADMIN_PENALTY, dt.date(2024, 6, 1), severity=Severity.GENERAL)
REPAIRED = rec(
    RecordKind.ADMIN_PENALTY,
    dt.date(2025, 6, 1),
    severity=Severity.SERIOUS,
    repair_status=RepairStatus.REPAIRED,
    repaired_on=dt.date(2026, 10, 1),
)


def test_record_audience_by_relationship() -> None:
    assert record_audience(CITIZEN, PERSON) is Audience.SUBJECT
    assert record_audience(CITIZEN, FIRM) is Audience.SUBJECT  # a firm they represent
    assert record_audience(CITIZEN, OTHER_FIRM) is Audience.PUBLIC
    assert record_audience(BANK, FIRM) is Audience.BANK
    for principal in (ANONYMOUS, OFFICER, OPERATOR):
        assert record_audience(principal, FIRM) is Audience.PUBLIC


def test_the_window_decides_for_the_public_and_sharing_for_banks() -> None:
    records = (IN_WINDOW, EXPIRED, REPAIRED)
    # the cases the guard must tell apart (whatever the periods, as the publicity rules say)
    assert [visible_to_public(r, DAY, POLICY) for r in records] == [True, False, False]
    assert not shareable_with_bank(REPAIRED, DAY, POLICY)
    for record in records:
        assert may_see_record(Audience.PUBLIC, record, DAY, POLICY) == visible_to_public(
            record, DAY, POLICY
        )
        assert may_see_record(Audience.BANK, record, DAY, POLICY) == shareable_with_bank(
            record, DAY, POLICY
        )
        assert may_see_record(Audience.SUBJECT, record, DAY, POLICY)


def test_bank_operations_need_a_bank_holding_the_scope() -> None:
    precheck = dataclasses.replace(BANK, scopes=frozenset({ClientScope.PRECHECK.value}))
    assert may_act_as_bank(precheck, ClientScope.PRECHECK)
    assert not may_act_as_bank(precheck, ClientScope.OUTCOME_REPORT)
    assert not may_act_as_bank(BANK, ClientScope.PRECHECK)
    assert not may_act_as_bank(OPERATOR, ClientScope.PRECHECK)


def test_products_are_the_operator_s_and_statistics_officers_too() -> None:
    assert [may_manage_products(p) for p in (BANK, CITIZEN, OFFICER, OPERATOR)] == [
        False,
        False,
        False,
        True,
    ]
    assert [may_read_approval_stats(p) for p in (BANK, CITIZEN, OFFICER, OPERATOR)] == [
        False,
        False,
        True,
        True,
    ]


def test_a_stored_precheck_is_for_its_bank_the_firm_s_representative_and_operators() -> None:
    firm = next(iter(CITIZEN.represents))
    assert may_read_precheck(BANK, bank_id="bank-a", uscc=firm)
    assert not may_read_precheck(BANK, bank_id="bank-b", uscc=firm)
    assert may_read_precheck(CITIZEN, bank_id="bank-b", uscc=firm)
    assert not may_read_precheck(CITIZEN, bank_id="bank-b", uscc="91640000000000000X")
    assert may_read_precheck(OPERATOR, bank_id="bank-b", uscc=firm)
    assert not may_read_precheck(OFFICER, bank_id="bank-a", uscc=firm)
    assert may_read_prechecks_on(CITIZEN, firm)
    assert not may_read_prechecks_on(CITIZEN, "91640000000000000X")
    assert not may_read_prechecks_on(BANK, firm)
