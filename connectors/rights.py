"""The bureaus' decision desks: where the gateway delivers objection and repair decisions.

Every bureau that decides objections and repairs (its registry entry's ``rights``) accepts a
decision that changes one of its records (``POST /rights/v1/decisions``, key in
``X-Api-Key``; the bureau's side is :mod:`simulators.rights`).  Delivery is a write: one
attempt per call, never retried here — the gateway's outbox retries with backoff and keeps the
decision until it is in — and idempotent at the bureau (by ``decisionId``), so a redelivery
after a crash is harmless.

    desk = DecisionDesk(http_client, settings.bureaus.court, source="court")
    await desk.deliver({"decisionId": case_id, "recordId": "JD-…", "action": "WITHDRAW", …})

Errors: :class:`~connectors.errors.SourceUnavailable` (transport, timeout, 5xx, 429 — retry
later), :class:`~connectors.errors.SourceRejected` (4xx — the payload or the key is wrong).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import orjson

from connectors.config import BureauConfig
from connectors.errors import SourceRejected, SourceTimeout, SourceUnavailable

__all__ = ["DECISION_PATH", "DecisionDesk"]

DECISION_PATH = "/rights/v1/decisions"


class DecisionDesk:
    """One bureau's decision desk.  Receives its client; never builds one."""

    def __init__(self, client: httpx.AsyncClient, config: BureauConfig, *, source: str) -> None:
        self.source = source
        self._client = client
        self._config = config

    async def deliver(self, decision: Mapping[str, Any]) -> None:
        """Hand ``decision`` to the bureau; returns once the bureau has it."""
        if not self._config.url:
            raise SourceUnavailable(self.source, "未配置该部门的接口地址")
        try:
            response = await self._client.post(
                self._config.url.rstrip("/") + DECISION_PATH,
                content=orjson.dumps(decision),
                headers={
                    "Content-Type": "application/json",
                    "X-Api-Key": self._config.api_key.get_secret_value(),
                },
                timeout=self._config.timeout_s,
            )
        except httpx.TimeoutException:
            raise SourceTimeout(self.source, "部门接口在规定时间内未应答") from None
        except httpx.TransportError as exc:
            raise SourceUnavailable(
                self.source, f"无法连接部门接口（{type(exc).__name__}）"
            ) from None
        status = response.status_code
        if status == 429 or status >= 500:
            raise SourceUnavailable(self.source, f"部门接口暂不可用（HTTP {status}）")
        if status >= 400:
            raise SourceRejected(self.source, f"部门接口拒绝了决定（HTTP {status}）", status=status)
