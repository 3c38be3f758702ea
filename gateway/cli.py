"""``creditgw`` (or ``python -m gateway``): serve, demo, migrate, export-schema.

creditgw serve                 # the gateway, configured from GATEWAY_* settings
creditgw demo                  # embedded PostgreSQL + simulators + gateway, for trying it
creditgw migrate               # apply pending SQL migrations and exit
creditgw export-schema [--check]
creditgw clients add|list|revoke   # API clients (see gateway.auth.cli)
creditgw products list|show|set    # 信易贷 loan products (see gateway.products_cli)
creditgw bot                   # the citizen chatbot, configured from BOT_* settings
creditgw chat [--url URL]      # chat with the demo's bot in this terminal
creditgw sms tail [-n N] [--follow]   # the SMS outbox (masked phones), for the demo
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
import threading
from pathlib import Path

from gateway.auth.cli import add_clients_parser, run_clients
from gateway.logs import configure_logging
from gateway.products_cli import add_products_parser, run_products
from gateway.settings import SettingsError, load_settings

__all__ = ["main"]

SCHEMA_FILE = Path("schema.graphql")


def _serve() -> int:
    from gateway.serving import serve

    return serve(load_settings())


def _migrate() -> int:
    from gateway.database import open_database
    from gateway.migrations import apply_migrations

    settings = load_settings()
    configure_logging(settings.log_level)

    async def run() -> list[int]:
        async with open_database(settings) as db, db.pool.acquire() as conn:
            return await apply_migrations(conn)

    applied = asyncio.run(run())
    print(f"applied: {', '.join(f'{v:04d}' for v in applied) or 'nothing (up to date)'}")
    return 0


def _export_schema(check: bool) -> int:
    from resolvers.schema import schema_sdl

    sdl = schema_sdl()
    if check:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if current != sdl:
            print("schema.graphql is out of date: run `make schema`", file=sys.stderr)
            return 1
        print("schema.graphql is up to date")
        return 0
    SCHEMA_FILE.write_text(sdl, encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
    return 0


README_FILE = Path("README.md")
_TABLE_BEGIN, _TABLE_END = "<!-- settings:begin -->\n", "<!-- settings:end -->"


def readme_with_settings(readme: str) -> str:
    """README text with its configuration table regenerated from the settings object."""
    from gateway.settings import settings_table

    head, _, rest = readme.partition(_TABLE_BEGIN)
    _, _, tail = rest.partition(_TABLE_END)
    return head + _TABLE_BEGIN + settings_table() + _TABLE_END + tail


def _docs() -> int:
    README_FILE.write_text(readme_with_settings(README_FILE.read_text(encoding="utf-8")))
    print(f"updated the configuration table in {README_FILE}")
    return 0


def _demo(enterprises: int) -> int:
    from gateway.demo import run_demo

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C: every child is stopped

    signal.signal(signal.SIGTERM, stop)
    try:
        return asyncio.run(run_demo(enterprises=enterprises))
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it caught; everything is closed
        print("已停止 / stopped.")
        return 0


def _bot() -> int:
    from bot.run import serve
    from bot.settings import BotSettingsError, load_bot_settings

    try:
        bot_settings = load_bot_settings()
    except BotSettingsError as exc:
        print(f"creditgw: {exc}", file=sys.stderr)
        return 2
    configure_logging("INFO")
    asyncio.run(serve(bot_settings))
    return 0


def _chat(url: str | None, user_id: int) -> int:
    from bot.terminal import chat
    from gateway.demo import DEMO_CHAT_FILE

    chat_file = load_settings().state_dir / DEMO_CHAT_FILE

    def locate() -> str | None:
        """The running demo's fake Bot API server (it rewrites the file when it restarts)."""
        try:
            return str(json.loads(chat_file.read_text(encoding="utf-8"))["url"])
        except (OSError, ValueError, KeyError):
            return None

    if url is None:
        url = locate()
        if url is None:
            print("creditgw: no demo is running here (start `make demo`, or pass --url)")
            return 1

    async def read_line() -> str | None:
        # A daemon thread, not asyncio.to_thread: when the chat ends while a read waits (the
        # demo went away), the process must not wait for one more Enter to exit.
        loop = asyncio.get_running_loop()
        typed: asyncio.Future[str] = loop.create_future()

        def deliver(line: str) -> None:
            if not typed.done():
                typed.set_result(line)

        def read() -> None:
            line = sys.stdin.readline()
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody listens
                loop.call_soon_threadsafe(deliver, line)

        threading.Thread(target=read, daemon=True).start()
        return await typed or None

    try:
        return asyncio.run(
            chat(url, user_id=user_id, read_line=read_line, write=print, locate=locate)
        )
    except KeyboardInterrupt:
        return 0


def _sms_tail(limit: int, follow: bool) -> int:
    from gateway import sms
    from gateway.database import open_database

    settings = load_settings()

    async def run() -> None:
        async with open_database(settings) as db:
            last = 0
            while True:
                async with db.pool.acquire() as conn:
                    entries = [e for e in await sms.tail(conn, limit=limit) if e.id > last]
                for entry in entries:
                    shown = entry.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
                    print(f"{shown}  {entry.phone_masked}  {entry.message}", flush=True)
                    last = entry.id
                if not follow:
                    return
                await asyncio.sleep(1)  # a person watching a terminal: polling is fine here

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="creditgw", description="信用图谱网关 Credit Graph Gateway"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the gateway")
    demo = sub.add_parser("demo", help="run everything locally with synthetic data")
    demo.add_argument("--enterprises", type=int, default=5000)
    sub.add_parser("migrate", help="apply pending database migrations")
    export = sub.add_parser("export-schema", help="write schema.graphql from the code")
    export.add_argument("--check", action="store_true", help="fail if the file differs")
    sub.add_parser("docs", help="regenerate the README's configuration table")
    add_clients_parser(sub)
    add_products_parser(sub)
    sub.add_parser("bot", help="run the citizen chatbot (BOT_* settings)")
    chat = sub.add_parser("chat", help="chat with the demo's bot in this terminal")
    chat.add_argument("--url", help="the fake Bot API server (default: the running demo's)")
    chat.add_argument("--user-id", type=int, default=10001, help="who you are in the chat")
    sms = sub.add_parser("sms", help="the SMS outbox")
    sms_sub = sms.add_subparsers(dest="sms_command", required=True)
    tail = sms_sub.add_parser("tail", help="print the newest messages (masked phones)")
    tail.add_argument("-n", type=int, default=20, help="how many")
    tail.add_argument("--follow", action="store_true", help="keep printing new ones")
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            code = _serve()
        elif args.command == "demo":
            code = _demo(args.enterprises)
        elif args.command == "migrate":
            code = _migrate()
        elif args.command == "docs":
            code = _docs()
        elif args.command == "clients":
            code = run_clients(args)
        elif args.command == "products":
            code = run_products(args)
        elif args.command == "bot":
            code = _bot()
        elif args.command == "chat":
            code = _chat(args.url, args.user_id)
        elif args.command == "sms":
            code = _sms_tail(args.n, args.follow)
        else:
            code = _export_schema(args.check)
    except SettingsError as exc:
        print(f"creditgw: {exc}", file=sys.stderr)
        code = 2
    sys.exit(code)
