"""The loan-product store (``financing_products``, migration 0004): versions, never edits.

    await list_products(conn)                       # each product's current version
    await get_product(conn, "BANK_TAX_LOAN")        # its current version, or None
    await get_product(conn, "BANK_TAX_LOAN", 1)     # a given version (old decisions use them)
    await set_product(conn, ProductChange(code="BANK_TAX_LOAN",
                                          parameters={"min_tax_paid_yuan": "40000"}),
                      by="operator")                # → version n+1, validated

The four seeded products (:data:`SEEDED_PRODUCTS`) come with the migration.  A change that
changes nothing makes no new version.  Errors: :class:`~credit.financing.InvalidProduct`
(INVALID_PRODUCT) from the validation in :mod:`credit.financing.products`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import asyncpg
import orjson

from credit.financing.products import (
    Product,
    ProductChange,
    ProductParameters,
    RuleSpec,
    apply_change,
)

__all__ = [
    "SEEDED_PRODUCTS",
    "get_product",
    "list_products",
    "product_of",
    "product_versions",
    "set_product",
]

SEEDED_PRODUCTS = ("BANK_TAX_LOAN", "RURAL_CREDIT_LOAN", "INCLUSIVE_LOAN", "PURE_CREDIT_LOAN")
"""Codes of the products migration 0004 seeds (DOMAIN.md §5)."""

_COLUMNS = "code, version, bank_id, bank_name, name, parameters, rules, active"


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def product_of(row: Mapping[str, Any]) -> Product:
    """A stored version as a :class:`Product` (validated again: the rules may have tightened)."""
    return Product(
        code=row["code"],
        version=row["version"],
        bank_id=row["bank_id"],
        bank_name=row["bank_name"],
        name=row["name"],
        parameters=ProductParameters.from_json(_json(row["parameters"])),
        rules=tuple(RuleSpec.from_json(r) for r in _json(row["rules"])),
        active=row["active"],
    )


async def list_products(
    conn: asyncpg.Connection, *, include_inactive: bool = False
) -> list[Product]:
    """The current version of every product, by code; inactive ones only when asked."""
    rows = await conn.fetch(
        f"""SELECT DISTINCT ON (code) {_COLUMNS} FROM financing_products
            ORDER BY code, version DESC"""  # noqa: S608 (a constant column list)
    )
    products = [product_of(r) for r in rows]
    return [p for p in products if include_inactive or p.active]


async def get_product(
    conn: asyncpg.Connection, code: str, version: int | None = None
) -> Product | None:
    """``version`` of ``code``, or its current version; None when there is none."""
    row = await conn.fetchrow(
        f"""SELECT {_COLUMNS} FROM financing_products
            WHERE code = $1 AND ($2::int IS NULL OR version = $2)
            ORDER BY version DESC LIMIT 1""",  # noqa: S608 (a constant column list)
        code,
        version,
    )
    return product_of(row) if row is not None else None


async def product_versions(conn: asyncpg.Connection, code: str) -> list[Product]:
    """Every version of ``code``, newest first."""
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM financing_products WHERE code = $1 ORDER BY version DESC",  # noqa: S608
        code,
    )
    return [product_of(r) for r in rows]


def _same(a: Product, b: Product) -> bool:
    return dataclasses.replace(a, version=b.version) == b


async def set_product(conn: asyncpg.Connection, change: ProductChange, *, by: str) -> Product:
    """Store the next version of ``change.code`` (or version 1 of a new product).

    Concurrent changes of one product are serialised, each building on the one before.
    """
    async with conn.transaction():
        await conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext('financing_product:' || $1))", change.code
        )
        current = await get_product(conn, change.code)
        updated = apply_change(current, change)
        if current is not None and _same(updated, current):
            return current
        await conn.execute(
            """INSERT INTO financing_products
                   (code, version, bank_id, bank_name, name, parameters, rules, active,
                    created_by)
               VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)""",
            updated.code,
            updated.version,
            updated.bank_id,
            updated.bank_name,
            updated.name,
            orjson.dumps(updated.parameters.to_json()).decode(),
            orjson.dumps([r.to_json() for r in updated.rules]).decode(),
            updated.active,
            by,
        )
    return updated
