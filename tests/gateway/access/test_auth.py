"""Authentication over real HTTP: API keys, client JWTs, the bot's citizens, the operator key."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.auth import (
    AuthenticationMiddleware,
    Authenticator,
    ClientKind,
    add_client,
    request_principal,
    revoke_client,
)
from gateway.database import Database
from gateway.settings import Settings, SettingsError, load_settings
from tests.conftest import live_binding
from tests.fakes.servers import serve_app

NOW = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
ADMIN_KEY = "admin-" + "k" * 40
SUBJECT_SECRET = "s" * 40
ISSUER = "https://idp.bank-a.example"


def pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@dataclasses.dataclass
class Keys:
    rsa: RSAPrivateKey
    ec: EllipticCurvePrivateKey
    stranger: RSAPrivateKey


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys(
        rsa=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        ec=ec.generate_private_key(ec.SECP256R1()),
        stranger=rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )


@pytest.fixture(scope="module")
def auth_settings(keys: Keys) -> Settings:
    return load_settings(
        admin_key=SecretStr(ADMIN_KEY),
        subject_token_secret=SecretStr(SUBJECT_SECRET),
        jwt_public_keys={"rsa-1": pem(keys.rsa), "ec-1": pem(keys.ec)},
        jwt_issuer=ISSUER,
        jwt_audience="creditgw",
        jwt_leeway_s=0,
    )


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def authenticator(auth_settings: Settings, clock: Clock) -> Authenticator:
    return Authenticator(auth_settings, clock=clock)


async def whoami(request: Request) -> JSONResponse:
    p = request_principal(request)
    return JSONResponse(
        {
            "kind": p.kind.value,
            "clientId": p.client_id,
            "name": p.display_name,
            "scopes": sorted(p.scopes),
            "bankId": p.bank_id,
            "subjectKey": p.subject_key,
            "represents": sorted(p.represents),
            "rateClass": p.rate_limit_class,
            "ratePerMinute": p.rate_limit_per_minute,
            "viaBot": p.via_bot,
        }
    )


def echo_app(authenticator: Authenticator, pool: Callable[[], asyncpg.Pool]) -> Starlette:
    return Starlette(
        routes=[Route("/whoami", whoami)],
        middleware=[Middleware(AuthenticationMiddleware, authenticator=authenticator, pool=pool)],
    )


@pytest.fixture
async def http(
    authenticator: Authenticator, migrated: Database
) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serve_app(echo_app(authenticator, lambda: migrated.pool), lifespan="off") as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        yield client


async def who(http: httpx.AsyncClient, **headers: str) -> dict[str, Any]:
    response = await http.get("/whoami", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def refused(http: httpx.AsyncClient, code: str, **headers: str) -> str:
    response = await http.get("/whoami", headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": code}
    message: str = error["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)  # a Chinese message
    return message


def bearer(credential: str) -> dict[str, str]:
    return {"authorization": f"Bearer {credential}"}


async def new_client(db: Database, kind: ClientKind, **changes: Any) -> tuple[str, str]:
    args: dict[str, Any] = {
        "kind": kind,
        "name": f"测试{kind.value}",
        "scopes": ["subject:read"],
        "expires_at": NOW + dt.timedelta(days=30),
        "bank_id": "bank-a" if kind is ClientKind.BANK else None,
    }
    args.update(changes)
    async with db.pool.acquire() as conn:
        client, key = await add_client(conn, **args)
    return client.id, key


# --- anonymous and API keys ----------------------------------------------------------------


async def test_no_credentials_is_the_public(http: httpx.AsyncClient) -> None:
    body = await who(http)
    assert body["kind"] == "public"
    assert body["clientId"] is None
    assert body["scopes"] == []


async def test_a_bank_key_is_that_bank(http: httpx.AsyncClient, migrated: Database) -> None:
    client_id, key = await new_client(
        migrated, ClientKind.BANK, scopes=["precheck", "subject:read"], rate_limit_per_minute=99
    )
    body = await who(http, **bearer(key))
    assert body == {
        "kind": "bank",
        "clientId": client_id,
        "name": "测试bank",
        "scopes": ["precheck", "subject:read"],
        "bankId": "bank-a",
        "subjectKey": None,
        "represents": [],
        "rateClass": "bank",
        "ratePerMinute": 99,
        "viaBot": False,
    }
    officer_id, officer_key = await new_client(migrated, ClientKind.OFFICER)
    officer = await who(http, **bearer(officer_key))
    assert (officer["kind"], officer["clientId"], officer["bankId"]) == (
        "officer",
        officer_id,
        None,
    )


async def test_keys_are_stored_only_as_digests(migrated: Database) -> None:
    client_id, key = await new_client(migrated, ClientKind.BANK)
    async with migrated.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM api_clients WHERE id = $1", client_id)
    assert bytes(row["key_hash"]) == hashlib.sha256(key.encode()).digest()
    secret_part = key.split("_", 3)[3]
    assert all(secret_part not in str(value) for value in dict(row).values())
    assert key.startswith(f"cgw_live_{client_id}_")


async def test_wrong_unknown_and_malformed_keys(
    http: httpx.AsyncClient, migrated: Database
) -> None:
    client_id, key = await new_client(migrated, ClientKind.BANK)
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    await refused(http, "UNAUTHENTICATED", **bearer(forged))
    await refused(http, "UNAUTHENTICATED", **bearer(key.replace(client_id, "zzzzzzzzzzzz")))
    await refused(http, "UNAUTHENTICATED", **bearer("cgw_live_short"))
    await refused(http, "UNAUTHENTICATED", **bearer("random-garbage"))
    await refused(http, "UNAUTHENTICATED", authorization=f"Basic {key}")
    await refused(http, "UNAUTHENTICATED", authorization="Bearer")


async def test_revoked_and_expired_keys_say_so(
    http: httpx.AsyncClient, migrated: Database, clock: Clock
) -> None:
    client_id, key = await new_client(migrated, ClientKind.BANK)
    assert (await who(http, **bearer(key)))["kind"] == "bank"
    async with migrated.pool.acquire() as conn:
        assert await revoke_client(conn, client_id, now=NOW)
        assert not await revoke_client(conn, client_id, now=NOW)  # once
    assert "吊销" in await refused(http, "CREDENTIALS_REVOKED", **bearer(key))

    _, expiring = await new_client(migrated, ClientKind.OFFICER)
    clock.now = NOW + dt.timedelta(days=30)  # the expiry instant itself is already too late
    assert "过期" in await refused(http, "CREDENTIALS_EXPIRED", **bearer(expiring))


async def test_a_revoked_key_with_a_wrong_secret_reveals_nothing(
    http: httpx.AsyncClient, migrated: Database
) -> None:
    client_id, key = await new_client(migrated, ClientKind.BANK)
    async with migrated.pool.acquire() as conn:
        await revoke_client(conn, client_id, now=NOW)
    await refused(http, "UNAUTHENTICATED", **bearer(key[:-4] + "0000"))


async def test_the_admin_key_is_the_operator(http: httpx.AsyncClient) -> None:
    body = await who(http, **bearer(ADMIN_KEY))
    assert body["kind"] == "operator"
    assert "schema:read" in body["scopes"]
    await refused(http, "UNAUTHENTICATED", **bearer(ADMIN_KEY + "x"))


async def test_an_unreachable_client_store_is_503(
    authenticator: Authenticator, migrated: Database
) -> None:
    pool = await asyncpg.create_pool(migrated.dsn, min_size=0, max_size=1)
    await pool.close()
    _, key = await new_client(migrated, ClientKind.BANK)
    async with (
        serve_app(echo_app(authenticator, lambda: pool), lifespan="off") as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        response = await client.get("/whoami", headers=bearer(key))
        assert response.status_code == 503
        assert response.json()["errors"][0]["extensions"]["code"] == "AUTH_UNAVAILABLE"
        assert (await client.get("/whoami")).json()["kind"] == "public"  # no DB needed


# --- the bot and its citizens ------------------------------------------------------------------


async def test_the_bot_alone_is_the_public_relayed(
    http: httpx.AsyncClient, migrated: Database
) -> None:
    bot_id, bot_key = await new_client(migrated, ClientKind.BOT, scopes=[])
    body = await who(http, **bearer(bot_key))
    assert (body["kind"], body["clientId"], body["viaBot"], body["rateClass"]) == (
        "public",
        bot_id,
        True,
        "bot",
    )


async def test_the_bot_with_a_subject_token_is_that_citizen(
    http: httpx.AsyncClient, migrated: Database, authenticator: Authenticator, clock: Clock
) -> None:
    bot_id, bot_key = await new_client(migrated, ClientKind.BOT, scopes=[])
    binding = await live_binding(migrated.pool, "p:abc", "11010519491231002X")
    token = authenticator.issue_subject_token("p:abc", binding, ["91640104P5H4MY366K"])
    body = await who(http, **bearer(bot_key), **{"x-subject-token": token})
    assert body["kind"] == "citizen"
    assert body["subjectKey"] == "p:abc"
    assert body["represents"] == ["91640104P5H4MY366K"]
    assert (body["clientId"], body["viaBot"], body["rateClass"]) == (bot_id, True, "citizen")

    clock.now = NOW + dt.timedelta(seconds=900)
    await refused(http, "CREDENTIALS_EXPIRED", **bearer(bot_key), **{"x-subject-token": token})


async def test_subject_tokens_come_only_through_the_bot(
    http: httpx.AsyncClient, migrated: Database, authenticator: Authenticator
) -> None:
    token = authenticator.issue_subject_token("p:abc", "b-1")
    _, bank_key = await new_client(migrated, ClientKind.BANK)
    _, bot_key = await new_client(migrated, ClientKind.BOT, scopes=[])
    await refused(http, "UNAUTHENTICATED", **{"x-subject-token": token})
    await refused(http, "UNAUTHENTICATED", **bearer(bank_key), **{"x-subject-token": token})
    await refused(http, "UNAUTHENTICATED", **bearer(ADMIN_KEY), **{"x-subject-token": token})
    forged = jwt.encode(
        {"sub": "p:abc", "iss": "creditgw", "aud": "creditgw:subject", "exp": 2_000_000_000},
        "x" * 40,
        algorithm="HS256",
    )
    await refused(http, "UNAUTHENTICATED", **bearer(bot_key), **{"x-subject-token": forged})


# --- client JWTs ------------------------------------------------------------------------------


def client_jwt(key: Any, *, kid: str = "rsa-1", algorithm: str = "RS256", **claims: Any) -> str:
    body: dict[str, Any] = {
        "iss": ISSUER,
        "aud": "creditgw",
        "sub": "jwt-bank-client",
        "exp": int((NOW + dt.timedelta(minutes=5)).timestamp()),
        "kind": "bank",
        "bank_id": "bank-j",
        "scope": "subject:read precheck",
        "name": "乙银行",
    }
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode(body, key, algorithm=algorithm, headers={"kid": kid})


def hs256_with_public_key(public_pem: str) -> str:
    """HS256 signed with the RSA public key as the secret (PyJWT refuses to make one)."""

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}).encode())
    claims = {"iss": ISSUER, "aud": "creditgw", "sub": "x", "exp": 2_000_000_000, "kind": "bank"}
    payload = b64(json.dumps({**claims, "bank_id": "b"}).encode())
    mac = hmac.new(public_pem.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(mac)}"


async def test_rs256_and_es256_jwts(http: httpx.AsyncClient, keys: Keys) -> None:
    body = await who(http, **bearer(client_jwt(keys.rsa)))
    assert (body["kind"], body["clientId"], body["bankId"], body["name"]) == (
        "bank",
        "jwt-bank-client",
        "bank-j",
        "乙银行",
    )
    assert body["scopes"] == ["precheck", "subject:read"]
    officer = client_jwt(
        keys.ec, kid="ec-1", algorithm="ES256", kind="officer", bank_id=None, sub="o-9"
    )
    body = await who(http, **bearer(officer))
    assert (body["kind"], body["clientId"], body["bankId"]) == ("officer", "o-9", None)


async def test_expired_jwt(http: httpx.AsyncClient, keys: Keys, clock: Clock) -> None:
    token = client_jwt(keys.rsa)
    clock.now = NOW + dt.timedelta(minutes=5)
    await refused(http, "CREDENTIALS_EXPIRED", **bearer(token))


@pytest.mark.parametrize(
    "make",
    [
        lambda k: client_jwt(k.rsa, kid="unknown"),
        lambda k: client_jwt(k.stranger),  # signed by a key we do not know, under our kid
        lambda k: client_jwt(k.ec, kid="rsa-1", algorithm="ES256"),  # wrong alg for the kid
        lambda k: client_jwt(k.rsa, aud="someone-else"),
        lambda k: client_jwt(k.rsa, iss="https://evil.example"),
        lambda k: client_jwt(k.rsa, exp=None),
        lambda k: client_jwt(k.rsa, kind="operator"),
        lambda k: client_jwt(k.rsa, bank_id=None),
        lambda k: client_jwt(k.rsa, kind="officer"),  # an officer with a bank id
        lambda k: client_jwt(None, algorithm="none"),
        lambda k: hs256_with_public_key(pem(k.rsa)),  # the classic algorithm confusion
        lambda k: "a.b.c",
    ],
)
async def test_bad_jwts_are_refused(
    http: httpx.AsyncClient, keys: Keys, make: Callable[[Keys], str]
) -> None:
    await refused(http, "UNAUTHENTICATED", **bearer(make(keys)))


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"jwt_public_keys": {"k": "not a pem"}, "jwt_issuer": "i"}, "GATEWAY_JWT_PUBLIC_KEYS"),
        ({"jwt_public_keys": {"k": "PEM"}}, "GATEWAY_JWT_ISSUER"),
        ({"jwt_public_keys": {"weak": "WEAK"}, "jwt_issuer": "i"}, "GATEWAY_JWT_PUBLIC_KEYS"),
    ],
)
def test_bad_jwt_settings_name_the_variable(
    keys: Keys, changes: dict[str, Any], variable: str
) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 (refused)
    swap = {"PEM": pem(keys.rsa), "WEAK": pem(weak)}
    changes["jwt_public_keys"] = {k: swap.get(v, v) for k, v in changes["jwt_public_keys"].items()}
    with pytest.raises(SettingsError, match=variable):
        Authenticator(load_settings(**changes))


def test_no_principal_without_the_middleware() -> None:
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": []})
    with pytest.raises(RuntimeError, match="AuthenticationMiddleware"):
        request_principal(request)
