"""Small builders for synthetic credit records used across the credit tests."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from credit.records import (
    CreditRecord,
    EntityType,
    OperatingStatus,
    RecordKind,
    Registration,
    TaxGrade,
    TaxGradeLetter,
)
from credit.report import RECORDED_BY

SUBJECT = "91640104MA0K3P7W64"  # a valid synthetic code (GB 32100 and GB 11714 checks)

_ids = itertools.count(1)


def rec(kind: RecordKind, decided_on: dt.date, **fields: Any) -> CreditRecord:
    """A record of ``kind`` decided (and published) on ``decided_on``."""
    fields.setdefault("id", f"R{next(_ids):04d}")
    if "source" not in fields:  # a declared kind's bureau is given
        fields["source"] = RECORDED_BY[kind]
    fields.setdefault("subject_code", SUBJECT)
    fields.setdefault("title", f"测试{kind.value}")
    fields.setdefault("authority", "银川市市场监督管理局")
    return CreditRecord(kind=kind, decided_on=decided_on, **fields)


def registration(status: OperatingStatus = OperatingStatus.ACTIVE) -> Registration:
    return Registration(
        uscc=SUBJECT,
        name="宁夏示例塞上科技有限公司",
        entity_type=EntityType.ENTERPRISE,
        status=status,
        established_on=dt.date(2017, 1, 19),
        registered_capital_yuan=Decimal("5000000.00"),
        address="宁夏回族自治区银川市金凤区示例路1号",
        division_code="640106",
        industry="软件和信息技术服务业",
        legal_rep_name="马示例",
        legal_rep_id="640106199001011234",  # wrong check char on purpose: no one has it
    )


def grade(year: int, letter: str, **fields: Any) -> TaxGrade:
    return TaxGrade(
        year=year, grade=TaxGradeLetter(letter), score=fields.pop("score", None), **fields
    )
