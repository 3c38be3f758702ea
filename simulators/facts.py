"""Everything the bureaus (and the platform database) hold about one subject.

:func:`derive_facts` builds a :class:`SubjectFacts` from a :class:`~simulators.subject.Subject`
and the world seed, each bureau from its own random stream, in dependency order (national lists
before tax grades, tax grades and penalties before the platform's red lists and commitments).

Which bureau knows a subject (and so answers "not found" for the rest):

=========== ==========================================================================
court       anyone with a 失信被执行人 entry or 限制消费令 (organisations and persons)
market      every organisation (penalties, permits and lists only for some kinds)
tax         ``tax is not None``: enterprises, individual businesses, cooperatives
hrss        ``social_insurance is not None``: organisations with a social-insurance account
utilities   ``utilities is not None``: every organisation
national    anyone on a national list (organisations)
identity    every person
=========== ==========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

from credit.policy import PublicityPolicy
from credit.records import (
    CreditRecord,
    Polarity,
    RecordKind,
    Severity,
    SocialInsuranceMonth,
    UtilityBill,
)
from simulators.court_facts import court_records
from simulators.incentives import commitments, evaluations, red_lists
from simulators.ledgers import social_insurance, utility_bills
from simulators.market_facts import (
    abnormal_records,
    escalated_listing,
    permit_records,
    serious_violation_records,
)
from simulators.national_facts import national_records
from simulators.penalty_facts import penalty_records
from simulators.subject import Subject, subject_rng
from simulators.tax_facts import TaxLedger, tax_ledger

__all__ = ["SubjectFacts", "derive_facts"]


@dataclass(frozen=True, slots=True)
class SubjectFacts:
    """One subject's facts, per bureau.  ``None`` ledgers: that bureau does not know it."""

    code: str
    court: tuple[CreditRecord, ...] = ()  # JUDGMENT_DEFAULTER, CONSUMPTION_RESTRICTION
    penalties: tuple[CreditRecord, ...] = ()  # MARKET_PENALTY, ADMIN_PENALTY
    permits: tuple[CreditRecord, ...] = ()
    abnormal: tuple[CreditRecord, ...] = ()
    serious_violations: tuple[CreditRecord, ...] = ()
    national: tuple[CreditRecord, ...] = ()  # SERIOUS_DISHONESTY
    tax: TaxLedger | None = None
    social_insurance: tuple[SocialInsuranceMonth, ...] | None = None
    utilities: tuple[UtilityBill, ...] | None = None
    red_lists: tuple[CreditRecord, ...] = ()
    commitments: tuple[CreditRecord, ...] = ()
    evaluations: tuple[CreditRecord, ...] = ()

    def records(self) -> tuple[CreditRecord, ...]:
        """Every record, all bureaus and the platform."""
        return (
            self.court
            + self.penalties
            + self.permits
            + self.abnormal
            + self.serious_violations
            + self.national
            + self.red_lists
            + self.commitments
            + self.evaluations
        )

    def kinds(self) -> frozenset[RecordKind]:
        return frozenset(r.kind for r in self.records())

    @property
    def has_negative(self) -> bool:
        return any(r.kind.polarity is Polarity.NEGATIVE for r in self.records())


def derive_facts(
    subject: Subject, seed: int, policy: PublicityPolicy, *, ledgers: bool = True
) -> SubjectFacts:
    """The subject's facts; the same (subject, seed, policy) always gives the same facts.

    ``ledgers=False`` leaves out the monthly ledgers (tax payments, social insurance,
    utilities) — the bulk of the work — and changes nothing else: each bureau draws from its
    own stream.  Seeding the platform tables needs only the records.
    """
    index = subject.index
    court_stream = "court_person" if subject.is_person else "court"  # person i ≠ organisation i
    court = court_records(subject, subject_rng(seed, court_stream, index))
    if subject.is_person:
        return SubjectFacts(subject.code, court=court)
    market = subject_rng(seed, "market", index)
    penalties = penalty_records(subject, market, policy)
    permits = permit_records(subject, market)
    abnormal = abnormal_records(subject, market)
    serious = serious_violation_records(subject, market)
    escalated = (escalated_listing(subject, entry, policy) for entry in abnormal)
    serious += tuple(listing for listing in escalated if listing is not None)
    national = national_records(subject, subject_rng(seed, "national", index))
    tax = tax_ledger(
        subject, subject_rng(seed, "tax", index), national, policy, with_payments=ledgers
    )
    negatives = bool(court or abnormal or serious or national) or any(
        p.severity is Severity.SERIOUS for p in penalties
    )
    platform = subject_rng(seed, "platform", index)
    return SubjectFacts(
        code=subject.code,
        court=court,
        penalties=penalties,
        permits=permits,
        abnormal=abnormal,
        serious_violations=serious,
        national=national,
        tax=tax,
        social_insurance=(
            social_insurance(subject, subject_rng(seed, "hrss", index)) if ledgers else None
        ),
        utilities=utility_bills(subject, subject_rng(seed, "utilities", index))
        if ledgers
        else None,
        red_lists=red_lists(subject, platform, tax.grades if tax else (), negatives, policy),
        commitments=commitments(subject, platform, permits + penalties),
        evaluations=evaluations(subject, platform),
    )
