"""Client JWTs: bank and officer tokens signed by their own identity provider (RS256/ES256).

The verification keys come from settings (``GATEWAY_JWT_PUBLIC_KEYS``: a JSON object mapping
each ``kid`` to a PEM public key), never from the repository.  A token must name a known
``kid`` in its header, be signed with that key's algorithm (RSA → RS256, EC P-256 → ES256;
nothing else, so no ``none`` or HMAC confusion), and carry ``iss`` (= ``GATEWAY_JWT_ISSUER``),
``aud`` (⊇ ``GATEWAY_JWT_AUDIENCE``), ``exp``, ``sub`` (the client id) and ``kind``
(``bank`` or ``officer``); a bank's also ``bank_id``.  ``scope`` is space-separated,
``name`` the display name.

    verifier = JwtVerifier.from_settings(settings)
    principal = verifier.verify(token, now=now)   # Unauthenticated | CredentialsExpired
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from credit.access import Principal, PrincipalKind
from gateway.auth.errors import CredentialsExpired, Unauthenticated
from gateway.settings import Settings, SettingsError

__all__ = ["JwtVerifier"]

_KINDS = {"bank": PrincipalKind.BANK, "officer": PrincipalKind.OFFICER}
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


@dataclass(frozen=True, slots=True)
class _Key:
    key: PublicKey
    algorithm: str


def _load(kid: str, pem: str) -> _Key:
    try:
        key = load_pem_public_key(pem.encode())
    except ValueError:
        raise SettingsError(
            f"invalid setting — GATEWAY_JWT_PUBLIC_KEYS: key {kid!r} is not a PEM public key"
        ) from None
    if isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048:
        return _Key(key, "RS256")
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return _Key(key, "ES256")
    raise SettingsError(
        f"invalid setting — GATEWAY_JWT_PUBLIC_KEYS: key {kid!r} must be RSA ≥ 2048 bits "
        "(RS256) or EC P-256 (ES256)"
    )


class JwtVerifier:
    """Verifies client JWTs against the configured keys; see the module docstring."""

    def __init__(
        self, keys: Mapping[str, str], *, issuer: str | None, audience: str, leeway_s: float
    ) -> None:
        if keys and not issuer:
            raise SettingsError(
                "invalid setting — GATEWAY_JWT_ISSUER: required when JWT keys are configured"
            )
        self._keys = {kid: _load(kid, pem) for kid, pem in keys.items()}
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_s

    @classmethod
    def from_settings(cls, settings: Settings) -> JwtVerifier:
        return cls(
            settings.jwt_public_keys,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            leeway_s=settings.jwt_leeway_s,
        )

    @property
    def enabled(self) -> bool:
        return bool(self._keys)

    def verify(self, token: str, *, now: dt.datetime) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise Unauthenticated from None
        chosen = self._keys.get(str(header.get("kid", "")))
        if chosen is None:
            raise Unauthenticated("身份验证失败：令牌的签名密钥（kid）未登记")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                chosen.key,
                algorithms=[chosen.algorithm],
                audience=self._audience,
                issuer=self._issuer,
                # Expiry is checked below against our clock (injectable in tests).
                options={"require": ["exp", "iss", "aud", "sub"], "verify_exp": False},
            )
        except jwt.InvalidTokenError:
            raise Unauthenticated from None
        expires = claims["exp"]
        if not isinstance(expires, int | float) or isinstance(expires, bool):
            raise Unauthenticated
        if now.timestamp() >= expires + self._leeway:
            raise CredentialsExpired
        return _principal(claims)


def _principal(claims: Mapping[str, Any]) -> Principal:
    kind = _KINDS.get(str(claims.get("kind", "")))
    bank_id = claims.get("bank_id")
    scope = claims.get("scope", "")
    if kind is None or not isinstance(scope, str):
        raise Unauthenticated("身份验证失败：令牌缺少有效的 kind 或 scope")
    if (kind is PrincipalKind.BANK) != isinstance(bank_id, str) or bank_id == "":
        raise Unauthenticated("身份验证失败：银行令牌必须带 bank_id")
    rate = claims.get("rate_limit")
    return Principal(
        kind,
        client_id=str(claims["sub"]),
        display_name=str(claims.get("name") or claims["sub"]),
        scopes=frozenset(scope.split()),
        bank_id=bank_id if kind is PrincipalKind.BANK else None,
        rate_limit_class=kind.value,
        rate_limit_per_minute=rate if isinstance(rate, int) and rate > 0 else None,
    )
