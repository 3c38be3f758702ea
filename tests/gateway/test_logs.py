"""Log lines are JSON, carry the request id, and never contain an ID or mobile number."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import orjson
import pytest

from gateway.logs import configure_logging, redact

SYNTHETIC_ID = "11010519491231002X"


def test_redacts_id_numbers_and_mobiles_but_not_other_digits() -> None:
    text = f"id {SYNTHETIC_ID} lower {SYNTHETIC_ID.lower()} tel 13912345678 ts 1732262400123"
    out = redact(text)
    assert SYNTHETIC_ID not in out
    assert SYNTHETIC_ID.lower() not in out
    assert "13912345678" not in out
    assert out.count("[id-number]") == 2
    assert "[phone]" in out
    assert "1732262400123" in out  # a 13-digit timestamp is neither


@pytest.fixture
def restore_root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restore_root_logging")
def test_json_lines_with_request_id_and_redacted_exceptions() -> None:
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    log = logging.getLogger("test.logs")
    log.info("lookup of %s", SYNTHETIC_ID, extra={"request_id": "req-12345678"})
    try:
        raise ValueError(f"bad subject {SYNTHETIC_ID}")
    except ValueError:
        log.exception("failed")
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["request_id"] == "req-12345678"
    assert lines[0]["msg"] == "lookup of [id-number]"
    assert SYNTHETIC_ID not in stream.getvalue()
    assert "ValueError" in lines[1]["exc"]
