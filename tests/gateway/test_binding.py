"""Identity binding end to end: the bot's own documents over HTTP, the identity and market
simulators behind the gateway, codes read from the real SMS outbox; clock-bound rules
(expiry, resend wait, lock period) through a BindingService on an injected clock."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re
from collections.abc import AsyncIterator, Iterator
from importlib import resources
from typing import Any

import asyncpg
import httpx
import jwt
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from credit.access import Principal, PrincipalKind, person_subject_key
from credit.masking import mask_phone
from credit.records import Person
from gateway import sms
from gateway.app import create_app
from gateway.auth.authenticator import Authenticator
from gateway.binding import (
    BindingCodeWrong,
    BindingExpired,
    BindingLocked,
    BindingService,
    BindingTooSoon,
)
from gateway.cli import main
from gateway.database import Database
from gateway.limits.trusted_documents import document_hash
from gateway.settings import BindingSettings, Settings, person_key_secret
from resolvers.binding import BoundIdentity
from resolvers.source_loader import Deadline
from simulators.behaviour import Behaviour
from simulators.runner import RunningBureau
from simulators.world import World
from tests.conftest import TEST_WORLD
from tests.fakes.servers import serve_app

PHONE = "13912345678"
OTHER_PHONE = "13900001111"


def operation(name: str) -> str:
    return (resources.files("bot") / "operations" / f"{name}.graphql").read_text(encoding="utf-8")


async def run(
    http: httpx.AsyncClient, name: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    headers = {"X-Subject-Token": token} if token else {}
    payload = {"documentId": "sha256:" + document_hash(operation(name)), "variables": variables}
    response = await http.post("/graphql", json=payload, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def code_of(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


@pytest.fixture(scope="module")
async def bot(gateway_url: str, bot_key: str) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {bot_key}"}
    async with httpx.AsyncClient(base_url=gateway_url, headers=headers, timeout=30) as http:
        yield http


async def sent_code(gateway_app: Starlette, challenge_id: str) -> str:
    return await texted_code(gateway_app.state.gateway.database.pool, challenge_id)


async def texted_code(pool: asyncpg.Pool, challenge_id: str) -> str:
    message = await pool.fetchval(
        "SELECT message FROM sms_outbox WHERE challenge_id = $1::uuid", challenge_id
    )
    found = re.search(r"验证码 (\d{6})", message)
    assert found, message
    return found[1]


async def start(bot: httpx.AsyncClient, person: Person, **changes: str) -> dict[str, Any]:
    data = {"name": person.name, "idNumber": person.id_number, "phone": person.phone, **changes}
    return await run(bot, "StartIdentityBinding", input=data)


async def test_bind_with_the_texted_code(
    bot: httpx.AsyncClient,
    people: Iterator[Person],
    gateway_app: Starlette,
    world: World,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    person = next(people)
    started = await start(bot, person)
    assert "errors" not in started, started
    challenge = started["data"]["startIdentityBinding"]
    assert challenge["maskedPhone"] == mask_phone(person.phone)
    code = await sent_code(gateway_app, challenge["challengeId"])

    body = await run(bot, "ConfirmIdentityBinding", challengeId=challenge["challengeId"], code=code)
    assert "errors" not in body, body
    bound = body["data"]["confirmIdentityBinding"]
    assert sorted(bound["representedEnterprises"]) == sorted(world.represented_by(person.id_number))
    claims = jwt.decode(bound["subjectToken"], options={"verify_signature": False})
    assert claims["sub"] == person_subject_key(person.id_number, person_key_secret(settings))
    assert person.id_number not in bound["subjectToken"] + str(claims)

    # The token makes the bot this citizen: their firms, through their own eyes.
    binder = BindingService.for_gateway(gateway_app.state.gateway)
    assert await binder.bound_id_number(claims["sub"]) == person.id_number
    # Used once: the same code again is refused.
    again = await run(
        bot, "ConfirmIdentityBinding", challengeId=challenge["challengeId"], code=code
    )
    assert code_of(again) == "BINDING_EXPIRED"

    outbox = await gateway_app.state.gateway.database.pool.fetchrow(
        "SELECT phone_masked, message FROM sms_outbox WHERE challenge_id = $1::uuid",
        challenge["challengeId"],
    )
    assert outbox["phone_masked"] == mask_phone(person.phone)
    assert person.id_number not in outbox["message"]
    for record in caplog.records:
        assert person.id_number not in record.getMessage()
        assert person.phone not in record.getMessage()

    unbound = await run(bot, "UnbindIdentity", token=bound["subjectToken"])
    assert unbound["data"] == {"unbindIdentity": True}
    assert await binder.bound_id_number(claims["sub"]) is None


async def bind(bot: httpx.AsyncClient, person: Person, pool: asyncpg.Pool) -> str:
    """Bind ``person`` through the bot's documents; their subject token."""
    started = await start(bot, person)
    assert "errors" not in started, started
    challenge = started["data"]["startIdentityBinding"]
    code = await texted_code(pool, challenge["challengeId"])
    body = await run(bot, "ConfirmIdentityBinding", challengeId=challenge["challengeId"], code=code)
    token: str = body["data"]["confirmIdentityBinding"]["subjectToken"]
    return token


async def refusal_of(bot: httpx.AsyncClient, token: str) -> tuple[int, str | None]:
    """(HTTP status, error code) of a citizen's read with ``token``; (200, None) when served."""
    payload = {"documentId": "sha256:" + document_hash(operation("MySubjects"))}
    response = await bot.post("/graphql", json=payload, headers={"X-Subject-Token": token})
    errors = response.json().get("errors") or [{"extensions": {}}]
    return response.status_code, errors[0]["extensions"].get("code")


@pytest.fixture(scope="module")
async def replicas(
    settings: Settings, seeded_database: Database, bot_key: str
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """The bot on two gateway replicas (one token secret, one database, each its own caches
    and revocation listener), as production runs them; no wait between two codes."""
    shared = settings.model_copy(
        update={
            "subject_token_secret": SecretStr("s" * 40),
            "binding": BindingSettings(resend_s=0),  # this test binds one person twice
        }
    )
    headers = {"Authorization": f"Bearer {bot_key}"}
    async with contextlib.AsyncExitStack() as stack:
        bots = []
        for _ in range(2):
            app = create_app(shared, database=seeded_database, today=lambda: TEST_WORLD.today)
            url = await stack.enter_async_context(serve_app(app))
            bots.append(
                await stack.enter_async_context(
                    httpx.AsyncClient(base_url=url, headers=headers, timeout=30)
                )
            )
        yield bots[0], bots[1]


async def test_unbinding_revokes_the_token_at_once_on_every_replica(
    replicas: tuple[httpx.AsyncClient, httpx.AsyncClient],
    people: Iterator[Person],
    seeded_database: Database,
) -> None:
    here, there = replicas
    pool = seeded_database.pool
    first, second = next(people), next(people)
    token, other = await bind(here, first, pool), await bind(here, second, pool)
    for bot in (here, there):  # both replicas have verified (and keep) the binding
        assert await refusal_of(bot, token) == (200, None)
        assert await refusal_of(bot, other) == (200, None)

    assert (await run(here, "UnbindIdentity", token=token))["data"] == {"unbindIdentity": True}
    # the very next request on the replica that unbound is refused
    assert await refusal_of(here, token) == (401, "CREDENTIALS_REVOKED")
    # the other replica refuses as soon as the notification reaches it (waited for, not slept;
    # 10 s bounds the wait, it does not time the notification)
    async with asyncio.timeout(10):
        while await refusal_of(there, token) == (200, None):
            pass
    assert await refusal_of(there, token) == (401, "CREDENTIALS_REVOKED")
    # someone else's binding is untouched; binding again issues a new token, the old stays dead
    assert await refusal_of(there, other) == (200, None)
    fresh = await bind(here, first, pool)
    assert await refusal_of(there, fresh) == (200, None)
    assert await refusal_of(here, token) == (401, "CREDENTIALS_REVOKED")


async def test_five_wrong_codes_lock_binding_for_that_person(
    bot: httpx.AsyncClient, people: Iterator[Person], gateway_app: Starlette
) -> None:
    person = next(people)
    started = await start(bot, person)
    assert "errors" not in started, started
    challenge = started["data"]["startIdentityBinding"]
    code = await sent_code(gateway_app, challenge["challengeId"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        body = await run(
            bot, "ConfirmIdentityBinding", challengeId=challenge["challengeId"], code=wrong
        )
        assert body["errors"][0]["extensions"] == {
            "code": "BINDING_CODE_WRONG",
            "attemptsLeft": left,
        }
        assert person.id_number not in str(body)
    body = await run(
        bot, "ConfirmIdentityBinding", challengeId=challenge["challengeId"], code=wrong
    )
    assert code_of(body) == "BINDING_LOCKED"
    assert "lockedUntil" in body["errors"][0]["extensions"]
    # Locked: the right code no longer helps, and no new code is sent.
    body = await run(bot, "ConfirmIdentityBinding", challengeId=challenge["challengeId"], code=code)
    assert code_of(body) == "BINDING_LOCKED"
    assert code_of(await start(bot, person)) == "BINDING_LOCKED"


async def test_refusals_before_any_code_is_sent(
    bot: httpx.AsyncClient, people: Iterator[Person], gateway_app: Starlette
) -> None:
    person = next(people)
    pool = gateway_app.state.gateway.database.pool
    before = await pool.fetchval("SELECT count(*) FROM sms_outbox")
    # 三要素: a wrong name and a phone not registered to them are one refusal, saying neither
    assert person.phone != OTHER_PHONE
    wrong_name = await start(bot, person, name=person.name + "某")
    wrong_phone = await start(bot, person, phone=OTHER_PHONE)
    assert code_of(wrong_name) == code_of(wrong_phone) == "IDENTITY_NOT_VERIFIED"
    assert wrong_name["errors"][0]["message"] == wrong_phone["errors"][0]["message"]
    assert "姓名、公民身份号码与手机号" in wrong_name["errors"][0]["message"]
    bad_id = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")
    body = await start(bot, person, idNumber=bad_id)
    assert body["errors"][0]["extensions"] == {"code": "INVALID_CREDIT_CODE", "reason": "checksum"}
    assert code_of(await start(bot, person, phone="12345")) == "INVALID_PHONE"
    assert await pool.fetchval("SELECT count(*) FROM sms_outbox") == before
    # A second code right after the first is refused until the resend wait has passed.
    assert "errors" not in await start(bot, person)
    body = await start(bot, person)
    assert code_of(body) == "BINDING_TOO_SOON"
    assert body["errors"][0]["extensions"]["retryAfterS"] > 0


async def test_only_the_bot_binds_and_only_a_citizen_unbinds(
    bot: httpx.AsyncClient, bank: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    query = """mutation($input: StartIdentityBindingInput!) {
        startIdentityBinding(input: $input) { challengeId } }"""
    variables = {"input": {"name": "张三", "idNumber": "11010519491231002X", "phone": PHONE}}
    for caller in (bank, client):
        response = await caller.post("/graphql", json={"query": query, "variables": variables})
        assert code_of(response.json()) == "FORBIDDEN"
    assert code_of(await run(bot, "UnbindIdentity")) == "FORBIDDEN"


async def test_market_down_binds_without_firms(
    bot: httpx.AsyncClient,
    people: Iterator[Person],
    bureaus: dict[str, RunningBureau],
    gateway_app: Starlette,
) -> None:
    challenge = (await start(bot, next(people)))["data"]["startIdentityBinding"]
    code = await sent_code(gateway_app, challenge["challengeId"])
    bureaus["market"].service.state.behaviour = Behaviour(down=True)
    body = await run(bot, "ConfirmIdentityBinding", challengeId=challenge["challengeId"], code=code)
    bound = body["data"]["confirmIdentityBinding"]
    assert bound["subjectToken"]
    assert bound["representedEnterprises"] is None
    assert body["errors"][0]["extensions"] == {"code": "SOURCE_UNAVAILABLE", "source": "market"}
    assert body["errors"][0]["path"] == ["confirmIdentityBinding", "representedEnterprises"]


@pytest.fixture(scope="module")
async def impatient_bot(
    settings: Settings, seeded_database: Database, bot_key: str
) -> AsyncIterator[httpx.AsyncClient]:
    """The bot on a gateway whose requests wait 0.5 s for bureaus, while its identity
    connector, left alone, would wait a minute for a bureau that does not answer."""
    identity = settings.bureaus.of("identity").model_copy(
        update={"timeout_s": 60.0, "retry_attempts": 1}
    )
    bureaus = settings.bureaus.model_copy(update={"identity": identity})
    tuned = settings.model_copy(update={"request_deadline_s": 0.5, "bureaus": bureaus})
    app = create_app(tuned, database=seeded_database, today=lambda: TEST_WORLD.today)
    headers = {"Authorization": f"Bearer {bot_key}"}
    async with (
        serve_app(app) as url,
        httpx.AsyncClient(base_url=url, headers=headers, timeout=15) as http,
    ):
        yield http


@pytest.mark.parametrize(
    ("fault", "caller", "refusal"),
    [
        (Behaviour(down=True), "bot", "SOURCE_UNAVAILABLE"),
        # without the deadline: a minute's wait, cut by the test client's 15 s
        (Behaviour(hang=True), "impatient_bot", "SOURCE_TIMEOUT"),
    ],
)
async def test_an_identity_bureau_down_or_hung_is_said_and_sends_nothing(
    fault: Behaviour,
    caller: str,
    refusal: str,
    bot: httpx.AsyncClient,
    impatient_bot: httpx.AsyncClient,
    people: Iterator[Person],
    bureaus: dict[str, RunningBureau],
    gateway_app: Starlette,
) -> None:
    bureaus["identity"].service.state.behaviour = fault
    pool = gateway_app.state.gateway.database.pool
    before = await pool.fetchval("SELECT count(*) FROM sms_outbox")
    body = await start({"bot": bot, "impatient_bot": impatient_bot}[caller], next(people))
    assert body["errors"][0]["extensions"] == {"code": refusal, "source": "identity"}
    assert body["data"] is None
    assert await pool.fetchval("SELECT count(*) FROM sms_outbox") == before


# --- rules that need a clock ------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def binder(gateway_app: Starlette, settings: Settings, clock: Clock) -> BindingService:
    rules = BindingSettings(code_ttl_s=120, resend_s=60, max_attempts=2, lock_s=600)
    return BindingService(
        gateway_app.state.gateway.database.pool,
        authenticator=Authenticator(settings, clock=clock),
        rules=rules,
        person_secret=person_key_secret(settings),
        token_ttl_s=900,
        clock=clock,
    )


BOT = Principal(
    PrincipalKind.PUBLIC, client_id="clockbot0001", rate_limit_class="bot", via_bot=True
)


async def test_codes_expire_and_locks_end(
    binder: BindingService, clock: Clock, people: Iterator[Person], gateway_app: Starlette
) -> None:
    connectors = gateway_app.state.gateway.connectors
    person = next(people)
    deadline = Deadline(30)  # bureaus are waited for as a request would

    async def begin() -> tuple[str, str]:
        challenge = await binder.start(
            BOT,
            name=person.name,
            id_number=person.id_number,
            phone=person.phone,
            identity=connectors.identity,
            deadline=deadline,
        )
        return challenge.id, await sent_code(gateway_app, challenge.id)

    async def confirm(challenge_id: str, code: str) -> BoundIdentity:
        return await binder.confirm(
            BOT, challenge_id=challenge_id, code=code, market=connectors.market, deadline=deadline
        )

    challenge_id, code = await begin()
    with pytest.raises(BindingTooSoon):
        await begin()
    clock.advance(121)
    with pytest.raises(BindingExpired):
        await confirm(challenge_id, code)

    challenge_id, code = await begin()  # past the resend wait: a fresh code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(BindingCodeWrong):
        await confirm(challenge_id, wrong)
    with pytest.raises(BindingLocked):
        await confirm(challenge_id, wrong)
    with pytest.raises(BindingLocked):
        await begin()
    clock.advance(601)
    challenge_id, code = await begin()  # the lock has ended
    bound = await confirm(challenge_id, code)
    assert bound.represents is not None


async def test_outbox_tail_shows_masked_phones(gateway_app: Starlette, clock: Clock) -> None:
    pool = gateway_app.state.gateway.database.pool
    async with pool.acquire() as conn, conn.transaction():
        sent = await sms.enqueue(conn, phone="13800001111", message="测试短信", now=clock())
    async with pool.acquire() as conn:
        entries = await sms.tail(conn, limit=5)
        assert entries[-1].id == sent
        assert (entries[-1].phone_masked, entries[-1].message) == ("138****1111", "测试短信")
        assert await sms.mark_sent(conn, sent, now=clock())
        assert await conn.fetchval("SELECT phone FROM sms_outbox WHERE id = $1", sent) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13912345678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("８６１３９１２３４５６７８", "13912345678"),
    ],
)
def test_phone_numbers_are_normalised(raw: str, expected: str) -> None:
    assert sms.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "1391234567", "23912345678", "139123456789", "电话"])
def test_bad_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(sms.InvalidPhone):
        sms.normalise_phone(raw)


def test_sms_tail_prints_masked_phones(
    pg_dsn: str,
    seeded_database: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def add() -> None:
        conn = await asyncpg.connect(pg_dsn)
        try:
            await sms.enqueue(
                conn,
                phone="13712340000",
                message="【信用图谱】尾部测试",
                now=dt.datetime.now(dt.UTC),
            )
        finally:
            await conn.close()

    asyncio.run(add())
    monkeypatch.setenv("DATABASE_URL", pg_dsn)
    with pytest.raises(SystemExit) as ended:
        main(["sms", "tail", "-n", "3"])
    assert ended.value.code == 0
    out = capsys.readouterr().out
    assert "137****0000  【信用图谱】尾部测试" in out
    assert "13712340000" not in out
