"""The authorisation matrix: principal × field × consent state, every cell checked.

Each consent state lives on its own enterprise (consents to the demo bank unless the state
says otherwise).  The expected outcome of every cell is computed from the rules as written
in DESIGN.md and DOMAIN.md §4 — a bank reads a gated field only under a live consent covering
its scope; the subject (through its legal representative) always reads its own data; the
access log is for the subject and operators; ID numbers are in clear only for their owner —
so removing any single check turns some cell red.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from credit.policy import PublicityPolicy
from credit.publicity import publicity_window, shareable_with_bank, visible_to_public
from credit.records import CreditRecord, OperatingStatus, RecordKind, RepairStatus
from gateway.database import Database
from gateway.settings import Settings
from simulators.world import World
from tests.conftest import TEST_WORLD
from tests.resolvers.conftest import ADMIN_KEY, CitizenFactory
from tests.resolvers.test_access import GRANT, REVOKE, gated_enterprise, gql

STATES = ["none", "live", "expired", "revoked", "wrong_bank", "wrong_scope"]
PRINCIPALS = ["public", "bank", "officer", "operator", "citizen_self", "citizen_other"]
GATED_FIELDS = {
    "taxPayments": "TAX",
    "taxGrades": "TAX",
    "socialInsurance": "HRSS",
    "utilities": "UTILITIES",
}
QUERY = """query($c: String!) { enterprise(uscc: $c) {
  name legalRepresentative { idNumber }
  taxPayments { month } taxGrades { year } socialInsurance { month } utilities { month }
  accessLog(first: 5) { totalCount }
} }"""
ALL_SCOPES = ["TAX", "HRSS", "UTILITIES"]


def consent_scopes(state: str) -> set[str]:
    """What a consent to the demo bank covers in each state (nothing when not live)."""
    return {"live": set(ALL_SCOPES), "wrong_scope": {"UTILITIES"}}.get(state, set())


@pytest.fixture(scope="module")
async def matrix_world(
    citizen: CitizenFactory, world: World, seeded_database: Database
) -> dict[str, str]:
    """One enterprise per consent state, its consent put in that state."""
    chosen = {state: gated_enterprise(world, 20 + i) for i, state in enumerate(STATES)}
    for state, uscc in chosen.items():
        if state == "none":
            continue
        rep = world.registrations[uscc].legal_rep_id
        scopes = ["UTILITIES"] if state == "wrong_scope" else ALL_SCOPES
        bank = "other-bank" if state == "wrong_bank" else "demo-bank"
        async with citizen(rep, (uscc,)) as http:
            body = await gql(
                http,
                GRANT,
                input={
                    "subjectCode": uscc,
                    "bankId": bank,
                    "scopes": scopes,
                    "purpose": "LOAN_PRECHECK",
                    "endsOn": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
                },
            )
            consent_id = body["data"]["grantConsent"]["id"]
            if state == "revoked":
                await gql(http, REVOKE, id=consent_id)
        if state == "expired":  # a consent whose term ended yesterday, as time would leave it
            await seeded_database.pool.execute(
                "UPDATE consents SET granted_on = $2, ends_on = $3 WHERE id = $1::uuid",
                consent_id,
                dt.date.today() - dt.timedelta(days=40),
                dt.date.today() - dt.timedelta(days=1),
            )
    return chosen


def expected(principal: str, state: str, field: str) -> str:
    """``ok`` or the error code the cell must show."""
    if field == "accessLog":
        return "ok" if principal in {"citizen_self", "operator"} else "FORBIDDEN"
    if principal == "citizen_self":
        return "ok"
    if principal == "bank" and GATED_FIELDS[field] in consent_scopes(state):
        return "ok"
    return "CONSENT_REQUIRED"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("principal", PRINCIPALS)
async def test_cell(
    principal: str,
    state: str,
    matrix_world: dict[str, str],
    as_client: Callable[..., httpx.AsyncClient],
    citizen: CitizenFactory,
    demo_keys: dict[str, str],
    world: World,
) -> None:
    uscc = matrix_world[state]
    rep = world.registrations[uscc].legal_rep_id
    if principal == "citizen_self":
        http = citizen(rep, (uscc,))
    elif principal == "citizen_other":
        http = citizen(
            world.registrations[matrix_world["none" if state != "none" else "live"]].legal_rep_id
        )
    else:
        key = {"public": None, "operator": ADMIN_KEY}.get(principal, demo_keys.get(principal))
        http = as_client(key, purpose="LOAN_PRECHECK")
    async with http as caller:
        body: dict[str, Any] = await gql(caller, QUERY, c=uscc)
    data = body["data"]["enterprise"]
    errors = {e["path"][-1]: e["extensions"]["code"] for e in body.get("errors", [])}
    for field in [*GATED_FIELDS, "accessLog"]:
        want = expected(principal, state, field)
        got = "ok" if data[field] is not None and field not in errors else errors.get(field)
        assert got == want, f"{principal} × {field} × {state}: {got} != {want}"
    shown_id = data["legalRepresentative"]["idNumber"]
    assert (shown_id == rep) == (principal == "citizen_self"), f"{principal} sees {shown_id}"


# --- the publicity window: which records reach whom ------------------------------------------
# One firm per way a record leaves its window; for every principal the records list (and its
# count), the report, the classification's reasons and the sanctions must hold exactly what
# credit.access.may_see_record allows: the public (and officers, operators, other citizens) the
# records inside their window, the bank those shareable with banks, the subject all of its own.

WINDOW_CASES: dict[str, Callable[[CreditRecord, dt.date, PublicityPolicy], bool]] = {
    "expired_penalty": lambda r, day, p: (
        r.kind in {RecordKind.ADMIN_PENALTY, RecordKind.MARKET_PENALTY}
        and r.repair_status is not RepairStatus.REPAIRED
        and publicity_window(r, p).published
        and not visible_to_public(r, day, p)
    ),
    "repaired": lambda r, day, p: (
        r.repair_status is RepairStatus.REPAIRED
        and r.repaired_on is not None
        and r.repaired_on <= day
    ),
    "deleted_defaulter": lambda r, day, p: (
        r.kind is RecordKind.JUDGMENT_DEFAULTER and not visible_to_public(r, day, p)
    ),
    "lapsed_permit": lambda r, day, p: (
        r.kind is RecordKind.PERMIT
        and r.ended_on is not None
        and r.ended_on < day
        and not visible_to_public(r, day, p)
    ),
}
PUBLIC_VIEW = {"public", "officer", "operator", "citizen_other"}
WINDOW_QUERY = """query($c: String!) { enterprise(uscc: $c) {
  records(first: 40) { totalCount edges { node { id publicity { visibleNow } } } }
  classification { reasons { recordId } lesserReasons { recordId } }
  sanctions { record { id } }
} }"""
REPORT_QUERY = """query($c: String!) { enterprise(uscc: $c) {
  creditReport { sections { count records { id } } }
} }"""


@pytest.fixture(scope="module")
def window_firms(world: World, settings: Settings) -> dict[str, tuple[str, CreditRecord]]:
    """Per case, an active firm (its representative can act for it) and the record at issue."""
    day, policy = TEST_WORLD.today, settings.publicity
    found: dict[str, tuple[str, CreditRecord]] = {}
    for code in world.organisation_codes():
        reg = world.registrations[code]
        facts = world.facts(code)
        if reg.status is not OperatingStatus.ACTIVE or facts is None:
            continue
        records = facts.records()
        if len(records) > 40:
            continue
        for case, matches in WINDOW_CASES.items():
            hit = next((r for r in records if matches(r, day, policy)), None)
            if case not in found and hit is not None:
                found[case] = (code, hit)
        if len(found) == len(WINDOW_CASES):
            return found
    raise AssertionError(f"the test world lacks window cases: {set(WINDOW_CASES) - set(found)}")


def may_see(principal: str, record: CreditRecord, policy: PublicityPolicy) -> bool:
    """The rule as DESIGN.md writes it, independently of credit.access."""
    day = TEST_WORLD.today
    if principal == "citizen_self":
        return True
    if principal == "bank":
        return shareable_with_bank(record, day, policy)
    return visible_to_public(record, day, policy)


@pytest.mark.parametrize("case", WINDOW_CASES)
@pytest.mark.parametrize("principal", PRINCIPALS)
async def test_window_cell(
    principal: str,
    case: str,
    window_firms: dict[str, tuple[str, CreditRecord]],
    as_client: Callable[..., httpx.AsyncClient],
    citizen: CitizenFactory,
    demo_keys: dict[str, str],
    world: World,
    settings: Settings,
) -> None:
    uscc, at_issue = window_firms[case]
    rep = world.registrations[uscc].legal_rep_id
    if principal == "citizen_self":
        http = citizen(rep, (uscc,))
    elif principal == "citizen_other":
        other = next(c for c, _ in window_firms.values() if c != uscc)
        http = citizen(world.registrations[other].legal_rep_id, (other,))
    else:
        key = {"public": None, "operator": ADMIN_KEY}.get(principal, demo_keys.get(principal))
        http = as_client(key, purpose="LOAN_PRECHECK")
    async with http as caller:
        body: dict[str, Any] = await gql(caller, WINDOW_QUERY, c=uscc)
        report: dict[str, Any] = await gql(caller, REPORT_QUERY, c=uscc)
    assert "errors" not in body, body
    assert "errors" not in report, report
    data = body["data"]["enterprise"]
    sections = report["data"]["enterprise"]["creditReport"]["sections"]
    facts = world.facts(uscc)
    assert facts is not None
    policy = settings.publicity
    allowed = {r.id for r in facts.records() if may_see(principal, r, policy)}
    listed = [e["node"]["id"] for e in data["records"]["edges"]]
    where = f"{principal} × {case}"
    assert sorted(listed) == sorted(allowed), where
    assert data["records"]["totalCount"] == len(allowed), where
    assert (at_issue.id in listed) == may_see(principal, at_issue, policy), where
    if principal in PUBLIC_VIEW:
        assert all(e["node"]["publicity"]["visibleNow"] for e in data["records"]["edges"]), where
    cited = {
        r["recordId"]
        for r in data["classification"]["reasons"] + data["classification"]["lesserReasons"]
    } | {s["record"]["id"] for s in data["sanctions"] if s["record"]}
    reported = [r["id"] for s in sections for r in s["records"]]
    counted = sum(s["count"] for s in sections)
    assert (cited - {None}) <= allowed, where
    assert set(reported) <= allowed, where
    assert at_issue.id not in reported, where
    assert counted >= len(reported), where
