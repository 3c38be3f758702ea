"""API keys: ``cgw_live_<client id>_<secret>``, stored only as a SHA-256 digest.

The visible prefix names the client row (12 lowercase letters and digits); the secret is 32
random bytes, URL-safe.  A key is shown once, when made; afterwards only its digest exists,
compared in constant time.

    >>> key = new_api_key()
    >>> client_id_of(key.secret) == key.client_id
    True
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass

__all__ = [
    "KEY_PREFIX",
    "NewKey",
    "client_id_of",
    "digest",
    "matches",
    "new_api_key",
    "new_client_id",
]

KEY_PREFIX = "cgw_live_"
_ALPHABET = string.ascii_lowercase + string.digits
_SHAPE = re.compile(r"^cgw_live_([a-z0-9]{12})_([A-Za-z0-9_-]{32,128})$")


@dataclass(frozen=True, slots=True)
class NewKey:
    client_id: str
    secret: str  # the whole key, to be shown once

    def __repr__(self) -> str:
        return f"NewKey(client_id={self.client_id!r}, secret=<hidden>)"


def new_client_id() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


def new_api_key(client_id: str | None = None) -> NewKey:
    """A fresh key for ``client_id`` (a new id when omitted)."""
    cid = client_id or new_client_id()
    key = f"{KEY_PREFIX}{cid}_{secrets.token_urlsafe(32)}"
    if client_id_of(key) != cid:
        raise ValueError("client id must be 12 lowercase letters or digits")
    return NewKey(client_id=cid, secret=key)


def client_id_of(key: str) -> str | None:
    """The client id a well-formed key names; ``None`` for anything else."""
    match = _SHAPE.match(key)
    return match[1] if match else None


def digest(key: str) -> bytes:
    """SHA-256 of the key: a 256-bit random secret needs no slow, salted hash."""
    return hashlib.sha256(key.encode()).digest()


def matches(stored: bytes, key: str) -> bool:
    return hmac.compare_digest(stored, digest(key))
