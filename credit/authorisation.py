"""Per-subject authorisation tokens for the consent-gated bureaus (each one's ``ConsentScope``).

A consent-gated bureau serves a subject's data only with a token that proves the subject
authorised this read: the gateway signs one per subject from a live consent (征信业管理条例
Art. 18; 国办发〔2021〕52号: "经企业授权"), with the secret it shares with that bureau, and
the bureau verifies it.  Pure functions, no I/O; the clock is an argument.

Token format (URL-safe, no padding, at most :data:`MAX_TOKEN_LENGTH` characters)::

    v1.<claims>.<mac>
    claims = base64url(JSON {"scp": scope, "cid": consent_id, "exp": unix seconds})
    mac    = base64url(HMAC-SHA256(secret, "v1." + claims + "." + subject))

The subject code is bound by the MAC but not carried in the token, so a token never shows
whose it is (an ID number stays out of headers and logs); the verifier names the subject it
expects.  A token is valid for exactly one subject and one scope, until ``expires_at``
(exclusive).

    >>> exp = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    >>> token = sign_subject_token(b"k", subject="91640104MA7K3P2Q1X", scope="tax",
    ...                            consent_id="c-1", expires_at=exp)
    >>> verify_subject_token(b"k", token, subject="91640104MA7K3P2Q1X", scope="tax",
    ...                      now=dt.datetime(2029, 12, 31, tzinfo=dt.UTC))
    True

Errors: :func:`sign_subject_token` raises ``ValueError`` for an empty secret, an unknown scope
or a naive ``expires_at``; :func:`verify_subject_token` never raises for a bad token (it
answers ``False``) but raises ``ValueError`` for a naive ``now``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json

from credit.access import ConsentScope

__all__ = [
    "MAX_TOKEN_LENGTH",
    "sign_subject_token",
    "verify_subject_token",
]

MAX_TOKEN_LENGTH = 1024
_VERSION = "v1"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, claims: str, subject: str) -> str:
    message = f"{_VERSION}.{claims}.{subject}".encode()
    return _b64(hmac.new(secret, message, hashlib.sha256).digest())


def _aware(moment: dt.datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def sign_subject_token(
    secret: bytes, *, subject: str, scope: str, consent_id: str, expires_at: dt.datetime
) -> str:
    """A token letting the bureau that holds ``secret`` serve ``scope`` data on ``subject``."""
    if not secret:
        raise ValueError("secret must not be empty")
    if ConsentScope(scope) is ConsentScope.FULL_REPORT:  # ValueError for an unknown scope
        raise ValueError("a token names one bureau's scope, never full_report")
    _aware(expires_at, "expires_at")
    body = {"scp": scope, "cid": consent_id, "exp": int(expires_at.timestamp())}
    claims = _b64(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{_VERSION}.{claims}.{_mac(secret, claims, subject)}"


def verify_subject_token(
    secret: bytes, token: str, *, subject: str, scope: str, now: dt.datetime
) -> bool:
    """True when ``token`` was signed with ``secret`` for this subject and scope and is live."""
    _aware(now, "now")
    if not secret or not token or len(token) > MAX_TOKEN_LENGTH:
        return False
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != _VERSION:
        return False
    _, claims, presented = parts
    # Compare the MAC before reading the claims: nothing unauthenticated is parsed.
    if not hmac.compare_digest(_mac(secret, claims, subject).encode(), presented.encode()):
        return False
    try:
        body = json.loads(_unb64(claims))
    except (binascii.Error, ValueError):
        return False
    if not isinstance(body, dict) or body.get("scp") != scope:
        return False
    expires = body.get("exp")
    if not isinstance(expires, int) or isinstance(expires, bool):
        return False
    return now.timestamp() < expires
