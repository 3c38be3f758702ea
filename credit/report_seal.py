"""The report's number and its signed digest (数字摘要): how anyone holding a report can ask
the platform whether it issued it.

A report number is ``XYBG`` + the report day (``YYYYMMDD``) + a six-digit sequence of that day
(the gateway keeps the sequence, one per issued report).  The digest is HMAC-SHA256, under the
platform's report signing key, of the number, the moment of issue and the SHA-256 of the
report's canonical content (:func:`report_content`: every fact the report shows, in a fixed
order).  The platform keeps only number, moment and digest, so verifying a (number, digest)
pair tells a stranger whether it is genuine and when it was issued — never what it says; and
no one without the key can make a digest for a report the platform did not issue.

    >>> report_number(dt.date(2026, 11, 22), 7)
    'XYBG20261122000007'
    >>> digest = seal_digest(b"k" * 32, "XYBG20261122000007",
    ...     dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC), b"{}")
    >>> len(digest), digests_match(digest, digest.upper())
    (64, True)

Errors::

    DomainError
     └── InvalidReportNumber   (not XYBG + 8-digit day + 6-digit sequence)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from decimal import Decimal
from enum import StrEnum

from credit.errors import DomainError
from credit.records import CreditRecord
from credit.report import CreditReport

__all__ = [
    "MAX_SEQUENCE",
    "MIN_KEY_BYTES",
    "REPORT_NUMBER_PREFIX",
    "InvalidReportNumber",
    "Verdict",
    "digests_match",
    "report_content",
    "report_number",
    "seal_digest",
    "validate_report_number",
]

REPORT_NUMBER_PREFIX = "XYBG"  # 信用报告
MIN_KEY_BYTES = 32  # HMAC-SHA256: a key shorter than the hash weakens it (RFC 2104 §3)
_SEQUENCE_DIGITS = 6
MAX_SEQUENCE = 10**_SEQUENCE_DIGITS - 1
"""Reports one day may number (999,999)."""
_NUMBER = re.compile(rf"^{REPORT_NUMBER_PREFIX}(\d{{8}})(\d{{{_SEQUENCE_DIGITS}}})$")
_HEX_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class Verdict(StrEnum):
    """What verifying a (number, digest) pair finds."""

    VALID = "VALID"  # issued by this platform with this digest
    INVALID = "INVALID"  # the number was issued, with another digest: the report was altered
    UNKNOWN = "UNKNOWN"  # no report of this number was issued here


class InvalidReportNumber(DomainError):
    """A report number not in the form the platform issues."""

    code = "INVALID_REPORT_NUMBER"

    def __init__(self) -> None:
        super().__init__(
            f"报告编号格式不正确：应为 {REPORT_NUMBER_PREFIX} 加8位日期和{_SEQUENCE_DIGITS}位序号，"
            f"如 {REPORT_NUMBER_PREFIX}20261122000001，请按报告上印制的编号输入"
        )


def report_number(day: dt.date, sequence: int) -> str:
    """The number of the ``sequence``-th report issued on ``day`` (from 1)."""
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"a day's report sequence runs from 1 to {MAX_SEQUENCE}")
    return f"{REPORT_NUMBER_PREFIX}{day:%Y%m%d}{sequence:0{_SEQUENCE_DIGITS}d}"


def validate_report_number(raw: str) -> str:
    """The number as issued (spaces dropped, upper-cased) or :class:`InvalidReportNumber`."""
    number = "".join(raw.split()).upper()
    found = _NUMBER.match(number)
    if found is None:
        raise InvalidReportNumber()
    try:
        dt.datetime.strptime(found.group(1), "%Y%m%d")
    except ValueError:
        raise InvalidReportNumber() from None
    return number


def seal_digest(key: bytes, number: str, issued_at: dt.datetime, content: bytes) -> str:
    """HMAC-SHA256 (hex) of the number, the moment of issue and the content's SHA-256."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the report signing key must be at least {MIN_KEY_BYTES} bytes")
    if issued_at.utcoffset() is None:
        raise ValueError("the moment of issue must carry its offset")
    message = "\n".join(
        (
            number,
            issued_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            hashlib.sha256(content).hexdigest(),
        )
    )
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def digests_match(issued: str, presented: str) -> bool:
    """Constant-time comparison; a presented digest is read case-insensitively, spaces dropped."""
    shown = "".join(presented.split()).lower()
    if _HEX_DIGEST.match(shown) is None:
        return False
    return hmac.compare_digest(issued.encode(), shown.encode())


def _record(record: CreditRecord) -> dict[str, object]:
    return {
        "source": record.source.value,
        "id": record.id,
        "kind": record.kind.value,
        "title": record.title,
        "decided_on": record.decided_on.isoformat(),
        "authority": record.authority,
        "authority_code": record.authority_code,
        "case_number": record.case_number,
        "executing_court": record.executing_court,
        "performance": record.performance.value if record.performance else None,
        "severity": record.severity.value if record.severity else None,
        "repair_status": record.repair_status.value,
        "ended_on": record.ended_on.isoformat() if record.ended_on else None,
        "amount_yuan": _money(record.amount_yuan),
        "list_name": record.list_name,
    }


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:f}"


def report_content(report: CreditReport) -> bytes:
    """The canonical bytes of everything ``report`` shows (sorted keys, no spacing, UTF-8).

    The same report always gives the same bytes; any change to a shown fact changes them."""
    basic = report.basic
    content = {
        "subject_code": report.subject_code,
        "generated_on": report.generated_on.isoformat(),
        "period": [report.period_from.isoformat(), report.period_to.isoformat()],
        "basic": None
        if basic is None
        else {
            "code": basic.code,
            "name": basic.name,
            "entity_type": basic.entity_type.value,
            "status": basic.status.value,
            "established_on": basic.established_on.isoformat(),
            "registered_capital_yuan": _money(basic.registered_capital_yuan),
            "address": basic.address,
            "division_code": basic.division_code,
            "industry": basic.industry,
            "legal_rep_name": basic.legal_rep_name,
            "deregistered_on": basic.deregistered_on.isoformat() if basic.deregistered_on else None,
        },
        "sections": [
            {
                "key": section.key.name,
                "records": [_record(r) for r in section.records],
                "tax_grades": [[g.year, g.grade.value] for g in section.tax_grades],
                "unavailable": [s.value for s in section.unavailable],
            }
            for section in report.sections
        ],
        "classification": None
        if report.classification is None
        else {
            "class": report.classification.credit_class.name,
            "reasons": [[r.code.value, r.record_id] for r in report.classification.reasons],
            "badges": [b.name for b in report.classification.badges],
        },
        "advice": None
        if report.advice is None
        else [[a.code.value, a.record_id, a.message] for a in report.advice],
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
