"""Log lines are JSON, carry the request id, and never contain an ID or mobile number."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import orjson
import pytest

from gateway.logs import configure_logging, looks_personal, redact

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


def _full_width(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X+"})


# Every form the gateway accepts (credit.identifiers.normalise_code, gateway.sms.normalise_phone)
ID_FORMS = [
    "110105 19491231 002X",
    "110105-1949-1231-002x",
    "110105–19491231—002X",  # en and em dashes
    "110105‐19491231－002X",  # hyphen, full-width hyphen-minus
    "110105 - 19491231 - 002X",
    _full_width(SYNTHETIC_ID),
    _full_width("110105 19491231 002") + "ｘ",
]
PHONE_FORMS = [
    "139 1234 5678",
    "139-1234-5678",
    "+86 139 1234 5678",
    "8613912345678",
    "(139)1234-5678",
    _full_width("13912345678"),
    "139—1234—5678",
]


@pytest.mark.parametrize("written", ID_FORMS + PHONE_FORMS)
def test_redacts_every_written_form(written: str) -> None:
    out = redact(f"申请人 {written}，请核对")
    assert "[id-number]" in out or "[phone]" in out
    digits = [c for c in out if c.isdigit()]  # str.isdigit knows full-width digits too
    assert digits == [] or "86" in written  # at most the country code is left


@pytest.mark.parametrize(
    "offered",
    [
        SYNTHETIC_ID,
        "req-" + SYNTHETIC_ID,
        "req" + SYNTHETIC_ID,
        "110105-19491231-002X",
        "13912345678",
        "trace-139-1234-5678",
        "abc13912345678",
    ],
)
def test_personal_numbers_in_any_form_look_personal(offered: str) -> None:
    assert looks_personal(offered)


@pytest.mark.parametrize("offered", ["abc12345-test", "9f0e4c7a-8b1d-4e2f-a3c5-d7e9f1a2b3c4"])
def test_ordinary_request_ids_do_not(offered: str) -> None:
    assert not looks_personal(offered)


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


@pytest.mark.usefixtures("restore_root_logging")
def test_httpx_does_not_repeat_each_bureau_call_at_info() -> None:
    """The access log and the bureau spans record each call; httpx's own INFO line would say
    it a second time (and with the bureau's full URL).  Its warnings still show."""
    stream = io.StringIO()
    httpx_log = logging.getLogger("httpx")
    before = httpx_log.level
    try:
        configure_logging("INFO", stream=stream)
        httpx_log.info("HTTP Request: GET http://bureau/v1/x")
        httpx_log.warning("a warning")
    finally:
        httpx_log.setLevel(before)
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["msg"] for line in lines] == ["a warning"]
