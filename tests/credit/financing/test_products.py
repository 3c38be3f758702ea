"""Products as data: the parameter document, its validation, rules, and versioned changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from credit.financing import (
    InvalidProduct,
    Product,
    ProductChange,
    ProductParameters,
    RuleId,
    RuleSpec,
    apply_change,
)
from credit.financing.products import EXAMPLE_PARAMETERS
from credit.records import TaxGradeLetter as G
from tests.credit.financing.builders import product


def params(**changes: Any) -> ProductParameters:
    return ProductParameters.from_json({**EXAMPLE_PARAMETERS, **changes})


def test_the_json_form_round_trips_with_defaults_filled() -> None:
    parsed = params(
        tax_paid_multiple="10",
        accepted_tax_grades=["B", "A", "C"],
        limit_by_grade_yuan={"A": "1000000", "B": "800000", "C": "300000"},
    )
    again = ProductParameters.from_json(parsed.to_json())
    assert again == parsed
    assert parsed.to_json()["accepted_tax_grades"] == ["A", "B", "C"]
    assert parsed.lookback_months == 12
    assert parsed.zero_return_run_limit == 3
    assert parsed.zero_return_total_limit == 6


def test_limits_by_grade() -> None:
    p = params(accepted_tax_grades=["A", "B", "C"], limit_by_grade_yuan={"B": "800000", "C": "1"})
    assert [p.limit_for(g) for g in (G.A, G.B, G.C, G.M, G.D)] == [1_000_000, 800_000, 1, 0, 0]
    with pytest.raises(InvalidProduct, match="额度不得高于"):  # C would get the maximum
        params(accepted_tax_grades=["A", "B", "C"])


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"surprise": 1}, "未知的产品参数"),
        ({"min_amount_yuan": "abc"}, "min_amount_yuan"),
        ({"min_amount_yuan": "-1"}, "非负金额"),
        ({"min_operating_months": "24"}, "非负整数"),
        ({"min_operating_months": True}, "非负整数"),
        ({"accepted_tax_grades": ["A", "X"]}, "等级"),
        ({"accepted_tax_grades": ["A", "D"]}, "D级"),
        ({"accepted_tax_grades": []}, "至少应接受"),
        ({"accepted_tax_grades": ["A", "C"]}, "也应接受较高等级"),
        ({"limit_by_grade_yuan": {"A": "100", "B": "200"}}, "额度不得高于"),
        ({"limit_by_grade_yuan": {"D": "100"}}, "D级"),
        ({"min_amount_yuan": "2000000"}, "金额范围"),
        ({"min_term_months": 0}, "期限"),
        ({"lookback_months": 25}, "考察期"),
        ({"recent_payment_months": 13}, "近期纳税月数"),
        ({"min_social_insurance_months": 13}, "社保"),
        ({"legal_rep_min_age": 17}, "年龄"),
        ({"tax_paid_multiple": "0"}, "倍数"),
    ],
)
def test_nonsense_is_refused_with_a_reason(changes: dict[str, Any], complaint: str) -> None:
    with pytest.raises(InvalidProduct, match=complaint):
        params(**changes)


def test_a_missing_required_parameter_is_named() -> None:
    partial = {k: v for k, v in EXAMPLE_PARAMETERS.items() if k != "min_tax_paid_yuan"}
    with pytest.raises(InvalidProduct, match="缺少产品参数：min_tax_paid_yuan"):
        ProductParameters.from_json(partial)


def test_m_may_stand_beside_the_chain_but_below_b() -> None:
    c_not_m = params(
        accepted_tax_grades=["A", "B", "C"], limit_by_grade_yuan={"B": "800000", "C": "300000"}
    )
    assert G.M not in c_not_m.accepted_tax_grades
    with pytest.raises(InvalidProduct):
        params(accepted_tax_grades=["A", "B", "M"], limit_by_grade_yuan={"B": "100", "M": "200"})


def test_rule_specs() -> None:
    assert RuleSpec.from_json({"rule": "TAX_PAID", "hard": False}) == RuleSpec(
        RuleId.TAX_PAID, False
    )
    for bad in (
        {"rule": "NOPE", "hard": True},
        {"rule": "TAX_PAID"},
        {"rule": "TAX_PAID", "hard": 1},
    ):
        with pytest.raises(InvalidProduct):
            RuleSpec.from_json(bad)
    with pytest.raises(InvalidProduct, match="只能出现一次"):
        product({RuleId.TAX_PAID: True}).__class__(
            code="X_LOAN",
            version=1,
            bank_id="b",
            bank_name="b",
            name="n",
            parameters=params(),
            rules=(RuleSpec(RuleId.TAX_PAID, True),) * 2,
        )


def test_codes_and_names_are_checked() -> None:
    good = product()
    for changes in ({"code": "lower"}, {"code": "A"}, {"version": 0}, {"name": " "}):
        fields = {
            "code": good.code,
            "version": 1,
            "bank_id": "b",
            "bank_name": "b",
            "name": "n",
            "parameters": good.parameters,
            "rules": good.rules,
            **changes,
        }
        with pytest.raises(InvalidProduct):
            Product(**fields)  # type: ignore[arg-type]


def test_a_change_merges_onto_the_current_version() -> None:
    current = product()
    change = ProductChange(code=current.code, parameters={"min_tax_paid_yuan": "1"}, active=False)
    updated = apply_change(current, change)
    assert updated.version == current.version + 1
    assert updated.parameters.min_tax_paid_yuan == Decimal(1)
    assert updated.parameters.max_amount_yuan == current.parameters.max_amount_yuan
    assert (updated.rules, updated.name, updated.active) == (current.rules, current.name, False)
    created = apply_change(
        None,
        ProductChange(
            code="NEW_LOAN",
            name="新贷",
            bank_id="b",
            bank_name="乙银行",
            parameters=EXAMPLE_PARAMETERS,
            rules=(RuleSpec(RuleId.TAX_GRADE, True),),
        ),
    )
    assert (created.version, created.active) == (1, True)
    with pytest.raises(InvalidProduct, match="bank_id, bank_name, rules"):
        apply_change(None, ProductChange(code="NEW_LOAN", name="新贷"))
