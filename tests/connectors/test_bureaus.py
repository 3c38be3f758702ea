"""What differs per bureau: the mappings the contract suite cannot see, the verifier's verdicts,
market's extra lookups, and edge cases only an ``httpx.MockTransport`` can produce.
"""

from __future__ import annotations

import datetime as dt
import random
import socket
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from connectors.config import BureauConfig
from connectors.court import CourtConnector
from connectors.errors import NotFound, SourceProtocolError, SourceRejected, SourceUnavailable
from connectors.http import HttpBureau
from connectors.identity import IdentityConnector, IdentityVerdict
from connectors.market import MarketConnector
from connectors.market_mapping import penalty_record
from connectors.national import NationalConnector
from connectors.utilities import UtilitiesConnector
from credit.identifiers import validate_uscc
from credit.publicity import never_published
from credit.records import CreditRecord, Performance, RecordKind, Shareholding
from simulators.runner import RunningBureau
from simulators.world import World, make_citizen_id
from tests.connectors.cases import unknown_uscc
from tests.connectors.conftest import SentLog
from tests.connectors.fake_clock import FakeClock

Make = Callable[..., Any]


@pytest.fixture
async def make(
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    http: httpx.AsyncClient,
    clock: FakeClock,
) -> AsyncIterator[Make]:
    made: list[HttpBureau] = []

    def build(cls: type[HttpBureau], **overrides: Any) -> Any:
        bureau = cls.source
        config = BureauConfig(
            url=bureaus[bureau].url, api_key=SecretStr(bureau_keys[bureau]), **overrides
        )
        connector = cls(http, config, clock=clock)
        made.append(connector)
        return connector

    yield build
    for connector in made:
        await connector.aclose()


# --- court -----------------------------------------------------------------------------------


async def test_a_persons_entries_come_back_under_the_code_asked_for(
    make: Make, world: World
) -> None:
    person = next(p for p in sorted(world.persons) if world.facts(p).court)  # type: ignore[union-attr]
    found = await make(CourtConnector).records([person])
    records = found[person].value
    assert records
    assert {r.subject_code for r in records} == {person}  # the court itself masks it
    assert {r.id for r in records} == {r.id for r in world.facts(person).court}  # type: ignore[union-attr]
    defaulters = [r for r in records if r.kind is RecordKind.JUDGMENT_DEFAULTER]
    assert all(r.defaulter_ground in range(1, 7) for r in defaulters)


# --- market ----------------------------------------------------------------------------------


def test_penalty_fines_are_converted_from_wan_yuan() -> None:
    item = {
        "CF_ID": "CF-1", "CF_WSH": "宁市监罚〔2025〕1号", "CF_WFXW": "虚假宣传", "CF_SY": "…",
        "CF_YJ": "《广告法》", "CF_CFLB": "罚款", "CF_NR": "罚款1.5万元", "CF_NR_FK": "1.5",
        "CF_JDRQ": "2025-03-01", "CF_GSQSRQ": "2025-03-08", "CF_GSJZQ": "", "CF_CFJG": "某局",
        "CF_XDR_MC": "某公司", "CF_XDR_SHXYM": "91640104MA7K3P2Q1X", "CF_SJLY": "某局",
        "CF_SCJG": "1", "CF_YZCD": "一般", "CF_QWCF": "0", "CF_XFZT": "2",
        "CF_XFRQ": "2025-09-01",
    }  # fmt: skip
    record = penalty_record(item)
    assert record.amount_yuan == Decimal("15000.00")
    assert record.kind is RecordKind.MARKET_PENALTY
    assert record.declared_publicity_until is None
    assert record.repaired_on == dt.date(2025, 9, 1)
    assert penalty_record({**item, "CF_NR_FK": "0"}).amount_yuan is None
    # the feed's marks of what market regulation never publishes reach the record
    assert record.sanctions == ("罚款",)
    assert not never_published(record)
    assert never_published(penalty_record({**item, "CF_CFLB": "警告"}))
    assert never_published(penalty_record({**item, "CF_CFCX": "简易程序"}))
    both = penalty_record({**item, "CF_CFLB": "罚款；责令停产停业"})
    assert both.sanctions == ("罚款", "责令停产停业")


async def test_shareholders_one_call_per_uncached_enterprise(
    make: Make, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    market: MarketConnector = make(MarketConnector)
    codes = [c for c in sorted(world.registrations) if world.shareholders(c)][:3]
    [unknown] = unknown_uscc(world)
    found = await market.shareholders([*codes, unknown])
    assert set(found) == set(codes)
    for code in codes:
        expected = tuple(
            Shareholding(s.person_id, s.name, s.share_percent, s.subscribed_yuan)
            for s in world.shareholders(code)
        )
        assert found[code].value == expected
        assert sum(s.share_percent for s in found[code].value) == 100
    assert bureaus["market"].service.state.calls["enterprise.shareholders"] == 4
    again = await market.shareholders(codes)
    assert all(again[c].provenance.cached for c in codes)
    assert bureaus["market"].service.state.total_calls == 4


async def test_registration_of_an_unknown_code_is_not_found(make: Make, world: World) -> None:
    [unknown] = unknown_uscc(world)
    with pytest.raises(NotFound) as caught:
        await make(MarketConnector).registration(unknown)
    assert unknown not in str(caught.value)


async def test_represented_by_and_search(make: Make, world: World) -> None:
    market: MarketConnector = make(MarketConnector)
    rep = next(iter(world.registrations.values())).legal_rep_id
    held = await market.represented_by(rep)
    assert {r.uscc for r in held.value} == set(world.represented_by(rep))
    assert held.provenance.source == "market"

    word = next(iter(world.registrations.values())).name[2:4]
    page = (await market.search(word, page=1, size=5)).value
    hits = list(world.search(word))
    assert page.total == len(hits)
    assert [r.uscc for r in page.items] == [r.uscc for r in hits[:5]]


# --- utilities -------------------------------------------------------------------------------


async def test_bill_months_are_read_in_china_standard_time() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        bill = {"utility": "gas", "period": 1727712000000, "amountFen": 12345, "arrearsFen": 5}
        results = [{"creditCode": "X", "status": "OK", "bills": [bill]}]
        return httpx.Response(200, json={"status": "OK", "data": {"results": results}})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        connector = UtilitiesConnector(client, BureauConfig(url="http://utilities.invalid"))
        from connectors.protocol import Grant

        found = await connector.bills({"X": Grant("c", "t")})
    [bill] = found["X"].value
    assert bill.month == dt.date(2024, 10, 1)  # 2024-09-30T16:00Z
    assert bill.amount_yuan == Decimal("123.45")
    assert bill.arrears_yuan == Decimal("0.05")


# --- identity --------------------------------------------------------------------------------


async def test_verdicts(make: Make, world: World) -> None:
    identity: IdentityConnector = make(IdentityConnector)
    person = world.persons[sorted(world.persons)[0]]
    right = await identity.verify(person.name, person.id_number, person.phone)
    assert right.value is IdentityVerdict.MATCH
    wrong = await identity.verify(person.name + "某", person.id_number, person.phone)
    assert wrong.value is IdentityVerdict.MISMATCH
    not_theirs = "13900001111"
    assert not_theirs != person.phone
    wrong = await identity.verify(person.name, person.id_number, not_theirs)
    assert wrong.value is IdentityVerdict.MISMATCH
    stranger = make_citizen_id(random.Random(5), "640500", dt.date(1990, 1, 1), male=True)
    assert stranger not in world.persons
    unknown = await identity.verify("某某", stranger, "13900001111")
    assert unknown.value is IdentityVerdict.UNKNOWN


async def test_nothing_about_a_person_is_kept_or_told(
    make: Make, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    identity: IdentityConnector = make(IdentityConnector)
    person = world.persons[sorted(world.persons)[1]]
    await identity.verify(person.name, person.id_number, person.phone)
    await identity.verify(person.name, person.id_number, person.phone)
    assert bureaus["identity"].service.state.total_calls == 2  # never cached
    bad = person.id_number[:-1] + ("0" if person.id_number[-1] != "0" else "1")
    with pytest.raises(SourceRejected) as caught:
        await identity.verify(person.name, bad, person.phone)
    for text in (str(caught.value), repr(caught.value)):
        assert bad not in text
        assert person.name not in text
        assert person.phone not in text


# --- edge cases the simulators cannot produce -------------------------------------------------


async def test_a_batch_answer_of_the_wrong_length_is_a_protocol_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"results": []})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        court = CourtConnector(client, BureauConfig(url="http://court.invalid"))
        with pytest.raises(SourceProtocolError):
            await court.records(["91640104MA7K3P2Q1X"])


async def test_a_retry_after_date_falls_back_to_our_own_backoff(clock: FakeClock) -> None:
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}),
            httpx.Response(200, json={"results": [{"found": False}]}),
        ]
    )
    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda r: next(answers))) as client:
        config = BureauConfig(url="http://court.invalid", retry_max_delay_s=0.5)
        court = CourtConnector(client, config, clock=clock)
        found = await court.records(["91640104MA7K3P2Q1X"])
    assert found["91640104MA7K3P2Q1X"].value == ()
    [slept] = clock.sleeps
    assert 0 <= slept <= 0.1  # the first backoff step, not the date


async def test_connection_refused_is_unavailable(http: httpx.AsyncClient, sent: SentLog) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = BureauConfig(url=f"http://127.0.0.1:{port}", retry_attempts=1)
    court = CourtConnector(http, config)
    with pytest.raises(SourceUnavailable) as caught:
        await court.records(["91640104MA7K3P2Q1X"])
    assert str(port) not in str(caught.value)
    assert len(sent) == 1


async def test_shareholders_of_a_hundred_firms_stay_inside_the_bulkhead(
    make: Make, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    market: MarketConnector = make(MarketConnector, max_in_flight=4, max_queued=0)
    codes = sorted(world.registrations)[:100]
    found = await market.shareholders(codes)
    assert set(found) == set(codes)
    assert bureaus["market"].service.state.total_calls == 100


async def test_penalties_market_regulation_never_publishes_are_dropped(
    make: Make, world: World
) -> None:
    """The feed carries a warning alone and 简易程序 decisions, marked; the connector drops them
    on both paths (SAMR Order 45 Art. 2) and keeps every other penalty."""
    codes = [
        code
        for code in sorted(world.registrations)[:1500]
        if any(never_published(p) for p in world.facts(code).penalties)  # type: ignore[union-attr]
    ][:5]
    assert len(codes) == 5
    connector = make(MarketConnector)
    by_kind = await connector.penalties(codes)
    dossiers = await connector.dossiers(codes)
    for code in codes:
        facts = world.facts(code).penalties  # type: ignore[union-attr]
        kept = {p.id for p in facts if not never_published(p)}
        assert {r.id for r in by_kind[code].value} == kept
        shown = {r.id for r in dossiers[code].value.records if r.kind in _PENALTY_KINDS}
        assert shown == kept


_PENALTY_KINDS = {RecordKind.MARKET_PENALTY, RecordKind.ADMIN_PENALTY}


# --- what the bureaus' own reports print: authority code, case number, court, performance -------


def _printed(record: CreditRecord) -> tuple[object, ...]:
    return (record.authority_code, record.case_number, record.executing_court, record.performance)


def _with_kinds(world: World, *kinds: RecordKind, persons: bool = False) -> list[str]:
    pool = sorted(world.persons) if persons else sorted(world.registrations)[:1500]
    return [c for c in pool if {r.kind for r in world.facts(c).records()} & set(kinds)]  # type: ignore[union-attr]


async def test_court_entries_carry_case_number_executing_court_its_code_and_performance(
    make: Make, world: World
) -> None:
    codes = _with_kinds(world, RecordKind.JUDGMENT_DEFAULTER)[:40]
    found = await make(CourtConnector).records(codes)
    seen: set[Performance | None] = set()
    for code in codes:
        served = {r.id: r for r in world.facts(code).court}  # type: ignore[union-attr]
        for record in found[code].value:
            assert _printed(record) == _printed(served[record.id])
            assert record.case_number == record.title  # the court's 案号
            assert record.executing_court == record.authority
            assert validate_uscc(record.authority_code).startswith("11")  # a state organ
            if record.kind is RecordKind.JUDGMENT_DEFAULTER:
                seen.add(record.performance)
                assert (record.performance is Performance.FULL) == (record.ended_on is not None)
            else:
                assert record.performance is None
    assert seen == set(Performance)  # the simulator serves all three states


async def test_market_and_national_records_carry_the_authority_code_and_decision_number(
    make: Make, world: World
) -> None:
    kinds = (
        RecordKind.MARKET_PENALTY,
        RecordKind.ADMIN_PENALTY,
        RecordKind.PERMIT,
        RecordKind.ABNORMAL_OPERATION,
        RecordKind.SERIOUS_VIOLATION,
    )
    codes = sorted({c for kind in kinds for c in _with_kinds(world, kind)[:4]})
    dossiers = await make(MarketConnector).dossiers(codes)
    checked: set[RecordKind] = set()
    for code in codes:
        facts = world.facts(code)
        assert facts is not None
        served = {r.id: r for r in facts.records()}
        for record in dossiers[code].value.records:
            assert _printed(record) == _printed(served[record.id])
            assert validate_uscc(record.authority_code).startswith("11")
            number = record.details.get("CF_WSH") or record.details.get("XK_WSH")
            if record.kind in {*_PENALTY_KINDS, RecordKind.PERMIT}:
                assert record.case_number == number != ""  # 决定书文号
            checked.add(record.kind)
    assert checked == set(kinds)
    listed = _with_kinds(world, RecordKind.SERIOUS_DISHONESTY)[:5]
    entries = await make(NationalConnector).entries(listed)
    for code in listed:
        served = {r.id: r for r in world.facts(code).national}  # type: ignore[union-attr]
        for record in entries[code].value:
            assert record.authority_code == served[record.id].authority_code != ""


def _court_answer(**changes: object) -> dict[str, Any]:
    item: dict[str, Any] = {
        "entryId": "JD-1", "caseNumber": "(2024)宁0104执12号", "courtName": "银川市兴庆区人民法院",
        "courtCode": "116401040000000000", "groundCode": 1, "obligation": "偿还借款",
        "amount": "1000.00", "performance": "部分履行", "filedDate": "2024-01-02",
        "publishDate": "2024-03-01", "performedDate": None, "deletedDate": None,
        "legalBasis": "第一条",
    }  # fmt: skip
    item.update(changes)
    return {"results": [{"found": True, "dishonest": [item], "restrictions": []}]}


async def test_court_performance_outside_the_three_states_is_a_protocol_error() -> None:
    def answer(changes: dict[str, object]) -> httpx.MockTransport:
        return httpx.MockTransport(lambda _: httpx.Response(200, json=_court_answer(**changes)))

    config = BureauConfig(url="http://court.invalid", retry_attempts=1)
    async with httpx.AsyncClient(transport=answer({})) as client:
        [record] = (await CourtConnector(client, config).records(["91640104MA0K3P7W64"]))[
            "91640104MA0K3P7W64"
        ].value
    assert record.performance is Performance.PARTIAL
    async with httpx.AsyncClient(transport=answer({"performance": None, "courtCode": None})) as c:
        [record] = (await CourtConnector(c, config).records(["91640104MA0K3P7W64"]))[
            "91640104MA0K3P7W64"
        ].value
    assert (record.performance, record.authority_code) == (None, "")
    async with httpx.AsyncClient(transport=answer({"performance": "部分未履行"})) as client:
        with pytest.raises(SourceProtocolError):
            await CourtConnector(client, config).records(["91640104MA0K3P7W64"])
