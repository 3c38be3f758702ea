"""What resolvers may ask about access: the request's principal, consents, masking, audit.

The gateway implements :class:`RequestAccess` (it owns the database and the secrets); resolvers
only ask.  Refusals are domain errors with stable codes:

    Forbidden          code FORBIDDEN          this principal may never read this field
    ConsentRequired    code CONSENT_REQUIRED   a live consent of the subject, to this bank,
                                               for this scope and purpose, is needed
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from connectors.protocol import Grant
from credit.access import Consent, ConsentScope, Principal
from credit.errors import DomainError

__all__ = [
    "AccessLogItem",
    "AccessLogPage",
    "ConsentRequired",
    "Forbidden",
    "NotConsentGated",
    "RequestAccess",
]


class Forbidden(DomainError):
    code = "FORBIDDEN"

    def __init__(self, what: str) -> None:
        super().__init__(f"无权查看：{what}")


class NotConsentGated(DomainError):
    code = "NOT_CONSENT_GATED"

    def __init__(self, bureau: str) -> None:
        super().__init__(f"{bureau}不提供依授权查询的记录：请在 records 中按来源筛选其公开记录")


class ConsentRequired(DomainError):
    code = "CONSENT_REQUIRED"

    def __init__(self, scope: ConsentScope, *, purpose_missing: bool = False) -> None:
        self.scope = scope
        self.purpose_missing = purpose_missing
        hint = (
            "请在请求头 X-Purpose 中说明查询用途（如 LOAN_PRECHECK）"
            if purpose_missing
            else "需要该主体对本机构、本用途的有效授权"
        )
        super().__init__(f"查看{scope.label.zh}需要授权：{hint}")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "scope": self.scope.name}


@dataclass(frozen=True, slots=True)
class AccessLogItem:
    at: dt.datetime
    who: str  # the principal's display name (a bank's or officer's name)
    principal_kind: str
    purpose: str | None
    consent_id: str | None
    scopes: tuple[str, ...]
    cursor: str


@dataclass(frozen=True, slots=True)
class AccessLogPage:
    items: tuple[AccessLogItem, ...]
    end_cursor: str | None
    has_next_page: bool


class RequestAccess(Protocol):
    """Access decisions and records for one request."""

    @property
    def principal(self) -> Principal: ...

    def person_key(self, id_number: str) -> str:
        """A person's subject key (keyed hash of the ID number)."""
        ...

    def may_see_unmasked(self, subject_key: str) -> bool: ...

    async def grant(self, subject_key: str, subject_code: str, scope: ConsentScope) -> Grant:
        """The bureau authorisation for reading ``scope`` data of a subject, or a refusal
        (:class:`ConsentRequired`).  Batched: one consent query per request."""
        ...

    def note_read(
        self,
        subject_key: str,
        field: str,
        *,
        scope: ConsentScope | None = None,
        consent_id: str | None = None,
    ) -> None:
        """Remember a read for the audit log, written before the response leaves."""
        ...

    async def access_log(self, subject_key: str, first: int, after: str | None) -> AccessLogPage:
        """Who looked at the subject (the subject and operators only, else :class:`Forbidden`)."""
        ...

    async def consents(self) -> Sequence[Consent]:
        """The consents granted by the calling citizen and the enterprises they represent."""
        ...

    async def grant_consent(
        self,
        subject_code: str,
        bank_id: str,
        scopes: Sequence[ConsentScope],
        purpose: str,
        ends_on: dt.date,
    ) -> Consent: ...

    async def revoke_consent(self, consent_id: str) -> Consent: ...
