"""Replicas that agree: two `creditgw serve` processes sharing only PostgreSQL and Redis.

Each process is a real, separate gateway (its own caches, limiter fallback, revocation
listeners), started as production starts it, against the session's database and bureau
simulators and one Redis.  They must agree on the per-address rate limit, on citizens' tokens
(issued by one, honoured by the other, revoked by an unbinding on either) and on a revoked API
key.  And a start that could not agree is refused, naming the setting.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import secrets
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from prometheus_client.parser import text_string_to_metric_families
from redis.exceptions import ConnectionError as RedisConnectionError

from credit.records import Person
from gateway.auth.clients import ClientKind, add_client, revoke_client
from gateway.cli import main
from gateway.database import Database
from gateway.settings import DEMO_SUBJECT_KEY_SECRET, Settings
from simulators.runner import CONSENT_GATED, RunningBureau
from tests.gateway.test_binding import bind, refusal_of, run

pytestmark = pytest.mark.redis

# A Redis database of these tests' own, never emptied: other runs (CI, another engineer's
# `make test`) may be using it at the same moment.  So a public caller here comes from a
# loopback address of its own, whose per-address bucket starts full whatever other runs or
# tests spent or left behind (a bucket of 127.0.0.1 would be every run's).
REPLICA_REDIS_DB = 7
PUBLIC_PER_MINUTE = 2  # one token back every 30 s: none returns while the test runs
TOKEN_SECRET = "replicas-share-this-subject-token-secret"
ROOT = Path(__file__).resolve().parents[2]


def from_own_address(*, timeout: float = 30, **kwargs: Any) -> httpx.AsyncClient:
    """A client whose connections come from a random address of 127/8 (all of it is local)."""
    a, b, c = secrets.token_bytes(3)
    transport = httpx.AsyncHTTPTransport(local_address=f"127.{a}.{b}.{1 + c % 254}", **kwargs)
    return httpx.AsyncClient(transport=transport, timeout=timeout)


def redis_url() -> str:
    base = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    return base.rsplit("/", 1)[0] + f"/{REPLICA_REDIS_DB}"


async def redis_answers() -> None:
    """Fail (REDIS_URL set) or skip when no Redis answers."""
    client = aioredis.Redis.from_url(redis_url())
    try:
        await client.ping()
    except (RedisConnectionError, OSError) as exc:
        if os.environ.get("REDIS_URL"):
            pytest.fail(f"REDIS_URL is set but Redis does not answer: {exc}")
        pytest.skip(f"no REDIS_URL and no Redis answering at {redis_url()}")
    finally:
        await client.aclose()


def gateway_env(
    settings: Settings, dsn: str, bureaus: dict[str, RunningBureau], **extra: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(
        {
            "GATEWAY_MODE": "production",
            "GATEWAY_PORT": "0",
            "GATEWAY_WORKERS": "1",
            "GATEWAY_LOG_LEVEL": "INFO",
            "GATEWAY_DATABASE_URL": dsn,
            "GATEWAY_REDIS_URL": redis_url(),
            "GATEWAY_SUBJECT_TOKEN_SECRET": TOKEN_SECRET,
            "GATEWAY_SUBJECT_KEY_SECRET": DEMO_SUBJECT_KEY_SECRET.decode(),
            "GATEWAY_REPORT_SIGNING_KEY": "r" * 40,
            "GATEWAY_RATE_LIMITS__PUBLIC": str(PUBLIC_PER_MINUTE),
            "GATEWAY_BINDING__RESEND_S": "0",
        }
    )
    for name in bureaus:
        config = getattr(settings.bureaus, name)
        prefix = f"GATEWAY_BUREAUS__{name.upper()}__"
        env[prefix + "URL"] = config.url
        env[prefix + "API_KEY"] = config.api_key.get_secret_value()
        if name in CONSENT_GATED and config.auth_secret is not None:
            env[prefix + "AUTH_SECRET"] = config.auth_secret.get_secret_value()
    env.update(extra)
    return env


@contextlib.asynccontextmanager
async def gateway_process(env: dict[str, str]) -> AsyncIterator[str]:
    """``python -m gateway serve`` in its own process; its URL once it says it listens."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "gateway",
        "serve",
        env=env,
        cwd=ROOT,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    seen: list[str] = []

    async def listening() -> str:
        assert proc.stderr is not None
        async for raw in proc.stderr:
            line = raw.decode(errors="replace")
            seen.append(line)
            with contextlib.suppress(ValueError):
                message = json.loads(line).get("msg", "")
                if message.startswith("gateway listening on "):
                    return str(message.split()[3])
        raise RuntimeError("the gateway stopped before listening:\n" + "".join(seen[-20:]))

    async def drain() -> None:  # keep reading, or the pipe fills and the gateway blocks
        assert proc.stderr is not None
        async for raw in proc.stderr:
            seen.append(raw.decode(errors="replace"))
            del seen[:-50]  # the last lines, for a failure's report

    try:
        url = await asyncio.wait_for(listening(), timeout=60)
        drainer = asyncio.create_task(drain())
        try:
            yield url
        except BaseException:
            sys.stderr.write("the gateway's last lines:\n" + "".join(seen))
            raise
        finally:
            proc.terminate()
            await proc.wait()
            await drainer
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


@pytest.fixture(scope="module")
async def replicas(
    settings: Settings,
    seeded_database: Database,
    bureaus: dict[str, RunningBureau],
    bot_key: str,
) -> AsyncIterator[tuple[str, str]]:
    await redis_answers()
    env = gateway_env(settings, seeded_database.dsn, bureaus)
    async with gateway_process(env) as first, gateway_process(env) as second:
        yield first, second


@contextlib.asynccontextmanager
async def bots(urls: tuple[str, str], bot_key: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    headers = {"Authorization": f"Bearer {bot_key}"}
    async with (
        httpx.AsyncClient(base_url=urls[0], headers=headers, timeout=30) as here,
        httpx.AsyncClient(base_url=urls[1], headers=headers, timeout=30) as there,
    ):
        yield [here, there]


async def test_the_public_rate_limit_is_one_budget_across_replicas(
    replicas: tuple[str, str],
) -> None:
    statuses = []
    here, there = replicas
    async with from_own_address() as public:
        for i in range(PUBLIC_PER_MINUTE + 1):
            url = (here, there)[i % 2]
            response = await public.post(f"{url}/graphql", json={"query": "{ __typename }"})
            statuses.append(response.status_code)
        # with per-process buckets each replica would still have tokens left here
        assert statuses == [200] * PUBLIC_PER_MINUTE + [429]
        again = await public.post(f"{here}/graphql", json={"query": "{ __typename }"})
        assert again.status_code == 429
        assert int(again.headers["Retry-After"]) >= 1


async def refused_soon(http: httpx.AsyncClient, token: str) -> tuple[int, str | None]:
    """Ask until the token is refused (each ask lets the revocation arrive); fails after 15 s
    (a bound for two gateway processes on a loaded machine, not a speed)."""
    async with asyncio.timeout(15):
        while True:
            found = await refusal_of(http, token)
            if found[0] != 200:
                return found


async def test_a_citizen_token_from_one_replica_is_honoured_and_revoked_by_the_other(
    replicas: tuple[str, str],
    bot_key: str,
    people: Iterator[Person],
    seeded_database: Database,
) -> None:
    async with bots(replicas, bot_key) as (here, there):
        token = await bind(here, next(people), seeded_database.pool)
        for bot in (here, there):
            assert await refusal_of(bot, token) == (200, None)
        unbound = await run(there, "UnbindIdentity", token=token)
        assert unbound["data"] == {"unbindIdentity": True}
        assert await refused_soon(here, token) == (401, "CREDENTIALS_REVOKED")
        assert await refusal_of(there, token) == (401, "CREDENTIALS_REVOKED")


async def test_a_revoked_api_key_is_refused_by_every_replica(
    replicas: tuple[str, str], seeded_database: Database
) -> None:
    async with seeded_database.pool.acquire() as conn:
        client, key = await add_client(
            conn, kind=ClientKind.OFFICER, name="复制测试", scopes=[], expires_at=None
        )
    headers = {"Authorization": f"Bearer {key}"}
    query = {"query": "{ __typename }"}
    async with (
        httpx.AsyncClient(base_url=replicas[0], headers=headers, timeout=30) as here,
        httpx.AsyncClient(base_url=replicas[1], headers=headers, timeout=30) as there,
    ):
        for http in (here, there):  # both verify the key, and keep it
            assert (await http.post("/graphql", json=query)).status_code == 200
        async with seeded_database.pool.acquire() as conn:
            assert await revoke_client(conn, client.id, now=dt.datetime.now(dt.UTC))
        for http in (here, there):
            async with asyncio.timeout(15):
                while (response := await http.post("/graphql", json=query)).status_code == 200:
                    pass
            assert response.json()["errors"][0]["extensions"]["code"] == "CREDENTIALS_REVOKED"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        # two workers, nothing shared: every missing piece is named
        (
            {"GATEWAY_MODE": "demo", "GATEWAY_WORKERS": "2"},
            ["GATEWAY_SUBJECT_TOKEN_SECRET", "GATEWAY_REDIS_URL", "PROMETHEUS_MULTIPROC_DIR"],
        ),
        # production on one worker still shares rate limits and tokens with its replicas
        (
            {
                "GATEWAY_MODE": "production",
                "GATEWAY_SUBJECT_KEY_SECRET": "k" * 40,
                "GATEWAY_REPORT_SIGNING_KEY": "r" * 40,
            },
            ["GATEWAY_SUBJECT_TOKEN_SECRET", "GATEWAY_REDIS_URL"],
        ),
        # a secret too short for HS256 would fail every binding later with INTERNAL
        (
            {"GATEWAY_MODE": "demo", "GATEWAY_SUBJECT_TOKEN_SECRET": "too-short"},
            ["GATEWAY_SUBJECT_TOKEN_SECRET", "32 bytes"],
        ),
    ],
)
def test_a_start_that_could_not_agree_is_refused_naming_the_setting(
    env: dict[str, str],
    named: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for variable in [*os.environ]:
        if variable.startswith("GATEWAY_") or variable in ("REDIS_URL", "PROMETHEUS_MULTIPROC_DIR"):
            monkeypatch.delenv(variable)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    with pytest.raises(SystemExit) as stopped:
        main(["serve"])
    assert stopped.value.code == 2
    said = capsys.readouterr().err
    for setting in named:
        assert setting in said


async def test_several_workers_answer_metrics_for_all_of_them(
    settings: Settings,
    seeded_database: Database,
    bureaus: dict[str, RunningBureau],
    tmp_path: Path,
) -> None:
    await redis_answers()
    env = gateway_env(
        settings,
        seeded_database.dsn,
        bureaus,
        GATEWAY_WORKERS="2",
        GATEWAY_METRICS_KEY="m" * 32,
        GATEWAY_RATE_LIMITS__PUBLIC="1000",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path),
    )
    sent = 8
    async with gateway_process(env) as url:
        # no keep-alive: each request is a new connection, for whichever worker accepts it
        fresh = httpx.Limits(max_keepalive_connections=0)
        async with from_own_address(timeout=60, limits=fresh) as http:
            for _ in range(sent):
                response = await http.post(
                    f"{url}/graphql", json={"query": "query Ping { __typename }"}
                )
                assert response.status_code == 200
            scraped = await http.get(
                f"{url}/metrics", headers={"Authorization": "Bearer " + "m" * 32}
            )
    assert scraped.status_code == 200
    total = 0.0
    for family in text_string_to_metric_families(scraped.text):
        for sample in family.samples:
            if sample.name == "creditgw_requests_total" and sample.labels["operation"] == "Ping":
                total += sample.value
    assert total == sent
    assert worker_files(tmp_path) >= 2  # both workers wrote their samples


def worker_files(folder: Path) -> int:
    return len(list(folder.glob("*.db")))
