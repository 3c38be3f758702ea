"""ID numbers reach no one but their owner: the report's subject code, and the caller's own
input echoed back in an error."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from credit.masking import mask_id_number
from simulators.world import World
from tests.resolvers.conftest import CitizenFactory
from tests.resolvers.test_access import gql

REPORT = """query($c: String!) { subject(code: $c) { code creditReport { subjectCode } } }"""


@pytest.mark.parametrize(
    "principal", ["public", "bank", "officer", "citizen_self", "citizen_other"]
)
async def test_the_report_shows_a_persons_code_masked_but_to_themself(
    principal: str,
    as_client: Callable[..., httpx.AsyncClient],
    citizen: CitizenFactory,
    demo_keys: dict[str, str],
    world: World,
) -> None:
    person, other = world.boundary["defaulter_legal_rep"], next(iter(world.persons))
    if principal.startswith("citizen"):
        http = citizen(person if principal == "citizen_self" else other)
    else:
        http = as_client(demo_keys.get(principal), purpose="LOAN_PRECHECK")
    async with http as caller:
        body = await gql(caller, REPORT, c=person)
    assert "errors" not in body, body
    shown = person if principal == "citizen_self" else mask_id_number(person)
    assert body["data"]["subject"] == {"code": shown, "creditReport": {"subjectCode": shown}}


@pytest.mark.parametrize(
    "query",
    [
        # graphql-core names an unknown enum value, and a literal of the wrong type, as sent
        '{ disciplineCheck(code: "x", matter: X%s) { restricted } }',
        '{ searchEnterprises(name: "x", first: "%s") { totalCount } }',
    ],
)
async def test_an_id_number_the_caller_sent_comes_back_masked(
    query: str, as_client: Callable[..., httpx.AsyncClient], world: World
) -> None:
    person = next(iter(world.persons))
    async with as_client(None) as http:
        response = await http.post("/graphql", json={"query": query % person})
    errors = response.json()["errors"]
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert mask_id_number(person) in errors[0]["message"]
    assert person not in response.text


async def test_an_invalid_code_is_refused_without_repeating_it(
    as_client: Callable[..., httpx.AsyncClient], world: World
) -> None:
    person = next(iter(world.persons))
    wrong = person[:17] + ("0" if person[17] != "0" else "1")  # a checksum error
    async with as_client(None) as http:
        body = await gql(http, "query($c: String!) { subject(code: $c) { code } }", c=wrong)
    assert body["errors"][0]["extensions"] == {"code": "INVALID_CREDIT_CODE", "reason": "checksum"}
    assert wrong not in str(body)
