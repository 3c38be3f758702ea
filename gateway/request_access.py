"""One request's access, the gateway's :class:`RequestAccess`: three jobs, three parts.

    access = GatewayAccess(principal=..., purpose="信易贷贷前审查", pool=pool, ...)
    grant = await access.grant(uscc, uscc, ConsentScope.TAX)   # or ConsentRequired
    access.note_read(uscc, "subject.taxPayments", scope=ConsentScope.TAX,
                     consent_id=grant.consent_id)
    await access.flush_audit()    # before the response leaves; raises AuditWriteFailed

Consent decisions are :class:`~gateway.consent_decisions.ConsentDecisions` (through the one
consent path, :mod:`gateway.grants`), the audit trail :class:`~gateway.audit_trail.AuditTrail`,
a citizen's own consents :class:`~gateway.citizen_consents.CitizenConsents`; this class only
holds them together for the resolvers, with the subject keys of the request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import asyncpg

from connectors.protocol import Grant
from credit import access as rules
from credit.access import Consent, ConsentScope, Principal
from gateway.audit_trail import AuditTrail
from gateway.citizen_consents import CitizenConsents
from gateway.consent_decisions import ConsentDecisions
from gateway.consents import RevocationBus
from gateway.grants import SELF_PURPOSE, ConsentPath
from gateway.settings import Settings
from resolvers.access import AccessLogPage

__all__ = ["SELF_PURPOSE", "GatewayAccess"]


class GatewayAccess:
    def __init__(
        self,
        *,
        principal: Principal,
        purpose: str | None,
        pool: asyncpg.Pool,
        settings: Settings,
        person_secret: bytes,
        revocations: RevocationBus,
        request_id: str,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._principal = principal
        self.purpose = purpose
        self._person_secret = person_secret
        path = ConsentPath(pool, settings, clock)
        self.decisions = ConsentDecisions(principal, purpose, path)
        self.trail = AuditTrail(principal, purpose, pool, request_id, clock)
        self.citizen = CitizenConsents(principal, pool, settings, revocations, clock)

    @property
    def principal(self) -> Principal:
        return self._principal

    def person_key(self, id_number: str) -> str:
        return rules.person_subject_key(id_number, self._person_secret)

    def may_see_unmasked(self, subject_key: str) -> bool:
        return rules.may_see_unmasked(self._principal, subject_key)

    async def grant(self, subject_key: str, subject_code: str, scope: ConsentScope) -> Grant:
        return await self.decisions.grant(subject_key, subject_code, scope)

    def note_read(
        self,
        subject_key: str,
        field: str,
        *,
        scope: ConsentScope | None = None,
        consent_id: str | None = None,
    ) -> None:
        self.trail.note_read(subject_key, field, scope=scope, consent_id=consent_id)

    @property
    def read_personal_data(self) -> bool:
        """Whether this request noted an audited read or asked for a consent-gated grant (its
        answer is then never kept for another caller: :mod:`gateway.response_cache`)."""
        return self.trail.noted or self.decisions.asked

    async def flush_audit(self) -> int:
        return await self.trail.flush_audit()

    async def access_log(self, subject_key: str, first: int, after: str | None) -> AccessLogPage:
        return await self.trail.access_log(subject_key, first, after)

    async def consents(self) -> Sequence[Consent]:
        return await self.citizen.consents()

    async def grant_consent(
        self,
        subject_code: str,
        bank_id: str,
        scopes: Sequence[ConsentScope],
        purpose: str,
        ends_on: dt.date,
    ) -> Consent:
        return await self.citizen.grant_consent(subject_code, bank_id, scopes, purpose, ends_on)

    async def revoke_consent(self, consent_id: str) -> Consent:
        return await self.citizen.revoke_consent(consent_id)
