"""Issued credit reports over PostgreSQL: the gateway's :class:`~resolvers.reports.ReportIssuer`.

Issuing a report is one transaction: the day's sequence goes up by one (a row per day, so two
replicas never hand out one number twice), then the number, the moment and the digest are kept
(:mod:`credit.report_seal`), with the subject key and the request id for the operator's audit.
The content is never stored: verifying a pair answers valid / invalid / unknown and, for a
genuine pair, when it was issued.

    registry = ReportRegistry.for_gateway(gateway_state(request), request_id)
    issued = await registry.issue(report, subject_key)          # IssuedSeal(number, digest, …)
    found = await registry.verify(issued.number, issued.digest)  # Verification(VALID, …)

An anonymous caller's issuer is :func:`issuer_for`'s :class:`BudgetedIssuer`: before a number
is taken, the seal takes a slot of the caller's daily budget (``GATEWAY_PUBLIC_SEALS_PER_DAY``,
:mod:`gateway.limits.seal_budget`, keyed by the caller the public rate limit counts, per report
day — the day the number is taken from); a seal that could not be issued (numbers exhausted,
the registry unavailable) gives its slot back.  Banks, officers and citizens have no budget:
they are known, and every look of theirs is audited.

Errors (:class:`~credit.errors.DomainError`)::

    ReportRegistryUnavailable   REPORT_REGISTRY_UNAVAILABLE   the database did not take or
                                                              answer it (nothing half-kept)
    ReportNumbersExhausted      REPORT_NUMBERS_EXHAUSTED      the day's 999,999 numbers are
                                                              all issued (nothing kept)
    SealBudgetExhausted         SEAL_BUDGET_EXHAUSTED         this anonymous caller has had
                                                              its numbered reports of the day
                                                              (no number taken, nothing kept)
    InvalidReportNumber         INVALID_REPORT_NUMBER         (credit.report_seal)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import asyncpg

from connectors.http import utc_now
from credit.access import CONSENT_TZ, Principal, PrincipalKind
from credit.errors import DomainError
from credit.report import CreditReport
from credit.report_seal import (
    MAX_SEQUENCE,
    Verdict,
    digests_match,
    report_content,
    report_number,
    seal_digest,
    validate_report_number,
)
from gateway.limits.seal_budget import SealBudget
from gateway.state import GatewayState
from resolvers.reports import IssuedSeal, ReportIssuer, Verification

__all__ = [
    "BudgetedIssuer",
    "ReportNumbersExhausted",
    "ReportRegistry",
    "ReportRegistryUnavailable",
    "SealBudgetExhausted",
    "issuer_for",
]

_DATABASE_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)

_NEXT_SEQUENCE = """
INSERT INTO report_sequences (day, last_sequence) VALUES ($1, 1)
ON CONFLICT (day) DO UPDATE SET last_sequence = report_sequences.last_sequence + 1
RETURNING last_sequence
"""
_KEEP = """
INSERT INTO credit_reports (number, issued_at, digest, subject_key, request_id)
VALUES ($1, $2, $3, $4, $5)
"""


class ReportRegistryUnavailable(DomainError):
    """The issued-report store could not be written or read."""

    code = "REPORT_REGISTRY_UNAVAILABLE"

    def __init__(self) -> None:
        super().__init__("报告登记库暂时不可用，无法出具或核验报告编号，请稍后再试")


class ReportNumbersExhausted(DomainError):
    """Every number of the report's day has been issued."""

    code = "REPORT_NUMBERS_EXHAUSTED"

    def __init__(self) -> None:
        super().__init__(
            f"今日报告编号（{MAX_SEQUENCE:,} 个）已全部出具，请明日再出具带编号的报告；"
            "报告其余内容照常"
        )


class SealBudgetExhausted(DomainError):
    """An anonymous caller has had its numbered reports of the day
    (``GATEWAY_PUBLIC_SEALS_PER_DAY``); its count starts again at the next day's midnight, in
    the report day's time zone (Beijing time)."""

    code = "SEAL_BUDGET_EXHAUSTED"

    def __init__(self, per_day: int, day: dt.date) -> None:
        self.per_day = per_day
        self.resets_at = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), CONSENT_TZ)
        super().__init__(
            f"同一访问地址每天最多出具 {per_day} 份带编号的信用报告（每份占用当日一个报告编号），"
            "今日份数已用完，请于次日0时（北京时间）后再出具；报告其余内容照常"
        )

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "perDay": self.per_day, "resetsAt": self.resets_at.isoformat()}


class ReportRegistry:
    """One per request (cheap: it only holds references)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        key: bytes,
        *,
        request_id: str,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self._pool = pool
        self._key = key
        self._request_id = request_id
        self._clock = clock

    @classmethod
    def for_gateway(cls, state: GatewayState, request_id: str) -> ReportRegistry:
        return cls(state.database.pool, state.report_key, request_id=request_id)

    async def issue(self, report: CreditReport, subject_key: str) -> IssuedSeal:
        content = report_content(report)
        issued_at = self._clock()
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                sequence = await conn.fetchval(_NEXT_SEQUENCE, report.generated_on)
                if sequence > MAX_SEQUENCE:  # the day's count stays where it was (rolled back)
                    raise ReportNumbersExhausted()
                number = report_number(report.generated_on, sequence)
                digest = seal_digest(self._key, number, issued_at, content)
                await conn.execute(_KEEP, number, issued_at, digest, subject_key, self._request_id)
        except _DATABASE_ERRORS as exc:
            raise ReportRegistryUnavailable() from exc
        return IssuedSeal(number=number, digest=digest, issued_at=issued_at)

    async def verify(self, number: str, digest: str) -> Verification:
        number = validate_report_number(number)
        try:
            async with self._pool.acquire() as conn:
                row = await conn.fetchrow(
                    "SELECT issued_at, digest FROM credit_reports WHERE number = $1", number
                )
        except _DATABASE_ERRORS as exc:
            raise ReportRegistryUnavailable() from exc
        if row is None:
            return Verification(Verdict.UNKNOWN, None)
        if not digests_match(row["digest"], digest):
            return Verification(Verdict.INVALID, None)
        return Verification(Verdict.VALID, row["issued_at"])


class BudgetedIssuer:
    """``issuer`` for one anonymous caller: each report it numbers first takes a slot of the
    caller's budget for the report's day, and gives it back when the report was not issued
    (nothing was numbered or kept, so nothing is counted against the caller)."""

    def __init__(self, issuer: ReportIssuer, budget: SealBudget, caller: str, per_day: int) -> None:
        self._issuer = issuer
        self._budget = budget
        self._caller = caller
        self._per_day = per_day

    async def issue(self, report: CreditReport, subject_key: str) -> IssuedSeal:
        day = report.generated_on  # the day the number is taken from
        slot = await self._budget.take(self._caller, day, per_day=self._per_day)
        if slot is None:
            raise SealBudgetExhausted(self._per_day, day)
        try:
            return await self._issuer.issue(report, subject_key)
        except BaseException:
            await slot.give_back()
            raise

    async def verify(self, number: str, digest: str) -> Verification:
        return await self._issuer.verify(number, digest)  # anyone, as often as they like


def issuer_for(
    state: GatewayState, principal: Principal, caller: str, request_id: str
) -> ReportIssuer:
    """The report issuer of one request: the registry, within the daily budget for the public.
    ``caller``: whom the request counts against (:func:`~gateway.limits.caller_key`)."""
    registry = ReportRegistry.for_gateway(state, request_id)
    if principal.kind is not PrincipalKind.PUBLIC:
        return registry
    per_day = state.settings.public_seals_per_day
    return BudgetedIssuer(registry, state.seal_budget, caller, per_day)
