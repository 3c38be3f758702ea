"""One request's consent decisions: may this caller read this subject's gated data, and with
which grant (decided and signed once per subject and scope, through :mod:`gateway.grants`).

    decisions = ConsentDecisions(principal, purpose, ConsentPath(pool, settings, clock))
    grant = await decisions.grant(subject_key, uscc, ConsentScope.TAX)   # or ConsentRequired

A citizen reads their own data and their enterprises' data under a *self* authorisation (the
subject is the one asking); a bank reads gated data only under a live consent from that subject,
to that bank, for that scope and the purpose the request states (``X-Purpose``); nobody else
reads gated data at all.  Consents are loaded once per request for every subject asked about.
"""

from __future__ import annotations

import asyncio

from strawberry.dataloader import DataLoader

from connectors.protocol import Grant
from credit import access as rules
from credit.access import Consent, ConsentScope, Principal, PrincipalKind
from gateway.grants import ConsentPath
from resolvers.access import ConsentRequired

__all__ = ["ConsentDecisions"]


def _retrieved(future: asyncio.Future[Grant]) -> None:
    """Mark a decision's refusal as seen even when every field waiting for it gave up."""
    if not future.cancelled():
        future.exception()


class ConsentDecisions:
    def __init__(self, principal: Principal, purpose: str | None, path: ConsentPath) -> None:
        self._principal = principal
        self.purpose = purpose
        self._path = path
        self._consents: DataLoader[str, list[Consent]] = DataLoader(load_fn=self._load_consents)
        self._grants: dict[tuple[str, str, ConsentScope], asyncio.Future[Grant]] = {}

    async def _load_consents(self, subject_keys: list[str]) -> list[list[Consent]]:
        assert self._principal.bank_id is not None
        found = await self._path.live(self._principal.bank_id, subject_keys)
        return [found[key] for key in subject_keys]

    async def _consent(self, subject_key: str, scope: ConsentScope) -> Consent:
        if rules.may_act_for(self._principal, subject_key):
            return self._path.own(subject_key)
        if self._principal.kind is not PrincipalKind.BANK or self._principal.bank_id is None:
            raise ConsentRequired(scope)
        if not self.purpose:
            raise ConsentRequired(scope, purpose_missing=True)
        live = self._path.find(
            await self._consents.load(subject_key),
            subject_key,
            self._principal.bank_id,
            scope,
            self.purpose,
        )
        if live is None:
            raise ConsentRequired(scope)
        return live

    @property
    def asked(self) -> bool:
        """Whether this request asked for any consent-gated grant (given or refused)."""
        return bool(self._grants)

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
        return self._path.mint(consent, scope, subject=subject_code)
