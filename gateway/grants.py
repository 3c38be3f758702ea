"""The one consent path: which consent lets this caller read a subject's gated data, and the
grant (a signed subject token) the scope's bureau accepts for it.

Used by the graph (:mod:`gateway.request_access`) and by the 信易贷 pre-check
(:mod:`gateway.financing`), so both decide and sign alike::

    path = ConsentPath(pool, settings, clock)
    live = await path.live(bank_id, [subject_key])            # the bank's live consents
    consent = path.find(live[subject_key], subject_key, bank_id, ConsentScope.TAX, purpose)
    grant = path.mint(consent, ConsentScope.TAX, subject=uscc)  # or ValueError

The scope → bureau map is the registry's (:mod:`connectors.registry`): the token is signed with
the ``auth_secret`` of the bureau whose consent scope it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import asyncpg

from connectors.protocol import Grant
from connectors.registry import Registry, bureaus
from credit import access as rules
from credit.access import Consent, ConsentScope
from gateway import consents
from gateway.settings import Settings

__all__ = ["SELF_PURPOSE", "ConsentPath"]

SELF_PURPOSE = "本人查询"


class ConsentPath:
    def __init__(
        self,
        pool: asyncpg.Pool,
        settings: Settings,
        clock: Callable[[], dt.datetime],
        *,
        registry: Registry | None = None,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._clock = clock
        self._registry = bureaus() if registry is None else registry

    @property
    def gated_scopes(self) -> tuple[ConsentScope, ...]:
        """The scopes a grant can be minted for: one per consent-gated bureau."""
        return tuple(b.consent for b in self._registry.gated if b.consent is not None)

    async def live(self, bank_id: str, subject_keys: Sequence[str]) -> dict[str, list[Consent]]:
        """Every live consent each subject gave ``bank_id`` (one query for all of them)."""
        async with self._pool.acquire() as conn:
            return await consents.live_consents_for(
                conn, bank_id=bank_id, subject_codes=list(subject_keys), now=self._clock()
            )

    def find(
        self,
        live: Sequence[Consent],
        subject_key: str,
        bank_id: str,
        scope: ConsentScope,
        purpose: str,
    ) -> Consent | None:
        """The consent among ``live`` that covers ``scope`` for ``purpose`` now, if any."""
        return rules.find_live_consent(
            live,
            subject_code=subject_key,
            bank_id=bank_id,
            scope=scope,
            purpose=purpose,
            now=self._clock(),
        )

    def own(self, subject_key: str) -> Consent:
        """The subject's own authorisation, for a citizen reading their own data."""
        today = rules.local_date(self._clock())
        return Consent(
            id=f"self:{subject_key}",
            subject_code=subject_key,
            bank_id="self",
            scopes=frozenset(self._registry.scopes),
            purpose=SELF_PURPOSE,
            granted_on=today,
            ends_on=today,
        )

    def mint(self, consent: Consent, scope: ConsentScope, *, subject: str) -> Grant:
        """The grant the bureau of ``scope`` accepts for ``subject`` under ``consent``."""
        bureau = self._registry.for_scope(scope)
        secret = self._settings.bureaus.of(bureau.source).auth_secret
        return consents.mint_grant(
            consent,
            scope=scope,
            secret=secret.get_secret_value().encode(),
            now=self._clock(),
            ttl_s=self._settings.bureau_token_ttl_s,
            subject=subject,
        )
