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

from gateway.database import Database
from simulators.world import World
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
    async with http:
        body: dict[str, Any] = await gql(http, QUERY, c=uscc)
    data = body["data"]["enterprise"]
    errors = {e["path"][-1]: e["extensions"]["code"] for e in body.get("errors", [])}
    for field in [*GATED_FIELDS, "accessLog"]:
        want = expected(principal, state, field)
        got = "ok" if data[field] is not None and field not in errors else errors.get(field)
        assert got == want, f"{principal} × {field} × {state}: {got} != {want}"
    shown_id = data["legalRepresentative"]["idNumber"]
    assert (shown_id == rep) == (principal == "citizen_self"), f"{principal} sees {shown_id}"
