"""Turn a request's headers into a :class:`~credit.access.Principal`.

    Authorization: Bearer <operator admin key>   → OPERATOR
    Authorization: Bearer cgw_live_…             → the bank / officer client; the bot's key
                                                   alone → PUBLIC relayed by the bot, and with
    X-Subject-Token: <subject token>             → that CITIZEN (only next to the bot's key,
                                                   and only while its binding lives)
    Authorization: Bearer <header.claims.sig>    → a client JWT (bank / officer)
    (nothing)                                    → PUBLIC

Anything presented and wrong is refused, never downgraded to anonymous:
:class:`~gateway.auth.errors.AuthError` (401 ``UNAUTHENTICATED`` / ``CREDENTIALS_EXPIRED`` /
``CREDENTIALS_REVOKED``; 503 ``AUTH_UNAVAILABLE`` when the client table cannot be read).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import AsyncIterator, Callable, Iterable, Mapping

import asyncpg

from credit.access import ANONYMOUS, Principal, PrincipalKind
from gateway.auth.api_keys import KEY_PREFIX, digest
from gateway.auth.client_cache import BindingCache, ClientCache
from gateway.auth.clients import (
    ClientKind,
    ensure_usable,
    known_scopes,
    principal_for,
    verify_api_key,
)
from gateway.auth.errors import AuthUnavailable, CredentialsRevoked, Unauthenticated
from gateway.auth.jwt_tokens import JwtVerifier
from gateway.auth.subject_tokens import SubjectClaims, issue_subject_token, verify_subject_token
from gateway.settings import Settings

__all__ = ["SUBJECT_TOKEN_HEADER", "Authenticator", "utc_now"]

log = logging.getLogger(__name__)

SUBJECT_TOKEN_HEADER = "x-subject-token"  # noqa: S105 (a header name, not a secret)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Authenticator:
    """Holds the verification material read from settings; one per app.

    ``clock`` returns an aware "now" (injectable for tests).  When no subject-token secret is
    configured a random one is made for this process: tokens then work only on this replica
    and die with it — fine for the demo, wrong for production (a warning says so).
    """

    def __init__(self, settings: Settings, *, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._clock = clock
        self._jwt = JwtVerifier.from_settings(settings)
        self._admin_digest = (
            hashlib.sha256(settings.admin_key.get_secret_value().encode()).digest()
            if settings.admin_key is not None
            else None
        )
        if settings.subject_token_secret is not None:
            self._subject_secret = settings.subject_token_secret.get_secret_value().encode()
        else:
            self._subject_secret = secrets.token_bytes(32)
            if settings.mode == "production":
                log.warning(
                    "GATEWAY_SUBJECT_TOKEN_SECRET is unset: citizens' subject tokens are valid "
                    "on this process only"
                )
        self._subject_ttl_s = settings.subject_token_ttl_s
        # Keep verified API keys and live bindings only while they hear revocations
        # (Edge.running listens for both).
        self.clients = ClientCache(clock=clock)
        self.bindings = BindingCache(clock=clock)

    def now(self) -> dt.datetime:
        return self._clock()

    def issue_subject_token(
        self, subject_key: str, binding_id: str, represents: Iterable[str] = ()
    ) -> str:
        """The token the bot relays for this citizen, good while the binding ``binding_id``
        lives (call when the identity is bound)."""
        return issue_subject_token(
            self._subject_secret,
            subject_key=subject_key,
            binding_id=binding_id,
            represents=represents,
            now=self._clock(),
            ttl_s=self._subject_ttl_s,
        )

    async def authenticate(self, headers: Mapping[str, str], pool: asyncpg.Pool) -> Principal:
        """``headers`` with lower-case names (Starlette's ``Headers`` is fine)."""
        authorization = headers.get("authorization", "")
        subject_token = headers.get(SUBJECT_TOKEN_HEADER)
        if not authorization:
            if subject_token is not None:
                raise Unauthenticated("身份验证失败：主体令牌只能由受信任的服务转交")
            return ANONYMOUS
        scheme, _, credential = authorization.partition(" ")
        credential = credential.strip()
        if scheme.lower() != "bearer" or not credential:
            raise Unauthenticated("身份验证失败：请使用 Authorization: Bearer <密钥或令牌>")
        now = self._clock()
        if self._is_admin_key(credential):
            principal = Principal(
                PrincipalKind.OPERATOR,
                client_id="operator",
                display_name="平台运营方",
                scopes=known_scopes(),
                rate_limit_class="operator",
            )
        elif credential.startswith(KEY_PREFIX):
            return await self._api_key(credential, subject_token, pool, now)
        elif credential.count(".") == 2 and self._jwt.enabled:
            principal = self._jwt.verify(credential, now=now)
        else:
            raise Unauthenticated
        if subject_token is not None:
            raise Unauthenticated("身份验证失败：主体令牌只能由受信任的服务转交")
        return principal

    def _is_admin_key(self, credential: str) -> bool:
        if self._admin_digest is None:
            return False
        return hmac.compare_digest(self._admin_digest, hashlib.sha256(credential.encode()).digest())

    async def _api_key(
        self, key: str, subject_token: str | None, pool: asyncpg.Pool, now: dt.datetime
    ) -> Principal:
        key_digest = digest(key)
        client = self.clients.get(key_digest)
        if client is not None:
            ensure_usable(client, now)  # it may have expired since it was verified
        else:
            seen = self.clients.generation
            async with _store(pool) as conn:
                client = await verify_api_key(conn, key, now=now)
            self.clients.put(key_digest, client, generation=seen)
        if subject_token is None:
            return principal_for(client)
        if client.kind is not ClientKind.BOT:
            raise Unauthenticated("身份验证失败：主体令牌只能由受信任的服务转交")
        claims = verify_subject_token(self._subject_secret, subject_token, now=now)
        await self._ensure_bound(claims, pool)
        return Principal(
            PrincipalKind.CITIZEN,
            client_id=client.id,
            display_name="本人",
            subject_key=claims.subject_key,
            represents=claims.represents,
            rate_limit_class="citizen",
            via_bot=True,
        )

    async def _ensure_bound(self, claims: SubjectClaims, pool: asyncpg.Pool) -> None:
        """A subject token is good only while the binding it was issued for lives: unbinding
        revokes it on the next request, on every replica (read from the table unless a live
        listener keeps the answer, as for API keys)."""
        if self.bindings.get(claims.subject_key) == claims.binding_id:
            return
        seen = self.bindings.generation
        async with _store(pool) as conn:
            live = await conn.fetchval(
                "SELECT binding_id::text FROM identity_bindings WHERE subject_key = $1",
                claims.subject_key,
            )
        if live != claims.binding_id:
            raise CredentialsRevoked("身份绑定已解除或已重新绑定，请在对话中重新验证身份")
        self.bindings.put(claims.subject_key, live, generation=seen)


@contextlib.asynccontextmanager
async def _store(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the credential tables; :class:`AuthUnavailable` when they cannot be
    read."""
    try:
        async with pool.acquire() as conn:
            yield conn
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
        log.warning("client store unavailable: %s", type(exc).__name__)
        raise AuthUnavailable from None
