"""Consent-gated bureaus serve a subject only with a valid token for that subject and scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx
import pytest

from simulators.runner import CONSENT_GATED
from simulators.world import World
from tests.simulators.calls import BUREAU_CALLS, token_for

Api = Callable[[str], httpx.AsyncClient]
REFUSED = {"tax": 403, "hrss": 403, "utilities": 403}
LEDGERS = tuple(REFUSED)  # single-subject interfaces; the newer bureaus: test_new_bureaus.py


def _bad_tokens(secrets: dict[str, bytes], name: str, code: str, other: str) -> dict[str, str]:
    other_scope = next(s for s in CONSENT_GATED if s != name)
    return {
        "forged": token_for(b"not-the-bureau-secret", code, name),
        "expired": token_for(secrets[name], code, name, expires_in=dt.timedelta(seconds=-1)),
        "other subject": token_for(secrets[name], other, name),
        "other scope": token_for(secrets[other_scope], code, other_scope),
        "garbage": "v1.abc.def",
    }


@pytest.mark.parametrize("name", LEDGERS)
async def test_refused_without_a_valid_token_served_with_one(
    api: Api, world: World, bureau_secrets: dict[str, bytes], name: str
) -> None:
    code, other = world.boundary["every_kind"], world.boundary["clean_a_grade"]
    call, client = BUREAU_CALLS[name], api(name)

    async def single(token: str | None) -> httpx.Response:
        request = call.single(code, lambda _: token)
        return await request.send(client, "", {})

    assert (await single(None)).status_code == REFUSED[name]
    for why, token in _bad_tokens(bureau_secrets, name, code, other).items():
        assert (await single(token)).status_code == REFUSED[name], why
    assert (await single(token_for(bureau_secrets[name], code, name))).status_code == 200


@pytest.mark.parametrize("name", LEDGERS)
async def test_batches_refuse_per_subject(
    api: Api, world: World, bureau_secrets: dict[str, bytes], name: str
) -> None:
    good, bad = world.boundary["every_kind"], world.boundary["clean_a_grade"]
    call = BUREAU_CALLS[name]
    assert call.batch is not None
    request = call.batch(
        [good, bad], lambda c: token_for(bureau_secrets[name], c, name) if c == good else "x"
    )
    response = await request.send(api(name), "", {})
    assert response.status_code == 200
    body = response.json()
    if name == "tax":
        assert [i["rtnCode"] for i in body["body"]["items"]] == ["00", "20"]
        assert "pjxx" not in body["body"]["items"][1]
    elif name == "hrss":
        assert [u["unitCode"] for u in body["result"]["units"]] == [good]
        assert body["result"]["denied"] == [bad]
    else:
        assert [r["status"] for r in body["data"]["results"]] == ["OK", "FORBIDDEN"]
        assert "bills" not in body["data"]["results"][1]


def _no_ledger(world: World, name: str) -> str:
    """A real organisation this bureau keeps nothing on."""
    for code in world.registrations:
        facts = world.facts(code)
        assert facts is not None
        ledger = {"tax": facts.tax, "hrss": facts.social_insurance, "utilities": facts.utilities}
        if ledger[name] is None:
            return code
    return "91640104MA00000000"  # utilities serve every organisation: an unknown code instead


@pytest.mark.parametrize("name", LEDGERS)
async def test_not_found_only_after_consent(
    api: Api, world: World, bureau_secrets: dict[str, bytes], name: str
) -> None:
    code = _no_ledger(world, name)
    call, client = BUREAU_CALLS[name], api(name)
    unconsented = await call.single(code, lambda _: None).send(client, "", {})
    assert unconsented.status_code == 403
    missing = await call.single(code, lambda c: token_for(bureau_secrets[name], c, name)).send(
        client, "", {}
    )
    if name == "tax":
        assert missing.status_code == 200
        assert missing.json()["head"]["rtnCode"] == "04"
        assert missing.json()["body"] is None
    elif name == "hrss":
        assert missing.status_code == 404
        assert missing.json()["errorCode"] == "UNIT_NOT_FOUND"
    else:
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "account_not_found"


async def test_tax_grades_and_payments(
    api: Api, world: World, bureau_secrets: dict[str, bytes]
) -> None:
    code = world.boundary["zero_return_run_3"]
    sqm = token_for(bureau_secrets["tax"], code, "tax")
    client = api("tax")
    facts = world.facts(code)
    assert facts is not None
    assert facts.tax is not None
    grades = (
        await client.post("/tax/api/v1/credit-grade/query", json={"nsrsbh": code, "sqm": sqm})
    ).json()
    assert [(g["pjnd"], g["xydj"]) for g in grades["body"]["pjxx"]] == [
        (str(g.year), g.grade.value) for g in facts.tax.grades
    ]
    assert len(grades["head"]["tranSeq"]) == 32
    last = (
        await client.post(
            "/tax/api/v1/payments/query",
            json={"nsrsbh": code, "sqm": sqm, "offset": 21, "limit": 10},
        )
    ).json()["body"]
    assert last["total"] == 24
    assert [i["lsbz"] for i in last["items"]] == ["Y", "Y", "Y"]
    assert [i["sjje"] for i in last["items"]] == ["0.00"] * 3
    window = (
        await client.post(
            "/tax/api/v1/payments/query",
            json={"nsrsbh": code, "sqm": sqm, "qsny": "202601", "zzny": "202603"},
        )
    ).json()["body"]
    assert [i["ssq"] for i in window["items"]] == ["202601", "202602", "202603"]
    direct = world.boundary["tax_d_direct"]
    sqm_d = token_for(bureau_secrets["tax"], direct, "tax")
    answer = await client.post(
        "/tax/api/v1/credit-grade/batch-query", json={"items": [{"nsrsbh": direct, "sqm": sqm_d}]}
    )
    latest = answer.json()["body"]["items"][0]["pjxx"][-1]
    assert (latest["xydj"], latest["zjpd"], latest["pjfs"]) == ("D", "Y", None)


async def test_tax_refuses_malformed_requests(api: Api) -> None:
    client = api("tax")
    for path, body in [
        ("/tax/api/v1/credit-grade/query", [1]),
        ("/tax/api/v1/credit-grade/batch-query", {"items": []}),
        ("/tax/api/v1/payments/query", {"nsrsbh": "x", "sqm": "y", "limit": 0}),
    ]:
        response = await client.post(path, json=body)
        assert response.status_code == 400
        assert response.json()["head"]["rtnCode"] == "30"
    wrong_key = await client.post(
        "/tax/api/v1/credit-grade/query", json={}, headers={"X-Tax-AppKey": "nope"}
    )
    assert wrong_key.json()["head"]["rtnCode"] == "10"


async def test_hrss_contributions(api: Api, world: World, bureau_secrets: dict[str, bytes]) -> None:
    code = world.boundary["every_kind"]
    facts = world.facts(code)
    assert facts is not None
    assert facts.social_insurance is not None
    token = token_for(bureau_secrets["hrss"], code, "hrss")
    client = api("hrss")
    page = (
        await client.get(
            f"/hrss/v1/units/{code}/contributions",
            params={"pageNo": 2, "pageSize": 5, "from": "2025-01"},
            headers={"X-Consent-Token": token},
        )
    ).json()["result"]
    months = [m for m in facts.social_insurance if m.month >= dt.date(2025, 1, 1)]
    assert page["totalCount"] == len(months)
    assert [r["period"] for r in page["records"]] == [f"{m.month:%Y-%m}" for m in months[5:10]]
    assert page["records"][0]["insuredCount"] == months[5].headcount
    missing = await client.get(f"/hrss/v1/units/{code}/contributions")
    assert missing.json()["errorCode"] == "CONSENT_REQUIRED"
    invalid = await client.get(
        f"/hrss/v1/units/{code}/contributions", headers={"X-Consent-Token": "v1.x.y"}
    )
    assert invalid.json()["errorCode"] == "CONSENT_INVALID"
    big = await client.post(
        "/hrss/v1/units/contributions:batch", json={"units": [{"unitCode": code}] * 101}
    )
    assert big.json()["errorCode"] == "BATCH_TOO_LARGE"


async def test_utilities_bills_in_fen_and_epoch_millis(
    api: Api, world: World, bureau_secrets: dict[str, bytes]
) -> None:
    code = world.boundary["every_kind"]
    facts = world.facts(code)
    assert facts is not None
    assert facts.utilities is not None
    token = token_for(bureau_secrets["utilities"], code, "utilities")
    client = api("utilities")
    nov_2024 = 1730390400000  # 2024-11-01T00:00:00+08:00
    body = (
        await client.get(
            f"/v3/accounts/{code}/bills",
            params={"utility": "electricity", "since": nov_2024, "until": nov_2024},
            headers={"X-Subject-Authorization": token},
        )
    ).json()["data"]
    [bill] = body["bills"]
    [expected] = [
        b
        for b in facts.utilities
        if b.month == dt.date(2024, 11, 1) and b.kind.value == "ELECTRICITY"
    ]
    assert bill == {
        "utility": "electricity",
        "period": nov_2024,
        "amountFen": int(expected.amount_yuan * 100),
        "arrearsFen": int(expected.arrears_yuan * 100),
    }
    bad = await client.get(
        f"/v3/accounts/{code}/bills",
        params={"utility": "steam"},
        headers={"X-Subject-Authorization": token},
    )
    assert bad.status_code == 400


async def test_persons_have_no_utility_account(
    api: Api, world: World, bureau_secrets: dict[str, bytes]
) -> None:
    person = world.boundary["defaulter_legal_rep"]
    token = token_for(bureau_secrets["utilities"], person, "utilities")
    response = await api("utilities").get(
        f"/v3/accounts/{person}/bills", headers={"X-Subject-Authorization": token}
    )
    assert response.status_code == 404
