"""Who may file what, about which record: the checks run before a case is opened.

* repair (:func:`check_repair`): only a record still public whose minimum period has passed;
  a record that can never be repaired is refused with the rule that says so, one not yet
  repairable with the date it will be.  The dates come from :mod:`credit.publicity` — the same
  ``repairable_from`` every other answer shows — and the channel from
  :func:`credit.advice.repair_channel` (market regulation's own system, else 信用中国);
* objection (:func:`check_objection`): one open objection per record; a rejected objection
  may be objected to once more (:attr:`RightsPolicy.max_objection_rounds`); an objection to a
  repair decision needs a refused repair;
* attachments (:func:`check_attachment`): text, PDF, PNG or JPEG, by content, under the size
  limit.

    >>> check_attachment("说明.txt", "text/plain", "已于2026年3月缴清罚款".encode(), RightsPolicy())
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from credit.advice import repair_channel
from credit.policy import PublicityPolicy
from credit.publicity import publicity_window, visible_to_public
from credit.records import CreditRecord, RepairStatus
from credit.rights.cases import CaseKind, CaseState, CaseStatus, ObjectionTarget
from credit.rights.errors import (
    AttachmentTooLarge,
    AttachmentTypeNotAllowed,
    InvalidCaseInput,
    NotRepairable,
    ObjectionAlreadyOpen,
    ObjectionLimitReached,
    RepairAlreadyOpen,
    RepairNotYet,
)
from credit.rights.policy import ALLOWED_MEDIA_TYPES, RightsPolicy

__all__ = ["RepairRoute", "check_attachment", "check_objection", "check_repair", "check_text"]

_TYPE_NAMES = "文本（.txt）、PDF、PNG 或 JPEG 文件"


@dataclass(frozen=True, slots=True)
class RepairRoute:
    """Where an admissible repair goes: the channel, and the basis of the minimum period."""

    channel: str
    basis: str


def check_repair(
    record: CreditRecord,
    today: dt.date,
    policy: PublicityPolicy,
    cases: Iterable[CaseState] = (),
) -> RepairRoute:
    """The route of a repair application for ``record`` today, or the refusal."""
    if any(c.kind is CaseKind.REPAIR and c.status is CaseStatus.OPEN for c in cases):
        raise RepairAlreadyOpen
    window = publicity_window(record, policy)
    if record.repair_status is RepairStatus.REPAIRED:
        raise NotRepairable("已经修复，不再公示和共享", window.legal_basis)
    if not window.published:
        raise NotRepairable("依规不予公示，无需修复", window.legal_basis)
    if not window.repairable:
        banned = set(record.sanctions) & set(policy.unrepairable_sanctions)
        if banned:
            raise NotRepairable(
                f"所受处罚（{'、'.join(sorted(banned))}）依规不予信用修复", window.legal_basis
            )
        raise NotRepairable(
            "不适用信用修复：履行义务后由认定部门移出，届时不再公示", window.legal_basis
        )
    if not visible_to_public(record, today, policy):
        raise NotRepairable("目前不在公示期内，无需修复", window.legal_basis)
    assert window.repairable_from is not None  # repairable and published
    if today < window.repairable_from:
        raise RepairNotYet(window.repairable_from, window.legal_basis)
    return RepairRoute(repair_channel(record), window.legal_basis)


def check_objection(
    target: ObjectionTarget, cases: Iterable[CaseState], policy: RightsPolicy
) -> int:
    """The round of a new objection to a record with these earlier ``cases`` (1 = first)."""
    earlier = list(cases)
    if any(c.kind is CaseKind.OBJECTION and c.status is CaseStatus.OPEN for c in earlier):
        raise ObjectionAlreadyOpen
    if target is ObjectionTarget.REPAIR_DECISION and not any(
        c.kind is CaseKind.REPAIR and c.status is CaseStatus.REFUSED for c in earlier
    ):
        raise InvalidCaseInput("只能对不予修复的决定提出异议：该记录没有被拒绝的修复申请", "target")
    rejected = sum(
        1 for c in earlier if c.kind is CaseKind.OBJECTION and c.status is CaseStatus.REJECTED
    )
    if rejected >= policy.max_objection_rounds:
        raise ObjectionLimitReached(rejected)
    return rejected + 1


def check_text(text: str, field: str, policy: RightsPolicy, *, what: str) -> str:
    """A reason or statement: not blank, not longer than the limit; returned stripped."""
    stripped = text.strip()
    if not stripped:
        raise InvalidCaseInput(f"请填写{what}", field)
    if len(stripped) > policy.reason_max_chars:
        raise InvalidCaseInput(f"{what}不得超过{policy.reason_max_chars}字", field)
    return stripped


def _sniffed(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    printable = all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return "text/plain" if printable and text.strip() else None


def check_attachment(name: str, media_type: str, content: bytes, policy: RightsPolicy) -> None:
    """Refuse an attachment that is too large, or whose content is not what it says it is."""
    label = name.strip()[:60] or "（未命名）"
    if len(content) > policy.attachment_max_bytes:
        raise AttachmentTooLarge(label, policy.attachment_max_bytes)
    declared = media_type.split(";")[0].strip().lower()
    if declared not in ALLOWED_MEDIA_TYPES or _sniffed(content) != declared:
        raise AttachmentTypeNotAllowed(label, _TYPE_NAMES)
