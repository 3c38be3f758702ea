"""Objections and credit repairs in the gateway: the case store, the per-request service and
the outbox that delivers decisions to the bureaus (see credit.rights for the rules)."""

from __future__ import annotations

from gateway.rights.outbox import Outbox
from gateway.rights.service import GatewayRights, desk_of

__all__ = ["GatewayRights", "Outbox", "desk_of"]
