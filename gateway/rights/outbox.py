"""The outbox: decisions reach their bureau, late if need be, never lost.

A decision that changes a record is queued (``rights_outbox``) in the transaction that stores
it, so it exists exactly when the decision does.  :class:`Outbox` — one per gateway, run by
the lifespan — delivers due rows to the bureau's decision desk (:mod:`connectors.rights`):
woken at once by a new decision (:meth:`Outbox.kick`) and every ``poll_s`` otherwise.  A
failed attempt is retried after ``retry_base_s · 2^(attempts-1)`` (at most ``retry_max_s``);
rows are locked with ``FOR UPDATE SKIP LOCKED``, so several replicas share the work without
delivering a row twice at once, and the bureau ignores a redelivery (by ``decisionId``).

On delivery, every connector forgets cached answers holding the changed record, so the next
request is answered with the bureau's corrected record (the gateway's own marks already
applied the decision from the moment it was stored).

    outbox = Outbox(pool, desks, settings.rights_delivery, on_delivered=forget)
    async with outbox.running(): ...
    delivered = await outbox.deliver_due()     # one pass, as the loop runs it
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import asyncpg
import orjson

from connectors.errors import ConnectorError
from connectors.http import utc_now
from connectors.rights import DecisionDesk
from gateway.settings import RightsDelivery

__all__ = ["Outbox", "holds_record"]

log = logging.getLogger(__name__)

_DUE = """
SELECT id, case_id, source, payload, attempts FROM rights_outbox
WHERE delivered_at IS NULL AND next_attempt_at <= $1
ORDER BY id
LIMIT $2
FOR UPDATE SKIP LOCKED
"""


def holds_record(record_id: str) -> Callable[[Any], bool]:
    """Whether a cached connector answer (records, or a dossier with ``records``) holds
    the record ``record_id``."""

    def holds(value: Any) -> bool:
        records = getattr(value, "records", value)
        return isinstance(records, tuple) and any(
            getattr(r, "id", None) == record_id for r in records
        )

    return holds


class Outbox:
    def __init__(
        self,
        pool: asyncpg.Pool,
        desks: Mapping[str, DecisionDesk],
        settings: RightsDelivery,
        *,
        on_delivered: Callable[[str, str], None] = lambda source, record_id: None,
        clock: Callable[[], dt.datetime] = utc_now,
        batch: int = 20,
    ) -> None:
        self._pool = pool
        self._desks = desks
        self._settings = settings
        self._on_delivered = on_delivered
        self._clock = clock
        self._batch = batch
        self._wake = asyncio.Event()
        self.delivered = asyncio.Condition()  # notified after each pass that delivered rows

    def kick(self) -> None:
        """Look for due decisions now (a decision was just stored)."""
        self._wake.set()

    def _delay(self, attempts: int) -> dt.timedelta:
        seconds = self._settings.retry_base_s * 2 ** max(0, attempts - 1)
        return dt.timedelta(seconds=min(seconds, self._settings.retry_max_s))

    async def deliver_due(self) -> int:
        """One pass over the due rows; how many were delivered."""
        delivered = 0
        async with self._pool.acquire() as conn, conn.transaction():
            now = self._clock()
            for row in await conn.fetch(_DUE, now, self._batch):
                payload = orjson.loads(row["payload"])
                attempts = row["attempts"] + 1
                desk = self._desks.get(row["source"])
                try:
                    if desk is None:
                        raise ConnectorError(row["source"], "没有该部门的决定接收接口")
                    await desk.deliver(payload)
                except ConnectorError as exc:
                    log.warning(
                        "decision %s not delivered to %s (attempt %d): %s",
                        row["case_id"],
                        row["source"],
                        attempts,
                        exc.code,
                    )
                    await conn.execute(
                        """UPDATE rights_outbox SET attempts = $2, next_attempt_at = $3,
                                  last_error = $4 WHERE id = $1""",
                        row["id"],
                        attempts,
                        self._clock() + self._delay(attempts),
                        exc.code,
                    )
                    continue
                await conn.execute(
                    """UPDATE rights_outbox SET attempts = $2, delivered_at = $3, last_error = NULL
                       WHERE id = $1""",
                    row["id"],
                    attempts,
                    self._clock(),
                )
                self._on_delivered(row["source"], payload["recordId"])
                delivered += 1
        if delivered:
            async with self.delivered:
                self.delivered.notify_all()
        return delivered

    async def _loop(self) -> None:
        while True:
            try:
                await self.deliver_due()
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                log.warning("the rights outbox could not be read; retrying", exc_info=True)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._settings.poll_s):
                    await self._wake.wait()
            self._wake.clear()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self._loop(), name="rights-outbox")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
