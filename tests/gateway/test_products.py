"""The loan-product store: seeded products, versions on every change, append-only rows."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from decimal import Decimal

import asyncpg
import pytest

from credit.financing import InvalidProduct, ProductChange, RuleId, RuleSpec
from credit.financing.products import EXAMPLE_PARAMETERS
from credit.records import TaxGradeLetter
from gateway.database import Database
from gateway.migrations import apply_migrations
from gateway.products import (
    SEEDED_PRODUCTS,
    get_product,
    list_products,
    product_versions,
    set_product,
)
from tests.cli import creditgw as run_cli


@pytest.fixture
async def conn(database: Database) -> AsyncIterator[asyncpg.Connection]:
    async with database.pool.acquire() as connection:
        await apply_migrations(connection)
        yield connection


def new_code() -> str:
    return f"TEST_{secrets.token_hex(4).upper()}"


def new_product(code: str) -> ProductChange:
    return ProductChange(
        code=code,
        name="测试贷",
        bank_id="bank-test",
        bank_name="测试银行",
        parameters=EXAMPLE_PARAMETERS,
        rules=(RuleSpec(RuleId.TAX_GRADE, True), RuleSpec(RuleId.TAX_PAID, False)),
    )


async def test_the_four_seeded_products_are_there_valid_and_active(
    conn: asyncpg.Connection,
) -> None:
    seeded = {p.code: p for p in await list_products(conn) if p.code in SEEDED_PRODUCTS}
    assert set(seeded) == set(SEEDED_PRODUCTS)
    bank_tax = await get_product(conn, "BANK_TAX_LOAN", 1)
    assert bank_tax is not None
    assert bank_tax.active
    limits = bank_tax.parameters
    grades = (TaxGradeLetter.A, TaxGradeLetter.B, TaxGradeLetter.C)
    assert [limits.limit_for(g) for g in grades] == [1_000_000, 800_000, 300_000]
    inclusive = await get_product(conn, "INCLUSIVE_LOAN", 1)
    assert inclusive is not None
    assert {TaxGradeLetter.M, TaxGradeLetter.C} <= inclusive.parameters.accepted_tax_grades
    rural = await get_product(conn, "RURAL_CREDIT_LOAN", 1)
    assert rural is not None
    assert rural.bank_id != bank_tax.bank_id
    assert rural.parameters.min_operating_months > limits.min_operating_months
    assert rural.applies(RuleId.LEGAL_REP_AGE)
    pure = await get_product(conn, "PURE_CREDIT_LOAN", 1)
    assert pure is not None
    assert pure.parameters.tax_paid_multiple is None


async def test_a_change_makes_a_new_version_and_keeps_the_old(conn: asyncpg.Connection) -> None:
    code = new_code()
    first = await set_product(conn, new_product(code), by="op")
    assert first.version == 1
    change = ProductChange(code=code, parameters={"min_tax_paid_yuan": "45000"})
    second = await set_product(conn, change, by="op")
    assert second.version == 2
    assert second.parameters.min_tax_paid_yuan == Decimal(45000)
    assert second.rules == first.rules
    assert second.name == first.name
    old = await get_product(conn, code, 1)
    assert old == first
    assert await get_product(conn, code) == second
    assert [p.version for p in await product_versions(conn, code)] == [2, 1]


async def test_a_change_that_changes_nothing_makes_no_version(conn: asyncpg.Connection) -> None:
    code = new_code()
    await set_product(conn, new_product(code), by="op")
    same = await set_product(
        conn, ProductChange(code=code, parameters={"min_tax_paid_yuan": "30000"}), by="op"
    )
    assert same.version == 1


async def test_an_invalid_change_is_refused_and_stores_nothing(conn: asyncpg.Connection) -> None:
    code = new_code()
    await set_product(conn, new_product(code), by="op")
    bad = ProductChange(code=code, parameters={"accepted_tax_grades": ["A", "D"]})
    with pytest.raises(InvalidProduct, match="D级"):
        await set_product(conn, bad, by="op")
    with pytest.raises(InvalidProduct, match="新产品须提供"):
        await set_product(conn, ProductChange(code=new_code(), name="缺参数"), by="op")
    assert [p.version for p in await product_versions(conn, code)] == [1]


async def test_a_deactivated_product_is_listed_only_on_request(conn: asyncpg.Connection) -> None:
    code = new_code()
    await set_product(conn, new_product(code), by="op")
    off = await set_product(conn, ProductChange(code=code, active=False), by="op")
    assert off.version == 2
    assert not off.active
    assert code not in {p.code for p in await list_products(conn)}
    assert code in {p.code for p in await list_products(conn, include_inactive=True)}


async def test_stored_versions_cannot_be_edited(conn: asyncpg.Connection) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await conn.execute("UPDATE financing_products SET active = false")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await conn.execute("DELETE FROM financing_products WHERE code = 'BANK_TAX_LOAN'")


async def test_concurrent_changes_each_get_their_own_version(database: Database) -> None:
    code = new_code()
    async with database.pool.acquire() as conn:
        await apply_migrations(conn)
        await set_product(conn, new_product(code), by="op")

    async def change(amount: str) -> int:
        async with database.pool.acquire() as conn:
            updated = await set_product(
                conn, ProductChange(code=code, parameters={"min_tax_paid_yuan": amount}), by="op"
            )
            return updated.version

    versions = await asyncio.gather(change("40000"), change("50000"), change("60000"))
    assert sorted(versions) == [2, 3, 4]


async def creditgw(dsn: str, *args: str) -> tuple[int, str, str]:
    return await run_cli(dsn, "products", *args)


async def test_the_products_command(conn: asyncpg.Connection, database: Database) -> None:
    code, out, _ = await creditgw(database.dsn, "list")
    assert code == 0
    assert "BANK_TAX_LOAN" in out
    assert "银税贷" in out
    new = new_code()
    created, out, err = await creditgw(
        database.dsn,
        "set",
        new,
        "--name",
        "命令行贷",
        "--bank-id",
        "bank-cli",
        "--bank-name",
        "命令行银行",
        *[f"--param={k}={json.dumps(v)}" for k, v in EXAMPLE_PARAMETERS.items()],
        "--rule",
        "TAX_GRADE",
        "--rule",
        "TAX_PAID:soft",
    )
    assert (created, err) == (0, ""), err
    assert f"product {new} is now at version 1" in out
    changed, out, _ = await creditgw(
        database.dsn, "set", new, "--param", "min_tax_paid_yuan=45000", "--deactivate"
    )
    assert changed == 0
    assert "version 2" in out
    shown, out, _ = await creditgw(database.dsn, "show", new)
    data = json.loads(out)
    assert (shown, data["version"], data["active"]) == (0, 2, False)
    assert data["parameters"]["min_tax_paid_yuan"] == "45000"
    assert data["rules"] == [
        {"rule": "TAX_GRADE", "hard": True},
        {"rule": "TAX_PAID", "hard": False},
    ]
    history, out, _ = await creditgw(database.dsn, "show", new, "--history")
    assert history == 0
    assert [v["version"] for v in json.loads(out)] == [2, 1]
    bad, _, err = await creditgw(database.dsn, "set", new, "--param", "lookback_months=99")
    assert bad == 2
    assert "考察期" in err
    missing, _, err = await creditgw(database.dsn, "show", "NO_SUCH_LOAN")
    assert missing == 1
    assert (await get_product(conn, new)) is not None
