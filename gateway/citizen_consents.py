"""A citizen's own consents, managed through the bot: list, grant, revoke (revocation reaches
every gateway at once through the :class:`~gateway.consents.RevocationBus`).

    mine = CitizenConsents(principal, pool, settings, revocations, clock)
    await mine.grant_consent(uscc, bank_id, [ConsentScope.TAX], "信易贷贷前审查", ends_on)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import asyncpg

from credit.access import Consent, ConsentScope, Principal, PrincipalKind
from gateway import consents
from gateway.consents import RevocationBus
from gateway.settings import Settings
from resolvers.access import Forbidden

__all__ = ["CitizenConsents"]


class CitizenConsents:
    def __init__(
        self,
        principal: Principal,
        pool: asyncpg.Pool,
        settings: Settings,
        revocations: RevocationBus,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._principal = principal
        self._pool = pool
        self._settings = settings
        self._revocations = revocations
        self._clock = clock

    def _citizen(self) -> Principal:
        if self._principal.kind is not PrincipalKind.CITIZEN:
            raise Forbidden("授权管理仅限本人通过身份绑定后操作")
        return self._principal

    async def consents(self) -> Sequence[Consent]:
        citizen = self._citizen()
        assert citizen.subject_key is not None
        found: list[Consent] = []
        async with self._pool.acquire() as conn:
            for subject in (citizen.subject_key, *sorted(citizen.represents)):
                found.extend(await consents.list_for_subject(conn, subject))
        return found

    async def grant_consent(
        self,
        subject_code: str,
        bank_id: str,
        scopes: Sequence[ConsentScope],
        purpose: str,
        ends_on: dt.date,
    ) -> Consent:
        citizen = self._citizen()
        async with self._pool.acquire() as conn:
            return await consents.grant(
                conn,
                by=citizen,
                subject_code=subject_code,
                bank_id=bank_id,
                scopes=scopes,
                purpose=purpose,
                ends_on=ends_on,
                now=self._clock(),
                max_days=self._settings.consent_max_days,
            )

    async def revoke_consent(self, consent_id: str) -> Consent:
        citizen = self._citizen()
        async with self._pool.acquire() as conn:
            return await consents.revoke(
                conn, consent_id, by=citizen, now=self._clock(), bus=self._revocations
            )
