"""``creditgw products list|show|set``: loan products for operators at the console.

    creditgw products list [--all]                       # current versions (--all: inactive too)
    creditgw products show BANK_TAX_LOAN [--version 1] [--history]
    creditgw products set BANK_TAX_LOAN --param min_tax_paid_yuan=40000 \\
        --param 'accepted_tax_grades=["A","B"]' --rule TAX_GRADE --rule TAX_PAID:soft \\
        [--name 银税贷] [--bank-id demo-bank] [--bank-name 演示银行] [--activate|--deactivate]

``set`` makes a new version (a new product needs a name, a bank, every required parameter and
its rules); ``--param`` values are JSON where they parse as JSON, text otherwise; ``--rule``
replaces the rules with those given, in order (``:soft`` refers instead of declining).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from credit.financing import InvalidProduct, Product, ProductChange, RuleId, RuleSpec

__all__ = ["add_products_parser", "run_products"]


def _param(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError("expected NAME=VALUE")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return name.strip(), value


def _rule(text: str) -> RuleSpec:
    name, _, kind = text.partition(":")
    if name not in RuleId.__members__ or kind not in ("", "hard", "soft"):
        known = ", ".join(RuleId.__members__)
        raise argparse.ArgumentTypeError(f"expected RULE[:hard|:soft]; rules: {known}")
    return RuleSpec(RuleId(name), kind != "soft")


def add_products_parser(sub: Any) -> None:
    """Add ``products`` to the CLI's sub-command parsers (``argparse`` sub-parsers action)."""
    products = sub.add_parser("products", help="manage 信易贷 loan products (versions)")
    actions = products.add_subparsers(dest="products_command", required=True)
    listing = actions.add_parser("list", help="current version of every product")
    listing.add_argument("--all", action="store_true", help="include inactive products")
    show = actions.add_parser("show", help="one product as JSON")
    show.add_argument("code")
    show.add_argument("--version", type=int)
    show.add_argument("--history", action="store_true", help="every version, newest first")
    change = actions.add_parser("set", help="create a product or make its next version")
    change.add_argument("code")
    change.add_argument("--name")
    change.add_argument("--bank-id")
    change.add_argument("--bank-name")
    change.add_argument("--param", type=_param, action="append", default=[])
    change.add_argument("--rule", type=_rule, action="append")
    state = change.add_mutually_exclusive_group()
    state.add_argument("--activate", dest="active", action="store_true", default=None)
    state.add_argument("--deactivate", dest="active", action="store_false")


def _json(product: Product) -> dict[str, Any]:
    return {
        "code": product.code,
        "version": product.version,
        "bank_id": product.bank_id,
        "bank_name": product.bank_name,
        "name": product.name,
        "active": product.active,
        "parameters": product.parameters.to_json(),
        "rules": [r.to_json() for r in product.rules],
    }


def _print(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


async def _run(args: argparse.Namespace) -> int:
    from gateway.database import open_database
    from gateway.migrations import apply_migrations
    from gateway.products import get_product, list_products, product_versions, set_product
    from gateway.settings import load_settings

    settings = load_settings()
    async with open_database(settings) as db, db.pool.acquire() as conn:
        await apply_migrations(conn)
        if args.products_command == "list":
            print("code                 version  active  bank_id          name")
            for p in await list_products(conn, include_inactive=args.all):
                active = "yes" if p.active else "no"
                print(f"{p.code:<20} {p.version:<8} {active:<7} {p.bank_id:<16} {p.name}")
            return 0
        if args.products_command == "show":
            if args.history:
                versions = await product_versions(conn, args.code)
                if versions:
                    _print([_json(p) for p in versions])
                    return 0
            else:
                found = await get_product(conn, args.code, args.version)
                if found is not None:
                    _print(_json(found))
                    return 0
            print(f"creditgw: no product {args.code}", file=sys.stderr)
            return 1
        change = ProductChange(
            code=args.code,
            name=args.name,
            bank_id=args.bank_id,
            bank_name=args.bank_name,
            parameters=dict(args.param),
            rules=tuple(args.rule) if args.rule else None,
            active=args.active,
        )
        try:
            product = await set_product(conn, change, by="cli")
        except InvalidProduct as exc:
            print(f"creditgw: {exc}", file=sys.stderr)
            return 2
        print(f"product {product.code} is now at version {product.version}")
        return 0


def run_products(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))
