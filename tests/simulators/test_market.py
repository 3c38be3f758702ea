"""The market simulator's own API: registrations, CF_/XK_ records, lists, envelope codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from credit.money import WAN
from credit.records import RecordKind
from simulators.world import World

Api = Callable[[str], httpx.AsyncClient]


async def test_registration_single_batch_and_unknown(api: Api, world: World) -> None:
    client = api("market")
    code = world.boundary["clean_a_grade"]
    reg = world.registrations[code]
    one = (await client.get(f"/api/v2/enterprises/{code}")).json()
    assert one["code"] == "0000"
    assert one["data"]["qymc"] == reg.name
    assert Decimal(one["data"]["zczb"]) * WAN == reg.registered_capital_yuan
    unknown = "91640104MA00000000"
    batch = await client.post("/api/v2/enterprises/batch", json={"uscc_list": [code, unknown]})
    assert [item["tyshxydm"] for item in batch.json()["data"]["items"]] == [code]
    missing = await client.get(f"/api/v2/enterprises/{unknown}")
    assert missing.status_code == 200
    assert missing.json() == {"code": "1004", "msg": "未查询到该主体", "data": None}


async def test_every_organisation_kind_is_registered(api: Api, world: World) -> None:
    client = api("market")
    kinds = {world.registrations[c].entity_type: c for c in world.registrations}
    batch = await client.post("/api/v2/enterprises/batch", json={"uscc_list": list(kinds.values())})
    assert {item["qylx"] for item in batch.json()["data"]["items"]} == {k.value for k in kinds}


async def test_search_pages_by_name(api: Api, world: World) -> None:
    name = world.registrations[world.boundary["every_kind"]].name
    word = name[2:4]
    expected = [r.uscc for r in world.search(word)]
    body = (await api("market").get("/api/v2/enterprises", params={"name": word, "size": 2})).json()
    assert body["data"]["total"] == len(expected)
    assert [i["tyshxydm"] for i in body["data"]["items"]] == expected[:2]


async def test_enterprises_of_a_legal_representative(api: Api, world: World) -> None:
    person = world.boundary["defaulter_legal_rep"]
    body = (
        await api("market").post("/api/v2/enterprises/by-legal-rep", json={"zjhm": person})
    ).json()
    assert [i["tyshxydm"] for i in body["data"]["items"]] == [
        world.boundary["legal_rep_is_defaulter"]
    ]


async def test_penalties_carry_the_cf_fields(api: Api, world: World) -> None:
    code = world.boundary["every_kind"]
    facts = world.facts(code)
    assert facts is not None
    body = (await api("market").get("/api/v2/penalties", params={"uscc": code})).json()
    items = body["data"]["items"]
    assert body["data"]["total"] == len(facts.penalties) == len(items)
    for item, record in zip(items, facts.penalties, strict=True):
        assert item["CF_ID"] == record.id
        assert item["CF_XDR_SHXYM"] == code
        assert item["CF_WSH"] == record.details["CF_WSH"]
        assert Decimal(item["CF_NR_FK"]) * WAN == record.amount_yuan
        assert item["CF_JDRQ"] == record.decided_on.isoformat()
        assert item["CF_GSJZQ"] == record.declared_publicity_until.isoformat()  # type: ignore[union-attr]
        assert item["CF_SCJG"] == ("1" if record.kind is RecordKind.MARKET_PENALTY else "0")
        assert item["CF_YZCD"] == record.severity.value  # type: ignore[union-attr]


async def test_repaired_penalty_says_so(api: Api, world: World) -> None:
    code = world.boundary["penalty_repaired"]
    [item] = (await api("market").get("/api/v2/penalties", params={"uscc": code})).json()["data"][
        "items"
    ]
    assert item["CF_XFZT"] == "2"
    assert item["CF_XFRQ"] == (world.config.today - dt.timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("kind", "field", "pick"),
    [
        ("permits", "XK_ID", "permits"),
        ("abnormal-operations", "jlbh", "abnormal"),
        ("serious-violations", "jlbh", "serious_violations"),
    ],
)
async def test_other_record_kinds(api: Api, world: World, kind: str, field: str, pick: str) -> None:
    code = world.boundary["every_kind"]
    records = getattr(world.facts(code), pick)
    assert records
    client = api("market")
    body = (await client.get(f"/api/v2/{kind}", params={"uscc": code})).json()
    assert [i[field] for i in body["data"]["items"]] == [r.id for r in records]
    batch = await client.post(f"/api/v2/{kind}/batch", json={"uscc_list": [code, code]})
    assert [i[field] for i in batch.json()["data"]["items"]] == [r.id for r in records]


async def test_record_paging_and_errors(api: Api, world: World) -> None:
    client = api("market")
    code = world.boundary["every_kind"]
    page2 = (
        await client.get("/api/v2/penalties", params={"uscc": code, "size": 1, "page": 2})
    ).json()
    facts = world.facts(code)
    assert facts is not None
    assert [i["CF_ID"] for i in page2["data"]["items"]] == [facts.penalties[1].id]
    unknown = await client.get("/api/v2/penalties", params={"uscc": "91640104MA00000000"})
    assert unknown.json()["code"] == "1004"
    bad = await client.get("/api/v2/penalties", params={"uscc": code, "size": 500})
    assert bad.status_code == 400
    assert bad.json()["code"] == "4001"
    too_many = await client.post("/api/v2/permits/batch", json={"uscc_list": [code] * 101})
    assert too_many.status_code == 400
    assert too_many.json()["code"] == "4002"


async def test_shareholders_hold_the_whole_capital(api: Api, world: World) -> None:
    client = api("market")
    code = world.boundary["every_kind"]
    reg = world.registrations[code]
    items = (await client.get(f"/api/v2/enterprises/{code}/shareholders")).json()["data"]["items"]
    assert items[0]["zjhm"] == reg.legal_rep_id
    assert items[0]["gdmc"] == reg.legal_rep_name
    assert sum(Decimal(i["cgbl"]) for i in items) == 100
    assert sum(Decimal(i["rjcze"]) for i in items) * WAN == reg.registered_capital_yuan
    assert all(i["zjhm"] in world.persons for i in items)
    unknown = await client.get("/api/v2/enterprises/91640104MA00000000/shareholders")
    assert unknown.json()["code"] == "1004"
