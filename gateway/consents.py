"""The consent store (授权): grant, list, revoke, and the live consents of many subjects at once.

    c = await grant(conn, by=citizen, subject_code=uscc, bank_id="bank-a",
                    scopes={ConsentScope.TAX}, purpose="信易贷贷前审查",
                    ends_on=date(2027, 1, 31), now=now, max_days=settings.consent_max_days)
    live = await live_consents_for(conn, bank_id="bank-a", subject_codes=[...], now=now)
    await revoke(conn, c.id, by=citizen, now=now, bus=bus)

Only the subject (a person, or the legal representative acting for an enterprise —
:func:`credit.access.may_act_for`) grants and revokes.  Revocation is enforced by the database
read on every request (nothing here caches a consent), so it holds on the very next request on
every replica; the :class:`RevocationBus` event only lets connector caches keyed by the consent
drop their entries at once (in-process callbacks, plus Redis pub/sub across replicas).

:func:`mint_grant` signs the per-subject authorisation token a consent-gated bureau expects
(:mod:`credit.authorisation`) from a live consent.

Errors: :class:`~credit.access.InvalidConsent`, :class:`~credit.access.ConsentTermTooLong`,
:class:`ConsentForbidden` (FORBIDDEN), :class:`ConsentNotFound` (CONSENT_NOT_FOUND) — all
:class:`~credit.errors.DomainError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from connectors.protocol import Grant
from credit.access import (
    CONSENT_TZ,
    Consent,
    ConsentScope,
    Principal,
    check_consent_request,
    consent_covers,
    local_date,
    may_act_for,
)
from credit.authorisation import sign_subject_token
from credit.errors import DomainError

__all__ = [
    "ConsentForbidden",
    "ConsentNotFound",
    "ConsentRevoked",
    "RevocationBus",
    "grant",
    "list_for_subject",
    "live_consents_for",
    "mint_grant",
    "revoke",
]


log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ConsentRevoked:
    """Published once when a consent is revoked."""

    consent_id: str
    subject_code: str
    bank_id: str


RevocationListener = Callable[[ConsentRevoked], None]


class RevocationBus:
    """Tells whoever caches by consent that a consent is gone: in-process, and across replicas.

    ``subscribe`` registers a callback (e.g. a connector's ``drop_consent``); ``publish`` calls
    every local callback, then, with Redis, publishes on :attr:`channel` so the other replicas'
    buses (inside ``async with bus.running():``) call theirs.  A replica ignores its own echo.
    """

    def __init__(
        self, redis: Redis | None = None, *, channel: str = "creditgw:consent-revoked"
    ) -> None:
        self.channel = channel
        self._redis = redis
        self._listeners: list[RevocationListener] = []
        self._origin = uuid.uuid4().hex

    def subscribe(self, listener: RevocationListener) -> Callable[[], None]:
        """Add ``listener``; returns the function that removes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _deliver(self, event: ConsentRevoked) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # one broken cache must not keep the others from dropping
                log.exception("a revocation listener failed")

    async def publish(self, event: ConsentRevoked) -> None:
        self._deliver(event)
        if self._redis is None:
            return
        message = {"origin": self._origin, **_event_fields(event)}
        try:
            await self._redis.publish(self.channel, orjson.dumps(message))
        except RedisError:
            # The revocation itself is in the database and enforced everywhere already; only
            # other replicas' cache entries live on until they expire.
            log.warning("could not fan out a consent revocation over Redis", exc_info=True)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Listen for other replicas' revocations (with Redis) while the block runs."""
        if self._redis is None:
            yield
            return
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self.channel)
        async with asyncio.timeout(5):  # wait until the server has registered us
            while (await pubsub.get_message(timeout=1)) is None:
                pass
        task = asyncio.create_task(self._listen(pubsub))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await pubsub.aclose()  # type: ignore[no-untyped-call]  # untyped in redis-py

    async def _listen(self, pubsub: PubSub) -> None:
        while True:
            try:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=30)
            except RedisError:
                log.warning("revocation listener lost Redis; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            if message is None or message.get("type") != "message":
                continue
            try:
                body = orjson.loads(message["data"])
                event = ConsentRevoked(
                    consent_id=str(body["consent_id"]),
                    subject_code=str(body["subject_code"]),
                    bank_id=str(body["bank_id"]),
                )
            except (orjson.JSONDecodeError, KeyError, TypeError):
                log.warning("ignored a malformed revocation message")
                continue
            if body.get("origin") != self._origin:
                self._deliver(event)


def _event_fields(event: ConsentRevoked) -> dict[str, str]:
    return {
        "consent_id": event.consent_id,
        "subject_code": event.subject_code,
        "bank_id": event.bank_id,
    }


class ConsentForbidden(DomainError):
    code = "FORBIDDEN"

    def __init__(self) -> None:
        super().__init__("只有信用主体本人（或企业的法定代表人）可以授权")


class ConsentNotFound(DomainError):
    code = "CONSENT_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("找不到这项授权，或您无权撤销它")


def _consent(row: Mapping[str, Any]) -> Consent:
    return Consent(
        id=str(row["id"]),
        subject_code=row["subject_code"],
        bank_id=row["bank_id"],
        scopes=frozenset(ConsentScope(s) for s in row["scopes"]),
        purpose=row["purpose"],
        granted_on=row["granted_on"],
        ends_on=row["ends_on"],
        revoked_at=row["revoked_at"],
    )


async def grant(
    conn: asyncpg.Connection,
    *,
    by: Principal,
    subject_code: str,
    bank_id: str,
    scopes: Iterable[ConsentScope],
    purpose: str,
    ends_on: dt.date,
    now: dt.datetime,
    max_days: int,
) -> Consent:
    """Store a consent from today (China time) to ``ends_on`` inclusive, at most ``max_days``."""
    if not may_act_for(by, subject_code):
        raise ConsentForbidden
    chosen = sorted(set(scopes))
    today = local_date(now)
    check_consent_request(
        scopes=chosen, purpose=purpose, granted_on=today, ends_on=ends_on, max_days=max_days
    )
    row = await conn.fetchrow(
        """INSERT INTO consents (subject_code, bank_id, scopes, purpose, granted_by,
                                 granted_on, ends_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           RETURNING id, subject_code, bank_id, scopes, purpose, granted_on, ends_on, revoked_at""",
        subject_code,
        bank_id,
        [s.value for s in chosen],
        purpose.strip(),
        by.subject_key,
        today,
        ends_on,
    )
    return _consent(row)


async def list_for_subject(conn: asyncpg.Connection, subject_code: str) -> list[Consent]:
    """Every consent the subject ever granted, live or not, newest first."""
    rows = await conn.fetch(
        """SELECT id, subject_code, bank_id, scopes, purpose, granted_on, ends_on, revoked_at
           FROM consents WHERE subject_code = $1
           ORDER BY created_at DESC, id""",
        subject_code,
    )
    return [_consent(r) for r in rows]


async def revoke(
    conn: asyncpg.Connection,
    consent_id: str,
    *,
    by: Principal,
    now: dt.datetime,
    bus: RevocationBus | None = None,
) -> Consent:
    """Revoke at ``now``; revoking twice is a no-op.  Someone else's consent is "not found"."""
    try:
        key = uuid.UUID(consent_id)
    except ValueError:
        raise ConsentNotFound from None
    async with conn.transaction():
        row = await conn.fetchrow(
            """SELECT id, subject_code, bank_id, scopes, purpose, granted_on, ends_on, revoked_at
               FROM consents WHERE id = $1 FOR UPDATE""",
            key,
        )
        if row is None or not may_act_for(by, row["subject_code"]):
            raise ConsentNotFound
        if row["revoked_at"] is not None:
            return _consent(row)
        row = await conn.fetchrow(
            """UPDATE consents SET revoked_at = $2 WHERE id = $1
               RETURNING id, subject_code, bank_id, scopes, purpose, granted_on, ends_on,
                         revoked_at""",
            key,
            now,
        )
    revoked = _consent(row)
    if bus is not None:
        await bus.publish(
            ConsentRevoked(revoked.id, subject_code=revoked.subject_code, bank_id=revoked.bank_id)
        )
    return revoked


async def live_consents_for(
    conn: asyncpg.Connection, *, bank_id: str, subject_codes: Sequence[str], now: dt.datetime
) -> dict[str, list[Consent]]:
    """Unrevoked, in-term consents to ``bank_id`` of each subject, in one query.

    Scope and purpose are left to :func:`credit.access.find_live_consent`.
    """
    rows = await conn.fetch(
        """SELECT id, subject_code, bank_id, scopes, purpose, granted_on, ends_on, revoked_at
           FROM consents
           WHERE bank_id = $1 AND subject_code = ANY($2::text[])
             AND (revoked_at IS NULL OR revoked_at > $3)
             AND granted_on <= $4 AND ends_on >= $4
           ORDER BY ends_on DESC, id""",
        bank_id,
        list(dict.fromkeys(subject_codes)),
        now,
        local_date(now),
    )
    found: dict[str, list[Consent]] = {code: [] for code in subject_codes}
    for row in rows:
        found[row["subject_code"]].append(_consent(row))
    return found


def mint_grant(
    consent: Consent,
    *,
    scope: ConsentScope,
    secret: bytes,
    now: dt.datetime,
    ttl_s: float,
    subject: str | None = None,
) -> Grant:
    """The token a bureau needs to serve ``scope`` data under ``consent``.

    ``subject`` is the code the bureau knows the subject by (defaults to the consent's
    subject code; for a person that is their ID number, while the consent holds their subject
    key).  The token lives ``ttl_s`` seconds at most and never past the consent's last day.
    Raises ``ValueError`` when the consent does not cover ``scope`` at ``now``.
    """
    if not consent_covers(
        consent,
        bank_id=consent.bank_id,
        scope=scope,
        purpose=consent.purpose,
        now=now,
    ):
        raise ValueError("the consent does not cover this scope now")
    end_of_term = dt.datetime.combine(
        consent.ends_on + dt.timedelta(days=1), dt.time(), tzinfo=CONSENT_TZ
    )
    expires_at = min(now + dt.timedelta(seconds=ttl_s), end_of_term)
    token = sign_subject_token(
        secret,
        subject=subject if subject is not None else consent.subject_code,
        scope=scope.value,
        consent_id=consent.id,
        expires_at=expires_at,
    )
    return Grant(consent_id=consent.id, token=token)
