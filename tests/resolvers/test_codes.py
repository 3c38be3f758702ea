"""How the graph reads a code it is given (resolvers.query): what a paste brings along, the
15-digit 注册号, and a code valid both as a USCC and as an ID number, over the real gateway."""

from __future__ import annotations

import itertools

import httpx

from credit.identifiers import InvalidCreditCode, validate_uscc
from simulators.runner import RunningBureau
from simulators.world import World
from tests.resolvers.test_graph import gql

SUBJECT = """
query Subject($code: String!, $kind: SubjectKind) {
  subject(code: $code, kind: $kind) { __typename code kind }
}"""
ENTERPRISE = """
query Enterprise($uscc: String!) { enterprise(uscc: $uscc) { __typename uscc } }"""
BATCH = """
query Batch($codes: [String!]!, $kind: SubjectKind) {
  subjects(codes: $codes, kind: $kind) { __typename code }
}"""


def ambiguous_person(world: World) -> str:
    """A person of the test world whose ID number is a valid USCC too (about 1 in 350)."""
    population = world.population
    for index in range(population.persons):  # two of the test world's 600
        id_number = population.person(index).id_number
        try:
            validate_uscc(id_number)
        except InvalidCreditCode:
            continue
        return id_number
    raise AssertionError("no person of the test world has an ambiguous ID number")


async def test_an_ambiguous_code_is_refused_with_a_stable_code_before_any_bureau(
    officer: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    code = ambiguous_person(world)
    body = await gql(officer, SUBJECT, code=code)
    [error] = body["errors"]
    assert error["extensions"] == {"code": "AMBIGUOUS_CREDIT_CODE", "kinds": ["USCC", "CITIZEN_ID"]}
    assert "kind" in error["message"]
    assert code not in str(body)  # it may be someone's ID number
    assert body["data"]["subject"] is None
    assert sum(b.service.state.total_calls for b in bureaus.values()) == 0


async def test_kind_says_which_the_ambiguous_code_names(
    officer: httpx.AsyncClient, world: World
) -> None:
    code = ambiguous_person(world)
    person = (await gql(officer, SUBJECT, code=code, kind="PERSON"))["data"]["subject"]
    assert person["__typename"] == "Person"
    assert person["kind"] == "PERSON"
    assert person["code"] != code  # masked for others
    assert person["code"].endswith(code[-4:])
    as_firm = await gql(officer, SUBJECT, code=code, kind="ENTERPRISE")
    assert "errors" not in as_firm
    assert as_firm["data"]["subject"] is None  # no firm of this world has that USCC


async def test_the_enterprise_field_reads_an_ambiguous_code_as_a_uscc(
    officer: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    code = ambiguous_person(world)
    body = await gql(officer, ENTERPRISE, uscc=code)
    assert "errors" not in body
    assert body["data"]["enterprise"] is None
    assert bureaus["market"].service.state.total_calls == 1  # asked the registry, as a USCC


async def test_an_ambiguous_code_in_a_batch_names_its_index_and_kind_resolves_it(
    officer: httpx.AsyncClient, world: World
) -> None:
    codes = [world.boundary["defaulter_legal_rep"], ambiguous_person(world)]
    body = await gql(officer, BATCH, codes=codes)
    assert body["errors"][0]["extensions"]["code"] == "AMBIGUOUS_CREDIT_CODE"
    assert body["errors"][0]["extensions"]["index"] == 1
    answered = await gql(officer, BATCH, codes=codes, kind="PERSON")
    assert [s["__typename"] for s in answered["data"]["subjects"]] == ["Person", "Person"]


async def test_a_legacy_registration_number_says_what_to_enter(
    officer: httpx.AsyncClient,
) -> None:
    for query, name in ((SUBJECT, "code"), (ENTERPRISE, "uscc")):
        body = await gql(officer, query, **{name: "110108000000016"})
        [error] = body["errors"]
        assert error["extensions"] == {
            "code": "INVALID_CREDIT_CODE",
            "reason": "legacy_registration_number",
        }
        assert "统一社会信用代码" in error["message"]


async def test_a_pasted_code_with_zero_width_characters_and_minus_signs(
    officer: httpx.AsyncClient, world: World
) -> None:
    uscc = next(itertools.islice(world.organisation_codes(), 3, None))
    pasted = "\ufeff" + uscc[:8] + "\u2212" + uscc[8:12] + "\u200b\uff0d" + uscc[12:].lower()
    body = await gql(officer, ENTERPRISE, uscc=pasted)
    assert body["data"]["enterprise"] == {"__typename": "Enterprise", "uscc": uscc}
