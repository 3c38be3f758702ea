"""What a case's events say, beyond its state: the day it was decided, the marks its
records carry, and the statistics of many (pure functions over stored cases and views).

    marks = marks_of(cases, {("market", "CF-…")})
    rows = stats_rows(views)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from credit.access import local_date
from credit.rights import CaseKind, CaseStatus, RecordMark
from gateway.rights.store import StoredCase
from resolvers.rights_service import BureauStats, CaseView

__all__ = ["decided_day", "marks_of", "stats_rows"]


def decided_day(case: StoredCase) -> dt.date | None:
    """The gateway's calendar day a case was decided on (its deadline and effect count on it)."""
    state = case.state
    if state.decided_at is None:
        return None
    day = case.bodies[-1].get("decidedOn")
    return dt.date.fromisoformat(day) if day else local_date(state.decided_at)


def marks_of(
    cases: Sequence[StoredCase], wanted: set[tuple[str, str]]
) -> dict[tuple[str, str], RecordMark]:
    by_record: dict[tuple[str, str], list[StoredCase]] = {}
    for case in cases:
        key = (case.source, case.record_id)
        if key in wanted:
            by_record.setdefault(key, []).append(case)
    marks = {}
    for key, found in by_record.items():
        states = [c.state for c in found]
        decided = sorted(
            (c for c in found if c.state.correction is not None and c.state.decided_at),
            key=lambda c: c.state.decided_at or dt.datetime.min,
        )
        marks[key] = RecordMark(
            key[0],
            key[1],
            objection_open=any(
                s.kind is CaseKind.OBJECTION and s.status is CaseStatus.OPEN for s in states
            ),
            repair_open=any(
                s.kind is CaseKind.REPAIR and s.status is CaseStatus.OPEN for s in states
            ),
            corrections=tuple(
                (c.state.correction, day)
                for c in decided
                if c.state.correction is not None and (day := decided_day(c)) is not None
            ),
        )
    return marks


def stats_rows(views: Sequence[CaseView]) -> list[BureauStats]:
    """One row per bureau, month filed and kind."""
    groups: dict[tuple[str, dt.date, CaseKind], list[CaseView]] = {}
    for case in views:
        key = (case.source, case.filed_on.replace(day=1), case.kind)
        groups.setdefault(key, []).append(case)
    rows = []
    for (src, start, kind), group in sorted(groups.items()):
        decided = [v for v in group if v.state.decided_at is not None]
        rows.append(
            BureauStats(
                source=src,
                month=start,
                kind=kind,
                received=len(group),
                decided=len(decided),
                decided_in_time=sum(1 for v in decided if v.decided_in_time),
                overdue=sum(1 for v in group if v.overdue or v.decided_in_time is False),
                upheld=sum(
                    1 for v in decided if v.state.status in (CaseStatus.UPHELD, CaseStatus.ACCEPTED)
                ),
            )
        )
    return rows
