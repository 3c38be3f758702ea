"""Properties of the engine over generated enterprises (hypothesis), for every seeded product.

* adding a negative fact never improves a decision (outcome, score, suggested limit);
* removing a fact the product reads never yields PASS;
* the same input always yields the same decision.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from credit.financing import (
    Decision,
    EnterpriseFacts,
    FactKey,
    MissingReason,
    Outcome,
    Product,
    evaluate,
    facts_read,
)
from credit.policy import PublicityPolicy
from credit.records import TaxGradeLetter
from tests.credit.financing.builders import DAY, NEGATIVE, clean, product

POLICY = PublicityPolicy()
RUNS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


Negatives = list[tuple[str, int]]
Recipe = tuple[TaxGradeLetter, int, int, dt.date, Negatives, list[tuple[FactKey, MissingReason]]]
negatives = st.tuples(st.sampled_from(sorted(NEGATIVE)), st.integers(0, 23))

recipes: st.SearchStrategy[Recipe] = st.tuples(
    st.sampled_from([TaxGradeLetter.A, TaxGradeLetter.B, TaxGradeLetter.M, TaxGradeLetter.C]),
    st.integers(0, 12_000),  # monthly tax, yuan
    st.integers(0, 20 * 365),  # days since established
    st.dates(dt.date(1950, 1, 1), dt.date(2008, 12, 31)),  # the legal representative's birth
    st.lists(negatives, max_size=4),
    st.lists(
        st.tuples(st.sampled_from(list(FactKey)), st.sampled_from(list(MissingReason))), max_size=2
    ),
)


def build(recipe: Recipe) -> EnterpriseFacts:
    """A clean firm of some grade, tax, age and representative, then some negative facts and
    some facts missing."""
    grade, monthly, age_days, birth, added, missing = recipe
    facts = clean(
        grade=grade,
        monthly_tax=Decimal(monthly),
        established=DAY - dt.timedelta(days=age_days),
        rep_birth=birth,
    )
    for name, month in added:
        facts = NEGATIVE[name](facts, month)
    for key, reason in missing:
        facts = facts.without(key, reason)
    return facts


enterprises = recipes.map(build)


def _products(seeded: dict[str, Product]) -> list[Product]:
    return [*seeded.values(), product()]


def _decide(p: Product, facts: EnterpriseFacts, amount: Decimal) -> Decision:
    return evaluate(p, facts, amount_yuan=amount, day=DAY, policy=POLICY)


def _amount(p: Product, share: float) -> Decimal:
    low, high = p.parameters.min_amount_yuan, p.parameters.max_amount_yuan
    return (low + (high - low) * Decimal(str(share))).quantize(Decimal(1))


@pytest.fixture(scope="module")
def catalogue(seeded_products: dict[str, Product]) -> list[Product]:
    return _products(seeded_products)


CLEAN_B: Recipe = (TaxGradeLetter.B, 6000, 3000, dt.date(1980, 1, 1), [], [])


@RUNS
@example(facts=build(CLEAN_B), negative=("downgrade", 0), pick=0, share=0.0)  # B → C: C accepted
@example(facts=build(CLEAN_B), negative=("downgrade", 0), pick=2, share=0.0)
@example(facts=build(CLEAN_B), negative=("zero_return", 23), pick=0, share=0.0)
@given(
    facts=enterprises,
    negative=negatives,
    pick=st.integers(0, 4),
    share=st.floats(0, 1),
)
def test_adding_a_negative_fact_never_improves_a_decision(
    catalogue: list[Product],
    facts: EnterpriseFacts,
    negative: tuple[str, int],
    pick: int,
    share: float,
) -> None:
    p = catalogue[pick % len(catalogue)]
    amount = _amount(p, share)
    before = _decide(p, facts, amount)
    name, month = negative
    after = _decide(p, NEGATIVE[name](facts, month), amount)
    assert after.outcome.rank <= before.outcome.rank
    assert after.score <= before.score
    if before.suggested_limit_yuan is None:
        assert after.suggested_limit_yuan in (None, Decimal(0))
    else:
        assert after.suggested_limit_yuan is not None
        assert after.suggested_limit_yuan <= before.suggested_limit_yuan


@RUNS
@given(facts=enterprises, pick=st.integers(0, 4), share=st.floats(0, 1), data=st.data())
def test_removing_a_fact_never_yields_pass(
    catalogue: list[Product], facts: EnterpriseFacts, pick: int, share: float, data: st.DataObject
) -> None:
    p = catalogue[pick % len(catalogue)]
    key = data.draw(st.sampled_from(sorted(facts_read(p))))
    reason = data.draw(st.sampled_from(list(MissingReason)))
    assert _decide(p, facts.without(key, reason), _amount(p, share)).outcome is not Outcome.PASS


@RUNS
@given(facts=enterprises, pick=st.integers(0, 4), share=st.floats(0, 1))
def test_without_the_consent_never_pass(
    catalogue: list[Product], facts: EnterpriseFacts, pick: int, share: float
) -> None:
    p = catalogue[pick % len(catalogue)]
    no_consent = dataclasses.replace(facts, consents={})
    assert _decide(p, no_consent, _amount(p, share)).outcome is not Outcome.PASS


@RUNS
@given(recipe=recipes, pick=st.integers(0, 4), share=st.floats(0, 1))
def test_the_same_input_always_yields_the_same_decision(
    catalogue: list[Product], recipe: Recipe, pick: int, share: float
) -> None:
    p = catalogue[pick % len(catalogue)]
    first = _decide(p, build(recipe), _amount(p, share))
    for other in catalogue:  # deciding other products in between changes nothing
        _decide(other, build(recipe), _amount(other, share))
    assert _decide(p, build(recipe), _amount(p, share)) == first
