"""The first vertical slice over real HTTP: gateway → market connector → market simulator."""

from __future__ import annotations

from decimal import Decimal

import httpx

from credit.records import OperatingStatus
from simulators.runner import RunningBureau
from simulators.world import World, make_uscc

ENTERPRISE = """query($uscc: String!) {
  enterprise(uscc: $uscc) {
    uscc name status establishedOn registeredCapital { yuan currency }
    address divisionCode industry legalRepresentative { name idNumber }
  }
}"""


def _active(world: World) -> str:
    return next(r.uscc for r in world.registrations.values() if r.status is OperatingStatus.ACTIVE)


async def test_enterprise_answers_from_the_market_bureau(
    client: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    code = _active(world)
    reg = world.registrations[code]
    response = await client.post(
        "/graphql", json={"query": ENTERPRISE, "variables": {"uscc": code}}
    )
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    got = body["data"]["enterprise"]
    assert got["name"] == reg.name
    assert got["status"] == "ACTIVE"
    assert got["establishedOn"] == reg.established_on.isoformat()
    assert got["registeredCapital"]["currency"] == "CNY"
    assert Decimal(got["registeredCapital"]["yuan"]) == reg.registered_capital_yuan
    assert got["address"] == reg.address
    assert got["divisionCode"] == reg.division_code
    assert got["legalRepresentative"]["idNumber"] != reg.legal_rep_id
    assert got["legalRepresentative"]["idNumber"].endswith(reg.legal_rep_id[-4:])
    assert bureaus["market"].service.state.total_calls == 1
    [prov] = body["extensions"]["provenance"]
    assert prov["source"] == "market"
    assert prov["paths"] == ["enterprise"]
    assert prov["cached"] is False


async def test_normalises_the_code_before_asking(client: httpx.AsyncClient, world: World) -> None:
    code = _active(world)
    spaced = f" {code[:6]} {code[6:12].lower()}-{code[12:]} "
    body = (
        await client.post("/graphql", json={"query": ENTERPRISE, "variables": {"uscc": spaced}})
    ).json()
    assert body["data"]["enterprise"]["uscc"] == code


async def test_invalid_code_is_a_coded_error_and_no_bureau_is_called(
    client: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    code = _active(world)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    body = (
        await client.post("/graphql", json={"query": ENTERPRISE, "variables": {"uscc": wrong}})
    ).json()
    assert body["data"] == {"enterprise": None}
    [error] = body["errors"]
    assert error["extensions"] == {"code": "INVALID_CREDIT_CODE", "reason": "checksum"}
    assert error["path"] == ["enterprise"]
    assert "校验位" in error["message"]
    assert bureaus["market"].service.state.total_calls == 0


async def test_valid_code_no_bureau_knows_is_null_without_error(
    client: httpx.AsyncClient, world: World
) -> None:
    import random

    unknown = make_uscc(random.Random(1), "91", "640500")
    assert unknown not in world.registrations
    body = (
        await client.post("/graphql", json={"query": ENTERPRISE, "variables": {"uscc": unknown}})
    ).json()
    assert body == {"data": {"enterprise": None}, "extensions": body["extensions"]}
    assert "errors" not in body


async def test_get_runs_queries(client: httpx.AsyncClient, world: World) -> None:
    code = _active(world)
    response = await client.get(
        "/graphql", params={"query": f'{{ enterprise(uscc: "{code}") {{ name }} }}'}
    )
    assert response.status_code == 200
    assert response.json()["data"]["enterprise"]["name"] == world.registrations[code].name


async def test_graphiql_for_a_browser_in_demo_mode(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_syntax_error_is_coded(client: httpx.AsyncClient) -> None:
    body = (await client.post("/graphql", json={"query": "{ enterprise(uscc: "})).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_unknown_field_is_coded(client: httpx.AsyncClient) -> None:
    body = (await client.post("/graphql", json={"query": "{ nope }"})).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_request_id_echoed(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"X-Request-Id": "abc12345-test"}
    )
    assert response.headers["X-Request-Id"] == "abc12345-test"
    assert response.json()["extensions"]["requestId"] == "abc12345-test"


async def test_a_request_id_that_looks_like_personal_data_is_replaced(
    client: httpx.AsyncClient,
) -> None:
    for offered in ("11010519491231002X", "110105-19491231-002x", "trace-13912345678"):
        response = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"X-Request-Id": offered}
        )
        used = response.headers["X-Request-Id"]
        assert used != offered
        assert response.json()["extensions"]["requestId"] == used


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}
