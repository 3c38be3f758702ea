"""The SMS outbox (table ``sms_outbox``): text messages waiting for an SMS gateway.

Writers add a row inside their own transaction, so a message exists exactly when the change
that needs it commits; a sender (in production, the operator's SMS gateway; in the demo,
nobody — ``creditgw sms tail`` prints the box) marks rows sent, which clears the clear phone
number.  The phone is validated first: mainland mobile numbers only.

    phone = normalise_phone("+86 139-1234-5678")        # '13912345678' | InvalidPhone
    await enqueue(conn, phone=phone, message=code_message("123456", 5), challenge_id=cid, now=now)
    for entry in await tail(conn, limit=10): print(entry.phone_masked, entry.message)

Errors: :class:`InvalidPhone` (``INVALID_PHONE``, a :class:`~credit.errors.DomainError`).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

import asyncpg

from credit.errors import DomainError
from credit.masking import mask_phone

__all__ = [
    "InvalidPhone",
    "OutboxEntry",
    "code_message",
    "enqueue",
    "mark_sent",
    "normalise_phone",
    "tail",
]

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")
SENDER = "【信用图谱】"  # the signature a Chinese SMS must start with (工信部 SMS rules)


class InvalidPhone(DomainError):
    code = "INVALID_PHONE"

    def __init__(self) -> None:
        super().__init__("手机号码格式不正确，请输入11位中国大陆手机号码")


def normalise_phone(raw: str) -> str:
    """A mainland mobile number as 11 digits (spaces, dashes and a +86 prefix dropped)."""
    phone = _SEPARATORS.sub("", raw.translate(_FULL_WIDTH_DIGITS))
    for prefix in ("+86", "0086", "86"):
        if phone.startswith(prefix) and len(phone) == 11 + len(prefix):
            phone = phone[len(prefix) :]
    if not _MOBILE.match(phone):
        raise InvalidPhone
    return phone


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９＋", "0123456789+")


def code_message(code: str, valid_minutes: int) -> str:
    """The text of a binding code: who sends it, what it is for, how long it lasts."""
    return (
        f"{SENDER}您正在绑定信用查询身份，验证码 {code}，{valid_minutes} 分钟内有效。"
        "如非本人操作，请忽略本短信，切勿告诉他人。"
    )


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    phone_masked: str
    message: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


async def enqueue(
    conn: asyncpg.Connection,
    *,
    phone: str,
    message: str,
    now: dt.datetime,
    challenge_id: uuid.UUID | None = None,
) -> int:
    """Add one message (call inside the transaction of the change it belongs to)."""
    row_id: int = await conn.fetchval(
        """INSERT INTO sms_outbox (challenge_id, phone, phone_masked, message, created_at)
           VALUES ($1, $2, $3, $4, $5) RETURNING id""",
        challenge_id,
        phone,
        mask_phone(phone),
        message,
        now,
    )
    return row_id


async def tail(conn: asyncpg.Connection, *, limit: int = 20) -> list[OutboxEntry]:
    """The newest ``limit`` messages, oldest first."""
    rows = await conn.fetch(
        """SELECT id, phone_masked, message, created_at, sent_at FROM (
               SELECT * FROM sms_outbox ORDER BY id DESC LIMIT $1) newest
           ORDER BY id""",
        limit,
    )
    return [
        OutboxEntry(r["id"], r["phone_masked"], r["message"], r["created_at"], r["sent_at"])
        for r in rows
    ]


async def mark_sent(conn: asyncpg.Connection, message_id: int, *, now: dt.datetime) -> bool:
    """The SMS gateway took the message: forget the clear phone number."""
    status = await conn.execute(
        "UPDATE sms_outbox SET sent_at = $2, phone = NULL WHERE id = $1 AND sent_at IS NULL",
        message_id,
        now,
    )
    return bool(status == "UPDATE 1")
