"""Administrative penalties as the 双公示 feed states them (DOMAIN.md §6: the ``CF_`` fields).

Two families share the feed: penalties decided by 市场监督管理局 are ``MARKET_PENALTY`` (SAMR
regimes; ``minor_sanction`` for a fine of at most 1 万元 with nothing seized), the others
(生态环境, 应急管理, 税务, 住建) are ``ADMIN_PENALTY`` with a severity (NDRC regimes).  The feed
also carries what market regulation never publishes (SAMR Order 45 Art. 2), marked so the
connector can drop it: a warning alone (``sanctions == ("警告",)``) and a fine of at most 3,000
yuan decided under 简易程序 (行政处罚法 第五十一条: ``simple_procedure``).  A 销售不合格产品
fine of 8 万元 or more also orders 责令停产停业, which bars repair.  The printed end of publicity
(``CF_GSJZQ``) comes from :mod:`credit.publicity`, so the periods live in
:class:`~credit.policy.PublicityPolicy` only.  Fines are drawn in 万元 and stored in yuan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal
from typing import NamedTuple

from credit.money import wan_to_yuan
from credit.policy import PublicityPolicy
from credit.publicity import publicity_window
from credit.records import CreditRecord, EntityType, RecordKind, RepairStatus, Severity, Source
from simulators.codes import authority_code
from simulators.names import DIVISIONS, decision_prefix, market_bureau
from simulators.subject import Subject, Tier, pick_day

__all__ = ["VIOLATIONS", "Violation", "penalty", "penalty_records"]


class Violation(NamedTuple):
    kind: RecordKind
    department: str  # deciding department, without the place: 市场监督管理局, 生态环境局, ...
    number_word: str  # in decision numbers: 兴市监处罚〔2024〕12号
    violation: str  # CF_WFXW
    facts: str  # CF_SY
    basis: str  # CF_YJ
    category: str  # CF_CFLB
    fine_wan: tuple[str, str]  # fine range in 万元 ("0", "0") for none
    grave: str = ""  # a further sanction ordered from a fine of 8 万元 (e.g. 责令停产停业)


_M, _A = RecordKind.MARKET_PENALTY, RecordKind.ADMIN_PENALTY
VIOLATIONS: tuple[Violation, ...] = (
    Violation(
        _M,
        "市场监督管理局",
        "市监处罚",
        "不明码标价",
        "当事人销售商品未按规定明码标价",
        "《中华人民共和国价格法》第四十二条",
        "警告",
        ("0", "0"),
    ),
    Violation(
        _M,
        "市场监督管理局",
        "市监处罚",
        "无照经营",
        "当事人未依法取得营业执照从事经营活动",
        "《无证无照经营查处办法》第十三条",
        "罚款",
        ("0.1", "1"),
    ),
    Violation(
        _M,
        "市场监督管理局",
        "市监处罚",
        "虚假宣传",
        "当事人在网店页面发布无法证实的“销量第一”等宣传内容",
        "《中华人民共和国反不正当竞争法》第二十条第一款",
        "罚款",
        ("1", "20"),
    ),
    Violation(
        _M,
        "市场监督管理局",
        "市监处罚",
        "销售不合格产品",
        "当事人销售的产品经监督抽查不合格",
        "《中华人民共和国产品质量法》第四十九条",
        "没收违法所得；罚款",
        ("0.5", "10"),
        "责令停产停业",
    ),
    Violation(
        _M,
        "市场监督管理局",
        "市监处罚",
        "经营超过保质期的食品",
        "当事人经营超过保质期的预包装食品",
        "《中华人民共和国食品安全法》第一百二十四条第一款",
        "没收违法所得；罚款",
        ("5", "15"),
    ),
    Violation(
        _M,
        "市场监督管理局",
        "市监处罚",
        "侵犯注册商标专用权",
        "当事人销售侵犯他人注册商标专用权的商品",
        "《中华人民共和国商标法》第六十条第二款",
        "没收侵权商品；罚款",
        ("1", "30"),
    ),
    Violation(
        _A,
        "生态环境局",
        "环罚",
        "超标排放大气污染物",
        "当事人锅炉排放口颗粒物浓度超过排放标准",
        "《中华人民共和国大气污染防治法》第九十九条",
        "罚款",
        ("10", "100"),
    ),
    Violation(
        _A,
        "应急管理局",
        "应急罚",
        "未按规定开展安全生产教育和培训",
        "当事人未对从业人员进行安全生产教育和培训",
        "《中华人民共和国安全生产法》第九十七条",
        "罚款",
        ("1", "10"),
    ),
    Violation(
        _A,
        "税务局",
        "税简罚",
        "未按照规定期限办理纳税申报",
        "当事人未按照规定期限办理纳税申报和报送纳税资料",
        "《中华人民共和国税收征收管理法》第六十二条",
        "罚款",
        ("0.02", "0.2"),
    ),
    Violation(
        _A,
        "住房和城乡建设局",
        "建罚",
        "未取得施工许可证擅自施工",
        "当事人未取得施工许可证擅自开工建设",
        "《建筑工程施工许可管理办法》第十二条",
        "责令停止施工；罚款",
        ("1", "5"),
    ),
)
_GRAVE_FROM_WAN = Decimal(8)
_SIMPLE_PROCEDURE_WAN = Decimal("0.3")  # 行政处罚法 第五十一条: 对法人 3,000 元以下罚款
_RATE = {Tier.GOOD: 0.03, Tier.FAIR: 0.15, Tier.POOR: 0.35, Tier.BAD: 0.6}
_ORGS_WITHOUT_MARKET_PENALTIES = {
    EntityType.PUBLIC_INSTITUTION,
    EntityType.SOCIAL_ORGANISATION,
    EntityType.RURAL_COLLECTIVE,
}


def _authority(violation: Violation, division: str) -> str:
    if violation.kind is _M:
        return market_bureau(division)
    place = DIVISIONS[division].removeprefix("宁夏回族自治区")
    if violation.department == "税务局":
        return f"国家税务总局{place}税务局"
    return place + violation.department


def penalty(
    subject: Subject,
    violation: Violation,
    *,
    number: int,
    decided: dt.date,
    published: dt.date,
    fine_wan: Decimal,
    severity: Severity,
    policy: PublicityPolicy,
    serial: int = 1,
) -> CreditRecord:
    """One penalty with its ``CF_`` texts; ``declared_publicity_until`` from the policy."""
    authority = _authority(violation, subject.division)
    minor = violation.kind is _M and fine_wan <= 1 and "没收" not in violation.category
    sanctions = tuple(violation.category.split("；"))
    if violation.grave and fine_wan >= _GRAVE_FROM_WAN:
        sanctions += (violation.grave,)
    content = violation.category + (f"人民币{fine_wan:f}万元" if fine_wan else "")
    if len(sanctions) > len(violation.category.split("；")):
        content += "；" + sanctions[-1]
    decision_number = (
        f"{decision_prefix(subject.division)}{violation.number_word}〔{decided.year}〕{serial}号"
    )
    record = CreditRecord(
        id=f"CF-{subject.serial}-{number}",
        kind=violation.kind,
        source=Source.MARKET,
        subject_code=subject.code,
        title=violation.violation,
        decided_on=decided,
        authority=authority,
        authority_code=authority_code(authority, subject.division),
        case_number=decision_number,
        legal_basis=violation.basis,
        severity=severity,
        publish_from=published,
        amount_yuan=wan_to_yuan(fine_wan) if fine_wan else None,
        minor_sanction=minor,
        sanctions=sanctions,
        simple_procedure=sanctions == ("罚款",) and fine_wan <= _SIMPLE_PROCEDURE_WAN,
        details={
            "CF_WSH": decision_number,
            "CF_SY": violation.facts,
            "CF_CFLB": "；".join(sanctions),
            "CF_NR": content,
            "CF_SJLY": authority,
        },
    )
    window = publicity_window(record, policy)
    return dataclasses.replace(record, declared_publicity_until=window.max_until)


def _severity(rng: random.Random, violation: Violation, fine_wan: Decimal) -> Severity:
    if violation.kind is _M:  # the minor regime: a warning or a small fine, nothing seized
        minor = fine_wan <= 1 and "没收" not in violation.category
        return Severity.MINOR if minor else Severity.GENERAL
    roll = rng.random()
    return Severity.MINOR if roll < 0.15 else Severity.SERIOUS if roll > 0.85 else Severity.GENERAL


def _repair(
    rng: random.Random, record: CreditRecord, subject: Subject, policy: PublicityPolicy
) -> CreditRecord:
    """Some penalties past their minimum publicity were repaired (or are being reviewed)."""
    window = publicity_window(record, policy)
    opens = window.repairable_from
    if opens is None or opens > subject.last_day:
        return record
    roll = rng.random()
    if roll < 0.2:
        day = pick_day(rng, opens, subject.last_day)
        return dataclasses.replace(record, repair_status=RepairStatus.REPAIRED, repaired_on=day)
    if roll < 0.25:
        return dataclasses.replace(record, repair_status=RepairStatus.APPLIED)
    return record


def penalty_records(
    subject: Subject, rng: random.Random, policy: PublicityPolicy
) -> tuple[CreditRecord, ...]:
    rate = _RATE[subject.tier]
    choices = VIOLATIONS
    if subject.kind in _ORGS_WITHOUT_MARKET_PENALTIES:
        rate, choices = rate * 0.3, tuple(v for v in VIOLATIONS if v.kind is _A)
    if subject.is_person or rng.random() >= rate:
        return ()
    start = max(subject.established + dt.timedelta(days=30), dt.date(subject.today.year - 6, 1, 1))
    records = []
    for n in range(rng.choices((1, 2, 3), weights=(70, 20, 10))[0]):
        decided = pick_day(rng, start, subject.last_day)
        if decided is None:
            break
        violation = rng.choice(choices)
        low, high = (Decimal(x) for x in violation.fine_wan)
        steps = int((high - low) * 100)
        fine = low + Decimal(rng.randint(0, steps)) / 100 if steps else low
        published = min(decided + dt.timedelta(days=rng.randint(0, 7)), subject.last_day)
        record = penalty(
            subject,
            violation,
            number=n,
            decided=decided,
            published=published,
            fine_wan=fine,
            severity=_severity(rng, violation, fine),
            policy=policy,
            serial=rng.randrange(1, 900),
        )
        records.append(_repair(rng, record, subject, policy))
    return tuple(records)
