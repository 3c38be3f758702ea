"""Access control through the graph: consents, masking, audit, access log, discipline checks."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from credit.access import person_subject_key
from gateway.database import Database
from gateway.settings import DEMO_SUBJECT_KEY_SECRET
from simulators.world import World
from tests.resolvers.conftest import ADMIN_KEY, CitizenFactory, consent_end

GATED = """query($c: String!) { enterprise(uscc: $c) {
  name legalRepresentative { idNumber }
  taxPayments { month zeroReturn } socialInsurance { headcount } utilities { kind }
} }"""
GRANT = """mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id scopes } }"""
REVOKE = """mutation($id: ID!) { revokeConsent(id: $id) { id revokedAt } }"""


async def gql(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def gated_enterprise(world: World, skip: int = 0) -> str:
    """An active enterprise every consent-gated bureau knows."""
    found = (
        code
        for code in world.organisation_codes()
        if (facts := world.facts(code)) is not None
        and facts.tax is not None
        and facts.social_insurance is not None
        and facts.utilities is not None
        and code.startswith("91")
    )
    return next(itertools.islice(found, skip, None))


def errors_by_field(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["path"][-1]: e["extensions"] for e in body.get("errors", [])}


async def grant(
    citizen: CitizenFactory,
    world: World,
    uscc: str,
    *,
    bank: str = "demo-bank",
    scopes: tuple[str, ...] = ("TAX", "HRSS", "UTILITIES"),
    purpose: str = "LOAN_PRECHECK",
) -> str:
    rep = world.registrations[uscc].legal_rep_id
    async with citizen(rep, (uscc,)) as http:
        body = await gql(
            http,
            GRANT,
            input={
                "subjectCode": uscc,
                "bankId": bank,
                "scopes": list(scopes),
                "purpose": purpose,
                "endsOn": consent_end(),
            },
        )
    assert "errors" not in body, body
    consent_id: str = body["data"]["grantConsent"]["id"]
    return consent_id


async def test_bank_without_consent_gets_only_public_fields(
    as_client: Callable[..., httpx.AsyncClient], demo_keys: dict[str, str], world: World
) -> None:
    uscc = gated_enterprise(world, 0)
    async with as_client(demo_keys["bank"], purpose="LOAN_PRECHECK") as bank:
        body = await gql(bank, GATED, c=uscc)
    assert body["data"]["enterprise"]["name"] == world.registrations[uscc].name
    errors = errors_by_field(body)
    assert errors["taxPayments"] == {"code": "CONSENT_REQUIRED", "scope": "TAX"}
    assert errors["socialInsurance"] == {"code": "CONSENT_REQUIRED", "scope": "HRSS"}
    assert errors["utilities"] == {"code": "CONSENT_REQUIRED", "scope": "UTILITIES"}


async def test_consent_opens_gated_fields_and_revocation_closes_them_at_once(
    as_client: Callable[..., httpx.AsyncClient],
    citizen: CitizenFactory,
    demo_keys: dict[str, str],
    world: World,
) -> None:
    uscc = gated_enterprise(world, 1)
    consent_id = await grant(citizen, world, uscc)
    async with as_client(demo_keys["bank"], purpose="LOAN_PRECHECK") as bank:
        body = await gql(bank, GATED, c=uscc)
        assert "errors" not in body, body["errors"]
        assert len(body["data"]["enterprise"]["taxPayments"]) == 24
        again = await gql(bank, GATED, c=uscc)  # now every gated answer is in the cache
        cached = {p["source"]: p["cached"] for p in again["extensions"]["provenance"]}
        assert cached["tax"] is True

        rep = world.registrations[uscc].legal_rep_id
        async with citizen(rep, (uscc,)) as http:
            revoked = await gql(http, REVOKE, id=consent_id)
        assert revoked["data"]["revokeConsent"]["revokedAt"] is not None

        after = await gql(bank, GATED, c=uscc)
    assert after["data"]["enterprise"]["taxPayments"] is None
    assert errors_by_field(after)["taxPayments"]["code"] == "CONSENT_REQUIRED"


async def test_purpose_must_be_stated_and_match(
    as_client: Callable[..., httpx.AsyncClient],
    citizen: CitizenFactory,
    demo_keys: dict[str, str],
    world: World,
) -> None:
    uscc = gated_enterprise(world, 2)
    await grant(citizen, world, uscc, purpose="LOAN_PRECHECK")
    async with as_client(demo_keys["bank"]) as bank:
        unstated = await gql(bank, GATED, c=uscc)
    assert "X-Purpose" in next(
        e["message"] for e in unstated["errors"] if e["path"][-1] == "taxPayments"
    )
    async with as_client(demo_keys["bank"], purpose="POST_LOAN") as bank:
        other = await gql(bank, GATED, c=uscc)
    assert errors_by_field(other)["taxPayments"]["code"] == "CONSENT_REQUIRED"


async def test_bank_reads_are_audited_and_the_subject_sees_who_looked(
    as_client: Callable[..., httpx.AsyncClient],
    citizen: CitizenFactory,
    demo_keys: dict[str, str],
    world: World,
    seeded_database: Database,
) -> None:
    uscc = gated_enterprise(world, 3)
    consent_id = await grant(citizen, world, uscc)
    async with as_client(demo_keys["bank"], purpose="LOAN_PRECHECK") as bank:
        body = await gql(bank, GATED, c=uscc)
        request_id = body["extensions"]["requestId"]
        own_log = await gql(
            bank, "query($c:String!){enterprise(uscc:$c){accessLog{totalCount}}}", c=uscc
        )
    assert errors_by_field(own_log)["accessLog"]["code"] == "FORBIDDEN"
    rows = await seeded_database.pool.fetch(
        "SELECT principal_kind, consent_id, scopes, purpose FROM audit_log "
        "WHERE subject_key = $1 AND request_id = $2",
        uscc,
        request_id,
    )
    live = {
        str(r["id"])
        for r in await seeded_database.pool.fetch(
            "SELECT id FROM consents WHERE subject_code = $1 AND bank_id = 'demo-bank' "
            "AND revoked_at IS NULL",
            uscc,
        )
    }
    assert consent_id in live
    # Other tests may have consented for this firm too: the row names one live consent of it.
    assert [r["principal_kind"] for r in rows] == ["bank"]
    assert str(rows[0]["consent_id"]) in live
    assert set(rows[0]["scopes"]) == {"tax", "hrss", "utilities"}
    assert rows[0]["purpose"] == "信易贷贷前审查"

    rep = world.registrations[uscc].legal_rep_id
    async with citizen(rep, (uscc,)) as http:
        seen = await gql(
            http,
            "query($c:String!){enterprise(uscc:$c){accessLog{edges{node{who purpose scopes}}}}}",
            c=uscc,
        )
    entries = [e["node"] for e in seen["data"]["enterprise"]["accessLog"]["edges"]]
    assert any(e["purpose"] == "信易贷贷前审查" and "tax" in e["scopes"] for e in entries)


async def test_no_audit_row_no_data(
    as_client: Callable[..., httpx.AsyncClient],
    demo_keys: dict[str, str],
    world: World,
    seeded_database: Database,
) -> None:
    uscc = gated_enterprise(world, 4)
    # A real database refusal: the audit table rejects inserts for the length of this test.
    await seeded_database.pool.execute(
        """CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN RAISE EXCEPTION 'audit store unavailable (test)'; END $$;
           CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log
           FOR EACH ROW EXECUTE FUNCTION test_refuse_audit();"""
    )
    try:
        async with as_client(demo_keys["officer"]) as officer:
            body = await gql(officer, "query($c:String!){enterprise(uscc:$c){name}}", c=uscc)
    finally:
        await seeded_database.pool.execute(
            "DROP TRIGGER test_refuse_audit ON audit_log; DROP FUNCTION test_refuse_audit();"
        )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "AUDIT_UNAVAILABLE"
    assert world.registrations[uscc].name not in str(body)


async def test_masking_per_principal(
    as_client: Callable[..., httpx.AsyncClient],
    citizen: CitizenFactory,
    demo_keys: dict[str, str],
    world: World,
) -> None:
    uscc = gated_enterprise(world, 5)
    rep = world.registrations[uscc].legal_rep_id
    query = "query($c:String!){enterprise(uscc:$c){legalRepresentative{idNumber}}}"
    for key in (None, demo_keys["bank"], demo_keys["officer"], ADMIN_KEY):
        async with as_client(key) as http:
            shown = (await gql(http, query, c=uscc))["data"]["enterprise"]
        assert shown["legalRepresentative"]["idNumber"] != rep
        assert rep not in str(shown)
    async with citizen(rep, (uscc,)) as http:
        own = (await gql(http, query, c=uscc))["data"]["enterprise"]
    assert own["legalRepresentative"]["idNumber"] == rep
    person = "query($c:String!){subject(code:$c){code}}"
    async with citizen(rep) as http:
        assert (await gql(http, person, c=rep))["data"]["subject"]["code"] == rep
    other = world.boundary["defaulter_legal_rep"]
    async with citizen(rep) as http:
        assert (await gql(http, person, c=other))["data"]["subject"]["code"] != other


async def test_a_citizen_cannot_consent_for_an_enterprise_they_do_not_represent(
    citizen: CitizenFactory, world: World
) -> None:
    uscc, stranger = gated_enterprise(world, 6), gated_enterprise(world, 7)
    rep = world.registrations[uscc].legal_rep_id
    async with citizen(rep, (uscc,)) as http:
        body = await gql(
            http,
            GRANT,
            input={
                "subjectCode": stranger,
                "bankId": "demo-bank",
                "scopes": ["TAX"],
                "purpose": "LOAN_PRECHECK",
                "endsOn": consent_end(),
            },
        )
    assert body["errors"][0]["extensions"]["code"] in {"FORBIDDEN", "CONSENT_FORBIDDEN"}


@pytest.mark.parametrize("who", ["public", "bank"])
async def test_discipline_check_is_for_officers(
    as_client: Callable[..., httpx.AsyncClient], demo_keys: dict[str, str], world: World, who: str
) -> None:
    query = """query($c:String!){disciplineCheck(code:$c, matter: GOVERNMENT_PROCUREMENT){
        restricted sanctions { measure { name legalBasis } record { id kind } } }}"""
    code = world.boundary["defaulter_ground1_unperformed"]
    async with as_client(demo_keys.get(who)) as http:
        refused = await gql(http, query, c=code)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with as_client(demo_keys["officer"]) as officer:
        body = await gql(officer, query, c=code)
    check = body["data"]["disciplineCheck"]
    assert check["restricted"] is True
    assert all(s["measure"]["legalBasis"] and s["record"] for s in check["sanctions"])


def test_person_keys_are_keyed_hashes() -> None:
    key = person_subject_key("11010519491231002X", DEMO_SUBJECT_KEY_SECRET)
    assert key.startswith("p:")
    assert "11010519491231002X" not in key
