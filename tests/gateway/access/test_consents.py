"""The consent store against the real PostgreSQL, the revocation bus in-process and over Redis."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging

import asyncpg
import pytest
import redis.asyncio as aioredis

from credit.access import (
    Consent,
    ConsentScope,
    ConsentTermTooLong,
    Principal,
    PrincipalKind,
    find_live_consent,
)
from credit.authorisation import verify_subject_token
from gateway.consents import (
    ConsentForbidden,
    ConsentNotFound,
    ConsentRevoked,
    RevocationBus,
    grant,
    list_for_subject,
    live_consents_for,
    mint_grant,
    revoke,
)
from gateway.database import Database

NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Yinchuan
PURPOSE = "信易贷贷前审查"


def citizen(unique: str, *firms: str) -> Principal:
    return Principal(
        PrincipalKind.CITIZEN,
        client_id="botclient001",
        subject_key=f"p:{unique}",
        represents=frozenset(firms),
    )


async def granted(
    conn: asyncpg.Connection, by: Principal, subject: str, **changes: object
) -> Consent:
    args: dict[str, object] = {
        "by": by,
        "subject_code": subject,
        "bank_id": "bank-a",
        "scopes": {ConsentScope.TAX},
        "purpose": PURPOSE,
        "ends_on": dt.date(2027, 1, 31),
        "now": NOW,
        "max_days": 90,
    }
    args.update(changes)
    return await grant(conn, **args)  # type: ignore[arg-type]


async def test_grant_for_self_and_for_a_represented_firm(migrated: Database, unique: str) -> None:
    firm = f"F{unique}"
    me = citizen(unique, firm)
    async with migrated.pool.acquire() as conn:
        mine = await granted(conn, me, f"p:{unique}", purpose=f"  {PURPOSE} ")
        theirs = await granted(
            conn, me, firm, scopes=[ConsentScope.HRSS, ConsentScope.UTILITIES, ConsentScope.HRSS]
        )
        assert mine.granted_on == dt.date(2026, 11, 20)
        assert mine.purpose == PURPOSE
        assert mine.revoked_at is None
        assert theirs.scopes == {ConsentScope.HRSS, ConsentScope.UTILITIES}
        assert theirs.subject_code == firm
        assert await list_for_subject(conn, firm) == [theirs]


@pytest.mark.parametrize(
    "who",
    [
        Principal(PrincipalKind.BANK, client_id="b", bank_id="bank-a"),
        Principal(PrincipalKind.OPERATOR, client_id="admin"),
        Principal(PrincipalKind.CITIZEN, subject_key="p:someone-else"),
    ],
)
async def test_only_the_subject_grants(migrated: Database, unique: str, who: Principal) -> None:
    async with migrated.pool.acquire() as conn:
        with pytest.raises(ConsentForbidden):
            await granted(conn, who, f"F{unique}")
        assert await list_for_subject(conn, f"F{unique}") == []


async def test_term_beyond_the_maximum_is_refused_and_not_stored(
    migrated: Database, unique: str
) -> None:
    me = citizen(unique)
    async with migrated.pool.acquire() as conn:
        await granted(conn, me, f"p:{unique}", ends_on=dt.date(2027, 2, 18))  # exactly 90 days
        with pytest.raises(ConsentTermTooLong):
            await granted(conn, me, f"p:{unique}", ends_on=dt.date(2027, 2, 19))
        with pytest.raises(ConsentTermTooLong):
            await granted(conn, me, f"p:{unique}", ends_on=dt.date(2026, 12, 1), max_days=10)
        assert len(await list_for_subject(conn, f"p:{unique}")) == 1


async def test_live_consents_for_a_batch_in_one_query(migrated: Database, unique: str) -> None:
    firms = [f"F{unique}{i}" for i in range(3)]
    me = citizen(unique, *firms)
    async with migrated.pool.acquire() as conn:
        a0 = await granted(conn, me, firms[0])
        a0_long = await granted(conn, me, firms[0], ends_on=dt.date(2027, 2, 1))
        await granted(conn, me, firms[1], bank_id="bank-b")
        short = await granted(conn, me, firms[2], ends_on=dt.date(2026, 11, 25))
        gone = await granted(conn, me, firms[2])
        await revoke(conn, gone.id, by=me, now=NOW)
        queries: list[str] = []

        def count(record: asyncpg.connection.LoggedQuery) -> None:
            queries.append(record.query)

        conn.add_query_logger(count)
        try:
            live = await live_consents_for(conn, bank_id="bank-a", subject_codes=firms, now=NOW)
        finally:
            conn.remove_query_logger(count)
        await asyncio.sleep(0)  # asyncpg hands records to loggers with loop.call_soon
        assert len(queries) == 1
        assert live == {firms[0]: [a0_long, a0], firms[1]: [], firms[2]: [short]}
        later = await live_consents_for(
            conn, bank_id="bank-a", subject_codes=firms, now=NOW + dt.timedelta(days=6)
        )
        assert later[firms[2]] == []  # its last day has passed
        assert (
            find_live_consent(
                live[firms[0]],
                subject_code=firms[0],
                bank_id="bank-a",
                scope=ConsentScope.TAX,
                purpose=PURPOSE,
                now=NOW,
            )
            == a0_long
        )


async def test_revocation_is_visible_on_the_next_read_and_published_once(
    migrated: Database, unique: str
) -> None:
    firm = f"F{unique}"
    me = citizen(unique, firm)
    bus = RevocationBus()
    heard: list[ConsentRevoked] = []
    bus.subscribe(heard.append)
    async with migrated.pool.acquire() as conn:
        c = await granted(conn, me, firm)
        when = NOW + dt.timedelta(hours=1)
        done = await revoke(conn, c.id, by=me, now=when, bus=bus)
        assert done.revoked_at == when
        assert heard == [ConsentRevoked(c.id, subject_code=firm, bank_id="bank-a")]
        live = await live_consents_for(conn, bank_id="bank-a", subject_codes=[firm], now=when)
        assert live == {firm: []}
        again = await revoke(conn, c.id, by=me, now=when + dt.timedelta(hours=1), bus=bus)
        assert again.revoked_at == when
        assert len(heard) == 1
        [listed] = await list_for_subject(conn, firm)
        assert listed.revoked_at == when


async def test_someone_elses_consent_cannot_be_revoked(migrated: Database, unique: str) -> None:
    firm = f"F{unique}"
    me = citizen(unique, firm)
    stranger = citizen(unique + "x")
    async with migrated.pool.acquire() as conn:
        c = await granted(conn, me, firm)
        with pytest.raises(ConsentNotFound):
            await revoke(conn, c.id, by=stranger, now=NOW)
        for bogus in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
            with pytest.raises(ConsentNotFound):
                await revoke(conn, bogus, by=me, now=NOW)
        live = await live_consents_for(conn, bank_id="bank-a", subject_codes=[firm], now=NOW)
        assert live[firm] == [c]


def test_a_failing_listener_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    bus = RevocationBus()
    heard: list[str] = []

    def broken(event: ConsentRevoked) -> None:
        raise RuntimeError("cache is broken")

    bus.subscribe(broken)
    unsubscribe = bus.subscribe(lambda e: heard.append(e.consent_id))
    event = ConsentRevoked("c-1", subject_code="F", bank_id="b")
    with caplog.at_level(logging.ERROR, logger="gateway.consents"):
        bus._deliver(event)
    assert heard == ["c-1"]
    assert "listener failed" in caplog.text
    unsubscribe()
    bus._deliver(event)
    assert heard == ["c-1"]


@pytest.mark.redis
async def test_revocations_fan_out_to_other_replicas_over_redis(
    redis_client: aioredis.Redis, unique: str
) -> None:
    channel = f"test:revocations:{unique}"
    here, there = (
        RevocationBus(redis_client, channel=channel),
        RevocationBus(redis_client, channel=channel),
    )
    heard_here: list[str] = []
    heard_there: list[str] = []
    arrived = asyncio.Event()
    here.subscribe(lambda e: heard_here.append(e.consent_id))

    def on_there(event: ConsentRevoked) -> None:
        heard_there.append(event.consent_id)
        arrived.set()

    there.subscribe(on_there)
    async with here.running(), there.running():
        await here.publish(ConsentRevoked("c-42", subject_code="F", bank_id="bank-a"))
        await asyncio.wait_for(arrived.wait(), timeout=5)
        # A marker published after: once it arrives here, an echo of c-42 would have too.
        marker = asyncio.Event()
        here.subscribe(lambda e: marker.set() if e.consent_id == "marker" else None)
        await there.publish(ConsentRevoked("marker", subject_code="F", bank_id="bank-a"))
        await asyncio.wait_for(marker.wait(), timeout=5)
    assert heard_there == ["c-42", "marker"]
    assert heard_here == ["c-42", "marker"]  # its own c-42 once (local), not again via Redis


# --- bureau tokens ----------------------------------------------------------------------------


def consent(**changes: object) -> Consent:
    base = Consent(
        id="0b3f5c1e-0000-4000-8000-000000000001",
        subject_code="91640104P5H4MY366K",
        bank_id="bank-a",
        scopes=frozenset({ConsentScope.TAX}),
        purpose=PURPOSE,
        granted_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 11, 30),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_minted_token_is_what_the_bureau_verifies() -> None:
    c = consent()
    minted = mint_grant(c, scope=ConsentScope.TAX, secret=b"tax-secret", now=NOW, ttl_s=300)
    assert minted.consent_id == c.id
    args = {"subject": c.subject_code, "scope": "tax"}
    assert verify_subject_token(b"tax-secret", minted.token, now=NOW, **args)
    later = NOW + dt.timedelta(seconds=301)
    assert not verify_subject_token(b"tax-secret", minted.token, now=later, **args)
    assert not verify_subject_token(b"other", minted.token, now=NOW, **args)


def test_token_for_a_person_names_the_bureaus_code_and_never_outlives_the_term() -> None:
    c = consent(subject_code="p:key", ends_on=dt.date(2026, 11, 20))
    minted = mint_grant(
        c, scope=ConsentScope.TAX, secret=b"s", now=NOW, ttl_s=86_400, subject="ID-CODE"
    )
    midnight_cst = dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC)
    ok = {"subject": "ID-CODE", "scope": "tax"}
    assert verify_subject_token(
        b"s", minted.token, now=midnight_cst - dt.timedelta(milliseconds=1), **ok
    )
    assert not verify_subject_token(b"s", minted.token, now=midnight_cst, **ok)


def test_full_report_mints_any_scope_but_nothing_uncovered_is_minted() -> None:
    full = consent(scopes=frozenset({ConsentScope.FULL_REPORT}))
    assert mint_grant(full, scope=ConsentScope.HRSS, secret=b"s", now=NOW, ttl_s=60)
    for bad in (consent(), consent(revoked_at=NOW), consent(ends_on=dt.date(2026, 11, 19))):
        with pytest.raises(ValueError, match="does not cover"):
            mint_grant(bad, scope=ConsentScope.HRSS, secret=b"s", now=NOW, ttl_s=60)
