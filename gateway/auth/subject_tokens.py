"""Citizens' subject tokens: issued when a citizen binds their identity, relayed by the bot.

A subject token is a short-lived HS256 JWT signed with ``GATEWAY_SUBJECT_TOKEN_SECRET``.  It
carries the citizen's subject key (an HMAC — never the clear ID number, and a JWT is only
signed, not encrypted), the id of the identity binding it was issued for (``bid``: the token
dies with that binding, see :class:`~gateway.auth.client_cache.BindingCache`) and the USCCs of
the enterprises they legally represent; the gateway accepts it only next to the bot's own
service key (``X-Subject-Token`` header).

    token = issue_subject_token(secret, subject_key=key, binding_id=bid, represents=["9164…"],
                                now=now, ttl_s=900)
    claims = verify_subject_token(secret, token, now=now)   # Unauthenticated | CredentialsExpired

Not to be confused with :mod:`credit.authorisation`, the tokens the gateway sends to bureaus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jwt

from gateway.auth.errors import CredentialsExpired, Unauthenticated

__all__ = ["SubjectClaims", "issue_subject_token", "verify_subject_token"]

_ISSUER = "creditgw"
_AUDIENCE = "creditgw:subject"


@dataclass(frozen=True, slots=True)
class SubjectClaims:
    subject_key: str
    binding_id: str
    represents: frozenset[str]
    expires_at: dt.datetime


def issue_subject_token(
    secret: bytes,
    *,
    subject_key: str,
    binding_id: str,
    represents: Iterable[str] = (),
    now: dt.datetime,
    ttl_s: float,
) -> str:
    if len(secret) < 32:  # HS256 wants a key at least as long as its 256-bit output
        raise ValueError("the subject token secret must be at least 32 bytes")
    if not subject_key or not binding_id:
        raise ValueError("subject_key and binding_id must not be empty")
    claims = {
        "iss": _ISSUER,
        "aud": _AUDIENCE,
        "sub": subject_key,
        "bid": binding_id,
        "rep": sorted(set(represents)),
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(seconds=ttl_s)).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_subject_token(secret: bytes, token: str, *, now: dt.datetime) -> SubjectClaims:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience=_AUDIENCE,
            issuer=_ISSUER,
            options={"require": ["exp", "sub", "bid", "iss", "aud"], "verify_exp": False},
        )
    except jwt.InvalidTokenError:
        raise Unauthenticated("身份验证失败：主体令牌无效，请重新绑定身份") from None
    expires, represents, binding = claims["exp"], claims.get("rep", []), claims["bid"]
    valid = isinstance(expires, int) and isinstance(represents, list) and isinstance(binding, str)
    if not valid or not binding:
        raise Unauthenticated("身份验证失败：主体令牌无效，请重新绑定身份")
    if now.timestamp() >= expires:
        raise CredentialsExpired("主体令牌已过期，请在对话中重新验证身份")
    return SubjectClaims(
        subject_key=str(claims["sub"]),
        binding_id=binding,
        represents=frozenset(str(r) for r in represents),
        expires_at=dt.datetime.fromtimestamp(expires, dt.UTC),
    )
