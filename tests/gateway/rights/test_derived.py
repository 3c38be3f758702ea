"""Statistics per bureau, month and kind, from case views (pure)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credit.rights import CaseKind, CaseState, CaseStatus
from gateway.rights.derived import stats_rows
from resolvers.rights_service import CaseView

AT = dt.datetime(2026, 11, 3, tzinfo=dt.UTC)


def view(source: str, filed_on: dt.date, status: CaseStatus, **more: Any) -> CaseView:
    decided = None if status is CaseStatus.OPEN else AT
    fields: dict[str, Any] = {
        "id": "c", "kind": CaseKind.REPAIR, "target": None, "round": 1, "subject_key": "s",
        "subject_name": "n", "source": source, "record_id": "r", "record_title": "t",
        "filed_at": AT, "filed_on": filed_on, "due_on": filed_on, "deadline_basis": "b",
        "channel": None, "state": CaseState(CaseKind.REPAIR, status, AT, 2, decided_at=decided),
        "overdue": False, "decided_in_time": None if decided is None else True,
        "statement": None, "commitment": None, "attachments": (), "delivered_at": None,
        "correction_due": None,
    }  # fmt: skip
    return CaseView(**{**fields, **more})


def test_statistics_count_each_bureau_month_and_kind() -> None:
    nov, dec = dt.date(2026, 11, 3), dt.date(2026, 12, 1)
    rows = stats_rows(
        [
            view("market", nov, CaseStatus.ACCEPTED),
            view("market", nov, CaseStatus.REFUSED, decided_in_time=False),
            view("market", nov, CaseStatus.OPEN, overdue=True),
            view("market", dec, CaseStatus.OPEN),
            view("court", nov, CaseStatus.ACCEPTED),
        ]
    )
    by = {(r.source, r.month): r for r in rows}
    market = by[("market", dt.date(2026, 11, 1))]
    assert (market.received, market.decided, market.decided_in_time) == (3, 2, 1)
    assert market.overdue == 2  # one decided late, one open past its deadline
    assert market.upheld_rate == 0.5
    assert by[("market", dt.date(2026, 12, 1))].upheld_rate is None  # nothing decided yet
    assert by[("court", dt.date(2026, 11, 1))].received == 1
