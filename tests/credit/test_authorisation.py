"""Subject tokens: bound to one subject, one scope and one secret, until they expire."""

from __future__ import annotations

import datetime as dt

import pytest

from credit.authorisation import MAX_TOKEN_LENGTH, sign_subject_token, verify_subject_token

SECRET = b"tax-bureau-secret"
SUBJECT = "91640104MA7K3P2Q1X"
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=1)


def _token(**overrides: object) -> str:
    args: dict[str, object] = {
        "subject": SUBJECT,
        "scope": "tax",
        "consent_id": "consent-1",
        "expires_at": LATER,
    }
    args.update(overrides)
    return sign_subject_token(SECRET, **args)  # type: ignore[arg-type]


def _verify(token: str, **overrides: object) -> bool:
    args: dict[str, object] = {"subject": SUBJECT, "scope": "tax", "now": NOW}
    args.update(overrides)
    return verify_subject_token(SECRET, token, **args)  # type: ignore[arg-type]


def test_a_signed_token_verifies() -> None:
    assert _verify(_token())


def test_token_is_url_safe_and_does_not_carry_the_subject() -> None:
    token = _token(subject="11010519491231002X")
    assert "11010519491231002X" not in token
    assert all(ch.isalnum() or ch in "-_." for ch in token)


@pytest.mark.parametrize(
    ("field", "value"),
    [("subject", "91640104MA7K3P2Q2X"), ("scope", "hrss")],
)
def test_another_subject_or_scope_is_refused(field: str, value: str) -> None:
    assert not _verify(_token(), **{field: value})


def test_another_secret_is_refused() -> None:
    token = sign_subject_token(
        b"other", subject=SUBJECT, scope="tax", consent_id="c", expires_at=LATER
    )
    assert not _verify(token)


def test_expiry_is_exclusive() -> None:
    token = _token()
    assert _verify(token, now=LATER - dt.timedelta(seconds=1))
    assert not _verify(token, now=LATER)
    assert not _verify(token, now=LATER + dt.timedelta(days=1))


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: t.replace("v1.", "v2.", 1),
        lambda t: t.split(".", 1)[1],
        lambda t: "",
        lambda t: t + "." + t,
        lambda t: "v1.%%%." + t.rsplit(".", 1)[1],
        lambda t: "x" * (MAX_TOKEN_LENGTH + 1),
    ],
)
def test_mangled_tokens_are_refused(mangle: object) -> None:
    assert callable(mangle)
    assert not _verify(mangle(_token()))


def test_changed_claims_break_the_mac() -> None:
    version, _claims, mac = _token().split(".")
    forged = _token(expires_at=LATER + dt.timedelta(days=365)).split(".")[1]
    assert not _verify(f"{version}.{forged}.{mac}")


def test_signing_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="secret"):
        sign_subject_token(b"", subject=SUBJECT, scope="tax", consent_id="c", expires_at=LATER)
    with pytest.raises(ValueError, match="bank"):
        _token(scope="bank")
    with pytest.raises(ValueError, match="timezone"):
        _token(expires_at=dt.datetime(2030, 1, 1))
    with pytest.raises(ValueError, match="timezone"):
        _verify(_token(), now=dt.datetime(2026, 1, 1))
