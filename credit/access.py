"""Who is asking, what a subject consented to, and what each caller may see — pure decisions.

DESIGN.md's principals (public, bank, citizen, officer, operator) are :class:`Principal` values;
a subject's authorisation of a bank (征信业管理条例 第十八条; 个人信息保护法 第十四、十五条) is a
:class:`Consent`.  Everything here is a function of its arguments: the gateway loads principals
and consents, these functions decide.

    bank = Principal(PrincipalKind.BANK, client_id="c1", bank_id="b1")
    live = find_live_consent(consents, subject_code=uscc, bank_id=bank.bank_id,
                             scope=ConsentScope.TAX, purpose="信易贷贷前审查", now=now)

Consent dates (``granted_on``, ``ends_on``, both inclusive) are calendar days in China Standard
Time (:data:`CONSENT_TZ`); ``now`` must be timezone-aware.  ``FULL_REPORT`` covers every other
scope.

Which of a subject's records a caller sees is decided in one place, :func:`may_see_record`,
over the caller's :class:`Audience` for that subject (:func:`record_audience`): the public sees
a record only inside its publicity window, a bank what may be shared with banks, the subject
(and a citizen for the enterprises they represent) everything of its own, each record marked
with its window.  Officers see what the public sees: 逢办必查 applies the measures of listings in
force, which are public by definition; a record outside its window restricts nothing
(《信用修复管理办法》: once publicity ends or a repair is accepted the information is no longer
published and no longer a ground for 惩戒), so an officer's purpose needs nothing more
(个人信息保护法 第六条, minimum necessary).  Operators manage clients and products: the public
view.

Errors (both :class:`~credit.errors.DomainError`)::

    InvalidConsent        code INVALID_CONSENT        no scope, no purpose, end before start
    ConsentTermTooLong    code CONSENT_TERM_TOO_LONG  end date beyond the configured maximum
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from credit.errors import DomainError
from credit.policy import PublicityPolicy
from credit.publicity import shareable_with_bank, visible_to_public
from credit.records import CreditRecord
from credit.vocabulary import Label, OpenEnum

__all__ = [
    "ANONYMOUS",
    "BUREAU_SCOPE",
    "CONSENT_TZ",
    "Audience",
    "ClientScope",
    "Consent",
    "ConsentScope",
    "ConsentTermTooLong",
    "InvalidConsent",
    "Principal",
    "PrincipalKind",
    "bureau_scope",
    "check_consent_request",
    "consent_covers",
    "find_live_consent",
    "local_date",
    "may_act_as_bank",
    "may_act_for",
    "may_introspect",
    "may_manage_products",
    "may_read_access_log",
    "may_read_approval_stats",
    "may_read_precheck",
    "may_read_prechecks_on",
    "may_see_record",
    "may_see_unmasked",
    "person_subject_key",
    "record_audience",
    "requires_audit",
]

CONSENT_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
"""China Standard Time (no daylight saving): the calendar consents' dates are written in."""

MAX_PURPOSE_LENGTH = 100


class PrincipalKind(StrEnum):
    PUBLIC = "public"
    BANK = "bank"
    CITIZEN = "citizen"
    OFFICER = "officer"
    OPERATOR = "operator"


class ClientScope(StrEnum):
    """What an authenticated client may do (its API scopes, not a subject's consent)."""

    SCHEMA_READ = "schema:read"
    SUBJECT_READ = "subject:read"
    PRECHECK = "precheck"
    OUTCOME_REPORT = "outcome:report"
    DISCIPLINE_CHECK = "discipline:check"
    OBJECTION_REVIEW = "objection:review"
    REPAIR_REVIEW = "repair:review"


BUREAU_SCOPE = "bureau:"
"""An officer's ``bureau:<source>`` scope names the bureau they decide objections and repairs
for (谁认定、谁修复): one per bureau whose registry entry declares a rights desk."""


def bureau_scope(source: str) -> str:
    """The scope of an officer deciding for ``source``: ``bureau_scope("court")`` →
    ``"bureau:court"``."""
    return BUREAU_SCOPE + source


class ConsentScope(OpenEnum):
    """What a subject lets a bank read; ``FULL_REPORT`` covers the others.

    An open set: each consent-gated bureau declares its scope (``connectors.bureau``).
    """

    TAX: ClassVar[ConsentScope]
    HRSS: ClassVar[ConsentScope]  # social insurance and housing fund
    UTILITIES: ClassVar[ConsentScope]
    FULL_REPORT: ClassVar[ConsentScope]


ConsentScope.TAX = ConsentScope.declare("tax", Label("纳税信息", "Tax grades and payments"))
ConsentScope.HRSS = ConsentScope.declare(
    "hrss", Label("社保和公积金信息", "Social insurance and housing fund")
)
ConsentScope.UTILITIES = ConsentScope.declare("utilities", Label("水电气缴费信息", "Utility bills"))
ConsentScope.FULL_REPORT = ConsentScope.declare(
    "full_report", Label("完整信用报告", "Full report (all of the above)")
)


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of one request.

    ``client_id`` names the authenticated client (a bank's key, the bot, ...); ``subject_key`` is
    a citizen's own subject key (never the clear ID number) and ``represents`` the USCCs of the
    enterprises they are the legal representative of.  ``rate_limit_per_minute`` overrides the
    class default for this client when set.  ``via_bot`` marks requests relayed by the bot.
    """

    kind: PrincipalKind
    client_id: str | None = None
    display_name: str = "匿名访客"
    scopes: frozenset[str] = frozenset()
    bank_id: str | None = None
    subject_key: str | None = None
    represents: frozenset[str] = frozenset()
    rate_limit_class: str = "public"
    rate_limit_per_minute: int | None = None
    via_bot: bool = False

    def __post_init__(self) -> None:
        if (self.kind is PrincipalKind.BANK) != (self.bank_id is not None):
            raise ValueError("a bank principal, and only a bank principal, has a bank_id")
        if (self.kind is PrincipalKind.CITIZEN) != (self.subject_key is not None):
            raise ValueError("a citizen principal, and only a citizen, has a subject_key")
        if self.represents and self.kind is not PrincipalKind.CITIZEN:
            raise ValueError("only a citizen represents enterprises")
        if self.kind is PrincipalKind.PUBLIC and self.scopes:
            raise ValueError("an anonymous caller has no scopes")

    def has_scope(self, scope: ClientScope) -> bool:
        return scope.value in self.scopes

    def labels(self) -> frozenset[str]:
        """Names a policy setting can match: the kind, plus ``bot`` when relayed by the bot."""
        return frozenset({self.kind.value, "bot"} if self.via_bot else {self.kind.value})


ANONYMOUS = Principal(PrincipalKind.PUBLIC)


@dataclass(frozen=True, slots=True)
class Consent:
    """A subject's authorisation of one bank, for some scopes and one purpose, for a term."""

    id: str
    subject_code: str  # a USCC, or a person's subject key
    bank_id: str
    scopes: frozenset[ConsentScope]
    purpose: str
    granted_on: dt.date
    ends_on: dt.date
    revoked_at: dt.datetime | None = None


class InvalidConsent(DomainError):
    code = "INVALID_CONSENT"


class ConsentTermTooLong(DomainError):
    code = "CONSENT_TERM_TOO_LONG"

    def __init__(self, max_days: int) -> None:
        self.max_days = max_days
        super().__init__(f"授权期限最长 {max_days} 天，请选择更早的截止日期")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "maxDays": self.max_days}


def _aware(now: dt.datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def local_date(now: dt.datetime) -> dt.date:
    """The calendar day ``now`` falls on in China Standard Time."""
    _aware(now)
    return now.astimezone(CONSENT_TZ).date()


def check_consent_request(
    *,
    scopes: Iterable[ConsentScope],
    purpose: str,
    granted_on: dt.date,
    ends_on: dt.date,
    max_days: int,
) -> None:
    """Refuse a grant the law or the configuration does not allow (before anything is stored)."""
    if not list(scopes):
        raise InvalidConsent("请至少选择一项授权范围")
    if not purpose.strip() or len(purpose) > MAX_PURPOSE_LENGTH:
        raise InvalidConsent(f"请写明授权用途（1 至 {MAX_PURPOSE_LENGTH} 个字）")
    if ends_on < granted_on:
        raise InvalidConsent("授权截止日期不能早于授权日期")
    if (ends_on - granted_on).days > max_days:
        raise ConsentTermTooLong(max_days)


def consent_covers(
    consent: Consent, *, bank_id: str, scope: ConsentScope, purpose: str, now: dt.datetime
) -> bool:
    """True when ``consent`` lets ``bank_id`` read ``scope`` data for ``purpose`` at ``now``."""
    today = local_date(now)
    return (
        consent.bank_id == bank_id
        and (scope in consent.scopes or ConsentScope.FULL_REPORT in consent.scopes)
        and consent.purpose == purpose.strip()
        and consent.granted_on <= today <= consent.ends_on
        and (consent.revoked_at is None or now < consent.revoked_at)
    )


def find_live_consent(
    consents: Iterable[Consent],
    *,
    subject_code: str,
    bank_id: str,
    scope: ConsentScope,
    purpose: str,
    now: dt.datetime,
) -> Consent | None:
    """The covering consent of ``subject_code`` that lasts longest (ties: the lowest id)."""
    live = [
        c
        for c in consents
        if c.subject_code == subject_code
        and consent_covers(c, bank_id=bank_id, scope=scope, purpose=purpose, now=now)
    ]
    if not live:
        return None
    return min(live, key=lambda c: (-c.ends_on.toordinal(), c.id))


def may_act_for(principal: Principal, subject_code: str) -> bool:
    """A citizen acts for themself and for the enterprises they legally represent."""
    return principal.kind is PrincipalKind.CITIZEN and (
        subject_code == principal.subject_key or subject_code in principal.represents
    )


def may_see_unmasked(principal: Principal, subject_code: str) -> bool:
    """Only the person sees their own ID and phone numbers in clear; operators see masks."""
    return principal.kind is PrincipalKind.CITIZEN and subject_code == principal.subject_key


def may_read_access_log(principal: Principal, subject_code: str) -> bool:
    """Who looked at a subject: the subject (or its representative), and operators."""
    return principal.kind is PrincipalKind.OPERATOR or may_act_for(principal, subject_code)


class Audience(StrEnum):
    """Whose eyes a subject's records are for (see the module docstring)."""

    PUBLIC = "public"  # anonymous, the bot alone, other citizens, officers, operators
    BANK = "bank"
    SUBJECT = "subject"  # the subject itself, or the citizen legally representing it


def record_audience(principal: Principal, subject_code: str) -> Audience:
    """The audience ``principal`` is in for the subject ``subject_code`` (USCC or subject key)."""
    if may_act_for(principal, subject_code):
        return Audience.SUBJECT
    if principal.kind is PrincipalKind.BANK:
        return Audience.BANK
    return Audience.PUBLIC


def may_see_record(
    audience: Audience, record: CreditRecord, day: dt.date, policy: PublicityPolicy
) -> bool:
    """Whether ``record`` may reach ``audience`` on ``day``: the one guard every list, count,
    report, conclusion and search answer goes through.  A record outside its publicity window
    (expired, removed, repaired) never reaches the public; banks get what is shareable."""
    if audience is Audience.SUBJECT:
        return True
    if audience is Audience.BANK:
        return shareable_with_bank(record, day, policy)
    return visible_to_public(record, day, policy)


def may_act_as_bank(principal: Principal, scope: ClientScope) -> bool:
    """A bank client's operation (a pre-check, an outcome report) needs that API scope."""
    return principal.kind is PrincipalKind.BANK and principal.has_scope(scope)


def may_manage_products(principal: Principal) -> bool:
    """Loan products (and their withdrawn versions) are the platform operator's to manage."""
    return principal.kind is PrincipalKind.OPERATOR


def may_read_approval_stats(principal: Principal) -> bool:
    """Pre-check and lending statistics: supervising officers and the operator."""
    return principal.kind in (PrincipalKind.OFFICER, PrincipalKind.OPERATOR)


def may_read_precheck(principal: Principal, *, bank_id: str, uscc: str) -> bool:
    """A stored pre-check: the bank that ran it, the enterprise's representative, operators."""
    if principal.kind is PrincipalKind.BANK:
        return principal.bank_id == bank_id
    return principal.kind is PrincipalKind.OPERATOR or may_act_for(principal, uscc)


def may_read_prechecks_on(principal: Principal, uscc: str) -> bool:
    """The pre-checks every bank made on a firm: its legal representative (bound citizen)."""
    return principal.kind is PrincipalKind.CITIZEN and uscc in principal.represents


def requires_audit(principal: Principal) -> bool:
    """Reads of a subject by banks and officers are written to the audit log first."""
    return principal.kind in (PrincipalKind.BANK, PrincipalKind.OFFICER)


def may_introspect(principal: Principal, *, demo: bool) -> bool:
    """Schema introspection: everyone in demo mode, else clients holding ``schema:read``."""
    return demo or principal.has_scope(ClientScope.SCHEMA_READ)


def person_subject_key(id_number: str, secret: bytes) -> str:
    """The keyed hash (HMAC-SHA256) a person is stored and referred to by (DOMAIN.md §1)."""
    if not secret:
        raise ValueError("secret must not be empty")
    digest = hmac.new(secret, id_number.strip().upper().encode(), hashlib.sha256).hexdigest()
    return "p:" + digest
