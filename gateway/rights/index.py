"""Which records have an objection or repair case, so that the many without one are shown
with no query.

Every record a graph answer shows carries its rights marks (异议处理中 / 修复审核中 / a decided
correction), read from ``rights_cases`` by record id.  Nearly all records have no case, so
this replica keeps a :class:`~connectors.presence.PresenceIndex` of the record ids that have
one: loaded when its listener connects, told of each new case by ``NOTIFY creditgw_rights``
(``0011_rights_notify.sql``) and, for this replica's own filings, before the filing commits.
Without the listener — lost, or not yet loaded — every record is read, as before.

    async with listening(dsn, index):      # gateway.auth.client_cache
        index.may_have_cases("CF-…")       # False: no case about it, no query needed
"""

from __future__ import annotations

import asyncpg

from connectors.presence import PresenceIndex

__all__ = ["RIGHTS_CHANNEL", "CaseRecordIndex"]

RIGHTS_CHANNEL = "creditgw_rights"
"""NOTIFY channel: the payload is the record id a new case is about."""

_RECORD_IDS = "SELECT DISTINCT record_id FROM rights_cases"
_LOAD_TIMEOUT_S = 120.0  # a background load at start-up, not a request's


class CaseRecordIndex:
    channel = RIGHTS_CHANNEL

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._listening = False
        self.presence = PresenceIndex("rights", self._record_ids)

    @property
    def listening(self) -> bool:
        return self._listening

    def may_have_cases(self, record_id: str) -> bool:
        return self.presence.may_hold(record_id)

    def filing(self, record_id: str) -> None:
        """This replica is about to file a case about ``record_id`` (its NOTIFY comes later)."""
        self.presence.add(record_id)

    async def _record_ids(self) -> list[str]:
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(_RECORD_IDS, timeout=_LOAD_TIMEOUT_S)
        return [row["record_id"] for row in rows]

    def _hear(self) -> None:
        self._listening = True
        self.presence.start()

    def _deafen(self) -> None:
        self._listening = False
        self.presence.stop()

    def _notified(self, conn: object, pid: int, channel: str, payload: object) -> None:
        self.presence.add(str(payload))
