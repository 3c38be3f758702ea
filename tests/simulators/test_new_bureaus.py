"""The three bureaus added as data, each in its own API style: what their interfaces answer."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import httpx

from simulators.customs import customs_file
from simulators.ip import ip_rights
from simulators.realestate import real_estate_file
from simulators.world import World
from tests.connectors.cases import unknown_uscc
from tests.simulators.calls import token_for

Api = Callable[[str], httpx.AsyncClient]


def _rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def _first(world: World, has: Callable[[World, str], object]) -> str:
    return next(code for code in sorted(world.registrations) if has(world, code))


async def test_customs_rating_is_public_and_declarations_need_a_token(
    api: Api, world: World, bureau_secrets: dict[str, bytes]
) -> None:
    trader = _first(world, customs_file)
    (unknown,) = unknown_uscc(world)
    client = api("customs")
    credit = _rows(await client.post("/customs/v2/credit.csv", json={"uscc": [trader, unknown]}))
    found = customs_file(world, trader)
    assert found is not None
    assert [(r["uscc"], r["rating"]) for r in credit] == [(trader, found.rating)]
    token = token_for(bureau_secrets["customs"], trader, "customs")
    asked = [{"uscc": trader, "token": token}, {"uscc": unknown, "token": "x"}]
    declared = _rows(await client.post("/customs/v2/declarations.csv", json={"requests": asked}))
    assert [r["status"] for r in declared] == ["OK"] * len(found.months) + ["DENIED"]
    unknown_token = token_for(bureau_secrets["customs"], unknown, "customs")
    other_scope = token_for(bureau_secrets["tax"], trader, "tax")
    asked = [{"uscc": unknown, "token": unknown_token}, {"uscc": trader, "token": other_scope}]
    again = _rows(await client.post("/customs/v2/declarations.csv", json={"requests": asked}))
    assert [r["status"] for r in again] == ["NONE", "DENIED"]  # unknown only after consent


async def test_ip_office_speaks_json_api_and_names_unknown_holders(api: Api, world: World) -> None:
    holder = _first(world, lambda w, c: ip_rights(w, c))
    (unknown,) = unknown_uscc(world)
    response = await api("ip").post(
        "/ip/v1/holdings:search", json={"filter": {"uscc": [holder, unknown]}}
    )
    assert response.headers["content-type"].startswith("application/vnd.api+json")
    body = response.json()
    rights = ip_rights(world, holder)
    assert rights is not None
    assert [(d["type"], d["id"]) for d in body["data"]] == [(r.type, r.id) for r in rights]
    assert body["meta"]["unknown"] == [unknown]
    refused = await api("ip").post("/ip/v1/holdings:search", json={"filter": {"uscc": []}})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["status"] == "400"


async def test_real_estate_registry_answers_per_holder_under_consent(
    api: Api, world: World, bureau_secrets: dict[str, bytes]
) -> None:
    holder = _first(world, lambda w, c: (f := real_estate_file(w, c)) and f["qlxx"])
    (unknown,) = unknown_uscc(world)
    secret = bureau_secrets["realestate"]
    asked = [
        {"tyshxydm": holder, "sqm": token_for(secret, holder, "realestate")},
        {"tyshxydm": unknown, "sqm": token_for(secret, unknown, "realestate")},
        {"tyshxydm": holder, "sqm": token_for(bureau_secrets["customs"], holder, "customs")},
    ]
    body = (await api("realestate").post("/bdc/v1/djxx/cx", json={"sqrs": asked})).json()
    assert body["ret"] == 0
    assert [a["zt"] for a in body["jg"]] == ["1", "2", "3"]
    found = real_estate_file(world, holder)
    assert found is not None
    assert body["jg"][0]["qlxx"] == found["qlxx"]
    assert "qlxx" not in body["jg"][2]  # refused: nothing of the file leaves
