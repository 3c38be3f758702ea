"""信易贷 loan products as data: parameters, the rules a product applies, and versions.

A :class:`Product` is one version of a bank's product: its thresholds
(:class:`ProductParameters`) and the rules it applies (:class:`RuleSpec`, each hard — a failure
declines — or soft — a failure refers to a person).  Products change only by making a new
version (:func:`apply_change`); decisions keep the version they were made under.

The JSON form (what the store keeps and operators edit) names every parameter as below;
amounts are yuan as strings, grades letters::

    {"min_amount_yuan": "10000", "max_amount_yuan": "1000000", "min_term_months": 1,
     "max_term_months": 36, "accepted_tax_grades": ["A", "B"],
     "limit_by_grade_yuan": {"A": "1000000", "B": "800000"}, ...}

    >>> params = ProductParameters.from_json(EXAMPLE_PARAMETERS)
    >>> params.limit_for(TaxGradeLetter.B)
    Decimal('800000')

Errors: :class:`~credit.financing.errors.InvalidProduct` (INVALID_PRODUCT) for a parameter or
rule that does not make sense.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from credit.financing.errors import InvalidProduct
from credit.records import TaxGradeLetter

__all__ = [
    "EXAMPLE_PARAMETERS",
    "GRADE_ORDER",
    "Product",
    "ProductChange",
    "ProductParameters",
    "RuleId",
    "RuleSpec",
    "apply_change",
]

GRADE_ORDER = (TaxGradeLetter.A, TaxGradeLetter.B, TaxGradeLetter.M, TaxGradeLetter.C)
"""Grades a product may accept, best first; D is never accepted (DOMAIN.md §5 rule 4)."""

_CHAIN = (TaxGradeLetter.A, TaxGradeLetter.B, TaxGradeLetter.C)
# M (a new firm's grade) stands beside the A-B-C chain: a product may accept C and not M.
# Limits never rise as the grade falls; an accepted M gets no more than B.
_LIMIT_ORDER = (
    (TaxGradeLetter.A, TaxGradeLetter.B),
    (TaxGradeLetter.B, TaxGradeLetter.C),
    (TaxGradeLetter.B, TaxGradeLetter.M),
    (TaxGradeLetter.A, TaxGradeLetter.M),
)
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")


class RuleId(StrEnum):
    """The pre-check rules (DOMAIN.md §5), by stable id."""

    ACTIVE_STATUS = "ACTIVE_STATUS"  # 1 登记状态存续
    NOT_DEFAULTER = "NOT_DEFAULTER"  # 2 企业非失信被执行人
    LEGAL_REP_NOT_DEFAULTER = "LEGAL_REP_NOT_DEFAULTER"  # 2 法定代表人非失信被执行人
    NO_SERIOUS_LISTS = "NO_SERIOUS_LISTS"  # 3 不在严重失信名单
    NOT_ABNORMAL = "NOT_ABNORMAL"  # 3 不在经营异常名录
    TAX_GRADE = "TAX_GRADE"  # 4 纳税信用等级
    OPERATING_MONTHS = "OPERATING_MONTHS"  # 5 经营年限
    TAX_PAID = "TAX_PAID"  # 6 近12个月纳税额
    RECENT_TAX_PAYMENT = "RECENT_TAX_PAYMENT"  # 6 近期有纳税
    ZERO_RETURNS = "ZERO_RETURNS"  # 6 零申报
    NO_SERIOUS_PENALTY = "NO_SERIOUS_PENALTY"  # 7 无公示期内的严重行政处罚
    CONSENT = "CONSENT"  # 8 企业授权
    LEGAL_REP_AGE = "LEGAL_REP_AGE"  # 9 法定代表人年龄
    SOCIAL_INSURANCE = "SOCIAL_INSURANCE"  # 社保连续缴纳
    UTILITY_ARREARS = "UTILITY_ARREARS"  # 水电气欠费
    AMOUNT_WITHIN_LIMIT = "AMOUNT_WITHIN_LIMIT"  # 申请金额不超过建议额度
    CUSTOMS_NOT_DISHONEST = "CUSTOMS_NOT_DISHONEST"  # 非海关失信企业 (optional)
    IP_PLEDGEABLE = "IP_PLEDGEABLE"  # 有可质押的有效知识产权 (optional: IP pledge products)


def _money(name: str, value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidProduct(f"产品参数 {name} 应为金额（元）") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidProduct(f"产品参数 {name} 应为非负金额（元）")
    return amount


def _count(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidProduct(f"产品参数 {name} 应为非负整数")
    return value


def _grade(name: str, value: Any) -> TaxGradeLetter:
    if value not in TaxGradeLetter.__members__:
        raise InvalidProduct(f"产品参数 {name} 中的纳税信用等级 {value!r} 无效")
    return TaxGradeLetter(value)


@dataclass(frozen=True, slots=True)
class ProductParameters:
    """A product's thresholds; every one is data, read by exactly one rule."""

    min_amount_yuan: Decimal
    max_amount_yuan: Decimal
    min_term_months: int
    max_term_months: int
    accepted_tax_grades: frozenset[TaxGradeLetter]
    limit_by_grade_yuan: Mapping[TaxGradeLetter, Decimal]  # absent grade: max_amount_yuan
    min_operating_months: int
    min_tax_paid_yuan: Decimal  # over the lookback window
    tax_paid_multiple: Decimal | None = None  # limit ≤ multiple × tax paid in the window
    lookback_months: int = 12  # the whole months before today's month that count
    recent_payment_months: int = 3  # a non-zero payment within these months
    zero_return_run_limit: int = 3  # this many consecutive zero returns fail
    zero_return_total_limit: int = 6  # this many zero returns in the lookback fail
    min_social_insurance_months: int = 6  # months paid in full within the lookback
    max_utility_arrears_yuan: Decimal = Decimal(0)  # unpaid utility bills within the lookback
    legal_rep_min_age: int = 18
    legal_rep_max_age: int = 65

    def __post_init__(self) -> None:
        if self.min_amount_yuan > self.max_amount_yuan or self.max_amount_yuan <= 0:
            raise InvalidProduct("产品金额范围无效：最低金额不能高于最高金额，最高金额须大于0")
        if not 1 <= self.min_term_months <= self.max_term_months:
            raise InvalidProduct("产品期限范围无效")
        if not self.accepted_tax_grades:
            raise InvalidProduct("产品至少应接受一个纳税信用等级")
        if TaxGradeLetter.D in self.accepted_tax_grades:
            raise InvalidProduct("任何产品都不得接受纳税信用D级")
        if TaxGradeLetter.D in self.limit_by_grade_yuan:
            raise InvalidProduct("纳税信用D级不得设置额度")
        graded = [g for g in _CHAIN if g in self.accepted_tax_grades]
        if graded != list(_CHAIN[: len(graded)]):
            raise InvalidProduct("接受较低等级的产品也应接受较高等级（A、B、C 依次）")
        for better, worse in _LIMIT_ORDER:
            if self.limit_for(worse) > self.limit_for(better) > 0:
                raise InvalidProduct("较低纳税信用等级的额度不得高于较高等级（A ≥ B ≥ C，B ≥ M）")
        if not 1 <= self.lookback_months <= 24:
            raise InvalidProduct("考察期应为1至24个月")
        if not 1 <= self.recent_payment_months <= self.lookback_months:
            raise InvalidProduct("近期纳税月数应在1与考察期之间")
        if self.zero_return_run_limit < 1 or self.zero_return_total_limit < 1:
            raise InvalidProduct("零申报上限至少为1")
        if self.min_social_insurance_months > self.lookback_months:
            raise InvalidProduct("社保缴纳月数要求不能超过考察期")
        if not 18 <= self.legal_rep_min_age <= self.legal_rep_max_age:
            raise InvalidProduct("法定代表人年龄范围无效（最低18周岁）")
        if self.tax_paid_multiple is not None and self.tax_paid_multiple <= 0:
            raise InvalidProduct("纳税额倍数应大于0")

    def limit_for(self, grade: TaxGradeLetter) -> Decimal:
        """The most this product lends to a firm of ``grade`` (before the tax multiple);
        0 for a grade it does not accept."""
        if grade not in self.accepted_tax_grades:
            return Decimal(0)
        return min(self.limit_by_grade_yuan.get(grade, self.max_amount_yuan), self.max_amount_yuan)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProductParameters:
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise InvalidProduct(f"未知的产品参数：{', '.join(unknown)}")
        required = [n for n, f in known.items() if f.default is dataclasses.MISSING]
        absent = [n for n in required if n not in data]
        if absent:
            raise InvalidProduct(f"缺少产品参数：{', '.join(absent)}")
        values: dict[str, Any] = {}
        for name, value in data.items():
            kind = str(known[name].type)  # a string: annotations are postponed
            if name == "accepted_tax_grades":
                if not isinstance(value, list | tuple):
                    raise InvalidProduct("产品参数 accepted_tax_grades 应为等级列表")
                values[name] = frozenset(_grade(name, g) for g in value)
            elif name == "limit_by_grade_yuan":
                if not isinstance(value, Mapping):
                    raise InvalidProduct("产品参数 limit_by_grade_yuan 应为 等级→金额 的对象")
                values[name] = {_grade(name, g): _money(name, a) for g, a in value.items()}
            elif name == "tax_paid_multiple":
                values[name] = None if value is None else _money(name, value)
            elif kind == "Decimal":
                values[name] = _money(name, value)
            else:
                values[name] = _count(name, value)
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "accepted_tax_grades":
                out[f.name] = [g.value for g in GRADE_ORDER if g in value]
            elif f.name == "limit_by_grade_yuan":
                out[f.name] = {g.value: str(a) for g, a in sorted(value.items())}
            elif isinstance(value, Decimal):
                out[f.name] = str(value)
            else:
                out[f.name] = value
        return out


EXAMPLE_PARAMETERS: Mapping[str, Any] = {
    "min_amount_yuan": "10000",
    "max_amount_yuan": "1000000",
    "min_term_months": 1,
    "max_term_months": 36,
    "accepted_tax_grades": ["A", "B"],
    "limit_by_grade_yuan": {"A": "1000000", "B": "800000"},
    "min_operating_months": 24,
    "min_tax_paid_yuan": "30000",
}
"""A minimal, valid parameter document (the docstring's example; tests use it too)."""


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule a product applies; ``hard``: a failure declines, else it refers."""

    rule: RuleId
    hard: bool

    @classmethod
    def from_json(cls, data: Any) -> RuleSpec:
        if not isinstance(data, Mapping) or set(data) != {"rule", "hard"}:
            raise InvalidProduct('每条产品规则应为 {"rule": 规则编号, "hard": true/false}')
        if data["rule"] not in RuleId.__members__ or not isinstance(data["hard"], bool):
            raise InvalidProduct(f"未知的产品规则：{data['rule']!r}")
        return cls(RuleId(data["rule"]), data["hard"])

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule.value, "hard": self.hard}


def _rules(specs: Sequence[RuleSpec]) -> tuple[RuleSpec, ...]:
    if not specs:
        raise InvalidProduct("产品至少应适用一条规则")
    ids = [s.rule for s in specs]
    if len(set(ids)) != len(ids):
        raise InvalidProduct("同一规则在一个产品中只能出现一次")
    return tuple(specs)


@dataclass(frozen=True, slots=True)
class Product:
    """One version of a bank's product."""

    code: str
    version: int
    bank_id: str
    bank_name: str
    name: str
    parameters: ProductParameters
    rules: tuple[RuleSpec, ...]
    active: bool = True

    def __post_init__(self) -> None:
        if not _CODE.match(self.code):
            raise InvalidProduct("产品代码应为2至40位大写字母、数字或下划线，以字母开头")
        if self.version < 1:
            raise InvalidProduct("产品版本从1开始")
        if not self.bank_id.strip() or not self.bank_name.strip() or not self.name.strip():
            raise InvalidProduct("产品须注明银行编号、银行名称和产品名称")
        _rules(self.rules)

    def applies(self, rule: RuleId) -> bool:
        return any(s.rule is rule for s in self.rules)


@dataclass(frozen=True, slots=True)
class ProductChange:
    """What an operator changes; ``None`` (or an empty mapping) keeps the current value."""

    code: str
    name: str | None = None
    bank_id: str | None = None
    bank_name: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)  # merged onto the current
    rules: tuple[RuleSpec, ...] | None = None
    active: bool | None = None


def apply_change(current: Product | None, change: ProductChange) -> Product:
    """The next version: ``current`` with ``change`` applied (version 1 for a new product).

    A new product needs a name, a bank, every required parameter and its rules.
    """
    if current is None:
        name, bank_id, bank_name, rules = (
            change.name,
            change.bank_id,
            change.bank_name,
            change.rules,
        )
        if name is None or bank_id is None or bank_name is None or rules is None:
            labels = {"name": name, "bank_id": bank_id, "bank_name": bank_name, "rules": rules}
            missing = [label for label, value in labels.items() if value is None]
            raise InvalidProduct(f"新产品须提供：{', '.join(missing)}")
        return Product(
            code=change.code,
            version=1,
            bank_id=bank_id,
            bank_name=bank_name,
            name=name,
            parameters=ProductParameters.from_json(change.parameters),
            rules=_rules(rules),
            active=True if change.active is None else change.active,
        )
    merged = {**current.parameters.to_json(), **change.parameters}
    return Product(
        code=current.code,
        version=current.version + 1,
        bank_id=change.bank_id or current.bank_id,
        bank_name=change.bank_name or current.bank_name,
        name=change.name or current.name,
        parameters=ProductParameters.from_json(merged),
        rules=current.rules if change.rules is None else _rules(change.rules),
        active=current.active if change.active is None else change.active,
    )
