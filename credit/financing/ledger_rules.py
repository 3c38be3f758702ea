"""The rules that read the consent-gated ledgers, the legal representative and the request.

Tax grade, tax paid in the lookback window, a recent payment, zero returns (DOMAIN.md §5 items
4 and 6); social insurance paid in full; utility arrears; the legal representative's age (item
9, which needs that person's own consent); the enterprise's consent itself (item 8); and the
amount asked against the suggested limit.

"The lookback window" is the ``lookback_months`` whole calendar months before the month of
the pre-check day (the ledgers the bureaus keep are monthly); "recent" likewise counts whole
months back from that month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from credit.access import ConsentScope
from credit.calendar import add_months
from credit.classification import active_direct_d, current_tax_grade
from credit.financing.facts import FactKey, Missing
from credit.financing.products import GRADE_ORDER, RuleId
from credit.financing.rules import Finding, RuleDef, RuleInput, Verdict, missing_finding, yuan_text
from credit.records import TaxGradeLetter, TaxPayment

__all__ = [
    "GRADE_QUALITY",
    "LEDGER_RULES",
    "age_on",
    "paid_in_window",
    "window",
    "zero_return_counts",
]

GRADE_QUALITY = {
    TaxGradeLetter.A: 1.0,
    TaxGradeLetter.B: 0.85,
    TaxGradeLetter.M: 0.7,
    TaxGradeLetter.C: 0.55,
}
"""How much an accepted grade adds to the score (D is never accepted)."""

_TAX_RULE = "《纳税缴费信用管理办法》"


def window(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """[first month, end month): the ``months`` whole months before ``day``'s month."""
    end = day.replace(day=1)
    return add_months(end, -months), end


def _in(month: dt.date, span: tuple[dt.date, dt.date]) -> bool:
    return span[0] <= month < span[1]


def _value(data: RuleInput, key: FactKey, threshold: str) -> tuple[object, Finding | None]:
    fact = data.facts.get(key)
    if isinstance(fact, Missing):
        return None, missing_finding(fact, threshold)
    return fact.value, None


def _tax_grade(data: RuleInput) -> Finding:
    accepted = [g.value for g in GRADE_ORDER if g in data.params.accepted_tax_grades]
    threshold = "、".join(accepted) + "级"
    value, missing = _value(data, FactKey.TAX_GRADES, threshold)
    if missing is not None:
        return missing
    assert isinstance(value, tuple)
    advice = (
        "依法按期申报缴纳税款、及时纠正纳税失信行为；纳税信用评价结果每年"
        f"{data.policy.tax_grade_published_month}月发布"
    )
    direct = active_direct_d(value, data.day, data.policy)
    if direct is not None:
        text = (
            f"{direct.year}年度纳税信用被直接判为D级（{_TAX_RULE}：直接判级的D级保留"
            f"{data.policy.tax_direct_d_years}年）"
        )
        return Finding(Verdict.FAIL, text, "D级", threshold, advice)
    current = current_tax_grade(value, data.day, data.policy)
    if current is None:
        return Finding(Verdict.FAIL, "暂无已发布的纳税信用等级", "无", threshold, advice)
    observed = f"{current.year}年度{current.grade.value}级"
    if current.grade in data.params.accepted_tax_grades:
        quality = GRADE_QUALITY[current.grade]
        return Finding(
            Verdict.PASS, f"纳税信用等级为{observed}", observed, threshold, quality=quality
        )
    return Finding(
        Verdict.FAIL, f"纳税信用等级为{observed}，本产品不接受", observed, threshold, advice
    )


def paid_in_window(payments: Iterable[TaxPayment], span: tuple[dt.date, dt.date]) -> Decimal:
    return sum((p.amount_yuan for p in payments if _in(p.month, span)), Decimal(0))


def _tax_paid(data: RuleInput) -> Finding:
    months, need = data.params.lookback_months, data.params.min_tax_paid_yuan
    threshold = f"近{months}个月≥{yuan_text(need)}"
    value, missing = _value(data, FactKey.TAX_PAYMENTS, threshold)
    if missing is not None:
        return missing
    assert isinstance(value, tuple)
    paid = paid_in_window(value, window(data.day, months))
    observed = yuan_text(paid)
    if paid >= need and paid > 0:
        extra = (paid - need) / need if need > 0 else Decimal(1)
        quality = 0.5 + 0.5 * float(min(Decimal(1), extra))
        return Finding(
            Verdict.PASS, f"近{months}个月纳税{observed}", observed, threshold, quality=quality
        )
    advice = f"近{months}个月纳税额须达到{yuan_text(need)}；请按实际经营如实申报纳税"
    return Finding(Verdict.FAIL, f"近{months}个月纳税仅{observed}", observed, threshold, advice)


def _recent_payment(data: RuleInput) -> Finding:
    months = data.params.recent_payment_months
    threshold = f"近{months}个月内有实际缴税"
    value, missing = _value(data, FactKey.TAX_PAYMENTS, threshold)
    if missing is not None:
        return missing
    assert isinstance(value, tuple)
    span = window(data.day, months)
    paid = [p for p in value if _in(p.month, span) and p.amount_yuan > 0 and not p.zero_return]
    if paid:
        last = max(p.month for p in paid)
        observed = f"最近一次：{last:%Y年%m月}"
        return Finding(Verdict.PASS, f"近{months}个月内有缴税", observed, threshold, quality=1.0)
    advice = f"须在近{months}个月内有实际纳税记录，恢复正常经营申报后再申请"
    return Finding(Verdict.FAIL, f"近{months}个月内没有实际缴税", "无", threshold, advice)


def zero_return_counts(
    payments: Iterable[TaxPayment], span: tuple[dt.date, dt.date]
) -> tuple[int, int]:
    """(longest run of consecutive zero-return months, total zero-return months) in ``span``."""
    zeros = sorted(p.month for p in payments if _in(p.month, span) and p.zero_return)
    longest = run = 0
    previous: dt.date | None = None
    for month in zeros:
        run = run + 1 if previous is not None and add_months(previous, 1) == month else 1
        longest = max(longest, run)
        previous = month
    return longest, len(zeros)


def _zero_returns(data: RuleInput) -> Finding:
    p = data.params
    threshold = (
        f"近{p.lookback_months}个月连续零申报少于{p.zero_return_run_limit}个月"
        f"且累计少于{p.zero_return_total_limit}个月"
    )
    value, missing = _value(data, FactKey.TAX_PAYMENTS, threshold)
    if missing is not None:
        return missing
    assert isinstance(value, tuple)
    run, total = zero_return_counts(value, window(data.day, p.lookback_months))
    observed = f"最长连续{run}个月，累计{total}个月"
    if run < p.zero_return_run_limit and total < p.zero_return_total_limit:
        return Finding(Verdict.PASS, f"零申报{observed}", observed, threshold, quality=1.0)
    advice = "零申报过多：请如实申报经营收入，恢复正常申报满考察期后再申请"
    return Finding(Verdict.FAIL, f"零申报{observed}，超过上限", observed, threshold, advice)


def _social_insurance(data: RuleInput) -> Finding:
    p = data.params
    threshold = f"近{p.lookback_months}个月足额缴纳≥{p.min_social_insurance_months}个月"
    value, missing = _value(data, FactKey.SOCIAL_INSURANCE, threshold)
    if missing is not None:
        return missing
    assert isinstance(value, tuple)
    span = window(data.day, p.lookback_months)
    paid = sum(
        1
        for m in value
        if _in(m.month, span) and m.social_insurance_paid_yuan > 0 and m.arrears_yuan == 0
    )
    observed = f"{paid}个月"
    if paid >= p.min_social_insurance_months:
        text = f"近{p.lookback_months}个月足额缴纳社保{observed}"
        return Finding(Verdict.PASS, text, observed, threshold, quality=1.0)
    advice = "请按月足额为职工缴纳社会保险，补缴欠费后再申请"
    text = f"近{p.lookback_months}个月足额缴纳社保仅{observed}"
    return Finding(Verdict.FAIL, text, observed, threshold, advice)


def _utility_arrears(data: RuleInput) -> Finding:
    p = data.params
    threshold = f"近{p.lookback_months}个月欠费≤{yuan_text(p.max_utility_arrears_yuan)}"
    value, missing = _value(data, FactKey.UTILITIES, threshold)
    if missing is not None:
        return missing
    assert isinstance(value, tuple)
    span = window(data.day, p.lookback_months)
    owed = sum((b.arrears_yuan for b in value if _in(b.month, span)), Decimal(0))
    observed = yuan_text(owed)
    if owed <= p.max_utility_arrears_yuan:
        return Finding(Verdict.PASS, f"水电气欠费{observed}", observed, threshold, quality=1.0)
    advice = "请结清欠缴的水电气费用后再申请"
    return Finding(Verdict.FAIL, f"水电气欠费{observed}", observed, threshold, advice)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _legal_rep_age(data: RuleInput) -> Finding:
    p = data.params
    threshold = f"{p.legal_rep_min_age}至{p.legal_rep_max_age}周岁"
    fact = data.facts.legal_rep_birth_date
    if isinstance(fact, Missing):
        found = missing_finding(fact, threshold)
        if fact.scope is not None:  # the person's own consent (个人信息保护法 第十四条)
            text = (
                "无法核验：未取得法定代表人本人的有效授权"
                "（《中华人民共和国个人信息保护法》第十四条）"
            )
            advice = "法定代表人本人向申请银行授权后可核验年龄"
            return Finding(Verdict.MISSING, text, None, threshold, advice)
        return found
    age = age_on(fact.value, data.day)
    observed = f"{age}周岁"
    if p.legal_rep_min_age <= age <= p.legal_rep_max_age:
        return Finding(Verdict.PASS, f"法定代表人{observed}", observed, threshold, quality=1.0)
    advice = f"本产品要求法定代表人年龄在{threshold}之间，可咨询银行其他产品"
    return Finding(Verdict.FAIL, f"法定代表人{observed}，不在范围内", observed, threshold, advice)


def _consent(data: RuleInput) -> Finding:
    needed = sorted(data.needed_scopes)
    threshold = "、".join(s.label.zh for s in needed) + "授权" if needed else "无需授权"
    have = data.facts.consents
    full = have.get(ConsentScope.FULL_REPORT)
    lacking = [s for s in needed if s not in have and full is None]
    if lacking:
        what = "、".join(s.label.zh for s in lacking)
        text = f"未取得企业对本机构、本用途的{what}授权，相关信息无法查询"
        advice = f"请企业法定代表人向申请银行授权查询{what}（用途与本次预审一致）后重新预审"
        return Finding(Verdict.MISSING, text, "未授权", threshold, advice)
    ids = sorted({have.get(s) or full or "" for s in needed})
    observed = "授权编号 " + "、".join(ids) if ids else "不涉及"
    return Finding(Verdict.PASS, "已取得企业有效授权", observed, threshold, quality=1.0)


def _amount(data: RuleInput) -> Finding:
    limit, asked = data.suggested_limit_yuan, data.amount_yuan
    observed = yuan_text(asked)
    if limit is None:
        text = "建议额度所需的数据缺失，无法比较申请金额"
        return Finding(Verdict.MISSING, text, observed, "≤建议额度", "所需数据齐备后可重新预审")
    threshold = f"≤{yuan_text(limit)}"
    if asked <= limit:
        return Finding(Verdict.PASS, "申请金额不超过建议额度", observed, threshold, quality=1.0)
    advice = f"可将申请金额调整为不超过{yuan_text(limit)}"
    return Finding(Verdict.FAIL, "申请金额超过建议额度", observed, threshold, advice)


def _def(
    rule: RuleId,
    title: str,
    item: str,
    basis: str,
    reads: tuple[FactKey, ...],
    weight: int,
    check: Callable[[RuleInput], Finding],
) -> RuleDef:
    return RuleDef(rule, title, item, basis, reads, weight, check)


_TAX = (FactKey.TAX_PAYMENTS,)
LEDGER_RULES: Mapping[RuleId, RuleDef] = {
    rule.id: rule
    for rule in (
        _def(
            RuleId.TAX_GRADE,
            "纳税信用等级",
            "第4项",
            _TAX_RULE,
            (FactKey.TAX_GRADES,),
            15,
            _tax_grade,
        ),
        _def(RuleId.TAX_PAID, "纳税额", "第6项", "产品纳税额要求", _TAX, 10, _tax_paid),
        _def(
            RuleId.RECENT_TAX_PAYMENT,
            "近期纳税",
            "第6项",
            "产品纳税连续性要求",
            _TAX,
            5,
            _recent_payment,
        ),
        _def(
            RuleId.ZERO_RETURNS,
            "零申报",
            "第6项",
            "产品零申报限制（连续或累计）",
            _TAX,
            5,
            _zero_returns,
        ),
        _def(
            RuleId.SOCIAL_INSURANCE,
            "社保缴纳",
            "附加项",
            "产品社保缴纳要求",
            (FactKey.SOCIAL_INSURANCE,),
            5,
            _social_insurance,
        ),
        _def(
            RuleId.UTILITY_ARREARS,
            "水电气欠费",
            "附加项",
            "产品水电气缴费要求",
            (FactKey.UTILITIES,),
            3,
            _utility_arrears,
        ),
        _def(
            RuleId.LEGAL_REP_AGE,
            "法定代表人年龄",
            "第9项",
            "《中华人民共和国个人信息保护法》第十四条（须本人同意）",
            (FactKey.LEGAL_REP_BIRTH_DATE,),
            2,
            _legal_rep_age,
        ),
        _def(
            RuleId.CONSENT,
            "企业授权",
            "第8项",
            "《征信业管理条例》第十八条；《加强信用信息共享应用促进中小微企业融资实施方案》（国办发〔2021〕52号）",
            (),
            5,
            _consent,
        ),
        # reads what the limit reads, which depends on the product (engine.limit_facts)
        _def(RuleId.AMOUNT_WITHIN_LIMIT, "申请金额", "额度", "产品额度规则", (), 3, _amount),
    )
}
"""The rules of this module, by id."""
