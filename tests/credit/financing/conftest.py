"""The seeded products (migration 0004, version 1), read once from the session database."""

from __future__ import annotations

import pytest

from credit.financing import Product
from gateway.database import Database
from gateway.migrations import apply_migrations
from gateway.products import SEEDED_PRODUCTS, get_product


@pytest.fixture(scope="session")
async def seeded_products(database: Database) -> dict[str, Product]:
    found: dict[str, Product] = {}
    async with database.pool.acquire() as conn:
        await apply_migrations(conn)
        for code in SEEDED_PRODUCTS:
            product = await get_product(conn, code, 1)
            assert product is not None, code
            found[code] = product
    return found
