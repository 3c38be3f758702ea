"""Which records have a case, known without a query: this replica's filings at once, another
replica's through NOTIFY (0011_rights_notify.sql)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.applications import Starlette

from credit.records import CreditRecord
from gateway.auth.client_cache import listening
from gateway.database import Database
from gateway.rights.index import CaseRecordIndex
from tests.gateway.rights.conftest import Caller, gql, repairable_today
from tests.gateway.rights.test_workflows import OBJECT, objection_input

Pick = Callable[[Callable[[CreditRecord], bool]], tuple[str, str, CreditRecord]]


class HeardIndex(CaseRecordIndex):
    """Another replica's index, letting the test wait for what it hears."""

    def __init__(self, db: Database) -> None:
        super().__init__(db.pool)
        self.heard: asyncio.Queue[str] = asyncio.Queue()

    def _notified(self, conn: object, pid: int, channel: str, payload: object) -> None:
        super()._notified(conn, pid, channel, payload)
        self.heard.put_nowait(str(payload))


async def test_a_filed_case_marks_its_record_here_at_once_and_on_another_replica_by_notify(
    rights_app: Starlette, rights_db: Database, rights_as: Caller, firms: Pick
) -> None:
    uscc, rep, record = firms(repairable_today)
    here = rights_app.state.gateway.case_records
    assert isinstance(here, CaseRecordIndex)
    async with rights_as() as public:  # the app is serving: its listener is connected
        await gql(public, "{ __typename }")
    await here.presence.wait_ready()
    other = HeardIndex(rights_db)
    async with listening(rights_db.dsn, other):
        await other.presence.wait_ready()
        assert here.presence.ready
        assert other.presence.ready
        assert not here.may_have_cases(record.id)  # nothing filed: its marks cost no query
        assert not other.may_have_cases(record.id)
        async with rights_as(citizen=rep, represents=(uscc,)) as me:
            filed = await gql(me, OBJECT, i=objection_input(uscc, record))
        assert filed["data"]["fileObjection"]["status"] == "OPEN"
        assert here.may_have_cases(record.id)
        while (heard := await asyncio.wait_for(other.heard.get(), 10)) != record.id:
            assert heard  # another test's filing; keep listening for ours
        assert other.may_have_cases(record.id)
    assert not other.presence.ready  # listener gone: every record is read again
    assert other.may_have_cases("ANY-RECORD")
