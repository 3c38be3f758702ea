"""A report's seal, its 报告说明 and ``verifyCreditReport``, over the real gateway and database;
and the per-record fields the real reports print, through the graph."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx

from gateway.database import Database
from simulators.world import World
from tests.conftest import TEST_WORLD
from tests.resolvers.conftest import CitizenFactory
from tests.resolvers.test_graph import gql

SEALED = """
query($c: String!) {
  subject(code: $c) {
    code
    creditReport {
      subjectCode
      seal { number digest issuedAt algorithm }
      again: seal { number }
      notes {
        dataCutoff
        sections { key sources bureaus }
        objections { source bureau channel instrument }
        statements
      }
    }
  }
}"""
VERIFY = """
query($n: String!, $d: String!) { verifyCreditReport(number: $n, digest: $d) { verdict issuedAt } }
"""


async def _seal(http: httpx.AsyncClient, code: str) -> dict[str, Any]:
    body = await gql(http, SEALED, c=code)
    assert "errors" not in body, body["errors"]
    report: dict[str, Any] = body["data"]["subject"]["creditReport"]
    return report


async def test_a_report_is_numbered_signed_and_kept_without_its_content(
    officer: httpx.AsyncClient, world: World, database: Database
) -> None:
    code = world.boundary["every_kind"]
    report = await _seal(officer, code)
    seal = report["seal"]
    assert re.fullmatch(rf"XYBG{TEST_WORLD.today:%Y%m%d}\d{{6}}", seal["number"])
    assert re.fullmatch(r"[0-9a-f]{64}", seal["digest"])
    assert seal["algorithm"] == "HMAC-SHA256"
    assert report["again"]["number"] == seal["number"]  # one report, one number
    row = await database.pool.fetchrow(
        "SELECT * FROM credit_reports WHERE number = $1", seal["number"]
    )
    assert row is not None
    assert set(row.keys()) == {"number", "issued_at", "digest", "subject_key", "request_id"}
    assert (row["digest"], row["subject_key"]) == (seal["digest"], code)
    second = await _seal(officer, code)
    assert second["seal"]["number"] != seal["number"]
    assert second["seal"]["digest"] != seal["digest"]


async def test_anyone_can_verify_and_learns_only_validity_and_when(
    officer: httpx.AsyncClient, client: httpx.AsyncClient, world: World
) -> None:
    seal = (await _seal(officer, world.boundary["every_kind"]))["seal"]
    genuine = (await gql(client, VERIFY, n=seal["number"], d=seal["digest"].upper()))["data"]
    assert genuine == {"verifyCreditReport": {"verdict": "VALID", "issuedAt": seal["issuedAt"]}}
    altered = seal["digest"][:-1] + ("0" if seal["digest"][-1] != "0" else "1")
    forged = (await gql(client, VERIFY, n=seal["number"], d=altered))["data"]
    assert forged == {"verifyCreditReport": {"verdict": "INVALID", "issuedAt": None}}
    unknown = (await gql(client, VERIFY, n="XYBG19990101000001", d=seal["digest"]))["data"]
    assert unknown == {"verifyCreditReport": {"verdict": "UNKNOWN", "issuedAt": None}}
    malformed = await gql(client, VERIFY, n="XYBG-1", d=seal["digest"])
    assert malformed["errors"][0]["extensions"] == {"code": "INVALID_REPORT_NUMBER"}


async def test_the_notes_state_cut_off_sources_and_objection_channels(
    officer: httpx.AsyncClient, world: World
) -> None:
    body = await gql(officer, SEALED, c=world.boundary["every_kind"])
    notes = body["data"]["subject"]["creditReport"]["notes"]
    fed = [p["fetchedAt"] for p in body["extensions"]["provenance"]]
    assert notes["dataCutoff"] == min(fed)  # one offset: the strings sort as the moments
    judicial = next(s for s in notes["sections"] if s["key"] == "JUDICIAL")
    assert (judicial["sources"], judicial["bureaus"]) == (["COURT"], ["人民法院"])
    channels = {o["source"]: o for o in notes["objections"]}
    assert "执行法院" in channels["COURT"]["channel"]
    assert "法释〔2017〕7号" in channels["COURT"]["instrument"]
    assert "国家企业信用信息公示系统" in channels["MARKET"]["channel"]
    assert all(o["instrument"].startswith("《") for o in notes["objections"])


async def test_a_persons_report_is_sealed_as_each_caller_sees_it(
    as_client: Callable[..., httpx.AsyncClient],
    citizen: CitizenFactory,
    world: World,
    database: Database,
) -> None:
    person = world.boundary["defaulter_legal_rep"]
    async with citizen(person) as own, as_client(None) as stranger:
        mine = await _seal(own, person)
        theirs = await _seal(stranger, person)
    assert mine["subjectCode"] == person  # in clear to its owner…
    assert theirs["subjectCode"] != person  # …masked to others
    assert person not in str(theirs)
    rows = await database.pool.fetch(
        "SELECT * FROM credit_reports WHERE number = ANY($1::text[])",
        [mine["seal"]["number"], theirs["seal"]["number"]],
    )
    assert len(rows) == 2
    assert person not in str([dict(r) for r in rows])  # a person is kept by subject key


RECORDS = """
query($c: String!) {
  subject(code: $c) {
    records(first: 50, filter: {kinds: [JUDGMENT_DEFAULTER, MARKET_PENALTY, ADMIN_PENALTY]}) {
      edges { node { id kind authority authorityCode caseNumber executingCourt performance } }
    }
  }
}"""


async def test_records_carry_authority_code_case_number_court_and_performance(
    officer: httpx.AsyncClient, world: World
) -> None:
    code = world.boundary["every_kind"]
    body = await gql(officer, RECORDS, c=code)
    nodes = [e["node"] for e in body["data"]["subject"]["records"]["edges"]]
    facts = world.facts(code)
    assert facts is not None
    served = {r.id: r for r in facts.records()}
    kinds = set()
    for node in nodes:
        record = served[node["id"]]
        kinds.add(node["kind"])
        assert node["authorityCode"] == record.authority_code
        assert node["caseNumber"] == record.case_number
        if node["kind"] == "JUDGMENT_DEFAULTER":
            assert node["executingCourt"] == node["authority"]
            assert node["performance"] in {"NONE", "PARTIAL", "FULL"}
        else:
            assert (node["executingCourt"], node["performance"]) == (None, None)
    assert "JUDGMENT_DEFAULTER" in kinds
    assert kinds & {"MARKET_PENALTY", "ADMIN_PENALTY"}


async def test_a_seal_the_database_refuses_is_null_and_the_report_stands(
    officer: httpx.AsyncClient, world: World, seeded_database: Database
) -> None:
    # A real database refusal: the issued-report table rejects inserts for this test only.
    await seeded_database.pool.execute(
        """CREATE FUNCTION test_refuse_reports() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN RAISE EXCEPTION 'report store unavailable (test)'; END $$;
           CREATE TRIGGER test_refuse_reports BEFORE INSERT ON credit_reports
           FOR EACH ROW EXECUTE FUNCTION test_refuse_reports();"""
    )
    before = await seeded_database.pool.fetchval("SELECT count(*) FROM credit_reports")
    try:
        body = await gql(officer, SEALED, c=world.boundary["every_kind"])
    finally:
        await seeded_database.pool.execute(
            "DROP TRIGGER test_refuse_reports ON credit_reports;"
            " DROP FUNCTION test_refuse_reports();"
        )
    report = body["data"]["subject"]["creditReport"]
    assert report["seal"] is None
    assert report["notes"]["objections"]  # the rest of the report stands
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"REPORT_REGISTRY_UNAVAILABLE"}
    assert await seeded_database.pool.fetchval("SELECT count(*) FROM credit_reports") == before


TWO_REPORTS = """
query($c: String!) {
  a: enterprise(uscc: $c) { creditReport { seal { number } again: seal { number } } }
  b: enterprise(uscc: $c) { creditReport { seal { number } } }
}"""


async def test_an_anonymous_request_takes_one_report_number_and_no_more(
    client: httpx.AsyncClient, officer: httpx.AsyncClient, world: World, database: Database
) -> None:
    """Each seal takes one of the day's 999,999 numbers: an anonymous request may take one
    (``GATEWAY_PUBLIC_SEALS_PER_REQUEST``), its other reports stand unnumbered; a known
    client's request is not limited so."""
    code = world.boundary["every_kind"]
    count = "SELECT count(*) FROM credit_reports"
    before = await database.pool.fetchval(count)
    body = await gql(client, TWO_REPORTS, c=code)
    reports = [body["data"][k]["creditReport"] for k in ("a", "b")]
    sealed = [r for r in reports if r["seal"] is not None]
    assert len(sealed) == 1, reports
    if "again" in sealed[0]:  # two aliases of one report share its one number
        assert sealed[0]["again"] == sealed[0]["seal"]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"TOO_MANY_SEALS"}
    assert "每次请求最多出具 1 份" in body["errors"][0]["message"]
    assert await database.pool.fetchval(count) == before + 1

    body = await gql(officer, TWO_REPORTS, c=code)
    assert "errors" not in body, body["errors"]
    numbers = {body["data"][k]["creditReport"]["seal"]["number"] for k in ("a", "b")}
    assert len(numbers) == 2
    assert await database.pool.fetchval(count) == before + 3


async def test_when_the_days_numbers_are_all_issued_a_seal_is_refused_and_the_report_stands(
    officer: httpx.AsyncClient, world: World, database: Database
) -> None:
    day = TEST_WORLD.today
    read = "SELECT last_sequence FROM report_sequences WHERE day = $1"
    saved = await database.pool.fetchval(read, day)
    await database.pool.execute(
        """INSERT INTO report_sequences (day, last_sequence) VALUES ($1, 999999)
           ON CONFLICT (day) DO UPDATE SET last_sequence = 999999""",
        day,
    )
    before = await database.pool.fetchval("SELECT count(*) FROM credit_reports")
    try:
        body = await gql(officer, SEALED, c=world.boundary["every_kind"])
        assert await database.pool.fetchval(read, day) == 999_999  # nothing counted
    finally:
        if saved is None:
            await database.pool.execute("DELETE FROM report_sequences WHERE day = $1", day)
        else:
            restore = "UPDATE report_sequences SET last_sequence = $2 WHERE day = $1"
            await database.pool.execute(restore, day, saved)
    report = body["data"]["subject"]["creditReport"]
    assert report["seal"] is None
    assert report["notes"]["objections"]  # the rest of the report stands
    assert {e["extensions"]["code"] for e in body["errors"]} == {"REPORT_NUMBERS_EXHAUSTED"}
    assert "999,999" in body["errors"][0]["message"]
    assert await database.pool.fetchval("SELECT count(*) FROM credit_reports") == before
