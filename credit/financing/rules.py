"""The pre-check rules of DOMAIN.md §5, one function each, and the catalogue that names them.

Each rule reads some facts (:class:`~credit.financing.facts.FactKey`) and answers a
:class:`Finding`: ``PASS``, ``FAIL`` or ``MISSING`` (a fact it needs could not be had), with
what it observed, the threshold, a Chinese sentence citing the rule and, when it did not pass,
what the enterprise can do.  A rule fails on any known fact that fails it, even when another
fact it reads is missing; it never passes on a missing fact.

    finding = RULES[RuleId.TAX_GRADE].check(RuleInput(facts, params, day, policy, amount))

Thresholds come from the product (:class:`~credit.financing.products.ProductParameters`),
periods from :class:`~credit.policy.PublicityPolicy`; the ledger rules live in
:mod:`credit.financing.ledger_rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from credit.access import ConsentScope
from credit.advice import repair_channel
from credit.calendar import add_months
from credit.financing.facts import EnterpriseFacts, FactKey, Known, Missing, MissingReason
from credit.financing.products import ProductParameters, RuleId
from credit.policy import PublicityPolicy
from credit.publicity import (
    active_listings,
    escalation_due,
    publicity_window,
    repairable_from,
    visible_to_public,
)
from credit.records import CreditRecord, OperatingStatus, RecordKind, Registration, Severity

__all__ = [
    "RECORD_RULES",
    "Finding",
    "RuleDef",
    "RuleInput",
    "Verdict",
    "known_values",
    "listing_check",
    "missing_finding",
    "whole_months",
    "yuan_text",
]


class Verdict(StrEnum):
    PASS = "PASS"  # noqa: S105 (a verdict, not a password)
    FAIL = "FAIL"
    MISSING = "MISSING"


@dataclass(frozen=True, slots=True)
class RuleInput:
    facts: EnterpriseFacts
    params: ProductParameters
    day: dt.date
    policy: PublicityPolicy
    amount_yuan: Decimal
    suggested_limit_yuan: Decimal | None = None  # known once the limit is worked out
    needed_scopes: frozenset[ConsentScope] = frozenset()  # what the product's rules read


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's answer.  ``quality`` (0-1) grades a pass for the score; 0 otherwise."""

    verdict: Verdict
    text: str  # what was found, in Chinese
    observed: str | None
    threshold: str
    advice: str = ""
    quality: float = 0.0
    record_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleDef:
    id: RuleId
    title: str  # Chinese name, e.g. 纳税信用等级
    item: str  # which item of the DOMAIN.md §5 pre-check list, e.g. 第4项
    basis: str  # the law or policy cited with every message
    reads: tuple[FactKey, ...]
    weight: int  # share of the score
    check: Callable[[RuleInput], Finding]


def yuan_text(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


def known_values(
    facts: EnterpriseFacts, keys: Iterable[FactKey]
) -> tuple[dict[FactKey, object], list[Missing]]:
    """The known values among ``keys``, and the missing facts."""
    values: dict[FactKey, object] = {}
    missing: list[Missing] = []
    for key in keys:
        fact = facts.get(key)
        if isinstance(fact, Known):
            values[key] = fact.value
        else:
            missing.append(fact)
    return values, missing


def missing_finding(missing: Missing, threshold: str) -> Finding:
    if missing.reason is MissingReason.SOURCE_UNAVAILABLE:
        advice = "数据来源部门恢复后可重新预审"
    else:
        advice = "请向申请银行提供相应授权后重新预审"
    return Finding(Verdict.MISSING, f"无法核验：{missing.text()}", None, threshold, advice)


def _label(record: CreditRecord) -> str:
    return f"“{record.title}”（{record.authority or '—'}，{record.decided_on.isoformat()}）"


def listing_check(
    keys: tuple[FactKey, ...],
    threshold: str,
    hit: Callable[[CreditRecord, RuleInput], bool],
    found: Callable[[list[CreditRecord], RuleInput], tuple[str, str]],
    clean: str,
) -> Callable[[RuleInput], Finding]:
    """A rule that fails on any record ``hit`` selects; ``found`` gives (text, advice)."""

    def check(data: RuleInput) -> Finding:
        values, missing = known_values(data.facts, keys)
        records: list[CreditRecord] = []
        for value in values.values():
            assert isinstance(value, tuple)
            records.extend(r for r in value if hit(r, data))
        if records:
            text, advice = found(records, data)
            ids = tuple(r.id for r in records)
            return Finding(Verdict.FAIL, text, f"{len(records)}条", threshold, advice, 0.0, ids)
        if missing:
            return missing_finding(missing[0], threshold)
        return Finding(Verdict.PASS, clean, "无", threshold, quality=1.0)

    return check


def _listed(kinds: frozenset[RecordKind]) -> Callable[[CreditRecord, RuleInput], bool]:
    def hit(record: CreditRecord, data: RuleInput) -> bool:
        return bool(active_listings(record, data.day, data.policy) & kinds)

    return hit


def _defaulter_found(who: str) -> Callable[[list[CreditRecord], RuleInput], tuple[str, str]]:
    def found(records: list[CreditRecord], data: RuleInput) -> tuple[str, str]:
        days = data.policy.defaulter_removal_working_days
        text = f"{who}被列入失信被执行人名单{_label(records[0])}"
        advice = (
            f"履行生效法律文书确定的义务后，人民法院应在{days}个工作日内删除失信信息"
            f"（{_SPC}第十条）"
        )
        return text, advice

    return found


def _repair_advice(records: list[CreditRecord], data: RuleInput) -> str:
    found = [(d, r) for r in records if (d := repairable_from(r, data.policy)) is not None]
    if not found:
        return "依法纠正失信行为、履行相关义务后，由列入部门移出"
    when, record = max(found, key=lambda pair: pair[0])
    channel = repair_channel(record)
    if when <= data.day:
        return f"已满最短公示期，可通过{channel}申请信用修复"
    return f"自{when.isoformat()}起可通过{channel}申请信用修复"


def _serious_found(records: list[CreditRecord], data: RuleInput) -> tuple[str, str]:
    record = records[0]
    name = record.list_name or "严重违法失信名单"
    if record.escalated_from_abnormal:
        name = "严重违法失信名单（经营异常名录满期转入）"
    return f"被列入{name}{_label(record)}", _repair_advice(records, data)


def _abnormal_found(records: list[CreditRecord], data: RuleInput) -> tuple[str, str]:
    text = f"被列入经营异常名录{_label(records[0])}"
    due = escalation_due(records[0], data.day, data.policy, reported=False)
    if due is not None:
        text += f"，已满期未移出，将被列入严重违法失信名单（自{due.due_on.isoformat()}起应予列入）"
    return text, "履行公示义务（补报年度报告、更正公示信息）后可申请移出经营异常名录"


def _serious_penalty(record: CreditRecord, data: RuleInput) -> bool:
    penalty = record.kind in (RecordKind.ADMIN_PENALTY, RecordKind.MARKET_PENALTY)
    return (
        penalty
        and record.severity is Severity.SERIOUS
        and visible_to_public(record, data.day, data.policy)
    )


def _penalty_found(records: list[CreditRecord], data: RuleInput) -> tuple[str, str]:
    basis = publicity_window(records[0], data.policy).legal_basis
    text = f"受到严重行政处罚{_label(records[0])}，处于公示期内（{basis}）"
    return text, _repair_advice(records, data)


def _registration_check(
    test: Callable[[Registration, RuleInput], Finding], threshold: Callable[[RuleInput], str]
) -> Callable[[RuleInput], Finding]:
    def check(data: RuleInput) -> Finding:
        fact = data.facts.registration
        if isinstance(fact, Missing):
            return missing_finding(fact, threshold(data))
        return test(fact.value, data)

    return check


def _status(reg: Registration, data: RuleInput) -> Finding:
    if reg.status is OperatingStatus.ACTIVE:
        return Finding(Verdict.PASS, "登记状态为存续", reg.status.value, "存续", quality=1.0)
    return Finding(
        Verdict.FAIL,
        f"登记状态为{reg.status.value}，不是存续",
        reg.status.value,
        "存续",
        "企业须处于存续状态方可申请",
    )


def whole_months(start: dt.date, day: dt.date) -> int:
    """Whole months from ``start`` to ``day`` (民法典 第二百零二条's month counting)."""
    months = (day.year - start.year) * 12 + day.month - start.month
    while months > 0 and add_months(start, months) > day:
        months -= 1
    return max(months, 0)


def _months_needed(data: RuleInput) -> str:
    return f"≥{data.params.min_operating_months}个月"


def _operating(reg: Registration, data: RuleInput) -> Finding:
    need, established = data.params.min_operating_months, reg.established_on
    months = whole_months(established, data.day)
    observed = f"{months}个月（{established.isoformat()}成立）"
    if months >= need:
        text = f"已经营{months}个月"
        return Finding(Verdict.PASS, text, observed, _months_needed(data), quality=1.0)
    ready = add_months(established, need)
    advice = f"成立满{need}个月后（{ready.isoformat()}起）可再次申请"
    return Finding(Verdict.FAIL, f"仅经营{months}个月", observed, _months_needed(data), advice)


_SERIOUS_LISTS = frozenset({RecordKind.SERIOUS_VIOLATION, RecordKind.SERIOUS_DISHONESTY})
_SPC = "《最高人民法院关于公布失信被执行人名单信息的若干规定》"

_CUSTOMS_RULES = "《海关注册登记和备案企业信用管理办法》"
_CUSTOMS_DISHONEST = "CUSTOMS_DISHONEST"  # declared by the customs connector
_IP_RIGHTS = frozenset({"PATENT", "TRADEMARK"})  # declared by the IP office's connector


def _in_force(record: CreditRecord, day: dt.date) -> bool:
    return record.decided_on <= day and (record.ended_on is None or record.ended_on > day)


def _customs_dishonest(record: CreditRecord, data: RuleInput) -> bool:
    return record.kind == _CUSTOMS_DISHONEST and _in_force(record, data.day)


def _customs_found(records: list[CreditRecord], data: RuleInput) -> tuple[str, str]:
    text = f"被海关认定为失信企业{_label(records[0])}"
    advice = f"纠正失信行为、满足{_CUSTOMS_RULES}规定的条件后，可向海关申请信用修复"
    return text, advice


def _ip_pledgeable(data: RuleInput) -> Finding:
    """At least one patent or registered trademark in force, to pledge (知识产权质押融资)."""
    threshold = "持有至少一项有效专利或注册商标"
    values, missing = known_values(data.facts, (FactKey.IP_RECORDS,))
    if missing:
        return missing_finding(missing[0], threshold)
    records = values[FactKey.IP_RECORDS]
    assert isinstance(records, tuple)
    rights = [r for r in records if r.kind in _IP_RIGHTS and _in_force(r, data.day)]
    pledged = [r for r in records if r.kind == "IP_PLEDGE" and _in_force(r, data.day)]
    observed = f"{len(rights)}项有效专利或商标，{len(pledged)}项质押登记未注销"
    if not rights:
        advice = "知识产权质押融资须以有效的专利权或注册商标专用权出质"
        return Finding(Verdict.FAIL, "未持有有效的专利或注册商标", observed, threshold, advice)
    ids = tuple(r.id for r in rights)
    text = f"持有{len(rights)}项有效专利或注册商标，可办理质押登记"
    return Finding(Verdict.PASS, text, observed, threshold, quality=1.0, record_ids=ids)


RECORD_RULES: Mapping[RuleId, RuleDef] = {
    rule.id: rule
    for rule in (
        RuleDef(
            RuleId.ACTIVE_STATUS,
            "登记状态",
            "第1项",
            "企业登记状态须为存续",
            (FactKey.REGISTRATION,),
            10,
            _registration_check(_status, lambda data: "存续"),
        ),
        RuleDef(
            RuleId.OPERATING_MONTHS,
            "经营时间",
            "第5项",
            "企业成立须满产品要求的月数",
            (FactKey.REGISTRATION,),
            5,
            _registration_check(_operating, _months_needed),
        ),
        RuleDef(
            RuleId.NOT_DEFAULTER,
            "企业失信被执行人",
            "第2项",
            _SPC,
            (FactKey.COURT_RECORDS,),
            15,
            listing_check(
                (FactKey.COURT_RECORDS,),
                "不得为失信被执行人",
                _listed(frozenset({RecordKind.JUDGMENT_DEFAULTER})),
                _defaulter_found("企业"),
                "企业不在失信被执行人名单",
            ),
        ),
        RuleDef(
            RuleId.LEGAL_REP_NOT_DEFAULTER,
            "法定代表人失信被执行人",
            "第2项",
            _SPC,
            (FactKey.LEGAL_REP_RECORDS,),
            5,
            listing_check(
                (FactKey.LEGAL_REP_RECORDS,),
                "法定代表人不得为失信被执行人",
                _listed(frozenset({RecordKind.JUDGMENT_DEFAULTER})),
                _defaulter_found("法定代表人"),
                "法定代表人不在失信被执行人名单",
            ),
        ),
        RuleDef(
            RuleId.NO_SERIOUS_LISTS,
            "严重失信主体名单",
            "第3项",
            "《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）及全国严重失信主体名单",
            (FactKey.MARKET_RECORDS, FactKey.NATIONAL_RECORDS),
            15,
            listing_check(
                (FactKey.MARKET_RECORDS, FactKey.NATIONAL_RECORDS),
                "不得在任何严重失信主体名单内",
                _listed(_SERIOUS_LISTS),
                _serious_found,
                "不在严重违法失信名单及全国严重失信主体名单内",
            ),
        ),
        RuleDef(
            RuleId.NOT_ABNORMAL,
            "经营异常名录",
            "第3项",
            "《企业信息公示暂行条例》第十七条",
            (FactKey.MARKET_RECORDS,),
            5,
            listing_check(
                (FactKey.MARKET_RECORDS,),
                "不得在经营异常名录内",
                _listed(frozenset({RecordKind.ABNORMAL_OPERATION})),
                _abnormal_found,
                "不在经营异常名录内",
            ),
        ),
        RuleDef(
            RuleId.CUSTOMS_NOT_DISHONEST,
            "海关信用等级",
            "可选",
            _CUSTOMS_RULES,
            (FactKey.CUSTOMS_RECORDS,),
            10,
            listing_check(
                (FactKey.CUSTOMS_RECORDS,),
                "不得为海关失信企业",
                _customs_dishonest,
                _customs_found,
                "未被海关认定为失信企业",
            ),
        ),
        RuleDef(
            RuleId.IP_PLEDGEABLE,
            "可质押知识产权",
            "可选",
            "《专利权质押登记办法》《注册商标专用权质押登记程序规定》",
            (FactKey.IP_RECORDS,),
            10,
            _ip_pledgeable,
        ),
        RuleDef(
            RuleId.NO_SERIOUS_PENALTY,
            "严重行政处罚",
            "第7项",
            "《信用修复管理办法》（国家发展改革委令第36号）",
            (FactKey.MARKET_RECORDS,),
            10,
            listing_check(
                (FactKey.MARKET_RECORDS,),
                "不得有公示期内未修复的严重行政处罚",
                _serious_penalty,
                _penalty_found,
                "无公示期内未修复的严重行政处罚",
            ),
        ),
    )
}
"""The rules that read registration and records (the ledger rules are in ledger_rules)."""
