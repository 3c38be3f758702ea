"""Facts for the engine's tests: a clean enterprise, negative facts to add, the world's firms."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from credit.access import ConsentScope
from credit.calendar import add_months
from credit.financing import (
    EnterpriseFacts,
    FactKey,
    FactProvenance,
    Known,
    Product,
    ProductParameters,
    RuleId,
    RuleSpec,
)
from credit.financing.products import EXAMPLE_PARAMETERS
from credit.records import (
    CreditRecord,
    EntityType,
    OperatingStatus,
    RecordKind,
    Registration,
    Severity,
    SocialInsuranceMonth,
    Source,
    TaxGrade,
    TaxGradeLetter,
    TaxPayment,
    UtilityBill,
    UtilityKind,
)
from simulators.world import World

DAY = dt.date(2026, 11, 22)
AT = dt.datetime(2026, 11, 22, 1, 30, tzinfo=dt.UTC)
USCC = "91640104MA0K3P7W64"  # valid synthetic code
FULL = {ConsentScope.FULL_REPORT: "consent-full"}


def known(value: Any, source: Source) -> Known[Any]:
    return Known(value, FactProvenance(source, AT))


def last_months(count: int, day: dt.date = DAY) -> list[dt.date]:
    """First days of the ``count`` whole months before ``day``'s month, oldest first."""
    first = day.replace(day=1)
    return [add_months(first, -n) for n in range(count, 0, -1)]


def grades(letter: TaxGradeLetter, years: range = range(2020, 2026)) -> tuple[TaxGrade, ...]:
    return tuple(
        TaxGrade(y, letter, 95 if letter is TaxGradeLetter.A else 75, False, dt.date(y + 1, 4, 20))
        for y in years
    )


def payments(monthly: Decimal, zeros: frozenset[int] = frozenset()) -> tuple[TaxPayment, ...]:
    """24 months of ``monthly`` tax; ``zeros`` are month indexes (0 = oldest) filed as zero."""
    return tuple(
        TaxPayment(m, Decimal(0) if n in zeros else monthly, n in zeros)
        for n, m in enumerate(last_months(24))
    )


def clean(
    *,
    grade: TaxGradeLetter = TaxGradeLetter.A,
    monthly_tax: Decimal = Decimal(5000),
    established: dt.date = dt.date(2018, 3, 15),
    rep_birth: dt.date = dt.date(1980, 5, 1),
    consents: Mapping[ConsentScope, str] = FULL,
) -> EnterpriseFacts:
    reg = Registration(
        uscc=USCC,
        name="宁夏示例塞上科技有限公司",
        entity_type=EntityType.ENTERPRISE,
        status=OperatingStatus.ACTIVE,
        established_on=established,
        registered_capital_yuan=Decimal("5000000.00"),
        address="宁夏回族自治区银川市金凤区示例路1号",
        division_code="640106",
        industry="软件和信息技术服务业",
        legal_rep_name="测试人",
        legal_rep_id="640106198005010011",
    )
    months = last_months(24)
    return EnterpriseFacts(
        uscc=USCC,
        registration=known(reg, Source.MARKET),
        market_records=known((), Source.MARKET),
        court_records=known((), Source.COURT),
        national_records=known((), Source.NATIONAL),
        tax_grades=known(grades(grade), Source.TAX),
        tax_payments=known(payments(monthly_tax), Source.TAX),
        social_insurance=known(
            tuple(SocialInsuranceMonth(m, 10, Decimal(20000), Decimal(8000)) for m in months),
            Source.HRSS,
        ),
        utilities=known(
            tuple(UtilityBill(m, UtilityKind.ELECTRICITY, Decimal(1200)) for m in months),
            Source.UTILITIES,
        ),
        legal_rep_records=known((), Source.COURT),
        legal_rep_birth_date=known(rep_birth, Source.MARKET),
        consents=consents,
    )


ADDED_RULES = (RuleId.CUSTOMS_NOT_DISHONEST, RuleId.IP_PLEDGEABLE)
DOMAIN_RULES = tuple(r for r in RuleId if r not in ADDED_RULES)


def product(rules: Mapping[RuleId, bool] | None = None, **params: Any) -> Product:
    """A product applying ``rules`` (id → hard; default: every rule of DOMAIN.md §5, hard —
    not the optional rules on the added bureaus' records)."""
    chosen = rules if rules is not None else dict.fromkeys(DOMAIN_RULES, True)
    return Product(
        code="TEST_LOAN",
        version=1,
        bank_id="bank-test",
        bank_name="测试银行",
        name="测试贷",
        parameters=ProductParameters.from_json({**EXAMPLE_PARAMETERS, **params}),
        rules=tuple(RuleSpec(rule, hard) for rule, hard in chosen.items()),
    )


# --- negative facts ------------------------------------------------------------------------


_ids = itertools.count(1)


def record(kind: RecordKind, source: Source, **fields: Any) -> CreditRecord:
    """A record decided 60 days before :data:`DAY` unless ``decided_on`` says otherwise."""
    fields.setdefault("decided_on", DAY - dt.timedelta(days=60))
    return CreditRecord(
        id=f"T{next(_ids):05d}",
        kind=kind,
        source=source,
        subject_code=USCC,
        title=f"测试{kind.value}",
        authority="测试机关",
        **fields,
    )


def _add(facts: EnterpriseFacts, key: FactKey, entry: CreditRecord) -> EnterpriseFacts:
    fact = facts.get(key)
    if not isinstance(fact, Known) or not isinstance(fact.value, tuple):
        return facts
    # ids by position, so that building the same facts twice gives equal facts
    entry = dataclasses.replace(entry, id=f"{key.value}-{len(fact.value)}")
    return facts.with_fact(key, Known((*fact.value, entry), fact.provenance))


def add_defaulter(facts: EnterpriseFacts) -> EnterpriseFacts:
    made = record(RecordKind.JUDGMENT_DEFAULTER, Source.COURT, defaulter_ground=1)
    return _add(facts, FactKey.COURT_RECORDS, made)


def add_rep_defaulter(facts: EnterpriseFacts) -> EnterpriseFacts:
    made = record(RecordKind.JUDGMENT_DEFAULTER, Source.COURT, defaulter_ground=1)
    return _add(facts, FactKey.LEGAL_REP_RECORDS, made)


def add_serious_violation(facts: EnterpriseFacts) -> EnterpriseFacts:
    return _add(facts, FactKey.MARKET_RECORDS, record(RecordKind.SERIOUS_VIOLATION, Source.MARKET))


def add_national_listing(facts: EnterpriseFacts) -> EnterpriseFacts:
    made = record(RecordKind.SERIOUS_DISHONESTY, Source.NATIONAL, list_name="测试严重失信名单")
    return _add(facts, FactKey.NATIONAL_RECORDS, made)


def add_abnormal(facts: EnterpriseFacts) -> EnterpriseFacts:
    return _add(facts, FactKey.MARKET_RECORDS, record(RecordKind.ABNORMAL_OPERATION, Source.MARKET))


def add_serious_penalty(facts: EnterpriseFacts) -> EnterpriseFacts:
    made = record(RecordKind.ADMIN_PENALTY, Source.MARKET, severity=Severity.SERIOUS)
    return _add(facts, FactKey.MARKET_RECORDS, made)


_DOWN = {TaxGradeLetter.A: TaxGradeLetter.B, TaxGradeLetter.B: TaxGradeLetter.C}


def downgrade(facts: EnterpriseFacts) -> EnterpriseFacts:
    """The latest grade one step down the A-B-C chain; C, M or D become a direct D."""
    fact = facts.tax_grades
    if not isinstance(fact, Known) or not fact.value:
        return facts
    *older, latest = fact.value
    if latest.grade in _DOWN:
        worse = dataclasses.replace(latest, grade=_DOWN[latest.grade])
    else:
        worse = dataclasses.replace(
            latest, grade=TaxGradeLetter.D, score=None, assigned_directly=True
        )
    return facts.with_fact(FactKey.TAX_GRADES, Known((*older, worse), fact.provenance))


def zero_return(index: int) -> Callable[[EnterpriseFacts], EnterpriseFacts]:
    """Month ``index`` (0 = oldest of the ledger) filed as a zero return."""

    def change(facts: EnterpriseFacts) -> EnterpriseFacts:
        fact = facts.tax_payments
        if not isinstance(fact, Known) or index >= len(fact.value):
            return facts
        rows = list(fact.value)
        rows[index] = TaxPayment(rows[index].month, Decimal(0), zero_return=True)
        return facts.with_fact(FactKey.TAX_PAYMENTS, Known(tuple(rows), fact.provenance))

    return change


def social_insurance_arrears(index: int) -> Callable[[EnterpriseFacts], EnterpriseFacts]:
    def change(facts: EnterpriseFacts) -> EnterpriseFacts:
        fact = facts.social_insurance
        if not isinstance(fact, Known) or index >= len(fact.value):
            return facts
        rows = list(fact.value)
        rows[index] = dataclasses.replace(
            rows[index], social_insurance_paid_yuan=Decimal(0), arrears_yuan=Decimal(20000)
        )
        return facts.with_fact(FactKey.SOCIAL_INSURANCE, Known(tuple(rows), fact.provenance))

    return change


def utility_arrears(index: int) -> Callable[[EnterpriseFacts], EnterpriseFacts]:
    def change(facts: EnterpriseFacts) -> EnterpriseFacts:
        fact = facts.utilities
        if not isinstance(fact, Known) or index >= len(fact.value):
            return facts
        rows = list(fact.value)
        rows[index] = dataclasses.replace(rows[index], arrears_yuan=rows[index].amount_yuan)
        return facts.with_fact(FactKey.UTILITIES, Known(tuple(rows), fact.provenance))

    return change


def revoke_licence(facts: EnterpriseFacts) -> EnterpriseFacts:
    fact = facts.registration
    if not isinstance(fact, Known):
        return facts
    revoked = dataclasses.replace(fact.value, status=OperatingStatus.REVOKED)
    return facts.with_fact(FactKey.REGISTRATION, Known(revoked, fact.provenance))


Negative = Callable[[EnterpriseFacts, int], EnterpriseFacts]


def _plain(change: Callable[[EnterpriseFacts], EnterpriseFacts]) -> Negative:
    return lambda facts, month: change(facts)


def _monthly(change: Callable[[int], Callable[[EnterpriseFacts], EnterpriseFacts]]) -> Negative:
    return lambda facts, month: change(month)(facts)


NEGATIVE: dict[str, Negative] = {
    "defaulter": _plain(add_defaulter),
    "rep_defaulter": _plain(add_rep_defaulter),
    "serious_violation": _plain(add_serious_violation),
    "national_listing": _plain(add_national_listing),
    "abnormal": _plain(add_abnormal),
    "serious_penalty": _plain(add_serious_penalty),
    "downgrade": _plain(downgrade),
    "revoked": _plain(revoke_licence),
    "zero_return": _monthly(zero_return),  # month index 0-23, 0 = oldest
    "social_insurance_arrears": _monthly(social_insurance_arrears),
    "utility_arrears": _monthly(utility_arrears),
}
"""Every kind of negative fact the property tests add: (facts, month index) → facts."""


# --- the synthetic world ---------------------------------------------------------------------


def world_facts(
    world: World, code: str, *, consents: Mapping[ConsentScope, str] = FULL
) -> EnterpriseFacts:
    """What the bureaus hold about ``code``, as the pre-check's facts (all known)."""
    facts = world.facts(code)
    assert facts is not None
    reg = world.registrations[code]
    rep = world.facts(reg.legal_rep_id)
    tax = facts.tax
    return EnterpriseFacts(
        uscc=code,
        registration=known(reg, Source.MARKET),
        market_records=known(
            facts.penalties + facts.permits + facts.abnormal + facts.serious_violations,
            Source.MARKET,
        ),
        court_records=known(facts.court, Source.COURT),
        national_records=known(facts.national, Source.NATIONAL),
        tax_grades=known(tax.grades if tax else (), Source.TAX),
        tax_payments=known(tax.payments if tax else (), Source.TAX),
        social_insurance=known(facts.social_insurance or (), Source.HRSS),
        utilities=known(facts.utilities or (), Source.UTILITIES),
        legal_rep_records=known(rep.court if rep else (), Source.COURT),
        legal_rep_birth_date=known(world.persons[reg.legal_rep_id].birth_date, Source.MARKET),
        consents=consents,
    )
