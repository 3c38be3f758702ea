"""The unified graph end to end: gateway → connectors → the seven simulators, over HTTP."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest

from credit.publicity import visible_to_public
from gateway.settings import Settings
from simulators.behaviour import Behaviour
from simulators.runner import RunningBureau
from simulators.world import World
from tests.conftest import TEST_WORLD
from tests.connectors.cases import added_public_records

PROFILE = """
query Profile($code: String!) {
  subject(code: $code) {
    __typename code kind displayName
    ... on Enterprise {
      name status establishedOn registeredCapital { yuan } legalRepresentative { idNumber }
    }
    records(first: 100) {
      totalCount
      edges { node { id kind source severity decidedOn publicity { visibleNow repairableFrom } } }
    }
    classification { creditClass reasons { code message recordId } badges }
    sanctions { measure { id name legalBasis } trigger record { id } }
    creditReport { sections { key count emptyText } advice { code message } }
  }
}"""


async def gql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def sources_of(body: dict[str, Any]) -> set[str]:
    return {p["source"] for p in body["extensions"].get("provenance", [])}


async def test_full_enterprise_profile(
    officer: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    code = world.boundary["every_kind"]
    body = await gql(officer, PROFILE, code=code)
    assert "errors" not in body, body["errors"]
    subject = body["data"]["subject"]
    assert subject["__typename"] == "Enterprise"
    assert subject["name"] == world.registrations[code].name
    kinds = {e["node"]["kind"] for e in subject["records"]["edges"]}
    assert {"JUDGMENT_DEFAULTER", "ABNORMAL_OPERATION", "SERIOUS_DISHONESTY"} <= kinds
    facts = world.facts(code)
    assert facts is not None
    # an officer sees what the public sees: the records inside their publicity window
    public = [
        r
        for r in (*facts.records(), *added_public_records(world, code))
        if visible_to_public(r, TEST_WORLD.today, settings.publicity)
    ]
    assert subject["records"]["totalCount"] == len(public) < len(facts.records())
    assert subject["classification"]["creditClass"] == "SERIOUSLY_DISHONEST"
    assert subject["classification"]["reasons"]
    assert subject["sanctions"], "an enterprise with every listing has sanctions"
    assert all(s["measure"]["legalBasis"] for s in subject["sanctions"])
    assert len(subject["creditReport"]["sections"]) == 8
    assert {"market", "court", "national", "platform"} <= sources_of(body)


@pytest.mark.parametrize("down", ["court", "national"])
async def test_a_bureau_down_nulls_only_what_needs_it(
    officer: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau], down: str
) -> None:
    bureaus[down].service.state.behaviour = Behaviour(down=True)
    code = world.boundary["every_kind"]
    body = await gql(officer, PROFILE, code=code)
    subject = body["data"]["subject"]
    assert subject["name"] == world.registrations[code].name  # market still answers
    assert subject["records"]["edges"], "records from the healthy sources still show"
    assert all(e["node"]["source"] != down.upper() for e in subject["records"]["edges"])
    for derived in ("classification", "sanctions"):
        assert subject[derived] is None, derived
    errors = {tuple(e["path"]): e["extensions"] for e in body["errors"]}
    for field in ("records", "classification", "sanctions"):
        assert errors[("subject", field)] == {"code": "SOURCE_UNAVAILABLE", "source": down}
    # The report stands, without its conclusions, and says which sections miss a bureau.
    assert subject["creditReport"]["advice"] is None
    assert errors[("subject", "creditReport", "advice")]["source"] == down


async def test_market_down_nulls_the_enterprise_with_a_coded_error(
    officer: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    bureaus["market"].service.state.behaviour = Behaviour(down=True)
    body = await gql(officer, PROFILE, code=world.boundary["every_kind"])
    assert body["data"] == {"subject": None}
    [error] = body["errors"]
    assert error["extensions"] == {"code": "SOURCE_UNAVAILABLE", "source": "market"}


async def test_a_person_is_masked(officer: httpx.AsyncClient, world: World) -> None:
    person = world.boundary["defaulter_legal_rep"]
    body = await gql(officer, PROFILE, code=person)
    subject = body["data"]["subject"]
    assert subject["__typename"] == "Person"
    assert person not in str(body)
    assert subject["code"].startswith(person[:4])
    assert subject["code"].endswith(person[-4:])
    assert any(e["node"]["kind"] == "JUDGMENT_DEFAULTER" for e in subject["records"]["edges"])


BATCH = """
query Batch($codes: [String!]!) {
  subjects(codes: $codes) {
    code
    ... on Enterprise { name }
    records(first: 5) { totalCount }
    classification { creditClass }
    sanctions { measure { id } }
    creditReport { advice { code } }
  }
}"""


async def test_fifty_enterprises_one_call_per_bureau(
    officer: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    codes = list(itertools.islice(world.organisation_codes(), 50))
    body = await gql(officer, BATCH, codes=codes)
    assert "errors" not in body, body.get("errors")
    assert len(body["data"]["subjects"]) == 50
    calls = {name: b.service.state.total_calls for name, b in bureaus.items()}
    assert all(count <= 1 for count in calls.values()), calls
    assert calls["market"] == 1
    assert calls["court"] == 1
    assert calls["national"] == 1


async def test_too_many_subjects_is_refused_before_any_call(
    officer: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    codes = list(itertools.islice(world.organisation_codes(), 101))
    body = await gql(officer, BATCH, codes=codes)
    assert body["errors"][0]["extensions"] == {"code": "TOO_MANY_SUBJECTS", "maximum": 100}
    assert sum(b.service.state.total_calls for b in bureaus.values()) == 0


async def test_invalid_code_in_a_batch_names_its_index(
    officer: httpx.AsyncClient, world: World
) -> None:
    codes = [*list(itertools.islice(world.organisation_codes(), 2)), "91640104XXXXXXXXXX"]
    body = await gql(officer, BATCH, codes=codes)
    extensions = body["errors"][0]["extensions"]
    assert extensions["code"] == "INVALID_CREDIT_CODE"
    assert extensions["index"] == 2


async def test_second_request_is_served_from_cache(
    officer: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    code = world.boundary["clean_a_grade"]
    query = "query($c: String!) { enterprise(uscc: $c) { name } }"
    first = await gql(officer, query, c=code)
    second = await gql(officer, query, c=code)
    assert first["extensions"]["provenance"][0]["cached"] is False
    assert second["extensions"]["provenance"][0]["cached"] is True
    assert bureaus["market"].service.state.total_calls == 1


SEARCH = """query($name: String!, $first: Int!, $after: String) {
  searchEnterprises(name: $name, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { uscc name } }
  }
}"""


async def test_search_pages_through_every_match(officer: httpx.AsyncClient, world: World) -> None:
    name = world.registrations[world.boundary["every_kind"]].name[2:4]  # a trade word
    seen: list[str] = []
    after = None
    while True:
        body = await gql(officer, SEARCH, name=name, first=7, after=after)
        page = body["data"]["searchEnterprises"]
        seen += [e["node"]["uscc"] for e in page["edges"]]
        assert all(name in e["node"]["name"] for e in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"] == len(set(seen))
    assert seen, "the word comes from a real name, so something must match"


async def test_search_page_size_is_capped(officer: httpx.AsyncClient) -> None:
    body = await gql(officer, SEARCH, name="宁夏", first=51)
    assert body["errors"][0]["extensions"] == {"code": "PAGE_SIZE_EXCEEDED", "maximum": 50}


async def test_get_runs_queries_but_never_mutations(officer: httpx.AsyncClient) -> None:
    mutation = 'mutation { revokeConsent(id: "00000000-0000-0000-0000-000000000000") { id } }'
    response = await officer.get("/graphql", params={"query": mutation})
    assert response.status_code == 405  # GraphQL over HTTP: a mutation over GET is refused
    assert response.headers["Allow"] == "POST"
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "METHOD_NOT_ALLOWED", "allow": "POST"}
