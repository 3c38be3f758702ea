"""Kept answers to the public's queries (gateway.response_cache): served without a bureau call,
never when the answer is personal, consent-gated or not the public's, gone when the day moves
a record out of its publicity window or the platform's tables change — in memory, and shared
between replicas through Redis."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors.platform import PlatformCache
from gateway.app import create_app
from gateway.database import Database
from gateway.response_cache import KeptAnswer, ResponseCache, cacheable_document
from gateway.settings import RateLimits, Settings
from simulators.runner import RunningBureau
from simulators.world import World
from tests.conftest import TEST_WORLD
from tests.fakes.servers import serve_app
from tests.gateway.access.conftest import open_test_redis

PROFILE = """query PublicProfile($code: String!) {
  enterprise(uscc: $code) {
    uscc name status
    records(first: 50) {
      totalCount
      edges { node { id kind source publicity { visibleUntil } } }
    }
  }
}"""

PUBLIC_BUREAUS = ("market", "court", "national")


class Day:
    """The gateway's injected ``today``, moved by the test."""

    def __init__(self) -> None:
        self.value = TEST_WORLD.today

    def __call__(self) -> dt.date:
        return self.value


@pytest.fixture
def day() -> Day:
    return Day()


def _app(settings: Settings, database: Database, day: Day) -> Starlette:
    return create_app(settings, database=database, today=day)


@pytest.fixture
async def gateway(
    settings: Settings, seeded_database: Database, day: Day
) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    app = _app(settings.model_copy(update={"redis_url": None}), seeded_database, day)
    async with serve_app(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        yield app, http


def _forget_bureau_answers(app: Starlette, bureaus: dict[str, RunningBureau]) -> None:
    """Empty the connectors' own caches (not the platform's) and zero the bureaus' counters:
    an answer now comes from the kept answers or from the bureaus again."""
    for connector in app.state.gateway.connectors.all():
        if connector.source != "platform":
            clear: Callable[[], None] | None = getattr(connector, "clear_cache", None)
            if clear is not None:
                clear()
    for bureau in bureaus.values():
        bureau.service.state.calls.clear()


def _calls(bureaus: dict[str, RunningBureau]) -> int:
    return sum(b.service.state.total_calls for b in bureaus.values())


async def _ask(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any], **headers: str
) -> dict[str, Any]:
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


def _with_public_records(world: World) -> list[str]:
    """Firms with public records, those with records from market, court and national first
    (every public bureau is asked about each, whatever it holds)."""
    scored = []
    for code in sorted(world.registrations):
        facts = world.facts(code)
        if facts is not None:
            sources = sum(map(bool, (facts.penalties, facts.court, facts.national)))
            if sources:
                scored.append((-sources, code))
    assert scored, "the test world has no firm with public records"
    return [code for _, code in sorted(scored)]


async def test_the_publics_answer_is_kept_and_says_how_old_its_sources_are(
    gateway: tuple[Starlette, httpx.AsyncClient],
    bureaus: dict[str, RunningBureau],
    world: World,
) -> None:
    app, http = gateway
    code = _with_public_records(world)[0]
    first = await _ask(http, PROFILE, {"code": code})
    assert {b: bureaus[b].service.state.total_calls for b in PUBLIC_BUREAUS} == dict.fromkeys(
        PUBLIC_BUREAUS, 1
    )
    _forget_bureau_answers(app, bureaus)
    again = await _ask(http, PROFILE, {"code": code})
    assert _calls(bureaus) == 0  # kept: no bureau asked, no resolver ran
    assert again["data"] == first["data"]
    assert again["extensions"]["requestId"] != first["extensions"]["requestId"]
    before = {p["source"]: p for p in first["extensions"]["provenance"]}
    after = {p["source"]: p for p in again["extensions"]["provenance"]}
    assert set(after) == set(before) >= set(PUBLIC_BUREAUS)
    for source, entry in after.items():
        assert entry["cached"] is True
        assert entry["stale"] is False
        assert entry["fetchedAt"] == before[source]["fetchedAt"]
        assert entry["ageSeconds"] >= before[source]["ageSeconds"]
        assert entry["paths"] == before[source]["paths"]


@pytest.mark.parametrize(
    "case", ["legal representative", "person", "bank", "consent-gated field", "control: kept"]
)
async def test_an_answer_that_is_personal_gated_or_not_the_publics_is_never_kept(
    gateway: tuple[Starlette, httpx.AsyncClient],
    bureaus: dict[str, RunningBureau],
    world: World,
    demo_keys: dict[str, str],
    case: str,
) -> None:
    app, http = gateway
    code = _with_public_records(world)[1]
    reg = world.registrations[code]
    headers: dict[str, str] = {}
    variables: dict[str, Any] = {"code": code}
    if case == "legal representative":
        query = """query($code: String!) {
          enterprise(uscc: $code) { name rep: legalRepresentative { name } } }"""
    elif case == "person":
        query = """query($code: String!) {
          subject(code: $code) { displayName records { totalCount } } }"""
        variables = {"code": reg.legal_rep_id}
    elif case == "bank":
        query = PROFILE
        headers = {"Authorization": f"Bearer {demo_keys['bank']}"}
    elif case == "consent-gated field":
        query = "query($code: String!) { enterprise(uscc: $code) { name taxGrades { year } } }"
    else:  # the control: the same kind of request, kept
        query = "query($code: String!) { enterprise(uscc: $code) { name records { totalCount } } }"
    first = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert first.status_code == 200, first.text
    _forget_bureau_answers(app, bureaus)
    again = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert again.status_code == 200, again.text
    if case == "control: kept":
        assert _calls(bureaus) == 0
    else:
        assert _calls(bureaus) > 0, f"{case}: served from a kept answer"


def test_an_answer_that_issues_a_report_number_is_never_kept() -> None:
    """A seal is issued per request (a number of the day's 999,999, kept with the request that
    took it): kept, one number would be handed to every caller after the first."""
    unsealed = '{ enterprise(uscc: "x") { creditReport { generatedOn } } }'
    sealed = '{ enterprise(uscc: "x") { creditReport { generatedOn s: seal { number } } } }'
    assert cacheable_document(unsealed, None, max_chars=10_000)
    assert not cacheable_document(sealed, None, max_chars=10_000)


async def test_a_record_leaving_its_publicity_window_leaves_the_kept_answer(
    gateway: tuple[Starlette, httpx.AsyncClient], world: World, day: Day
) -> None:
    _, http = gateway
    soonest: tuple[dt.date, str, str] | None = None
    for code in _with_public_records(world)[:40]:
        body = await _ask(http, PROFILE, {"code": code})
        for edge in body["data"]["enterprise"]["records"]["edges"]:
            until = edge["node"]["publicity"]["visibleUntil"]
            if until is not None:
                found = (dt.date.fromisoformat(until), code, edge["node"]["id"])
                soonest = found if soonest is None or found < soonest else soonest
    assert soonest is not None, "no record in the test world leaves its publicity window"
    until, code, record_id = soonest
    shown = await _ask(http, PROFILE, {"code": code})  # kept, today
    ids = [e["node"]["id"] for e in shown["data"]["enterprise"]["records"]["edges"]]
    assert record_id in ids
    day.value = until + dt.timedelta(days=1)
    later = await _ask(http, PROFILE, {"code": code})
    records = later["data"]["enterprise"]["records"]
    assert record_id not in [e["node"]["id"] for e in records["edges"]]
    assert records["totalCount"] == shown["data"]["enterprise"]["records"]["totalCount"] - 1


async def _platform_changed(app: Starlette) -> asyncio.Event:
    changed = asyncio.Event()
    app.state.gateway.connectors.platform._cache.on_change.append(changed.set)
    return changed


async def _red_list(database: Database, code: str, entry_id: str) -> None:
    await database.pool.execute(
        """INSERT INTO red_list_entries (id, subject_code, subject_name, list_name, authority,
                                         listed_on)
           VALUES ($1, $2, '测试企业', '守合同重信用企业', '市场监督管理局', $3)""",
        entry_id,
        code,
        TEST_WORLD.today - dt.timedelta(days=3),
    )


async def test_a_platform_change_drops_the_kept_answers(
    gateway: tuple[Starlette, httpx.AsyncClient], seeded_database: Database, world: World
) -> None:
    app, http = gateway
    code = _with_public_records(world)[2]
    before = await _ask(http, PROFILE, {"code": code})
    changed = await _platform_changed(app)
    await _red_list(seeded_database, code, "RL-RESPONSE-CACHE-1")
    try:
        await asyncio.wait_for(changed.wait(), 10)
        after = await _ask(http, PROFILE, {"code": code})
        ids = [e["node"]["id"] for e in after["data"]["enterprise"]["records"]["edges"]]
        assert "RL-RESPONSE-CACHE-1" in ids
        total = before["data"]["enterprise"]["records"]["totalCount"]
        assert after["data"]["enterprise"]["records"]["totalCount"] == total + 1
    finally:
        await seeded_database.pool.execute(
            "DELETE FROM red_list_entries WHERE id = 'RL-RESPONSE-CACHE-1'"
        )


@pytest.mark.redis
async def test_replicas_share_kept_answers_through_redis_and_drop_them_together(
    settings: Settings,
    seeded_database: Database,
    bureaus: dict[str, RunningBureau],
    world: World,
    day: Day,
) -> None:
    redis = await open_test_redis()  # fails with REDIS_URL set and silent, skips without one
    await redis.aclose()
    # With Redis the rate limits are Redis's too: the public's bucket of 127.0.0.1 there is
    # every run's and every local gateway's, so it is lifted here (this test is not pacing).
    unlimited = RateLimits(**dict.fromkeys(RateLimits.model_fields, 10**7))
    shared = settings.model_copy(
        update={"redis_url": settings.redis_url or _default_redis(), "rate_limits": unlimited}
    )
    one, two = _app(shared, seeded_database, day), _app(shared, seeded_database, day)
    code = _with_public_records(world)[3]
    async with (
        serve_app(one) as url_one,
        serve_app(two) as url_two,
        httpx.AsyncClient(base_url=url_one, timeout=30) as first,
        httpx.AsyncClient(base_url=url_two, timeout=30) as second,
    ):
        kept = await _ask(first, PROFILE, {"code": code})
        _forget_bureau_answers(one, bureaus)
        _forget_bureau_answers(two, bureaus)
        shared_answer = await _ask(second, PROFILE, {"code": code})
        assert _calls(bureaus) == 0  # the other replica's kept answer, from Redis
        assert shared_answer["data"] == kept["data"]
        assert all(p["cached"] for p in shared_answer["extensions"]["provenance"])

        changed = await _platform_changed(two)
        await _red_list(seeded_database, code, "RL-RESPONSE-CACHE-2")
        try:
            await asyncio.wait_for(changed.wait(), 10)
            after = await _ask(second, PROFILE, {"code": code})
            ids = [e["node"]["id"] for e in after["data"]["enterprise"]["records"]["edges"]]
            assert "RL-RESPONSE-CACHE-2" in ids
        finally:
            await seeded_database.pool.execute(
                "DELETE FROM red_list_entries WHERE id = 'RL-RESPONSE-CACHE-2'"
            )


def _default_redis() -> Any:
    from pydantic import SecretStr

    from tests.gateway.access.conftest import DEFAULT_REDIS

    return SecretStr(DEFAULT_REDIS)


async def test_kept_answers_are_bounded_by_their_bytes_not_their_number() -> None:
    platform = PlatformCache(ttl_s=3600, maxsize=10)
    platform._hear()  # as the listener does once connected
    cache = ResponseCache(platform=platform, ttl_by_source={"market": 300.0}, max_bytes=20_000)
    now = dt.datetime.now(dt.UTC).timestamp()

    def answer(size: int) -> KeptAnswer:
        data = {"enterprise": {"name": "x" * size}}
        return KeptAnswer(data, {}, (("market", now, ("enterprise",)),), now + 300)

    for i in range(40):  # 40 answers of ~1 KB: twice what the bytes admit
        await cache.put(f"k{i}", answer(1_000))
    assert cache.kept_bytes <= 20_000
    assert await cache.get("k0") is None  # the oldest went
    newest = await cache.get("k39")
    assert newest is not None
    assert newest.data == answer(1_000).data
    await cache.put("big", answer(3_000))  # over a tenth of the budget: never kept
    assert await cache.get("big") is None
