"""``creditgw demo``: the whole product on one machine, for trying it.

Starts the bureau simulators in their own process (fresh random keys), the gateway's database
(embedded PostgreSQL unless ``DATABASE_URL`` is set), applies migrations, records the world it
seeded from, seeds a consent for the bank query, starts the chatbot in its own process, and
serves the gateway until Ctrl-C, then stops everything it started.  The "up" banner is printed
once the gateway listens; nothing heavy runs on its loop after that.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import secrets
import socket
import sys
from collections.abc import AsyncIterator, Mapping

import asyncpg
import uvicorn
from pydantic import SecretStr

from credit.access import ConsentScope, Principal, PrincipalKind, person_subject_key
from credit.purposes import Purpose
from credit.records import OperatingStatus
from gateway import consents, seed
from gateway.app import create_app
from gateway.auth.clients import ClientKind, add_client
from gateway.auth.demo import DEMO_BANK_ID, ensure_demo_clients
from gateway.database import Database, open_database
from gateway.logs import configure_logging
from gateway.migrations import apply_migrations
from gateway.settings import Settings, load_settings, person_key_secret
from simulators.runner import BUREAUS, CONSENT_GATED
from simulators.serving import StartedServer, listen
from simulators.world import World, WorldConfig

__all__ = [
    "DEMO_CHAT_FILE",
    "demo_consent_firm",
    "ensure_demo_bot",
    "run_demo",
    "seed_demo_consent",
    "start_demo_bot",
    "start_simulators",
]

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
async def start_demo_bot(
    settings: Settings, bot_key: str
) -> AsyncIterator[asyncio.Task[str | None]]:
    """Run the demo's bot in its own process (:mod:`gateway.demo_bot`), started at once.

    Yields a task that ends with the fake Bot API server's URL once the bot polls (also
    written to ``<state_dir>/demo-chat.json`` for ``creditgw chat``), or None if it failed.
    The bot's import and work never touch this process's event loop.
    """
    env = {
        **os.environ,
        "BOT_GATEWAY_KEY": bot_key,
        "BOT_GATEWAY_URL": f"http://{settings.host}:{settings.port}",
    }
    if settings.redis_url is not None:
        env["BOT_REDIS_URL"] = settings.redis_url.get_secret_value()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "gateway.demo_bot",
        "--host",
        settings.host,
        stdout=asyncio.subprocess.PIPE,
        env=env,
    )
    chat_file = settings.state_dir / DEMO_CHAT_FILE

    async def ready() -> str | None:
        assert proc.stdout is not None
        line = await proc.stdout.readline()
        if not line.startswith(b"READY "):
            return None
        url = str(json.loads(line[len(b"READY ") :])["url"])
        chat_file.parent.mkdir(parents=True, exist_ok=True)
        chat_file.write_text(json.dumps({"url": url}), encoding="utf-8")
        return url

    waiting = asyncio.create_task(ready())
    try:
        yield waiting
    finally:
        waiting.cancel()
        chat_file.unlink(missing_ok=True)
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), timeout=10)
            except TimeoutError:
                proc.kill()


def _chat_banner(world: World, url: str) -> str:
    person = world.persons[world.boundary["defaulter_legal_rep"]]
    return (
        f"  Chatbot:   fake Telegram Bot API at {url}; the bot polls it.\n"
        f"             chat in another terminal:  .venv/bin/creditgw chat\n"
        f"             SMS codes:                 .venv/bin/creditgw sms tail --follow\n"
        # the order the bot asks in: name, phone, then the ID number
        f"             bind as (合成数据)：姓名 {person.name}，手机号 {person.phone}，"
        f"身份证号 {person.id_number}（三要素须一致）\n"
    )


def demo_consent_firm(world: World) -> str:
    """The demo firm whose legal representative consents to the demo bank at start-up."""
    return min(
        r.uscc
        for r in world.registrations.values()
        if r.status is OperatingStatus.ACTIVE and r.legal_rep_id in world.persons
    )


async def seed_demo_consent(db: Database, world: World, settings: Settings) -> str:
    """A live consent (FULL_REPORT, 贷前审查, 30 days) from one demo firm's legal representative
    to the demo bank, so the bank query runs as soon as the demo is up; the firm's USCC.
    Granted once: a restarted demo keeps the live consent it finds."""
    uscc = demo_consent_firm(world)
    representative = world.registrations[uscc].legal_rep_id
    now = dt.datetime.now(dt.UTC)
    async with db.pool.acquire() as conn:
        live = [
            c
            for c in await consents.list_for_subject(conn, uscc)
            if c.bank_id == DEMO_BANK_ID and c.revoked_at is None and c.ends_on > now.date()
        ]
        if not live:
            citizen = Principal(
                kind=PrincipalKind.CITIZEN,
                subject_key=person_subject_key(representative, person_key_secret(settings)),
                represents=frozenset({uscc}),
            )
            await consents.grant(
                conn,
                by=citizen,
                subject_code=uscc,
                bank_id=DEMO_BANK_ID,
                scopes=[ConsentScope.FULL_REPORT],
                purpose=Purpose.LOAN_PRECHECK.value,
                ends_on=now.date() + dt.timedelta(days=30),
                now=now,
                max_days=settings.consent_max_days,
            )
    return uscc


async def seed_platform(db: Database, world: World, settings: Settings) -> dict[str, str]:
    """Migrate, seed the platform tables from ``world``; returns the demo clients' keys."""
    async with db.pool.acquire() as conn:
        await apply_migrations(conn)
        await seed.seed_platform(conn, world)
        return await ensure_demo_clients(conn, settings)


def _banner(settings: Settings, world: World, clients: dict[str, str], consented: str) -> str:
    sample = next(
        r.uscc for r in world.registrations.values() if r.status is OperatingStatus.ACTIVE
    )
    base = f"http://{settings.host}:{settings.port}"
    query = f'{{ enterprise(uscc: "{sample}") {{ name status establishedOn }} }}'
    check = (
        f'{{ disciplineCheck(code: "{world.boundary["defaulter_ground1_unperformed"]}", '
        "matter: GOVERNMENT_PROCUREMENT) { restricted sanctions { measure { name legalBasis } } } }"
    )
    bank_query = (
        f'{{ enterprise(uscc: "{consented}") {{ name taxGrades {{ year grade }} '
        "socialInsurance { month headcount } utilities { month kind arrears { yuan } } } }"
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
        f"  As the bank (信易贷 reads): {consented}'s legal representative has consented\n"
        f"             (FULL_REPORT, LOAN_PRECHECK, 30 days; seeded at start) to the demo bank:\n"
        f"             curl -s {base}/graphql -H 'Content-Type: application/json' \\\n"
        f"               -H 'Authorization: Bearer {clients['bank']}' \\\n"
        f"               -H 'X-Purpose: LOAN_PRECHECK' \\\n"
        f"               -d '{json.dumps({'query': bank_query}, ensure_ascii=False)}'\n"
        f"             (another firm: its representative grants one through the bot, or the\n"
        f"             answer says CONSENT_REQUIRED)\n"
        f"  The CLI:   .venv/bin/creditgw --help   (in .venv, not on your PATH; or run\n"
        f"             `source .venv/bin/activate` first), e.g. .venv/bin/creditgw products list\n"
        f"Press Ctrl-C to stop.\n"
    )


def gateway_socket(settings: Settings) -> socket.socket | None:
    """The demo gateway's listening socket on ``settings.port`` (0: a free one); None, said
    plainly on stderr, when that port cannot be had."""
    try:
        return listen(settings.host, settings.port)
    except OSError as exc:
        print(
            f"cannot listen on {settings.host}:{settings.port} ({exc.strerror}): "
            "set GATEWAY_PORT to a free port (0: any free one)",
            file=sys.stderr,
        )
        return None


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
        consented = await seed_demo_consent(db, world, settings)
        async with db.pool.acquire() as conn:
            bot_key = await ensure_demo_bot(conn)
        # The gateway's socket first, so that the bot and the banner name the port it really
        # listens on (GATEWAY_PORT=0: a free one, as for `creditgw serve`).
        sock = gateway_socket(settings)
        if sock is None:
            return 1
        settings = settings.model_copy(update={"port": sock.getsockname()[1]})
        # The bot starts now, in its own process: its slow import overlaps the gateway's
        # start instead of stalling the gateway's loop after "up".
        async with start_demo_bot(settings, bot_key) as bot_ready:
            server = StartedServer(
                uvicorn.Config(
                    create_app(settings, database=db, serving=True),
                    host=settings.host,
                    port=settings.port,
                    log_level="warning",
                    timeout_graceful_shutdown=5,
                )
            )
            serving = asyncio.create_task(server.serve(sockets=[sock]))
            if await server.wait_started(serving):
                print(_banner(settings, world, clients, consented), flush=True)
                chat_url = await bot_ready
                if chat_url is not None:
                    print(_chat_banner(world, chat_url), flush=True)
                else:
                    print("  Chatbot:   did not start (see the lines above).", flush=True)
            await serving
    return 0
