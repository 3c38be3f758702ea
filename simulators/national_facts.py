"""National serious-dishonesty lists (全国信用信息共享平台), for market-registered organisations.

Each entry is a ``SERIOUS_DISHONESTY`` record naming its list, the listing authority and the
rule it rests on.  重大税收违法失信主体 entries are removed when their three years are up; the
others are removed by the listing authority after the subject corrects its conduct (a third of
them, at least a year after listing).  The tax generator reads these entries: a 重大税收违法
listing makes that year's tax credit grade a direct D.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import NamedTuple

from credit.calendar import add_years
from credit.records import CreditRecord, EntityType, RecordKind, Severity, Source
from simulators.codes import authority_code
from simulators.subject import Subject, Tier, pick_day

__all__ = ["MAJOR_TAX_LIST", "NATIONAL_LISTS", "NationalList", "national_entry", "national_records"]


class NationalList(NamedTuple):
    name: str
    authority: str
    basis: str
    reason: str
    weight: int


MAJOR_TAX_LIST = "重大税收违法失信主体"
NATIONAL_LISTS: tuple[NationalList, ...] = (
    NationalList(
        MAJOR_TAX_LIST,
        "国家税务总局宁夏回族自治区税务局",
        "《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）",
        "虚开增值税专用发票",
        30,
    ),
    NationalList(
        "政府采购严重违法失信行为记录名单",
        "宁夏回族自治区财政厅",
        "《中华人民共和国政府采购法》第七十七条",
        "提供虚假材料谋取中标、成交",
        15,
    ),
    NationalList(
        "安全生产严重失信主体名单",
        "宁夏回族自治区应急管理厅",
        "《安全生产严重失信主体名单管理办法》（应急管理部令第11号）",
        "发生较大生产安全事故负有责任",
        20,
    ),
    NationalList(
        "拖欠农民工工资失信联合惩戒对象名单",
        "宁夏回族自治区人力资源和社会保障厅",
        "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）",
        "克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准",
        25,
    ),
    NationalList(
        "统计严重失信企业名单",
        "宁夏回族自治区统计局",
        "《统计严重失信企业信用管理办法》",
        "统计造假、弄虚作假",
        10,
    ),
)
_RATE = {Tier.GOOD: 0.0, Tier.FAIR: 0.002, Tier.POOR: 0.05, Tier.BAD: 0.4}
_COVERED = {EntityType.ENTERPRISE, EntityType.INDIVIDUAL_BUSINESS, EntityType.COOPERATIVE}


def national_entry(
    subject: Subject, entry: NationalList, *, number: int, listed: dt.date, removed: dt.date | None
) -> CreditRecord:
    return CreditRecord(
        id=f"GJ-{subject.serial}-{number}",
        kind=RecordKind.SERIOUS_DISHONESTY,
        source=Source.NATIONAL,
        subject_code=subject.code,
        title=entry.name,
        decided_on=listed,
        authority=entry.authority,
        authority_code=authority_code(entry.authority, subject.division),
        legal_basis=entry.basis,
        severity=Severity.SERIOUS,
        publish_from=listed,
        ended_on=removed,
        list_name=entry.name,
        details={"reason": entry.reason},
    )


def national_records(subject: Subject, rng: random.Random) -> tuple[CreditRecord, ...]:
    if subject.kind not in _COVERED or rng.random() >= _RATE[subject.tier]:
        return ()
    start = max(subject.established + dt.timedelta(days=180), dt.date(subject.today.year - 6, 1, 1))
    count = 1 if rng.random() < 0.8 else 2
    chosen = rng.sample(NATIONAL_LISTS, k=count, counts=[e.weight for e in NATIONAL_LISTS])
    records = []
    for n, entry in enumerate(dict.fromkeys(chosen)):  # the same list at most once
        listed = pick_day(rng, start, subject.last_day)
        if listed is None:
            break
        if entry.name == MAJOR_TAX_LIST:
            end = add_years(listed, 3) - dt.timedelta(days=1)
            removed = end if end <= subject.last_day else None
        elif rng.random() < 0.33:
            removed = pick_day(rng, add_years(listed, 1), subject.last_day)
        else:
            removed = None
        records.append(national_entry(subject, entry, number=n, listed=listed, removed=removed))
    return tuple(records)
