"""The national-lists simulator (Chinese keys, slash dates) and identity verification."""

from __future__ import annotations

import random
from collections.abc import Callable

import httpx

from simulators.world import World, make_citizen_id

Api = Callable[[str], httpx.AsyncClient]


async def test_national_rows_are_the_worlds(api: Api, world: World) -> None:
    code = world.boundary["every_kind"]
    facts = world.facts(code)
    assert facts is not None
    [record] = facts.national
    body = (await api("national").get("/national/api/lists", params={"code": code})).json()
    assert (body["code"], body["count"]) == (0, 1)
    [row] = body["data"]
    assert row["记录编号"] == record.id
    assert row["名单名称"] == record.list_name
    assert row["统一社会信用代码"] == code
    assert row["列入日期"] == f"{record.publish_from:%Y/%m/%d}"
    assert row["移出日期"] is None


async def test_national_not_on_any_list(api: Api, world: World) -> None:
    clean = world.boundary["clean_a_grade"]
    client = api("national")
    response = await client.get("/national/api/lists", params={"code": clean})
    assert response.status_code == 200
    assert response.json() == {"code": 404, "msg": "未查询到相关信息", "count": 0, "data": []}
    listed = world.boundary["tax_d_direct"]
    batch = await client.post("/national/api/lists/batch", json={"codes": [clean, listed]})
    assert [r["统一社会信用代码"] for r in batch.json()["data"]] == [listed]
    assert (await client.get("/national/api/lists")).status_code == 400


async def test_identity_verdicts_never_echo_the_person(api: Api, world: World) -> None:
    person_id = world.boundary["defaulter_legal_rep"]
    name, phone = world.persons[person_id].name, world.persons[person_id].phone
    client = api("identity")
    spaced = f"+86 {phone[:3]} {phone[3:7]}-{phone[7:]}"
    cases = [
        ("0", {"name": name, "idNumber": person_id.lower(), "phone": spaced}),
        ("1", {"name": name + "某", "idNumber": person_id, "phone": phone}),
        ("1", {"name": name, "idNumber": person_id, "phone": "13900001111"}),  # 三要素
        (
            "2",
            {
                "name": name,
                "phone": phone,
                "idNumber": next(
                    c
                    for c in (
                        make_citizen_id(
                            random.Random(n), "640104", world.persons[person_id].birth_date, True
                        )
                        for n in range(100)
                    )
                    if c not in world.persons
                ),
            },
        ),
    ]
    assert phone != "13900001111"
    messages = set()
    for verdict, body in cases:
        response = await client.post("/identity/v1/verify", json=body)
        assert response.status_code == 200
        assert response.json()["resultCode"] == verdict
        assert body["idNumber"].upper() not in response.text
        assert name not in response.text
        assert phone not in response.text
        messages.add((verdict, response.json()["resultMsg"]))
    assert len({m for v, m in messages if v == "1"}) == 1  # not which of the three was wrong


async def test_identity_refuses_bad_requests(api: Api, world: World) -> None:
    client = api("identity")
    person_id = world.boundary["defaulter_legal_rep"]
    for body in (
        {
            "name": "张三",
            "idNumber": person_id[:-1] + ("0" if person_id[-1] != "0" else "1"),
            "phone": "13900001111",
        },
        {"name": "", "idNumber": person_id, "phone": "13900001111"},
        {"idNumber": person_id, "phone": "13900001111"},
        {"name": "张三", "idNumber": person_id},  # no phone: 三要素 needs all three
        {"items": [{"name": "张三", "idNumber": person_id}]},
    ):
        response = await client.post("/identity/v1/verify", json=body)
        assert response.status_code == 400
        assert response.json()["resultCode"] == "E400"
        assert person_id not in response.text
    unauthorised = await client.post(
        "/identity/v1/verify", json={}, headers={"Authorization": "Basic bm9wZQ=="}
    )
    assert unauthorised.status_code == 401
    assert unauthorised.headers["WWW-Authenticate"].startswith("Basic")
