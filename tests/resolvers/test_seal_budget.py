"""The public's daily budget of numbered reports (``GATEWAY_PUBLIC_SEALS_PER_DAY``), over real
HTTP, the real gateway and database: callers told apart by their address as a trusted proxy
forwards it (uvicorn trusts ``X-Forwarded-For`` from 127.0.0.1, as behind a local proxy)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.database import Database
from gateway.settings import RateLimits, Settings
from simulators.world import World
from tests.conftest import TEST_WORLD
from tests.fakes.servers import serve_app
from tests.resolvers.test_graph import gql

PER_DAY = 2
SEALED = """
query($c: String!) {
  subject(code: $c) {
    creditReport { subjectCode seal { number } notes { objections { source } statements } }
  }
}"""
UNSEALED = """
query($c: String!) { subject(code: $c) { creditReport { subjectCode notes { statements } } } }"""
COUNT = "SELECT count(*) FROM credit_reports"
SEQUENCE = "SELECT last_sequence FROM report_sequences WHERE day = $1"


class Calendar:
    """The gateway's ``today``, turned by the test (never by waiting)."""

    def __init__(self) -> None:
        self.day = TEST_WORLD.today

    def __call__(self) -> dt.date:
        return self.day


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return Calendar()


@pytest.fixture(autouse=True)
def _back_to_the_worlds_day(calendar: Calendar) -> None:
    calendar.day = TEST_WORLD.today


@pytest.fixture(scope="module")
def budget_app(settings: Settings, seeded_database: Database, calendar: Calendar) -> Starlette:
    tuned = settings.model_copy(
        update={"public_seals_per_day": PER_DAY, "rate_limits": RateLimits(public=10_000)}
    )
    return create_app(tuned, database=seeded_database, today=calendar)


@pytest.fixture(scope="module")
async def budget_url(budget_app: Starlette) -> AsyncIterator[str]:
    async with serve_app(budget_app) as url:
        yield url


Caller = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def caller(budget_url: str) -> Caller:
    """A client whose requests come from a fresh address of their own (through the proxy), so
    that no other test's seals count against it; ``key``: a known client's API key."""

    def open_client(key: str | None = None, *, address: str | None = None) -> httpx.AsyncClient:
        headers = {"X-Forwarded-For": address or f"2001:db8::{secrets.token_hex(2)}"}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        return httpx.AsyncClient(base_url=budget_url, timeout=30, headers=headers)

    return open_client


async def sealed(http: httpx.AsyncClient, code: str) -> dict[str, Any]:
    body = await gql(http, SEALED, c=code)
    assert "errors" not in body, body["errors"]
    report: dict[str, Any] = body["data"]["subject"]["creditReport"]
    assert report["seal"]["number"].startswith("XYBG")
    return report


async def test_a_caller_has_its_days_numbered_reports_then_a_refusal_and_the_report_stands(
    caller: Caller,
    calendar: Calendar,
    world: World,
    database: Database,
    demo_keys: dict[str, str],
) -> None:
    code = world.boundary["every_kind"]
    day = TEST_WORLD.today
    async with caller() as scraper, caller() as neighbour:
        numbers = {(await sealed(scraper, code))["seal"]["number"] for _ in range(PER_DAY)}
        assert len(numbers) == PER_DAY

        rows = await database.pool.fetchval(COUNT)
        sequence = await database.pool.fetchval(SEQUENCE, day)
        body = await gql(scraper, SEALED, c=code)
        report = body["data"]["subject"]["creditReport"]
        assert report["seal"] is None
        assert report["subjectCode"] == code  # the rest of the report stands
        assert report["notes"]["objections"]
        assert report["notes"]["statements"]
        [error] = body["errors"]
        assert error["path"] == ["subject", "creditReport", "seal"]
        assert error["extensions"] == {
            "code": "SEAL_BUDGET_EXHAUSTED",
            "perDay": PER_DAY,
            "resetsAt": f"{day + dt.timedelta(days=1)}T00:00:00+08:00",
        }
        assert f"每天最多出具 {PER_DAY} 份带编号的信用报告" in error["message"]
        assert "次日0时（北京时间）" in error["message"]
        # Refused before a number was taken: no row, and the day's sequence did not move.
        assert await database.pool.fetchval(COUNT) == rows
        assert await database.pool.fetchval(SEQUENCE, day) == sequence

        unsealed = await gql(scraper, UNSEALED, c=code)  # a report without a number: fine
        assert "errors" not in unsealed, unsealed["errors"]
        assert unsealed["data"]["subject"]["creditReport"]["subjectCode"] == code

        await sealed(neighbour, code)  # another address has its own day's

        address = scraper.headers["x-forwarded-for"]
        async with caller(demo_keys["officer"], address=address) as officer:
            await sealed(officer, code)  # an officer at the same address has no such budget

        # The gateway's day turns (at 0:00 Beijing time): the caller starts again.
        calendar.day = day + dt.timedelta(days=1)
        report = await sealed(scraper, code)
        assert report["seal"]["number"].startswith(f"XYBG{calendar.day:%Y%m%d}")


async def test_a_seal_that_could_not_be_issued_costs_the_caller_nothing(
    caller: Caller, world: World, seeded_database: Database
) -> None:
    """The slot is taken before the number and given back when the report was not issued: a
    caller whom the registry failed still has its whole day."""
    code = world.boundary["every_kind"]
    pool = seeded_database.pool
    await pool.execute(  # a real database refusal, for this test only
        """CREATE FUNCTION test_refuse_budget_reports() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN RAISE EXCEPTION 'report store unavailable (test)'; END $$;
           CREATE TRIGGER test_refuse_budget_reports BEFORE INSERT ON credit_reports
           FOR EACH ROW EXECUTE FUNCTION test_refuse_budget_reports();"""
    )
    async with caller() as visitor:
        try:
            for _ in range(PER_DAY + 1):
                body = await gql(visitor, SEALED, c=code)
                assert body["data"]["subject"]["creditReport"]["seal"] is None
                codes = {e["extensions"]["code"] for e in body["errors"]}
                assert codes == {"REPORT_REGISTRY_UNAVAILABLE"}
        finally:
            await pool.execute(
                "DROP TRIGGER test_refuse_budget_reports ON credit_reports;"
                " DROP FUNCTION test_refuse_budget_reports();"
            )
        for _ in range(PER_DAY):
            await sealed(visitor, code)
        body = await gql(visitor, SEALED, c=code)
        assert {e["extensions"]["code"] for e in body["errors"]} == {"SEAL_BUDGET_EXHAUSTED"}


async def test_when_the_days_numbers_are_all_issued_the_caller_keeps_its_budget(
    caller: Caller, calendar: Calendar, world: World, database: Database
) -> None:
    calendar.day = day = TEST_WORLD.today + dt.timedelta(days=40)  # a day of this test's own
    await database.pool.execute(
        """INSERT INTO report_sequences (day, last_sequence) VALUES ($1, 999999)
           ON CONFLICT (day) DO UPDATE SET last_sequence = 999999""",
        day,
    )
    code = world.boundary["every_kind"]
    async with caller() as visitor:
        try:
            for _ in range(PER_DAY + 1):
                body = await gql(visitor, SEALED, c=code)
                codes = {e["extensions"]["code"] for e in body["errors"]}
                assert codes == {"REPORT_NUMBERS_EXHAUSTED"}  # never SEAL_BUDGET_EXHAUSTED
        finally:
            await database.pool.execute("DELETE FROM report_sequences WHERE day = $1", day)
        for _ in range(PER_DAY):
            await sealed(visitor, code)
