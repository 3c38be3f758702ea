"""The market bureau's payload fields → :mod:`credit.records`, in one place (units too).

Registrations: pinyin initials (``tyshxydm`` USCC, ``qymc`` name, ``zczb`` capital in 万元 …).
Penalties: the 双公示 ``CF_`` fields (``CF_WSH`` the decision number, ``CF_CFJGDM`` the
authority's 统一社会信用代码; ``CF_NR_FK`` fine in 万元, ``"0"`` for none; ``CF_SCJG``
``"1"`` decided by market regulation; ``CF_CFLB`` the sanctions, "；"-separated; ``CF_CFCX``
the procedure; ``CF_XFZT`` repair 0/1/2).  Permits: ``XK_`` fields (``XK_XKJGDM`` likewise).
Shareholders: ``gdmc`` name, ``zjhm`` ID number, ``cgbl`` percent, ``rjcze`` subscribed in 万元.
Lists: ``jlbh`` entry id, ``lrrq`` listed, ``ycrq`` removed, ``lrjgdm`` the deciding
authority's 统一社会信用代码.  A code the feed leaves out is ``""``.  Dates are ISO; ``""`` or null
means none.  Each mapper raises one of :data:`MAPPING_ERRORS` on a missing or bad field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from credit.money import wan_to_yuan
from credit.records import (
    CreditRecord,
    EntityType,
    OperatingStatus,
    RecordKind,
    Registration,
    RepairStatus,
    Severity,
    Shareholding,
    Source,
)

__all__ = [
    "MAPPING_ERRORS",
    "abnormal_record",
    "penalty_record",
    "permit_record",
    "registration",
    "serious_record",
    "shareholding",
]

MAPPING_ERRORS = (KeyError, ValueError, TypeError, InvalidOperation, AttributeError)
_REPAIR = {"0": RepairStatus.NONE, "1": RepairStatus.APPLIED, "2": RepairStatus.REPAIRED}


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _required_day(value: Any) -> dt.date:
    return dt.date.fromisoformat(value)


def _text(value: Any) -> str:
    return str(value) if value else ""


def registration(item: Mapping[str, Any]) -> Registration:
    return Registration(
        uscc=str(item["tyshxydm"]),
        name=str(item["qymc"]),
        entity_type=EntityType(item["qylx"]),
        status=OperatingStatus(item["djzt"]),
        established_on=_required_day(item["clrq"]),
        registered_capital_yuan=wan_to_yuan(item["zczb"]),
        address=str(item["zs"]),
        division_code=str(item["djjgxzqh"]),
        industry=str(item["hyml"]),
        legal_rep_name=str(item["fddbr"]),
        legal_rep_id=str(item["fddbrzjhm"]),
        phone=str(item.get("lxdh") or ""),
        deregistered_on=_day(item.get("zxrq")),
    )


def penalty_record(item: Mapping[str, Any]) -> CreditRecord:
    fine = wan_to_yuan(item["CF_NR_FK"] or "0")
    severity = item.get("CF_YZCD")
    return CreditRecord(
        id=str(item["CF_ID"]),
        kind=RecordKind.MARKET_PENALTY if item["CF_SCJG"] == "1" else RecordKind.ADMIN_PENALTY,
        source=Source.MARKET,
        subject_code=str(item["CF_XDR_SHXYM"]),
        title=str(item["CF_WFXW"]),
        decided_on=_required_day(item["CF_JDRQ"]),
        authority=str(item["CF_CFJG"]),
        authority_code=_text(item.get("CF_CFJGDM")),
        case_number=str(item["CF_WSH"]),
        legal_basis=str(item["CF_YJ"]),
        severity=Severity(severity) if severity else None,
        publish_from=_day(item.get("CF_GSQSRQ")),
        declared_publicity_until=_day(item.get("CF_GSJZQ")),
        repair_status=_REPAIR[item.get("CF_XFZT") or "0"],
        repaired_on=_day(item.get("CF_XFRQ")),
        amount_yuan=fine if fine else None,
        minor_sanction=item.get("CF_QWCF") == "1",
        sanctions=tuple(s for s in str(item["CF_CFLB"]).split("；") if s),
        simple_procedure=item.get("CF_CFCX") == "简易程序",
        details={
            "CF_WSH": str(item["CF_WSH"]),
            "CF_SY": str(item["CF_SY"]),
            "CF_CFLB": str(item["CF_CFLB"]),
            "CF_NR": str(item["CF_NR"]),
            "CF_SJLY": str(item["CF_SJLY"]),
        },
    )


def permit_record(item: Mapping[str, Any]) -> CreditRecord:
    return CreditRecord(
        id=str(item["XK_ID"]),
        kind=RecordKind.PERMIT,
        source=Source.MARKET,
        subject_code=str(item["XK_XDR_SHXYM"]),
        title=str(item["XK_XKWS"]),
        decided_on=_required_day(item["XK_JDRQ"]),
        authority=str(item["XK_XKJG"]),
        authority_code=_text(item.get("XK_XKJGDM")),
        case_number=str(item["XK_WSH"]),
        publish_from=_day(item.get("XK_YXQZ")),
        ended_on=_day(item.get("XK_YXQZI")),
        details={
            "XK_WSH": str(item["XK_WSH"]),
            "XK_XKLB": str(item["XK_XKLB"]),
            "XK_NR": str(item["XK_NR"]),
            "XK_YXQZ": str(item["XK_YXQZ"]),
        },
    )


def abnormal_record(item: Mapping[str, Any]) -> CreditRecord:
    listed = _required_day(item["lrrq"])
    removal = item.get("ycyy")
    return CreditRecord(
        id=str(item["jlbh"]),
        kind=RecordKind.ABNORMAL_OPERATION,
        source=Source.MARKET,
        subject_code=str(item["tyshxydm"]),
        title=str(item["lryy"]),
        decided_on=listed,
        authority=str(item["lrjg"]),
        authority_code=_text(item.get("lrjgdm")),
        legal_basis=str(item["lryj"]),
        publish_from=listed,
        ended_on=_day(item.get("ycrq")),
        details={"removal_reason": str(removal)} if removal else {},
    )


def serious_record(item: Mapping[str, Any]) -> CreditRecord:
    listed = _required_day(item["lrrq"])
    return CreditRecord(
        id=str(item["jlbh"]),
        kind=RecordKind.SERIOUS_VIOLATION,
        source=Source.MARKET,
        subject_code=str(item["tyshxydm"]),
        title=str(item["lrsy"]),
        decided_on=listed,
        authority=str(item["lrjg"]),
        authority_code=_text(item.get("lrjgdm")),
        legal_basis=str(item["lryj"]),
        publish_from=listed,
        ended_on=_day(item.get("ycrq")),
        escalated_from_abnormal=item.get("zrly") == "1",
    )


def shareholding(item: Mapping[str, Any]) -> Shareholding:
    return Shareholding(
        person_id=str(item["zjhm"]),
        name=str(item["gdmc"]),
        share_percent=Decimal(item["cgbl"]),
        subscribed_yuan=wan_to_yuan(item["rjcze"]),
    )
