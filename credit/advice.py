"""Concrete advice on improving a subject's credit standing, derived from its records.

:func:`advise` reads every record visible on the day (whatever its date: advice
is about the standing now) and the tax grade, and says, citing the rule: from
which date each record can be repaired and through which channel
(:func:`repair_channel`: market-regulation records through 国家企业信用信息公示系统, the
rest through 信用中国, 国办发〔2025〕22号), that a penalty can never be repaired when its
sanction bars it, when the court must delete a judgment-defaulter entry, that
filing the annual report takes a firm off the abnormal-operations list (and that
it is due to be listed as a serious violation — 将被列入 — once three years have
passed), how to lift a consumption restriction, and what keeps an A grade.
Periods come from the :class:`~credit.policy.PublicityPolicy` and the regime
that judged the record, never from this module. Each message ends with "。依据："
and the instrument (and article) it rests on.

    >>> from credit.records import CreditRecord, RecordKind, Source
    >>> penalty = CreditRecord(id="P1", kind=RecordKind.MARKET_PENALTY, source=Source.MARKET,
    ...     subject_code="91640104MA0K3P7W64", title="虚假宣传", authority="银川市市场监管局",
    ...     decided_on=dt.date(2026, 1, 10), sanctions=("罚款",))
    >>> print(advise([penalty], dt.date(2026, 6, 1), PublicityPolicy())[0].message)
    “虚假宣传”（银川市市场监管局，2026-01-10）最短公示期已于2026-04-10届满，...国家企业信用信息公示系统...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from credit.classification import current_tax_grade
from credit.periods import DISCLOSURE, SAMR_PUBLICITY
from credit.policy import PublicityPolicy
from credit.publicity import (
    PublicityWindow,
    escalation,
    escalation_due,
    escalation_reported,
    publicity_window,
    visible_to_public,
)
from credit.records import (
    KIND_TRAITS,
    CreditRecord,
    RecordKind,
    RepairStatus,
    TaxGrade,
    TaxGradeLetter,
)

__all__ = [
    "CREDIT_CHINA_CHANNEL",
    "MARKET_CHANNEL",
    "Advice",
    "AdviceCode",
    "advise",
    "repair_channel",
]

_SPC_PUBLISH = "《最高人民法院关于公布失信被执行人名单信息的若干规定》第十条"
_SPC_CONSUME = "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》"
_TAX_RULE = "《纳税缴费信用管理办法》"
_REPAIR_STEPS = "纠正失信行为、履行相关义务并作出信用承诺后"
_PENALTIES = frozenset({RecordKind.ADMIN_PENALTY, RecordKind.MARKET_PENALTY})
_MARKET_REGULATION = frozenset(
    {RecordKind.MARKET_PENALTY, RecordKind.ABNORMAL_OPERATION, RecordKind.SERIOUS_VIOLATION}
)
_CHANNEL_RULE = "《关于进一步完善信用修复制度的实施方案》（国办发〔2025〕22号）"


class AdviceCode(StrEnum):
    REPAIR_AVAILABLE = "REPAIR_AVAILABLE"  # the minimum period has passed
    REPAIR_LATER = "REPAIR_LATER"  # repairable from a future date
    REPAIR_PENDING = "REPAIR_PENDING"  # an application is under review
    NOT_REPAIRABLE = "NOT_REPAIRABLE"  # the sanction bars repair: it ends with its period
    EXPIRES_BY_ITSELF = "EXPIRES_BY_ITSELF"  # a short window with no repair route
    PERFORM_JUDGMENT = "PERFORM_JUDGMENT"
    REMOVAL_DUE = "REMOVAL_DUE"  # the court must delete the entry by a date
    LEAVE_ABNORMAL_LIST = "LEAVE_ABNORMAL_LIST"
    ESCALATION_DUE = "ESCALATION_DUE"  # 将被列入: due for the serious-violation list
    LIFT_RESTRICTION = "LIFT_RESTRICTION"
    LEAVE_SERIOUS_LIST = "LEAVE_SERIOUS_LIST"
    KEEP_A_GRADE = "KEEP_A_GRADE"
    IMPROVE_TAX_GRADE = "IMPROVE_TAX_GRADE"
    KEEP_GOOD_RECORD = "KEEP_GOOD_RECORD"


@dataclass(frozen=True, slots=True)
class Advice:
    code: AdviceCode
    message: str
    record_id: str | None = None


MARKET_CHANNEL = "国家企业信用信息公示系统"
CREDIT_CHINA_CHANNEL = "“信用中国”网站"


def repair_channel(record: CreditRecord) -> str:
    """Where a repair is applied for: market regulation's records through its own system, a
    bureau's declared kind where it declared (customs: in writing to customs), the rest through
    信用中国 (国办发〔2025〕22号: "市场监管领域信用修复依托国家企业信用信息公示系统按照国家统一规则
    办理")."""
    if record.kind in _MARKET_REGULATION:
        return MARKET_CHANNEL
    declared = KIND_TRAITS.get(record.kind)
    if declared is not None and declared.repair_channel is not None:
        return declared.repair_channel
    return CREDIT_CHINA_CHANNEL


def _instrument(legal_basis: str) -> str:
    """The instrument a basis text cites: the part before its first "：" (colon)."""
    return legal_basis.split("：", 1)[0]


def _cite(text: str, source: str) -> str:
    return f"{text}。依据：{source}"


def _label(record: CreditRecord) -> str:
    return f"“{record.title}”（{record.authority or '—'}，{record.decided_on.isoformat()}）"


def _defaulter_advice(
    record: CreditRecord, window: PublicityWindow, policy: PublicityPolicy
) -> Iterator[Advice]:
    label, rid, days = _label(record), record.id, policy.defaulter_removal_working_days
    ground = record.defaulter_ground
    if ground is not None and 2 <= ground <= 6 and window.max_until is not None:
        text = (
            f"{label}：因第一条第{ground}项情形纳入，纳入期限至{window.max_until.isoformat()}，"
            f"人民法院应在期限届满后{days}个工作日内（{window.visible_until}前）删除；"
            "期限内履行义务的不提前删除，是否提前删除由人民法院决定"
        )
        # 第十条第二款: a listing with a term is deleted after it, performed or not; 第二条第二款:
        # the court may delete it early for active performance (reported as ``deleted_on``)
        basis = f"{_SPC_PUBLISH}第二款、第二条第二款"
        yield Advice(AdviceCode.REMOVAL_DUE, _cite(text, basis), rid)
    elif record.ended_on is None:
        text = f"{label}：履行生效法律文书确定的义务后，人民法院应在{days}个工作日内删除失信信息"
        yield Advice(AdviceCode.PERFORM_JUDGMENT, _cite(text, _SPC_PUBLISH), rid)
    elif window.visible_until is not None:
        text = (
            f"{label}：义务已于{record.ended_on.isoformat()}履行，人民法院应于"
            f"{window.visible_until.isoformat()}前删除失信信息"
        )
        yield Advice(AdviceCode.REMOVAL_DUE, _cite(text, _SPC_PUBLISH), rid)


def _abnormal_advice(
    record: CreditRecord, day: dt.date, policy: PublicityPolicy, reported: bool
) -> Iterator[Advice]:
    label, rid = _label(record), record.id
    escalated = escalation(record, policy)
    due = escalation_due(record, day, policy, reported)
    if record.ended_on is None:
        text = f"{label}：补报年度报告或履行相应公示义务后，可申请移出经营异常名录"
        if escalated is not None and day < escalated.due_on:
            text += f"；逾期未移出的，自{escalated.due_on.isoformat()}起将被列入严重违法失信名单"
        yield Advice(AdviceCode.LEAVE_ABNORMAL_LIST, _cite(text, DISCLOSURE), rid)
    if due is not None:
        text = (
            f"{label}列入经营异常名录已满{policy.abnormal_escalation_years}年，"
            f"将被列入严重违法失信名单（自{due.due_on.isoformat()}起应予列入，"
            "以市场监督管理部门作出的列入决定为准）；请尽快补报年度报告、履行公示义务"
        )
        yield Advice(AdviceCode.ESCALATION_DUE, _cite(text, due.legal_basis.split("：")[0]), rid)


def _record_advice(
    record: CreditRecord, day: dt.date, policy: PublicityPolicy, reported: bool
) -> Iterator[Advice]:
    window = publicity_window(record, policy)
    label, rid, kind = _label(record), record.id, record.kind
    channel = repair_channel(record)
    cited = window.regime.citation if window.regime else _instrument(window.legal_basis)
    if record.repair_status is RepairStatus.APPLIED:
        text = f"{label}的信用修复申请正在审核中，请留意{channel}的反馈"
        yield Advice(AdviceCode.REPAIR_PENDING, text, rid)
    elif window.repairable_from is not None and window.min_until is not None:
        passed = day >= window.repairable_from
        text = _cite(
            f"{label}最短公示期{'已于' if passed else '将于'}{window.min_until.isoformat()}届满，"
            f"{_REPAIR_STEPS}，自{window.repairable_from.isoformat()}起可通过{channel}"
            "申请信用修复",
            f"{cited}；{_CHANNEL_RULE}",
        )
        code = AdviceCode.REPAIR_AVAILABLE if passed else AdviceCode.REPAIR_LATER
        yield Advice(code, text, rid)
    elif kind in _PENALTIES and not window.repairable and window.visible_until is not None:
        text = _cite(
            f"{label}依法不可申请信用修复，公示期至{window.visible_until.isoformat()}届满后停止公示",
            f"{SAMR_PUBLICITY}第十四条",
        )
        yield Advice(AdviceCode.NOT_REPAIRABLE, text, rid)
    elif kind in _PENALTIES and window.visible_until is not None:
        text = _cite(
            f"{label}公示期至{window.visible_until.isoformat()}届满后自动停止公示，无需申请信用修复",
            cited,
        )
        yield Advice(AdviceCode.EXPIRES_BY_ITSELF, text, rid)
    if kind is RecordKind.JUDGMENT_DEFAULTER:
        yield from _defaulter_advice(record, window, policy)
    if kind is RecordKind.ABNORMAL_OPERATION:
        yield from _abnormal_advice(record, day, policy, reported)
    if kind is RecordKind.CONSUMPTION_RESTRICTION:
        text = _cite(
            f"{label}：履行义务或者提供确实有效的担保后，可向人民法院申请解除限制消费令",
            _SPC_CONSUME,
        )
        yield Advice(AdviceCode.LIFT_RESTRICTION, text, rid)
    if kind is RecordKind.SERIOUS_DISHONESTY:
        name = record.list_name or "严重失信主体名单"
        text = f"{label}：纠正失信行为、履行相关义务后，可按{name}的管理规定向列入部门申请移出"
        yield Advice(AdviceCode.LEAVE_SERIOUS_LIST, text, rid)


def _tax_advice(
    grades: Iterable[TaxGrade], day: dt.date, policy: PublicityPolicy
) -> Iterator[Advice]:
    current = current_tax_grade(grades, day, policy)
    if current is None:
        return
    if current.grade is TaxGradeLetter.A:
        text = _cite(
            f"{current.year}年度纳税信用等级为A级：请继续依法按时申报缴税，保持A级以持续享受"
            "守信激励措施",
            _TAX_RULE,
        )
        yield Advice(AdviceCode.KEEP_A_GRADE, text)
    elif current.grade in {TaxGradeLetter.C, TaxGradeLetter.D}:
        head = f"{current.year}年度纳税信用等级为{current.grade.value}级："
        if current.grade is TaxGradeLetter.D and current.assigned_directly:
            # a direct D is kept into its second year: the next evaluation cannot lift it
            years = policy.tax_direct_d_years
            head += f"直接判为D级的，D级评价保留{years}年；"
        else:
            head += "纠正纳税失信行为、依法按时申报缴税后，可在下一评价年度提升等级；"
        text = _cite(head + "符合条件的可向税务机关申请纳税缴费信用修复", _TAX_RULE)
        yield Advice(AdviceCode.IMPROVE_TAX_GRADE, text)


def advise(
    records: Iterable[CreditRecord],
    day: dt.date,
    policy: PublicityPolicy,
    *,
    tax_grades: Iterable[TaxGrade] = (),
) -> list[Advice]:
    """Advice for the subject on ``day``; never empty (a clean record is told to keep it)."""
    records = list(records)
    reported = escalation_reported(records, day)
    found: list[Advice] = []
    for record in records:
        if visible_to_public(record, day, policy):
            found.extend(_record_advice(record, day, policy, reported))
    found.extend(_tax_advice(tax_grades, day, policy))
    if all(a.code is AdviceCode.KEEP_A_GRADE for a in found):
        text = "当前无需要修复的失信记录，请继续保持良好信用；作出并履行信用承诺有助于积累守信记录"
        found.append(Advice(AdviceCode.KEEP_GOOD_RECORD, text))
    return found
