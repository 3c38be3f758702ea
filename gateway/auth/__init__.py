"""Authentication at the edge: API clients, client JWTs, citizens' subject tokens, operators.

authenticator = Authenticator(settings)
Middleware(AuthenticationMiddleware, authenticator=authenticator, pool=lambda: db.pool)
principal = request_principal(request)
"""

from __future__ import annotations

from gateway.auth.api_keys import (
    KEY_PREFIX,
    NewKey,
    client_id_of,
    digest,
    matches,
    new_api_key,
    new_client_id,
)
from gateway.auth.authenticator import SUBJECT_TOKEN_HEADER, Authenticator, utc_now
from gateway.auth.client_cache import (
    BINDINGS_CHANNEL,
    CLIENT_CACHE_TTL_S,
    BindingCache,
    ClientCache,
    listening,
)
from gateway.auth.clients import (
    CLIENTS_CHANNEL,
    Client,
    ClientKind,
    add_client,
    ensure_usable,
    known_scopes,
    list_clients,
    principal_for,
    revoke_client,
    verify_api_key,
)
from gateway.auth.demo import DEMO_BANK_ID, ensure_demo_clients
from gateway.auth.errors import (
    AuthError,
    AuthUnavailable,
    CredentialsExpired,
    CredentialsRevoked,
    Unauthenticated,
    refusal,
)
from gateway.auth.jwt_tokens import JwtVerifier
from gateway.auth.middleware import AuthenticationMiddleware, request_principal
from gateway.auth.subject_tokens import SubjectClaims, issue_subject_token, verify_subject_token

__all__ = [
    "BINDINGS_CHANNEL",
    "CLIENTS_CHANNEL",
    "CLIENT_CACHE_TTL_S",
    "DEMO_BANK_ID",
    "KEY_PREFIX",
    "SUBJECT_TOKEN_HEADER",
    "AuthError",
    "AuthUnavailable",
    "AuthenticationMiddleware",
    "Authenticator",
    "BindingCache",
    "Client",
    "ClientCache",
    "ClientKind",
    "CredentialsExpired",
    "CredentialsRevoked",
    "JwtVerifier",
    "NewKey",
    "SubjectClaims",
    "Unauthenticated",
    "add_client",
    "client_id_of",
    "digest",
    "ensure_demo_clients",
    "ensure_usable",
    "issue_subject_token",
    "known_scopes",
    "list_clients",
    "listening",
    "matches",
    "new_api_key",
    "new_client_id",
    "principal_for",
    "refusal",
    "request_principal",
    "revoke_client",
    "utc_now",
    "verify_api_key",
    "verify_subject_token",
]
