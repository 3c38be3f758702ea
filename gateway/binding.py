"""Identity binding over PostgreSQL: challenges, one-time codes, lockout, bindings.

The gateway's :class:`~resolvers.binding.IdentityBinder`.  A person is named by their subject
key (``credit.access.person_subject_key``); the clear ID number is kept only on an open
challenge and on a live binding, because bureaus are asked by it (:meth:`bound_id_number`).

    binder = BindingService.for_gateway(gateway_state(request))
    challenge = await binder.start(principal, name=..., id_number=..., phone=..., identity=...)
    bound = await binder.confirm(principal, challenge_id=challenge.id, code="123456", market=...)
    await binder.unbind(citizen)

Rules: one open challenge per person (a new one replaces it); a new code at most every
``resend_s``; a code lives ``code_ttl_s``; ``max_attempts`` wrong codes for one person, across
challenges, lock binding for that person for ``lock_s`` (and close the open challenge).  Every
change is one transaction; a refusal raised after a write is raised after it commits.

Errors (all :class:`~credit.errors.DomainError`)::

    IdentityNotVerified   IDENTITY_NOT_VERIFIED   name, ID number and phone do not belong
                                                  together (三要素核验; which one is not said)
    BindingTooSoon        BINDING_TOO_SOON        a code was sent less than resend_s ago
    BindingNotFound       BINDING_NOT_FOUND       no such challenge (for this bot client)
    BindingExpired        BINDING_EXPIRED         expired, replaced or already used
    BindingCodeWrong      BINDING_CODE_WRONG      wrong code; ``attemptsLeft``
    BindingLocked         BINDING_LOCKED          too many wrong codes; ``lockedUntil``
    InvalidPhone          INVALID_PHONE           (gateway.sms)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import uuid
from collections.abc import Callable

import asyncpg

from connectors.errors import ConnectorError
from connectors.identity import IdentityConnector, IdentityVerdict
from connectors.market import MarketConnector
from credit.access import Principal, PrincipalKind, person_subject_key
from credit.errors import DomainError
from credit.masking import mask_phone
from gateway import sms
from gateway.auth.authenticator import Authenticator
from gateway.auth.client_cache import BINDINGS_CHANNEL
from gateway.settings import BindingSettings, Settings, person_key_secret
from gateway.state import GatewayState
from resolvers.binding import BindingChallenge, BoundIdentity
from resolvers.source_loader import Deadline

__all__ = [
    "BindingCodeWrong",
    "BindingExpired",
    "BindingLocked",
    "BindingNotFound",
    "BindingService",
    "BindingTooSoon",
    "IdentityNotVerified",
]

log = logging.getLogger(__name__)

CODE_DIGITS = 6


class IdentityNotVerified(DomainError):
    code = "IDENTITY_NOT_VERIFIED"

    def __init__(self) -> None:
        # One answer for "no such number", "wrong name" and "not their phone": the bot must
        # not become an oracle for which ID numbers exist or whose phone is whose.
        super().__init__(
            "姓名、公民身份号码与手机号核验未通过（手机号须为本人实名登记的号码），请核对后重试"
        )


class BindingTooSoon(DomainError):
    code = "BINDING_TOO_SOON"

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"验证码发送过于频繁，请 {retry_after_s} 秒后再试")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "retryAfterS": self.retry_after_s}


class BindingNotFound(DomainError):
    code = "BINDING_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("没有这次身份验证，请重新开始绑定")


class BindingExpired(DomainError):
    code = "BINDING_EXPIRED"

    def __init__(self) -> None:
        super().__init__("验证码已失效，请重新获取")


class BindingCodeWrong(DomainError):
    code = "BINDING_CODE_WRONG"

    def __init__(self, attempts_left: int) -> None:
        self.attempts_left = attempts_left
        super().__init__(f"验证码不正确，还可以再试 {attempts_left} 次")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "attemptsLeft": self.attempts_left}


class BindingLocked(DomainError):
    code = "BINDING_LOCKED"

    def __init__(self, locked_until: dt.datetime) -> None:
        self.locked_until = locked_until
        shown = locked_until.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%H:%M")
        super().__init__(f"验证码错误次数过多，身份绑定已暂停，请于 {shown} 之后再试")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "lockedUntil": self.locked_until.isoformat()}


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _normalise_code(raw: str) -> str:
    return "".join(raw.split()).translate(str.maketrans("０１２３４５６７８９", "0123456789"))


class BindingService:
    """One per request (cheap: it only holds references)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        authenticator: Authenticator,
        rules: BindingSettings,
        person_secret: bytes,
        token_ttl_s: int,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._pool = pool
        self._authenticator = authenticator
        self._rules = rules
        self._person_secret = person_secret
        self._code_key = hmac.new(person_secret, b"binding-code", hashlib.sha256).digest()
        self._token_ttl_s = token_ttl_s
        self._clock = clock or authenticator.now

    @classmethod
    def for_gateway(cls, state: GatewayState) -> BindingService:
        settings: Settings = state.settings
        return cls(
            state.database.pool,
            authenticator=state.edge.authenticator,
            rules=settings.binding,
            person_secret=person_key_secret(settings),
            token_ttl_s=settings.subject_token_ttl_s,
        )

    def _code_hash(self, challenge_id: uuid.UUID, code: str) -> bytes:
        return hmac.new(self._code_key, f"{challenge_id}:{code}".encode(), hashlib.sha256).digest()

    # --- start ------------------------------------------------------------------------------

    async def start(
        self,
        principal: Principal,
        *,
        name: str,
        id_number: str,
        phone: str,
        identity: IdentityConnector,
        deadline: Deadline,
    ) -> BindingChallenge:
        phone = sms.normalise_phone(phone)
        key = person_subject_key(id_number, self._person_secret)
        now = self._clock()
        async with self._pool.acquire() as conn:
            await self._refuse_if_locked(conn, key, now)
            last = await conn.fetchval(
                "SELECT max(created_at) FROM binding_challenges WHERE subject_key = $1", key
            )
        if last is not None and (wait := self._rules.resend_s - (now - last).total_seconds()) > 0:
            raise BindingTooSoon(int(wait) + 1)
        # a ConnectorError passes through; the request's deadline bounds every retry
        verdict = await deadline.bound(identity.source, identity.verify(name, id_number, phone))
        if verdict.value is not IdentityVerdict.MATCH:
            raise IdentityNotVerified
        challenge_id, code = uuid.uuid4(), _new_code()
        expires_at = now + dt.timedelta(seconds=self._rules.code_ttl_s)
        async with self._pool.acquire() as conn, conn.transaction():
            await _close_open(conn, key, now)
            await _forget_expired(conn, now)
            await conn.execute(
                """INSERT INTO binding_challenges (id, subject_key, client_id, id_number,
                       code_hash, phone_masked, created_at, expires_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
                challenge_id,
                key,
                principal.client_id or "",
                id_number,
                self._code_hash(challenge_id, code),
                mask_phone(phone),
                now,
                expires_at,
            )
            message = sms.code_message(code, max(1, self._rules.code_ttl_s // 60))
            await sms.enqueue(
                conn, phone=phone, message=message, now=now, challenge_id=challenge_id
            )
        log.info("identity binding code queued", extra={"path": f"challenge:{challenge_id}"})
        return BindingChallenge(str(challenge_id), expires_at, mask_phone(phone))

    async def _refuse_if_locked(self, conn: asyncpg.Connection, key: str, now: dt.datetime) -> None:
        until = await conn.fetchval(
            "SELECT locked_until FROM binding_locks WHERE subject_key = $1", key
        )
        if until is not None and until > now:
            raise BindingLocked(until)

    # --- confirm ----------------------------------------------------------------------------

    async def confirm(
        self,
        principal: Principal,
        *,
        challenge_id: str,
        code: str,
        market: MarketConnector,
        deadline: Deadline,
    ) -> BoundIdentity:
        try:
            cid = uuid.UUID(challenge_id)
        except ValueError:
            raise BindingNotFound from None
        now = self._clock()
        refusal: DomainError | None = None
        async with self._pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                """SELECT subject_key, client_id, id_number, code_hash, expires_at, closed_at
                   FROM binding_challenges WHERE id = $1 FOR UPDATE""",
                cid,
            )
            if row is None or row["client_id"] != (principal.client_id or ""):
                raise BindingNotFound
            key: str = row["subject_key"]
            lock = await conn.fetchrow(
                """INSERT INTO binding_locks (subject_key) VALUES ($1)
                   ON CONFLICT (subject_key) DO UPDATE SET subject_key = EXCLUDED.subject_key
                   RETURNING failures, locked_until""",
                key,
            )  # the upsert takes the row lock: concurrent confirmations count one by one
            if lock["locked_until"] is not None and lock["locked_until"] > now:
                raise BindingLocked(lock["locked_until"])
            if row["closed_at"] is not None or row["expires_at"] <= now:
                raise BindingExpired
            right = hmac.compare_digest(
                bytes(row["code_hash"]), self._code_hash(cid, _normalise_code(code))
            )
            if not right:
                refusal = await self._count_failure(conn, key, lock["failures"] + 1, now)
            else:
                id_number: str = row["id_number"]
                await _close_open(conn, key, now)
                await conn.execute("DELETE FROM binding_locks WHERE subject_key = $1", key)
                # A new binding id every time: the tokens of an earlier binding die with it.
                binding_id = await conn.fetchval(
                    """WITH bound AS (
                           INSERT INTO identity_bindings
                               (subject_key, id_number, client_id, bound_at, binding_id)
                           VALUES ($1, $2, $3, $4, gen_random_uuid())
                           ON CONFLICT (subject_key) DO UPDATE
                           SET id_number = $2, client_id = $3, bound_at = $4,
                               binding_id = EXCLUDED.binding_id
                           RETURNING subject_key, binding_id)
                       SELECT binding_id::text FROM bound, pg_notify($5, subject_key)""",
                    key,
                    id_number,
                    principal.client_id or "",
                    now,
                    BINDINGS_CHANNEL,
                )
        if refusal is not None:
            raise refusal
        self._authenticator.bindings.drop(key)  # an earlier binding's tokens die here at once
        return await self._bound(key, binding_id, id_number, market, deadline, now)

    async def _count_failure(
        self, conn: asyncpg.Connection, key: str, failures: int, now: dt.datetime
    ) -> DomainError:
        if failures < self._rules.max_attempts:
            await conn.execute(
                "UPDATE binding_locks SET failures = $2 WHERE subject_key = $1", key, failures
            )
            return BindingCodeWrong(self._rules.max_attempts - failures)
        until = now + dt.timedelta(seconds=self._rules.lock_s)
        await conn.execute(
            "UPDATE binding_locks SET failures = 0, locked_until = $2 WHERE subject_key = $1",
            key,
            until,
        )
        await _close_open(conn, key, now)
        log.warning("identity binding locked after wrong codes")
        return BindingLocked(until)

    async def _bound(
        self,
        key: str,
        binding_id: str,
        id_number: str,
        market: MarketConnector,
        deadline: Deadline,
        now: dt.datetime,
    ) -> BoundIdentity:
        represents: tuple[str, ...] | None
        failure: ConnectorError | None = None
        try:
            found = await deadline.bound(market.source, market.represented_by(id_number))
            represents = tuple(sorted({reg.uscc for reg in found.value}))
        except ConnectorError as exc:
            represents, failure = None, exc
        token = self._authenticator.issue_subject_token(key, binding_id, represents or ())
        expires_at = now + dt.timedelta(seconds=self._token_ttl_s)
        return BoundIdentity(token, expires_at, represents, failure)

    # --- unbind and lookup ------------------------------------------------------------------

    async def unbind(self, principal: Principal) -> bool:
        """Forget the binding; its tokens stop working on the next request, on every replica
        (the same statement notifies their binding caches)."""
        if principal.kind is not PrincipalKind.CITIZEN or principal.subject_key is None:
            return False
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            await _close_open(conn, principal.subject_key, now)
            gone = await conn.fetch(
                """WITH gone AS (
                       DELETE FROM identity_bindings WHERE subject_key = $1 RETURNING subject_key)
                   SELECT pg_notify($2, subject_key) FROM gone""",
                principal.subject_key,
                BINDINGS_CHANNEL,
            )
        # This replica forgets at once; the others as the notification reaches them.
        self._authenticator.bindings.drop(principal.subject_key)
        return len(gone) == 1

    async def bound_id_number(self, subject_key: str) -> str | None:
        """The ID number behind a live binding (to ask bureaus for that person's own data)."""
        async with self._pool.acquire() as conn:
            found = await conn.fetchval(
                "SELECT id_number FROM identity_bindings WHERE subject_key = $1", subject_key
            )
        return found if isinstance(found, str) else None


async def _close_open(conn: asyncpg.Connection, key: str, now: dt.datetime) -> None:
    await conn.execute(
        """UPDATE binding_challenges SET closed_at = $2, id_number = NULL
           WHERE subject_key = $1 AND closed_at IS NULL""",
        key,
        now,
    )


async def _forget_expired(conn: asyncpg.Connection, now: dt.datetime) -> None:
    """Expired challenges keep no ID number (swept whenever a new challenge is opened)."""
    await conn.execute(
        """UPDATE binding_challenges SET closed_at = expires_at, id_number = NULL
           WHERE closed_at IS NULL AND expires_at <= $1""",
        now,
    )
