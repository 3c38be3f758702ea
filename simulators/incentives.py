"""Platform facts (the gateway's own database, not a bureau): 守信激励 red lists, 信用承诺,
信用评价 — for organisations.

They are consistent with the bureaus' facts:

* every A grade of the last three published years puts the taxpayer on the A级纳税人 list until
  the next publication; other red lists only take subjects with no negative listing;
* each repaired (or under-review) penalty has the 信用修复承诺 the repair needed (DOMAIN.md §4),
  and some permits were granted on a 告知承诺 (commitment instead of proof);
* evaluation levels follow the subject's standing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from credit.calendar import add_years
from credit.policy import PublicityPolicy
from credit.records import (
    CreditRecord,
    EntityType,
    RecordKind,
    RepairStatus,
    Source,
    TaxGrade,
    TaxGradeLetter,
)
from simulators.subject import Subject, Tier, pick_day
from simulators.tax_facts import published_on

__all__ = [
    "A_GRADE_LIST",
    "commitment",
    "commitments",
    "evaluation",
    "evaluations",
    "red_list",
    "red_lists",
]

A_GRADE_LIST = "A级纳税人"
_RED_LISTS = (
    # (name, authority, basis, share of clean enterprises, valid years or None)
    (
        "守合同重信用企业",
        "宁夏回族自治区市场监督管理局",
        "《守合同重信用企业公示工作管理办法》",
        0.05,
        2,
    ),
    (
        "劳动保障守法诚信示范单位",
        "宁夏回族自治区人力资源和社会保障厅",
        "《企业劳动保障守法诚信等级评价办法》",
        0.015,
        3,
    ),
    (
        "海关高级认证企业",
        "银川海关",
        "《中华人民共和国海关注册登记和备案企业信用管理办法》",
        0.005,
        None,
    ),
)
_REPAIR_TEXT = "本单位已纠正失信行为、履行相关义务，承诺今后依法诚信经营，如有违反愿承担相应责任"
_APPROVAL_TEXT = "申请人承诺所填报信息真实、准确，符合许可条件，如有虚假愿承担相应法律责任"
_VOLUNTARY_TEXT = "本单位自愿公开承诺依法诚信经营，接受社会监督"
_LEVELS = {
    Tier.GOOD: ("A", 85, 100),
    Tier.FAIR: ("B", 70, 85),
    Tier.POOR: ("C", 60, 70),
    Tier.BAD: ("D", 30, 60),
}
_INDUSTRY_SCHEMES = {
    "建筑工程": ("建筑市场主体信用评价", "宁夏回族自治区住房和城乡建设厅", ("AAA", "AA", "A", "B")),
    "物流": ("道路运输企业质量信誉考核", "宁夏回族自治区交通运输厅", ("AAA", "AA", "A", "B")),
}


def red_list(
    subject: Subject,
    name: str,
    authority: str,
    basis: str,
    *,
    number: int,
    listed: dt.date,
    until: dt.date | None,
) -> CreditRecord:
    return CreditRecord(
        id=f"HM-{subject.serial}-{number}",
        kind=RecordKind.RED_LIST,
        source=Source.PLATFORM,
        subject_code=subject.code,
        title=name,
        decided_on=listed,
        authority=authority,
        legal_basis=basis,
        publish_from=listed,
        ended_on=until,
        list_name=name,
    )


def red_lists(
    subject: Subject,
    rng: random.Random,
    grades: tuple[TaxGrade, ...],
    negatives: bool,
    policy: PublicityPolicy,
) -> tuple[CreditRecord, ...]:
    records: list[CreditRecord] = []
    for grade in grades:
        if grade.grade is TaxGradeLetter.A and grade.year >= subject.today.year - 4:
            until = published_on(grade.year + 1, policy) - dt.timedelta(days=1)
            records.append(
                red_list(
                    subject,
                    A_GRADE_LIST,
                    "国家税务总局宁夏回族自治区税务局",
                    "《纳税缴费信用管理办法》（国家税务总局公告2025年第12号）",
                    number=len(records),
                    listed=published_on(grade.year, policy),
                    until=until,
                )
            )
    if negatives or subject.kind is not EntityType.ENTERPRISE or subject.tier is not Tier.GOOD:
        return tuple(records)
    for name, authority, basis, share, years in _RED_LISTS:
        if rng.random() >= share:
            continue
        start = max(subject.established, dt.date(subject.today.year - 3, 1, 1))
        day = pick_day(rng, start, subject.last_day)
        if day is None:
            continue
        end = add_years(day, years) - dt.timedelta(days=1) if years else None
        records.append(
            red_list(subject, name, authority, basis, number=len(records), listed=day, until=end)
        )
    return tuple(records)


def commitment(
    subject: Subject,
    kind: str,
    text: str,
    *,
    number: int,
    made: dt.date,
    until: dt.date | None,
    status: str,
    related: str = "",
    authority: str = "",
) -> CreditRecord:
    details = {"content": text, "status": status}
    if related:
        details["related_record_id"] = related
    return CreditRecord(
        id=f"CN-{subject.serial}-{number}",
        kind=RecordKind.COMMITMENT,
        source=Source.PLATFORM,
        subject_code=subject.code,
        title=kind,
        decided_on=made,
        authority=authority or "信用中国（宁夏）",
        publish_from=made,
        ended_on=until,
        details=details,
    )


def commitments(
    subject: Subject, rng: random.Random, records: tuple[CreditRecord, ...]
) -> tuple[CreditRecord, ...]:
    made: list[CreditRecord] = []
    for record in records:
        if record.kind is RecordKind.PERMIT and rng.random() < 0.3:
            live = record.ended_on is None or record.ended_on >= subject.today
            made.append(
                commitment(
                    subject,
                    "审批替代型（告知承诺）",
                    _APPROVAL_TEXT,
                    number=len(made),
                    made=record.decided_on,
                    until=record.ended_on,
                    status="履约中" if live else "已履约",
                    authority=record.authority,
                )
            )
        elif record.repair_status is not RepairStatus.NONE:
            day = record.repaired_on or subject.last_day
            made.append(
                commitment(
                    subject,
                    "信用修复型",
                    _REPAIR_TEXT,
                    number=len(made),
                    made=day,
                    until=add_years(day, 3) - dt.timedelta(days=1),
                    status="履约中",
                    related=record.id,
                    authority=record.authority,
                )
            )
    if subject.tier is Tier.GOOD and rng.random() < 0.1:
        voluntary = pick_day(
            rng, max(subject.established, subject.today - dt.timedelta(days=360)), subject.last_day
        )
        if voluntary is not None:
            made.append(
                commitment(
                    subject,
                    "主动型",
                    _VOLUNTARY_TEXT,
                    number=len(made),
                    made=voluntary,
                    until=add_years(voluntary, 1) - dt.timedelta(days=1),
                    status="履约中",
                )
            )
    return tuple(made)


def evaluation(
    subject: Subject,
    scheme: str,
    authority: str,
    level: str,
    *,
    number: int,
    day: dt.date,
    score: Decimal | None = None,
) -> CreditRecord:
    """One 信用评价 result, valid for a year."""
    details = {"level": level}
    if score is not None:
        details["score"] = f"{score:f}"
    return CreditRecord(
        id=f"PJ-{subject.serial}-{number}",
        kind=RecordKind.EVALUATION,
        source=Source.PLATFORM,
        subject_code=subject.code,
        title=scheme,
        decided_on=day,
        authority=authority,
        publish_from=day,
        ended_on=add_years(day, 1) - dt.timedelta(days=1),
        details=details,
    )


def evaluations(subject: Subject, rng: random.Random) -> tuple[CreditRecord, ...]:
    if subject.kind is not EntityType.ENTERPRISE or subject.ended:
        return ()
    latest = dt.date(subject.today.year, 3, 31)
    if latest > subject.today:
        latest = dt.date(subject.today.year - 1, 3, 31)
    if subject.established >= latest:
        return ()
    found: list[CreditRecord] = []
    if rng.random() < 0.6:
        level, low, high = _LEVELS[subject.tier]
        score = Decimal(rng.randint(low * 10, high * 10 - 1)) / 10
        found.append(
            evaluation(
                subject,
                "公共信用综合评价",
                "宁夏回族自治区发展和改革委员会",
                level,
                number=len(found),
                day=latest,
                score=score,
            )
        )
    scheme = _INDUSTRY_SCHEMES.get(subject.industry.word if subject.industry else "")
    if scheme is not None and rng.random() < 0.7:
        name, authority, levels = scheme
        level = levels[min(int(subject.tier), len(levels) - 1)]
        found.append(evaluation(subject, name, authority, level, number=len(found), day=latest))
    return tuple(found)
