"""The court simulator's own API: entries as the world has them, cursors, masking, not found."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from credit.records import RecordKind
from simulators.world import World

Api = Callable[[str], httpx.AsyncClient]


def _with_two_defaulter_entries(world: World) -> str:
    candidates: list[str] = [*world.registrations, *world.persons]
    for code in candidates:
        facts = world.facts(code)
        assert facts is not None
        if sum(r.kind is RecordKind.JUDGMENT_DEFAULTER for r in facts.court) >= 2:
            return code
    raise AssertionError("the test world has no subject with two defaulter entries")


async def test_dishonest_entries_are_the_worlds(api: Api, world: World) -> None:
    code = world.boundary["defaulter_performed_2_working_days"]
    [record] = world.facts(code).court  # type: ignore[union-attr]
    response = await api("court").get(f"/court/v1/subjects/{code}/dishonest")
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert "nextPageToken" not in response.json()
    assert item["entryId"] == record.id
    assert item["caseNumber"] == record.title
    assert item["subjectCode"] == code
    assert item["subjectType"] == "ORGANISATION"
    assert item["subjectName"] == world.registrations[code].name
    assert item["groundCode"] == record.defaulter_ground == 2
    assert item["publishDate"] == record.publish_from.isoformat()  # type: ignore[union-attr]
    assert item["performedDate"] == record.ended_on.isoformat()  # type: ignore[union-attr]
    assert item["amount"] == f"{record.amount_yuan:f}"


async def test_cursor_pagination_walks_every_entry(api: Api, world: World) -> None:
    code = _with_two_defaulter_entries(world)
    client = api("court")
    seen: list[str] = []
    params: dict[str, str] = {"pageSize": "1"}
    while True:
        page = (await client.get(f"/court/v1/subjects/{code}/dishonest", params=params)).json()
        assert len(page["items"]) == 1
        seen += [item["entryId"] for item in page["items"]]
        if "nextPageToken" not in page:
            break
        params["pageToken"] = page["nextPageToken"]
    facts = world.facts(code)
    assert facts is not None
    assert seen == [r.id for r in facts.court if r.kind is RecordKind.JUDGMENT_DEFAULTER]


async def test_bad_paging_is_refused(api: Api, world: World) -> None:
    client, code = api("court"), world.boundary["every_kind"]
    for params in ({"pageSize": "0"}, {"pageSize": "51"}, {"pageToken": "%%%"}, {"pageSize": "x"}):
        response = await client.get(f"/court/v1/subjects/{code}/dishonest", params=params)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "INVALID_ARGUMENT"


async def test_a_persons_id_number_is_never_returned(api: Api, world: World) -> None:
    person = world.boundary["defaulter_legal_rep"]
    client = api("court")
    single = await client.get(f"/court/v1/subjects/{person}/dishonest")
    [item] = single.json()["items"]
    assert item["subjectType"] == "PERSON"
    assert item["subjectCode"] == person[:4] + "*" * 10 + person[-4:]
    batch = await client.post("/court/v1/subjects:batchGet", json={"codes": [person]})
    assert batch.json()["results"][0]["found"] is True
    assert person not in single.text
    assert person not in batch.text


async def test_not_found_and_bad_codes(api: Api, world: World) -> None:
    client = api("court")
    clean = world.boundary["clean_a_grade"]
    for path in (
        f"/court/v1/subjects/{clean}/dishonest",
        f"/court/v1/subjects/{clean}/restrictions",
    ):
        missing = await client.get(path)
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "NOT_FOUND"
    bad = await client.get("/court/v1/subjects/91640104MA0000000X/dishonest")
    assert bad.status_code == 400


async def test_batch_answers_in_request_order(api: Api, world: World) -> None:
    codes = [
        world.boundary["clean_a_grade"],
        world.boundary["defaulter_ground1_unperformed"],
        world.boundary["clean_a_grade"],
    ]
    response = await api("court").post("/court/v1/subjects:batchGet", json={"codes": codes})
    results = response.json()["results"]
    assert [r["found"] for r in results] == [False, True, False]
    assert len(results[1]["dishonest"]) == 1
    assert len(results[1]["restrictions"]) == 1
    assert results[1]["dishonest"][0]["groundCode"] == 1
    bodies: list[object] = [{"codes": []}, {"codes": "x"}, {"nope": 1}, [1]]
    for body in bodies:
        refused = await api("court").post("/court/v1/subjects:batchGet", json=body)
        assert refused.status_code == 400
