"""The demo's bank and officer clients, with keys printed once (or fixed by settings).

``GATEWAY_DEMO_BANK_KEY`` / ``GATEWAY_DEMO_OFFICER_KEY`` fix a key (it must look like
``cgw_live_<12 lowercase letters or digits>_<32+ URL-safe characters>``) so scripts can reuse
it across runs; otherwise each run makes a new key for the same two demo clients.
"""

from __future__ import annotations

import asyncpg
from pydantic import SecretStr

from credit.access import ClientScope, bureau_scope
from credit.records import Source
from gateway.auth.api_keys import client_id_of, digest, new_api_key
from gateway.auth.clients import CLIENTS_CHANNEL
from gateway.settings import Settings, SettingsError

__all__ = ["DEMO_BANK_ID", "ensure_demo_clients"]

DEMO_BANK_ID = "demo-bank"
_DEMO: dict[str, tuple[str, str, str | None, list[str]]] = {
    "bank": (
        "demobank0001",
        "演示银行（合成数据）",
        DEMO_BANK_ID,
        [
            ClientScope.SCHEMA_READ,
            ClientScope.SUBJECT_READ,
            ClientScope.PRECHECK,
            ClientScope.OUTCOME_REPORT,
        ],
    ),
    "officer": (
        "demoofficer1",
        "演示审核员（合成数据）",
        None,
        [
            ClientScope.SCHEMA_READ,
            ClientScope.SUBJECT_READ,
            ClientScope.DISCIPLINE_CHECK,
            ClientScope.OBJECTION_REVIEW,
            ClientScope.REPAIR_REVIEW,
            bureau_scope(Source.MARKET),  # decides for the market bureau (谁认定、谁修复)
        ],
    ),
}


def _key(fixed: SecretStr | None, default_id: str, variable: str) -> tuple[str, str]:
    if fixed is None:
        made = new_api_key(default_id)
        return made.client_id, made.secret
    key = fixed.get_secret_value()
    client_id = client_id_of(key)
    if client_id is None:
        raise SettingsError(
            f"invalid setting — {variable}: expected cgw_live_<12 lowercase letters or digits>_"
            "<32+ URL-safe characters>"
        )
    return client_id, key


async def ensure_demo_clients(conn: asyncpg.Connection, settings: Settings) -> dict[str, str]:
    """Create or refresh the demo bank and officer; returns ``{"bank": key, "officer": key}``."""
    fixed = {"bank": settings.demo_bank_key, "officer": settings.demo_officer_key}
    keys: dict[str, str] = {}
    async with conn.transaction():
        for role, (default_id, name, bank_id, scopes) in _DEMO.items():
            client_id, key = _key(fixed[role], default_id, f"GATEWAY_DEMO_{role.upper()}_KEY")
            await conn.execute(
                """INSERT INTO api_clients (id, kind, name, bank_id, scopes, key_hash)
                   VALUES ($1, $2, $3, $4, $5, $6)
                   ON CONFLICT (id) DO UPDATE
                   SET kind = $2, name = $3, bank_id = $4, scopes = $5, key_hash = $6,
                       expires_at = NULL, revoked_at = NULL""",
                client_id,
                role,
                name,
                bank_id,
                [str(s) for s in scopes],
                digest(key),
            )
            # A gateway still holding the old key verified drops it (revocation's channel).
            await conn.execute("SELECT pg_notify($1, $2)", CLIENTS_CHANNEL, client_id)
            keys[role] = key
    return keys
