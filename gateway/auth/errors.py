"""Why a request was refused at the edge, and the one JSON shape every edge refusal has.

Credentials problems are :class:`AuthError` (HTTP 401, or 503 when the client store cannot be
reached); each has a stable ``code`` and a Chinese message.  Messages never contain a key,
token or personal number.

    AuthError
     ├── Unauthenticated       UNAUTHENTICATED       missing pieces, unknown or forged credential
     ├── CredentialsExpired    CREDENTIALS_EXPIRED   a key or token past its expiry
     ├── CredentialsRevoked    CREDENTIALS_REVOKED   a key an operator revoked
     └── AuthUnavailable       AUTH_UNAVAILABLE      the client store did not answer (503)

:func:`refusal` builds the response for these and for the limits' refusals (413, 415, 429):
``{"errors": [{"message", "extensions": {"code", ...}}], "extensions": {"requestId"}}``.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import Scope

from gateway.media_types import accepted

__all__ = [
    "AuthError",
    "AuthUnavailable",
    "CredentialsExpired",
    "CredentialsRevoked",
    "Unauthenticated",
    "refusal",
]


class AuthError(Exception):
    code = "UNAUTHENTICATED"
    status = 401
    default_message = "身份验证失败：请提供有效的 API 密钥或令牌"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self.args[0])


class Unauthenticated(AuthError):
    pass


class CredentialsExpired(AuthError):
    code = "CREDENTIALS_EXPIRED"
    default_message = "凭证已过期，请向平台申请新的密钥或令牌"


class CredentialsRevoked(AuthError):
    code = "CREDENTIALS_REVOKED"
    default_message = "凭证已被吊销，请联系平台运营方"


class AuthUnavailable(AuthError):
    code = "AUTH_UNAVAILABLE"
    status = 503
    default_message = "身份验证服务暂时不可用，请稍后再试"


def refusal(
    scope: Scope,
    status: int,
    code: str,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, object] | None = None,
) -> Response:
    """A GraphQL-shaped error response, carrying the request id when one was assigned."""
    body: dict[str, object] = {
        "errors": [{"message": message, "extensions": {"code": code, **(extra or {})}}]
    }
    request_id = scope.get("state", {}).get("request_id")
    if request_id:
        body["extensions"] = {"requestId": request_id}
    media = accepted(Headers(scope=scope).get("accept"))  # as a GraphQL answer would have
    return JSONResponse(
        body, status_code=status, headers=dict(headers or {}), media_type=media.value
    )
