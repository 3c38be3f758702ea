"""One request's access decisions and audit trail: the gateway's :class:`RequestAccess`.

    access = GatewayAccess(principal=..., purpose="信易贷贷前审查", pool=pool, ...)
    grant = await access.grant(uscc, uscc, ConsentScope.TAX)   # or ConsentRequired
    access.note_read(uscc, "subject.taxPayments", scope=ConsentScope.TAX,
                     consent_id=grant.consent_id)
    await access.flush_audit()    # before the response leaves; raises AuditWriteFailed

A citizen reads their own data and their enterprises' data under a *self* authorisation (the
subject is the one asking); a bank reads gated data only under a live consent from that subject,
to that bank, for that scope and the purpose the request states (``X-Purpose``); nobody else
reads gated data at all.  Consents are loaded once per request for every subject asked about.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import asyncpg
from strawberry.dataloader import DataLoader

from connectors.protocol import Grant
from credit import access as rules
from credit.access import Consent, ConsentScope, Principal, PrincipalKind
from credit.authorisation import AuthorisationScope
from gateway import audit, consents
from gateway.consents import RevocationBus
from gateway.settings import Settings
from resolvers.access import AccessLogItem, AccessLogPage, ConsentRequired, Forbidden

__all__ = ["GatewayAccess"]

SELF_PURPOSE = "本人查询"
_BUREAU_OF = {
    ConsentScope.TAX: "tax",
    ConsentScope.HRSS: "hrss",
    ConsentScope.UTILITIES: "utilities",
}


@dataclass
class _Reads:
    fields: set[str] = field(default_factory=set)
    scopes: set[str] = field(default_factory=set)
    consent_ids: set[str] = field(default_factory=set)

    def consent_ids_or_none(self) -> list[str | None]:
        """One audit row per consent relied on; one row without a consent otherwise."""
        return [*sorted(self.consent_ids)] or [None]


def _retrieved(future: asyncio.Future[Grant]) -> None:
    """Mark a decision's refusal as seen even when every field waiting for it gave up."""
    if not future.cancelled():
        future.exception()


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
        self._pool = pool
        self._settings = settings
        self._person_secret = person_secret
        self._revocations = revocations
        self._request_id = request_id
        self._clock = clock
        self._reads: dict[str, _Reads] = defaultdict(_Reads)
        self._consents: DataLoader[str, list[Consent]] = DataLoader(load_fn=self._load_consents)
        self._grants: dict[tuple[str, str, ConsentScope], asyncio.Future[Grant]] = {}

    @property
    def principal(self) -> Principal:
        return self._principal

    def person_key(self, id_number: str) -> str:
        return rules.person_subject_key(id_number, self._person_secret)

    def may_see_unmasked(self, subject_key: str) -> bool:
        return rules.may_see_unmasked(self._principal, subject_key)

    # --- consent-gated reads -----------------------------------------------------------------

    async def _load_consents(self, subject_keys: list[str]) -> list[list[Consent]]:
        assert self._principal.bank_id is not None
        async with self._pool.acquire() as conn:
            found = await consents.live_consents_for(
                conn, bank_id=self._principal.bank_id, subject_codes=subject_keys, now=self._clock()
            )
        return [found[key] for key in subject_keys]

    async def _consent(self, subject_key: str, scope: ConsentScope) -> Consent:
        now = self._clock()
        if rules.may_act_for(self._principal, subject_key):
            today = rules.local_date(now)
            return Consent(
                id=f"self:{subject_key}",
                subject_code=subject_key,
                bank_id="self",
                scopes=frozenset(ConsentScope),
                purpose=SELF_PURPOSE,
                granted_on=today,
                ends_on=today,
            )
        if self._principal.kind is not PrincipalKind.BANK or self._principal.bank_id is None:
            raise ConsentRequired(scope)
        if not self.purpose:
            raise ConsentRequired(scope, purpose_missing=True)
        live = rules.find_live_consent(
            await self._consents.load(subject_key),
            subject_code=subject_key,
            bank_id=self._principal.bank_id,
            scope=scope,
            purpose=self.purpose,
            now=now,
        )
        if live is None:
            raise ConsentRequired(scope)
        return live

    async def grant(self, subject_key: str, subject_code: str, scope: ConsentScope) -> Grant:
        # Decided and signed once per subject and scope: a classification, the sanctions and
        # the report each ask for the same tax grant, mostly at the same moment.
        key = (subject_key, subject_code, scope)
        deciding = self._grants.get(key)
        if deciding is None:
            deciding = self._grants[key] = asyncio.ensure_future(
                self._grant(subject_key, subject_code, scope)
            )
            deciding.add_done_callback(_retrieved)
        try:
            # Shielded: a field that gives up must not cancel the decision others wait for.
            return deciding.result() if deciding.done() else await asyncio.shield(deciding)
        except ConsentRequired as refused:  # each field gets its own error
            raise ConsentRequired(refused.scope, purpose_missing=refused.purpose_missing) from None

    async def _grant(self, subject_key: str, subject_code: str, scope: ConsentScope) -> Grant:
        consent = await self._consent(subject_key, scope)
        bureau = getattr(self._settings.bureaus, _BUREAU_OF[scope])
        return consents.mint_grant(
            consent,
            scope=AuthorisationScope(scope.value),
            secret=bureau.auth_secret.get_secret_value().encode(),
            now=self._clock(),
            ttl_s=self._settings.bureau_token_ttl_s,
            subject=subject_code,
        )

    # --- audit -------------------------------------------------------------------------------

    def note_read(
        self,
        subject_key: str,
        field: str,
        *,
        scope: ConsentScope | None = None,
        consent_id: str | None = None,
    ) -> None:
        if not rules.requires_audit(self._principal):
            return
        reads = self._reads[subject_key]
        reads.fields.add(field)
        if scope is not None:
            reads.scopes.add(scope.value)
        if consent_id is not None:
            reads.consent_ids.add(consent_id)

    @property
    def read_personal_data(self) -> bool:
        """Whether this request noted an audited read or asked for a consent-gated grant (its
        answer is then never kept for another caller: :mod:`gateway.response_cache`)."""
        return bool(self._reads) or bool(self._grants)

    async def flush_audit(self) -> int:
        """Write one row per subject read (per consent used); raises ``AuditWriteFailed``."""
        if not self._reads:
            return 0
        at = self._clock()
        entries = [
            audit.AuditEntry.of(
                self._principal,
                at=at,
                subject_key=key,
                request_id=self._request_id,
                purpose=self.purpose,
                consent_id=consent_id,
                scopes=sorted(reads.scopes),
                fields=sorted(reads.fields),
            )
            for key, reads in self._reads.items()
            for consent_id in reads.consent_ids_or_none()
        ]
        async with self._pool.acquire() as conn:
            await audit.write(conn, entries)
        self._reads.clear()
        return len(entries)

    async def access_log(self, subject_key: str, first: int, after: str | None) -> AccessLogPage:
        if not rules.may_read_access_log(self._principal, subject_key):
            raise Forbidden("查询记录仅本人（或其法定代表人）和运维人员可见")
        async with self._pool.acquire() as conn:
            page = await audit.access_log(conn, subject_key, first=first, after=after)
        return AccessLogPage(
            items=tuple(
                AccessLogItem(
                    at=e.at,
                    who=e.principal_name,
                    principal_kind=e.principal_kind,
                    purpose=e.purpose,
                    consent_id=e.consent_id,
                    scopes=e.scopes,
                    cursor=e.cursor,
                )
                for e in page.entries
            ),
            end_cursor=page.end_cursor,
            has_next_page=page.has_next_page,
        )

    # --- the citizen's consents --------------------------------------------------------------

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
