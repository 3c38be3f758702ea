"""``creditgw clients add|list|revoke``: manage bank, officer and bot API clients.

    creditgw clients add --kind bank --name 甲银行 --bank-id bank-a \\
        --scopes subject:read,precheck --expires 2027-06-30      # prints the key once
    creditgw clients list                                        # never prints keys
    creditgw clients revoke k7x2m9qa4bcd

``--expires`` is the last day the key works (China time), or ``never``.  It is required for
bank and officer keys (a partner's key should end with its agreement); the bot's service key
never expires unless given one (it is rotated by issuing a new one and revoking the old).

    creditgw clients add --kind bot --name 机器人
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from typing import Any

from credit.access import CONSENT_TZ

__all__ = ["add_clients_parser", "run_clients"]


def _expiry(text: str) -> dt.datetime | str:
    if text == "never":
        return text
    try:
        last_day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected YYYY-MM-DD or never") from None
    return dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=CONSENT_TZ)


def _scopes(text: str) -> list[str]:
    from gateway.auth.clients import known_scopes

    chosen = [s.strip() for s in text.split(",") if s.strip()]
    known = known_scopes()
    unknown = sorted(set(chosen) - known)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown scope(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return chosen


def add_clients_parser(sub: Any) -> None:
    """Add ``clients`` to the CLI's sub-command parsers (``argparse`` sub-parsers action)."""
    clients = sub.add_parser("clients", help="manage API clients (banks, officers, the bot)")
    actions = clients.add_subparsers(dest="clients_command", required=True)
    add = actions.add_parser("add", help="create a client and print its key once")
    add.add_argument("--kind", required=True, choices=["bank", "officer", "bot"])
    add.add_argument("--name", required=True)
    add.add_argument("--scopes", type=_scopes, default=[], help="comma-separated")
    add.add_argument(
        "--expires",
        type=_expiry,
        default=None,
        help="YYYY-MM-DD or never (required for bank and officer; a bot's key: never)",
    )
    add.add_argument("--bank-id", help="required for --kind bank")
    add.add_argument("--rate-limit", type=int, help="requests per minute (default: by kind)")
    actions.add_parser("list", help="list clients (never their keys)")
    revoke = actions.add_parser("revoke", help="revoke a client's key at once")
    revoke.add_argument("client_id")


async def _run(args: argparse.Namespace) -> int:
    from gateway.auth.authenticator import utc_now
    from gateway.auth.clients import ClientKind, add_client, list_clients, revoke_client
    from gateway.database import open_database
    from gateway.migrations import apply_migrations
    from gateway.settings import load_settings

    settings = load_settings()
    async with open_database(settings) as db, db.pool.acquire() as conn:
        await apply_migrations(conn)
        if args.clients_command == "add":
            kind = ClientKind(args.kind)
            if (kind is ClientKind.BANK) != (args.bank_id is not None):
                print(
                    "creditgw: --bank-id is required for, and only for, --kind bank",
                    file=sys.stderr,
                )
                return 2
            if args.expires is None and kind is not ClientKind.BOT:
                print(
                    "creditgw: --expires (YYYY-MM-DD or never) is required for bank and "
                    "officer keys",
                    file=sys.stderr,
                )
                return 2
            client, key = await add_client(
                conn,
                kind=kind,
                name=args.name,
                scopes=args.scopes,
                expires_at=None if args.expires in (None, "never") else args.expires,
                bank_id=args.bank_id,
                rate_limit_per_minute=args.rate_limit,
            )
            print(f"client {client.id} ({client.kind}) created: {client.name}")
            print(f"key (shown only now — store it safely): {key}")
            return 0
        if args.clients_command == "list":
            now = utc_now()
            print("id            kind     status   expires                    bank_id     name")
            for c in await list_clients(conn):
                expires = c.expires_at.isoformat() if c.expires_at else "never"
                print(
                    f"{c.id:<13} {c.kind:<8} {c.status(now):<8} {expires:<26} "
                    f"{c.bank_id or '-':<11} {c.name}  [{','.join(c.scopes)}]"
                )
            return 0
        if await revoke_client(conn, args.client_id, now=utc_now()):
            print(f"client {args.client_id} revoked")
            return 0
        print(f"creditgw: no active client {args.client_id}", file=sys.stderr)
        return 1


def run_clients(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))
