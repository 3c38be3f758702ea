"""``creditgw demo``: the whole product on one machine, for trying it.

Starts the bureau simulators in their own process (fresh random keys), the gateway's database
(embedded PostgreSQL unless ``DATABASE_URL`` is set), applies migrations, records the world it
seeded from, and serves the gateway until Ctrl-C, then stops everything it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import sys
from collections.abc import AsyncIterator, Mapping

import asyncpg
import uvicorn
from pydantic import SecretStr

from credit.records import OperatingStatus
from gateway import seed
from gateway.app import create_app
from gateway.auth.clients import ClientKind, add_client
from gateway.auth.demo import ensure_demo_clients
from gateway.database import Database, open_database
from gateway.logs import configure_logging
from gateway.migrations import apply_migrations
from gateway.settings import Settings, load_settings
from simulators.runner import BUREAUS, CONSENT_GATED
from simulators.serving import StartedServer
from simulators.world import World, WorldConfig

__all__ = ["DEMO_CHAT_FILE", "ensure_demo_bot", "run_demo", "start_demo_bot", "start_simulators"]

DEMO_CHAT_FILE = "demo-chat.json"  # under the state dir: where `creditgw chat` finds the demo


@contextlib.asynccontextmanager
async def start_simulators(
    keys: Mapping[str, str],
    *,
    seed: int,
    enterprises: int,
    secrets: Mapping[str, bytes] | None = None,
) -> AsyncIterator[dict[str, str]]:
    """Run ``python -m simulators serve`` and yield the bureaus' URLs once they listen.

    Keys and subject-token secrets travel in the child's environment, never on its command line.
    """
    env = {
        **os.environ,
        **{f"SIM_KEY_{name.upper()}": key for name, key in keys.items()},
        **{f"SIM_TOKEN_SECRET_{n.upper()}": v.decode() for n, v in (secrets or {}).items()},
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulators",
        "serve",
        "--seed",
        str(seed),
        "--enterprises",
        str(enterprises),
        stdout=asyncio.subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=120)
        if not line.startswith(b"READY "):
            raise RuntimeError("the bureau simulators did not start (see the lines above)")
        yield json.loads(line[len(b"READY ") :])
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), timeout=10)
            except TimeoutError:
                proc.kill()


def with_bureaus(
    settings: Settings,
    urls: Mapping[str, str],
    keys: Mapping[str, str],
    secrets: Mapping[str, bytes] | None = None,
) -> Settings:
    """Settings pointing at running bureaus, with their keys and subject-token secrets."""

    def config(name: str) -> dict[str, object]:
        update: dict[str, object] = {"url": urls[name], "api_key": SecretStr(keys[name])}
        if secrets and name in secrets:
            update["auth_secret"] = SecretStr(secrets[name].decode())
        return update

    updated = {
        name: getattr(settings.bureaus, name).model_copy(update=config(name)) for name in urls
    }
    return settings.model_copy(
        update={"bureaus": settings.bureaus.model_copy(update=updated), "mode": "demo"}
    )


async def ensure_demo_bot(conn: asyncpg.Connection) -> str:
    """A new service key for the demo chatbot (a ``bot`` client); returns the key."""
    _, key = await add_client(
        conn, kind=ClientKind.BOT, name="信用查询机器人（演示）", scopes=[], expires_at=None
    )
    return key


@contextlib.asynccontextmanager
async def start_demo_bot(settings: Settings, db: Database) -> AsyncIterator[str]:
    """A fake Telegram Bot API server and the bot polling it, with a new bot key; yields the
    server's URL, also written to ``<state_dir>/demo-chat.json`` for ``creditgw chat``."""
    from bot.app import bot_app, run_polling
    from bot.settings import load_bot_settings
    from tests.fakes.telegram import FakeTelegram  # the demo runs from the repository

    async with db.pool.acquire() as conn:
        bot_key = await ensure_demo_bot(conn)
    async with FakeTelegram.running(settings.host) as telegram:
        bot_settings = load_bot_settings(
            token=telegram.token,
            gateway_key=bot_key,
            gateway_url=f"http://{settings.host}:{settings.port}",
            api_url=telegram.url,
            redis_url=settings.redis_url,
        )
        chat_file = settings.state_dir / DEMO_CHAT_FILE
        async with bot_app(bot_settings) as app:
            polling = asyncio.create_task(run_polling(app))
            chat_file.parent.mkdir(parents=True, exist_ok=True)
            chat_file.write_text(json.dumps({"url": telegram.url}), encoding="utf-8")
            try:
                yield telegram.url
            finally:
                chat_file.unlink(missing_ok=True)
                await app.dispatcher.stop_polling()
                await polling


def _chat_banner(world: World, url: str) -> str:
    person = world.persons[world.boundary["defaulter_legal_rep"]]
    return (
        f"  Chatbot:   fake Telegram Bot API at {url}; the bot polls it.\n"
        f"             chat in another terminal:  .venv/bin/python -m gateway chat\n"
        f"             SMS codes:                 .venv/bin/python -m gateway sms tail --follow\n"
        f"             bind as (合成数据)：姓名 {person.name}，身份证号 {person.id_number}，"
        f"手机号 {person.phone}（三要素须一致）\n"
    )


async def seed_platform(db: Database, world: World, settings: Settings) -> dict[str, str]:
    """Migrate, seed the platform tables from ``world``; returns the demo clients' keys."""
    async with db.pool.acquire() as conn:
        await apply_migrations(conn)
        await seed.seed_platform(conn, world)
        return await ensure_demo_clients(conn, settings)


def _banner(settings: Settings, world: World, clients: dict[str, str]) -> str:
    sample = next(
        r.uscc for r in world.registrations.values() if r.status is OperatingStatus.ACTIVE
    )
    base = f"http://{settings.host}:{settings.port}"
    query = f'{{ enterprise(uscc: "{sample}") {{ name status establishedOn }} }}'
    check = (
        f'{{ disciplineCheck(code: "{world.boundary["defaulter_ground1_unperformed"]}", '
        "matter: GOVERNMENT_PROCUREMENT) { restricted sanctions { measure { name legalBasis } } } }"
    )
    return (
        f"\n信用图谱网关 demo is up.\n"
        f"  Web page:  {base}/   (信用查询)\n"
        f"  GraphiQL:  {base}/graphql   (offline; sample queries in its tabs)\n"
        f"  Ready:     {base}/readyz\n"
        f"  Try:       curl -s {base}/graphql -H 'Content-Type: application/json' \\\n"
        f"               -d '{json.dumps({'query': query}, ensure_ascii=False)}'\n"
        f"  Demo bank key:    {clients['bank']}\n"
        f"  Demo officer key: {clients['officer']}\n"
        f"  As the officer (逢办必查):\n"
        f"             curl -s {base}/graphql -H 'Content-Type: application/json' \\\n"
        f"               -H 'Authorization: Bearer {clients['officer']}' \\\n"
        f"               -d '{json.dumps({'query': check}, ensure_ascii=False)}'\n"
        f"Press Ctrl-C to stop.\n"
    )


async def run_demo(*, enterprises: int = 5000) -> int:
    settings = load_settings(mode="demo")
    configure_logging(settings.log_level)
    world = World.generate(WorldConfig(enterprises=enterprises))
    keys = {name: secrets.token_urlsafe(24) for name in BUREAUS}
    token_secrets = {name: secrets.token_urlsafe(32).encode() for name in CONSENT_GATED}
    async with (
        start_simulators(
            keys, seed=world.config.seed, enterprises=enterprises, secrets=token_secrets
        ) as urls,
        open_database(settings) as db,
    ):
        settings = with_bureaus(settings, urls, keys, token_secrets)
        clients = await seed_platform(db, world, settings)
        server = StartedServer(
            uvicorn.Config(
                create_app(settings, database=db),
                host=settings.host,
                port=settings.port,
                log_level="warning",
                timeout_graceful_shutdown=5,
            )
        )
        serving = asyncio.create_task(server.serve())
        if await server.wait_started(serving):
            print(_banner(settings, world, clients), flush=True)
            async with start_demo_bot(settings, db) as chat_url:
                print(_chat_banner(world, chat_url), flush=True)
                await serving
        await serving
    return 0
