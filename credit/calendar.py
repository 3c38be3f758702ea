"""Date arithmetic the credit rules count in: months and years the legal way, and working days.

Periods "of N months / N years" end on the corresponding day of the final month, or on that
month's last day when it has no such day (民法典 第二百零二条).  The start day is not counted
(第二百零一条), so a 3-month period published on 2025-01-15 runs through 2025-04-15, and one
published on 2025-11-30 runs through 2026-02-28.

Working days: one calendar for the whole project, :data:`STATUTORY`, made of the State Council's
annual notices (国务院办公厅关于某年部分节假日安排的通知) as the ``chinese-calendar`` package
keeps them (its tables are imported once; nothing is read at call time).  A year the package does
not cover yet can be added in settings (``GATEWAY_PUBLICITY__HOLIDAYS`` / ``__MAKEUP_WORKDAYS``,
merged by :meth:`WorkingCalendar.with_days`).  A year covered by neither is counted Monday to
Friday — every count still gets an answer — and :meth:`WorkingCalendar.missing_years` names it so
the gateway warns at start-up (the notice for year Y is usually published in November of Y-1).

    >>> add_months(dt.date(2025, 11, 30), 3)
    datetime.date(2026, 2, 28)
    >>> STATUTORY.add_working_days(dt.date(2025, 9, 30), 3)  # 10-01..08 off, Saturday 10-11 worked
    datetime.date(2025, 10, 11)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from chinese_calendar import constants as _notices

__all__ = ["STATUTORY", "WEEKDAYS", "WorkingCalendar", "add_months", "add_years"]

CALENDAR_SOURCE = "国务院办公厅历年部分节假日安排的通知（chinese-calendar 1.11.0 数据）"


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later, clamped to the month's end (民法典 第二百零二条)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    first = dt.date(year, month0 + 1, 1)
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return first.replace(day=min(day.day, last.day))


def add_years(day: dt.date, years: int) -> dt.date:
    """The corresponding day ``years`` later; 29 February becomes 28 February."""
    return add_months(day, 12 * years)


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Which days are working days: weekdays, less ``holidays``, plus make-up ``workdays``.

    ``years`` are the years whose notices the calendar holds; in any other year only weekends
    are skipped.
    """

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)  # 调休: a weekend worked
    years: frozenset[int] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        current = day
        while count:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count -= 1
        return current

    def with_days(
        self, holidays: Iterable[dt.date], workdays: Iterable[dt.date]
    ) -> WorkingCalendar:
        """This calendar plus an operator's days; the years they fall in count as covered."""
        holidays, workdays = frozenset(holidays), frozenset(workdays)
        if not holidays and not workdays:
            return self
        added = {d.year for d in holidays | workdays}
        return WorkingCalendar(
            self.holidays | holidays, self.workdays | workdays, self.years | added
        )

    def missing_years(self, today: dt.date) -> tuple[int, ...]:
        """This year and next, where the calendar holds no notice (counted Monday to Friday)."""
        return tuple(y for y in (today.year, today.year + 1) if y not in self.years)


WEEKDAYS = WorkingCalendar()
"""Monday to Friday, no holidays: for tests of the counting itself."""

STATUTORY = WorkingCalendar(
    frozenset(_notices.holidays),
    frozenset(_notices.workdays),
    frozenset(d.year for d in _notices.holidays),
)
"""The State Council's holidays and 调休 working days (:data:`CALENDAR_SOURCE`)."""
