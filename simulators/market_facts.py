"""Market-regulation facts besides penalties: permits (``XK_``), 经营异常名录, 严重违法失信名单.

* Permits follow the subject's industry (a logistics firm holds a 道路运输经营许可证); they run
  five years and ``ended_on`` is the last valid day; most expired permits were renewed.
* Abnormal-operations entries mostly come from a missed annual report (listed in July or
  August, after the 30 June deadline); about half were removed after the duty was performed.
  An entry still listed after three years is due for the serious-violation list
  (:func:`credit.publicity.escalation`); the provincial bureau decides the listing
  :data:`ESCALATION_LAG` later (:func:`escalated_listing`, ``escalated_from_abnormal``).
* Other serious-violation entries are the ones listed on their own grounds.
"""

from __future__ import annotations

import datetime as dt
import random

from credit.calendar import add_years
from credit.policy import PublicityPolicy
from credit.publicity import escalation
from credit.records import CreditRecord, EntityType, RecordKind, Source
from simulators.codes import authority_code
from simulators.names import DIVISIONS, decision_prefix, market_bureau
from simulators.subject import Subject, Tier, pick_day

__all__ = [
    "ABNORMAL_REASONS",
    "abnormal_entry",
    "abnormal_records",
    "escalated_listing",
    "permit",
    "permit_records",
    "serious_violation_records",
]

# permit name -> (XK_XKLB category, issuing department template: {place} / {province})
_PERMITS: dict[str, tuple[str, str]] = {
    "食品经营许可证": ("普通", "{market}"),
    "食品生产许可证": ("普通", "{market}"),
    "道路运输经营许可证": ("普通", "{place}交通运输局"),
    "建筑业企业资质证书": ("认可", "宁夏回族自治区住房和城乡建设厅"),
    "排污许可证": ("普通", "{place}生态环境局"),
    "危险化学品经营许可证": ("普通", "{place}应急管理局"),
    "药品生产许可证": ("普通", "宁夏回族自治区药品监督管理局"),
    "电力业务许可证": ("特许", "国家能源局西北监管局"),
    "安全生产许可证": ("普通", "宁夏回族自治区应急管理厅"),
    "房地产开发企业资质证书": ("核准", "{place}住房和城乡建设局"),
    "种子生产经营许可证": ("普通", "{place}农业农村局"),
}
ABNORMAL_REASONS: tuple[tuple[str, str, str], ...] = (
    # (reason, legal basis, what removed it)
    (
        "未按照《企业信息公示暂行条例》第八条规定的期限公示年度报告",
        "《企业经营异常名录管理暂行办法》第四条第（一）项",
        "补报未报年份的年度报告并公示",
    ),
    (
        "通过登记的住所或者经营场所无法联系",
        "《企业经营异常名录管理暂行办法》第四条第（四）项",
        "依法办理住所或者经营场所变更登记",
    ),
    (
        "未在市场监督管理部门依照《企业信息公示暂行条例》责令的期限内公示有关企业信息",
        "《企业经营异常名录管理暂行办法》第四条第（二）项",
        "履行公示义务",
    ),
    (
        "公示企业信息隐瞒真实情况、弄虚作假",
        "《企业经营异常名录管理暂行办法》第四条第（三）项",
        "更正其公示的信息",
    ),
)
_SERIOUS_REASONS = (
    ("提交虚假材料或者采取其他欺诈手段隐瞒重要事实，取得公司登记，被依法撤销登记", "第十条"),
    ("因食品安全违法行为受到较重行政处罚", "第三条"),
    ("拒不执行市场监督管理部门责令召回缺陷产品的决定", "第四条"),
)
_ABNORMAL_RATE = {Tier.GOOD: 0.02, Tier.FAIR: 0.08, Tier.POOR: 0.3, Tier.BAD: 0.6}
_SERIOUS_RATE = {Tier.GOOD: 0.0, Tier.FAIR: 0.0, Tier.POOR: 0.01, Tier.BAD: 0.1}
_MARKET_REGISTERED = {
    EntityType.ENTERPRISE,
    EntityType.INDIVIDUAL_BUSINESS,
    EntityType.COOPERATIVE,
}


def _permit_name(rng: random.Random, subject: Subject) -> str | None:
    if subject.kind is EntityType.INDIVIDUAL_BUSINESS:
        return "食品经营许可证" if rng.random() < 0.5 else None
    if subject.kind is EntityType.COOPERATIVE:
        return "种子生产经营许可证" if rng.random() < 0.3 else None
    if subject.kind is EntityType.ENTERPRISE and subject.industry is not None:
        if subject.industry.permit and rng.random() < 0.85:
            return subject.industry.permit
        return "食品经营许可证" if rng.random() < 0.1 else None
    return None


def permit(
    subject: Subject, name: str, *, number: int, issued: dt.date, serial: int
) -> CreditRecord:
    category, template = _PERMITS[name]
    place = DIVISIONS[subject.division].removeprefix("宁夏回族自治区")
    authority = template.format(place=place, market=market_bureau(subject.division))
    valid_to = add_years(issued, 5) - dt.timedelta(days=1)
    decision_number = f"{decision_prefix(subject.division)}许字〔{issued.year}〕第{serial}号"
    return CreditRecord(
        id=f"XK-{subject.serial}-{number}",
        kind=RecordKind.PERMIT,
        source=Source.MARKET,
        subject_code=subject.code,
        title=name,
        decided_on=issued,
        authority=authority,
        authority_code=authority_code(authority, subject.division),
        case_number=decision_number,
        publish_from=issued,
        ended_on=valid_to,
        details={
            "XK_WSH": decision_number,
            "XK_XKLB": category,
            "XK_NR": f"准予核发{name}",
            "XK_YXQZ": issued.isoformat(),
        },
    )


def permit_records(subject: Subject, rng: random.Random) -> tuple[CreditRecord, ...]:
    name = _permit_name(rng, subject)
    if name is None:
        return ()
    issued = pick_day(rng, subject.established + dt.timedelta(days=20), subject.last_day)
    records: list[CreditRecord] = []
    number = 0
    while issued is not None and len(records) < 6:
        record = permit(subject, name, number=number, issued=issued, serial=rng.randrange(1, 5000))
        records.append(record)
        number += 1
        assert record.ended_on is not None
        if record.ended_on >= subject.last_day or rng.random() > 0.7:
            break
        renewal = record.ended_on - dt.timedelta(days=rng.randint(0, 40))
        issued = renewal if renewal <= subject.last_day else None
    return tuple(records)


def abnormal_entry(
    subject: Subject,
    *,
    number: int,
    listed: dt.date,
    reason: int = 0,
    removed: dt.date | None = None,
) -> CreditRecord:
    text, basis, cure = ABNORMAL_REASONS[reason]
    details = {"removal_reason": cure} if removed else {}
    bureau = market_bureau(subject.division)
    return CreditRecord(
        id=f"YC-{subject.serial}-{number}",
        kind=RecordKind.ABNORMAL_OPERATION,
        source=Source.MARKET,
        subject_code=subject.code,
        title=text,
        decided_on=listed,
        authority=bureau,
        authority_code=authority_code(bureau, subject.division),
        legal_basis=basis,
        publish_from=listed,
        ended_on=removed,
        details=details,
    )


def abnormal_records(subject: Subject, rng: random.Random) -> tuple[CreditRecord, ...]:
    if subject.kind not in _MARKET_REGISTERED or rng.random() >= _ABNORMAL_RATE[subject.tier]:
        return ()
    reason = rng.choices(range(len(ABNORMAL_REASONS)), weights=(70, 20, 5, 5))[0]
    if reason == 0:  # listed in the summer after a missed 30 June annual-report deadline
        years = [
            y
            for y in range(subject.today.year - 7, subject.today.year + 1)
            if dt.date(y, 8, 31) <= subject.last_day and y > subject.established.year
        ]
        if not years:
            return ()
        year = rng.choice(years)
        listed = pick_day(rng, dt.date(year, 7, 1), dt.date(year, 8, 31))
    else:
        start = max(
            subject.established + dt.timedelta(days=60), dt.date(subject.today.year - 7, 1, 1)
        )
        listed = pick_day(rng, start, subject.last_day)
    if listed is None:
        return ()
    removed = None
    if rng.random() < 0.55:
        removed = pick_day(rng, listed + dt.timedelta(days=20), subject.last_day)
    return (abnormal_entry(subject, number=0, listed=listed, reason=reason, removed=removed),)


_PROVINCIAL_BUREAU = "宁夏回族自治区市场监督管理厅"
ESCALATION_LAG = dt.timedelta(days=20)
"""How long after an entry is due the provincial bureau decides the listing (synthetic)."""


def escalated_listing(
    subject: Subject, entry: CreditRecord, policy: PublicityPolicy
) -> CreditRecord | None:
    """The serious-violation listing the bureau decided for an abnormal entry still listed
    after three years (企业信息公示暂行条例 第十七条), once decided by ``subject.last_day``."""
    due = escalation(entry, policy)
    if due is None:
        return None
    decided = due.due_on + ESCALATION_LAG
    if decided > subject.last_day or (entry.ended_on is not None and entry.ended_on < decided):
        return None
    return CreditRecord(
        id=f"YZ-{subject.serial}-Z",
        kind=RecordKind.SERIOUS_VIOLATION,
        source=Source.MARKET,
        subject_code=subject.code,
        title=f"被列入经营异常名录届满{policy.abnormal_escalation_years}年仍未履行相关义务",
        decided_on=decided,
        authority=_PROVINCIAL_BUREAU,
        authority_code=authority_code(_PROVINCIAL_BUREAU, subject.division),
        legal_basis="《企业信息公示暂行条例》第十七条",
        publish_from=decided,
        escalated_from_abnormal=True,
    )


def serious_violation_records(subject: Subject, rng: random.Random) -> tuple[CreditRecord, ...]:
    if subject.kind not in _MARKET_REGISTERED or rng.random() >= _SERIOUS_RATE[subject.tier]:
        return ()
    start = max(subject.established + dt.timedelta(days=90), dt.date(subject.today.year - 6, 1, 1))
    listed = pick_day(rng, start, subject.last_day)
    if listed is None:
        return ()
    reason, article = rng.choice(_SERIOUS_REASONS)
    removed = None
    if rng.random() < 0.3:
        removed = pick_day(rng, add_years(listed, 1), subject.last_day)
    bureau = market_bureau(subject.division)
    record = CreditRecord(
        id=f"YZ-{subject.serial}-0",
        kind=RecordKind.SERIOUS_VIOLATION,
        source=Source.MARKET,
        subject_code=subject.code,
        title=reason,
        decided_on=listed,
        authority=bureau,
        authority_code=authority_code(bureau, subject.division),
        legal_basis=f"《市场监督管理严重违法失信名单管理办法》{article}",
        publish_from=listed,
        ended_on=removed,
    )
    return (record,)
