"""Court facts: 失信被执行人 entries and 限制消费令, for organisations and persons.

Case numbers follow the courts' style, ``(2023)宁0104执1234号`` (year, province, court code,
执 for an enforcement case).  Grounds are the six of the SPC 2017 provisions Art. 1; grounds 2-6
may be aggravated by 1-3 years (Art. 2); about 40 % of cases are performed later (Art. 10: the
entry is then removed).  Most defaulter cases also carry a consumption-restriction order, and a
few orders stand alone.

Each entry carries what the court's list prints: the case number (案号), the executing court
(执行法院) and its 统一社会信用代码, and for a defaulter the performance (履行情况): 全部履行 once
performed, otherwise 全部未履行 or, for about a third (chosen by the entry id, so no random draw
moves), 部分履行.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from decimal import Decimal

from credit.money import yuan
from credit.records import CreditRecord, Performance, RecordKind, Severity, Source
from simulators.codes import authority_code
from simulators.names import COURTS
from simulators.subject import Subject, Tier, pick_day

__all__ = ["GROUNDS", "court_records", "defaulter", "restriction"]

GROUNDS: dict[int, str] = {
    1: "有履行能力而拒不履行生效法律文书确定义务",
    2: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    3: "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    4: "违反财产报告制度",
    5: "违反限制消费令",
    6: "无正当理由拒不履行执行和解协议",
}
_GROUND_WEIGHTS = (55, 8, 10, 17, 5, 5)
_OBLIGATIONS = (
    "给付申请执行人货款及逾期付款利息",
    "偿还借款本金及利息",
    "支付拖欠的工程款",
    "支付劳动报酬及经济补偿金",
    "赔偿经济损失",
)
_BASIS = "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第（{n}）项"
_RESTRICTION_BASIS = "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第一条"

_DEFAULTER_RATE = {
    False: {Tier.GOOD: 0.0, Tier.FAIR: 0.01, Tier.POOR: 0.12, Tier.BAD: 0.6},  # organisations
    True: {Tier.GOOD: 0.002, Tier.FAIR: 0.01, Tier.POOR: 0.06, Tier.BAD: 0.4},  # persons
}
_LONE_RESTRICTION_RATE = {Tier.GOOD: 0.0, Tier.FAIR: 0.005, Tier.POOR: 0.05, Tier.BAD: 0.1}


def _case_number(rng: random.Random, subject: Subject, filed: dt.date) -> str:
    court_code = COURTS[subject.division][0]
    return f"({filed.year})宁{court_code}执{rng.randrange(1, 6000)}号"


def _amount(rng: random.Random, subject: Subject) -> Decimal:
    low, high = (10_000, 500_000) if subject.is_person else (50_000, 5_000_000)
    return yuan(rng.randrange(low, high, 100))


def defaulter(
    subject: Subject,
    *,
    number: int,
    case: str,
    filed: dt.date,
    decided: dt.date,
    ground: int,
    aggravated_years: int = 0,
    performed: dt.date | None = None,
    amount: Decimal,
    obligation: str = _OBLIGATIONS[0],
) -> CreditRecord:
    """One 失信被执行人 entry (the boundary subjects build theirs with this too)."""
    details = {"filed_on": filed.isoformat(), "obligation": obligation}
    if not subject.is_person:
        details["legal_rep"] = subject.legal_rep_name
    entry_id = f"JD-{subject.serial}-{number}"
    court = COURTS[subject.division][1]
    return CreditRecord(
        id=entry_id,
        kind=RecordKind.JUDGMENT_DEFAULTER,
        source=Source.COURT,
        subject_code=subject.code,
        title=case,
        decided_on=decided,
        authority=court,
        authority_code=authority_code(court, subject.division),
        case_number=case,
        executing_court=court,
        performance=_performance(entry_id, performed),
        legal_basis=_BASIS.format(n="一二三四五六"[ground - 1]) + "：" + GROUNDS[ground],
        severity=Severity.SERIOUS,
        publish_from=decided,
        ended_on=performed,
        amount_yuan=amount,
        defaulter_ground=ground,
        aggravated_years=aggravated_years,
        details=details,
    )


def _performance(entry_id: str, performed: dt.date | None) -> Performance:
    if performed is not None:
        return Performance.FULL
    return Performance.PARTIAL if zlib.crc32(entry_id.encode()) % 3 == 0 else Performance.NONE


def restriction(
    subject: Subject,
    *,
    number: int,
    case: str,
    decided: dt.date,
    lifted: dt.date | None,
) -> CreditRecord:
    details = {"restricted": subject.name if subject.is_person else subject.legal_rep_name}
    court = COURTS[subject.division][1]
    return CreditRecord(
        id=f"XF-{subject.serial}-{number}",
        kind=RecordKind.CONSUMPTION_RESTRICTION,
        source=Source.COURT,
        subject_code=subject.code,
        title=case,
        decided_on=decided,
        authority=court,
        authority_code=authority_code(court, subject.division),
        case_number=case,
        executing_court=court,
        legal_basis=_RESTRICTION_BASIS,
        publish_from=decided,
        ended_on=lifted,
        details=details,
    )


def court_records(subject: Subject, rng: random.Random) -> tuple[CreditRecord, ...]:
    records: list[CreditRecord] = []
    start = max(subject.established + dt.timedelta(days=180), dt.date(subject.today.year - 7, 1, 1))
    cases = 0
    if rng.random() < _DEFAULTER_RATE[subject.is_person][subject.tier]:
        cases = 1 if rng.random() < 0.75 else 2
    for n in range(cases):
        filed = pick_day(rng, start, subject.last_day - dt.timedelta(days=120))
        if filed is None:
            break
        case = _case_number(rng, subject, filed)
        decided = filed + dt.timedelta(days=rng.randint(30, 110))
        ground = rng.choices(range(1, 7), weights=_GROUND_WEIGHTS)[0]
        aggravated = rng.randint(1, 3) if ground >= 2 and rng.random() < 0.15 else 0
        performed = None
        if rng.random() < 0.4:
            performed = pick_day(rng, decided + dt.timedelta(days=20), subject.last_day)
        records.append(
            defaulter(
                subject,
                number=n,
                case=case,
                filed=filed,
                decided=decided,
                ground=ground,
                aggravated_years=aggravated,
                performed=performed,
                amount=_amount(rng, subject),
                obligation=rng.choice(_OBLIGATIONS),
            )
        )
        if rng.random() < 0.85:
            ordered = filed + dt.timedelta(days=rng.randint(5, 25))
            records.append(
                restriction(subject, number=n, case=case, decided=ordered, lifted=performed)
            )
    if rng.random() < _LONE_RESTRICTION_RATE[subject.tier]:
        filed = pick_day(rng, start, subject.last_day - dt.timedelta(days=30))
        if filed is not None:
            case = _case_number(rng, subject, filed)
            decided = filed + dt.timedelta(days=rng.randint(5, 25))
            lifted = pick_day(rng, decided, subject.last_day) if rng.random() < 0.5 else None
            records.append(
                restriction(subject, number=9, case=case, decided=decided, lifted=lifted)
            )
    return tuple(records)
