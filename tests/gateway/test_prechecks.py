"""The pre-check store and the gateway's financing service, on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import secrets
from collections.abc import AsyncIterator
from decimal import Decimal

import asyncpg
import pytest

from credit.access import ConsentScope, Principal, PrincipalKind
from credit.financing import (
    Decision,
    IdempotencyConflict,
    LoanOutcomeKind,
    LoanOutcomeReport,
    OutcomeConflict,
    PrecheckNotFound,
    Product,
    evaluate,
)
from credit.policy import PublicityPolicy
from gateway import consents
from gateway.database import Database
from gateway.financing import FinancingAuditFailed, GatewayFinancing
from gateway.migrations import apply_migrations
from gateway.prechecks import (
    Caller,
    approval_stats,
    claim_batch,
    find_batch,
    find_by_key,
    insert_prechecks,
    prechecks_on,
    reasons_from_json,
    reasons_to_json,
    report_outcome,
)
from gateway.products import get_product
from gateway.settings import Settings
from resolvers.financing_service import NewPrecheck, ReadNote
from resolvers.pagination import InvalidCursor
from tests.credit.financing.builders import DAY, add_defaulter, clean

POLICY = PublicityPolicy()
USCC = "91640104MA0K3P7W64"  # valid synthetic code


@pytest.fixture
async def conn(database: Database) -> AsyncIterator[asyncpg.Connection]:
    async with database.pool.acquire() as connection:
        await apply_migrations(connection)
        yield connection


@pytest.fixture
async def product(conn: asyncpg.Connection) -> Product:
    found = await get_product(conn, "BANK_TAX_LOAN", 1)
    assert found is not None
    return found


def caller(bank_id: str | None = None) -> Caller:
    return Caller(bank_id or f"bank-{secrets.token_hex(4)}", "client1", "测试银行", "req-1")


def decision(product: Product, *, defaulter: bool = False, day: dt.date = DAY) -> Decision:
    facts = add_defaulter(clean()) if defaulter else clean()
    return evaluate(product, facts, amount_yuan=Decimal("100000.00"), day=day, policy=POLICY)


def new(product: Product, key: str | None = None, **changes: object) -> NewPrecheck:
    made = NewPrecheck(
        uscc=USCC,
        purpose="信易贷贷前审查",
        fingerprint=secrets.token_hex(32),
        decision=decision(product),
        consent_ids=("c-1",),
        reads=(ReadNote(USCC, ("precheckFinancing.tax_payments",), (ConsentScope.TAX,), ("c-1",)),),
        idempotency_key=key if key is not None else secrets.token_hex(6),
    )
    return dataclasses.replace(made, **changes)  # type: ignore[arg-type]


def test_reasons_round_trip_through_json(product: Product) -> None:
    reasons = decision(product, defaulter=True).reasons
    assert reasons_from_json(reasons_to_json(reasons)) == reasons


async def test_a_stored_decision_reads_back_equal(
    conn: asyncpg.Connection, product: Product
) -> None:
    who = caller()
    item = new(product, "key-1")
    [stored] = await insert_prechecks(conn, who, [item], batch_id=None)
    assert stored.decision == item.decision
    found = await find_by_key(conn, bank_id=who.bank_id, key="key-1")
    assert found is not None
    assert found[0] == item.fingerprint
    assert found[1] == stored
    assert await insert_prechecks(conn, who, [new(product, "key-1")], batch_id=None) == []
    other_bank = await insert_prechecks(conn, caller(), [new(product, "key-1")], batch_id=None)
    assert len(other_bank) == 1  # keys are per bank


async def test_decisions_cannot_be_changed(conn: asyncpg.Connection, product: Product) -> None:
    await insert_prechecks(conn, caller(), [new(product)], batch_id=None)
    for statement in (
        "UPDATE financing_prechecks SET score = 0",
        "DELETE FROM financing_prechecks",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(statement)


async def test_batches_keep_request_positions(conn: asyncpg.Connection, product: Product) -> None:
    who = caller()
    batch = await claim_batch(conn, bank_id=who.bank_id, key="b", fingerprint="a" * 64)
    assert batch is not None
    assert await claim_batch(conn, bank_id=who.bank_id, key="b", fingerprint="b" * 64) is None
    items = [new(product, None, idempotency_key=None, position=p) for p in (4, 0, 2)]
    stored = await insert_prechecks(conn, who, items, batch_id=batch)
    assert [s.position for s in stored] == [4, 0, 2]
    found = await find_batch(conn, bank_id=who.bank_id, key="b")
    assert found is not None
    assert found[0] == "a" * 64
    assert [s.position for s in found[1]] == [0, 2, 4]


async def test_outcomes_once_and_only_by_the_bank(
    conn: asyncpg.Connection, product: Product
) -> None:
    who = caller()
    [stored] = await insert_prechecks(conn, who, [new(product)], batch_id=None)
    report = LoanOutcomeReport(LoanOutcomeKind.APPROVED, Decimal(90_000), Decimal("3.85"), 24)
    done = await report_outcome(conn, stored.id, bank_id=who.bank_id, client_id="c", report=report)
    assert done.loan is not None
    assert done.loan.report == report
    again = await report_outcome(conn, stored.id, bank_id=who.bank_id, client_id="c", report=report)
    assert again.loan == done.loan
    other = LoanOutcomeReport(LoanOutcomeKind.DECLINED)
    with pytest.raises(OutcomeConflict):
        await report_outcome(conn, stored.id, bank_id=who.bank_id, client_id="c", report=other)
    for bank_id, precheck_id in ((caller().bank_id, stored.id), (who.bank_id, "not-a-uuid")):
        with pytest.raises(PrecheckNotFound):
            await report_outcome(conn, precheck_id, bank_id=bank_id, client_id="c", report=report)


async def test_statistics_by_product_and_month(conn: asyncpg.Connection, product: Product) -> None:
    who = caller()
    days = [dt.date(2031, 1, 5), dt.date(2031, 1, 20), dt.date(2031, 2, 3)]
    items = [
        new(product, decision=decision(product, defaulter=n == 1, day=d))
        for n, d in enumerate(days)
    ]
    stored = await insert_prechecks(conn, who, items, batch_id=None)
    report = LoanOutcomeReport(LoanOutcomeKind.APPROVED, Decimal(50_000), Decimal(4), 12)
    await report_outcome(conn, stored[0].id, bank_id=who.bank_id, client_id="c", report=report)
    declined = LoanOutcomeReport(LoanOutcomeKind.DECLINED)
    await report_outcome(conn, stored[2].id, bank_id=who.bank_id, client_id="c", report=declined)
    rows = await approval_stats(
        conn, product_code="BANK_TAX_LOAN", since=dt.date(2031, 1, 1), until=dt.date(2031, 3, 1)
    )
    outcomes = [i.decision.outcome.value for i in items]  # the engine's; counted per month
    assert [(r.month, r.prechecks, r.reported, r.approved) for r in rows] == [
        (dt.date(2031, 1, 1), 2, 1, 1),
        (dt.date(2031, 2, 1), 1, 1, 0),
    ]
    assert [(r.passed, r.referred, r.declined) for r in rows] == [
        tuple(outcomes[:2].count(o) for o in ("PASS", "REFER", "DECLINE")),
        tuple(outcomes[2:].count(o) for o in ("PASS", "REFER", "DECLINE")),
    ]
    assert outcomes[1] == "DECLINE"
    assert rows[0].approved_amount_yuan == Decimal(50_000)


async def test_an_enterprises_prechecks_page_by_page(
    conn: asyncpg.Connection, product: Product
) -> None:
    uscc = "91640104MA0K3P7W2A"[:-1] + secrets.choice("0123456789")
    for _ in range(3):
        await insert_prechecks(conn, caller(), [new(product, uscc=uscc)], batch_id=None)
    first = await prechecks_on(conn, [uscc], first=2, after=None)
    assert (len(first.items), first.has_next_page, first.total) == (2, True, 3)
    rest = await prechecks_on(conn, [uscc], first=2, after=first.cursors[-1])
    assert (len(rest.items), rest.has_next_page) == (1, False)
    assert {s.id for s in first.items}.isdisjoint(s.id for s in rest.items)
    with pytest.raises(InvalidCursor):
        await prechecks_on(conn, [uscc], first=2, after="nonsense")


def service(database: Database, settings: Settings, bank_id: str) -> GatewayFinancing:
    bank = Principal(
        PrincipalKind.BANK, client_id="client1", display_name="测试银行", bank_id=bank_id
    )
    return GatewayFinancing(database.pool, settings, bank, f"req-{secrets.token_hex(4)}")


async def test_twin_requests_with_one_key_store_one_decision(
    database: Database, settings: Settings, product: Product
) -> None:
    svc = service(database, settings, f"bank-{secrets.token_hex(4)}")
    item = new(product, "twin")
    first, second = await asyncio.gather(svc.store(item), svc.store(item))
    assert first.id == second.id
    with pytest.raises(IdempotencyConflict):
        await svc.store(dataclasses.replace(item, fingerprint="f" * 64))
    replayed = await svc.replay("twin", item.fingerprint)
    assert replayed is not None
    assert replayed.id == first.id
    with pytest.raises(IdempotencyConflict):
        await svc.replay("twin", "e" * 64)


async def test_each_decision_is_audited_with_its_purpose_and_consent(
    database: Database, settings: Settings, product: Product
) -> None:
    svc = service(database, settings, f"bank-{secrets.token_hex(4)}")
    uscc = "91640104MA0K3P7W64"
    stored = await svc.store(new(product, uscc=uscc))
    rows = await database.pool.fetch(
        "SELECT purpose, consent_id, scopes, fields FROM audit_log WHERE request_id = $1",
        svc._request_id,
    )
    assert [(r["purpose"], r["consent_id"], list(r["scopes"])) for r in rows] == [
        ("信易贷贷前审查", "c-1", ["tax"])
    ]
    assert stored.consent_ids == ("c-1",)


async def test_no_audit_no_decision(
    database: Database, settings: Settings, product: Product
) -> None:
    bank_id = f"bank-{secrets.token_hex(4)}"
    svc = service(database, settings, bank_id)
    await database.pool.execute(
        """CREATE FUNCTION test_refuse_audit_store() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN RAISE EXCEPTION 'audit store unavailable (test)'; END $$;
           CREATE TRIGGER test_refuse_audit_store BEFORE INSERT ON audit_log
           FOR EACH ROW EXECUTE FUNCTION test_refuse_audit_store();"""
    )
    try:
        with pytest.raises(FinancingAuditFailed):
            await svc.store(new(product))
    finally:
        await database.pool.execute(
            "DROP TRIGGER test_refuse_audit_store ON audit_log;"
            "DROP FUNCTION test_refuse_audit_store();"
        )
    count = await database.pool.fetchval(
        "SELECT count(*) FROM financing_prechecks WHERE bank_id = $1", bank_id
    )
    assert count == 0


async def test_consents_for_the_stated_purpose_give_grants(
    database: Database, settings: Settings
) -> None:
    bank_id = f"bank-{secrets.token_hex(4)}"
    uscc = "91640104MA0K3P7W64"
    rep = Principal(
        PrincipalKind.CITIZEN, subject_key="p:" + "0" * 64, represents=frozenset({uscc})
    )
    async with database.pool.acquire() as conn:
        await consents.grant(
            conn,
            by=rep,
            subject_code=uscc,
            bank_id=bank_id,
            scopes={ConsentScope.TAX, ConsentScope.UTILITIES},
            purpose="信易贷贷前审查",
            ends_on=dt.date.today() + dt.timedelta(days=10),
            now=dt.datetime.now(dt.UTC),
            max_days=90,
        )
    svc = service(database, settings, bank_id)
    found = await svc.consents("信易贷贷前审查", {uscc: uscc, "p:" + "1" * 64: "someone"})
    mine = found[uscc]
    assert set(mine.consent_ids) == {ConsentScope.TAX, ConsentScope.UTILITIES}
    assert set(mine.grants) == {ConsentScope.TAX, ConsentScope.UTILITIES}
    assert mine.grants[ConsentScope.TAX].consent_id == mine.consent_ids[ConsentScope.TAX]
    assert found["p:" + "1" * 64].consent_ids == {}
    other_purpose = await svc.consents("贷后管理", {uscc: uscc})
    assert other_purpose[uscc].grants == {}
