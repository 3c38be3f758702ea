"""Date arithmetic the credit rules count in: months and years the legal way, and working days.

Periods "of N months / N years" end on the corresponding day of the final month, or on that
month's last day when it has no such day (民法典 第二百零二条).  The start day is not counted
(第二百零一条), so a 3-month period published on 2025-01-15 runs through 2025-04-15, and one
published on 2025-11-30 runs through 2026-02-28.

Working days are Monday to Friday unless a :class:`WorkingCalendar` is given the State Council's
holidays and make-up working days (调休) for the years concerned; without them, only weekends
are skipped.

    >>> add_months(dt.date(2025, 11, 30), 3)
    datetime.date(2026, 2, 28)
    >>> WEEKDAYS.add_working_days(dt.date(2026, 1, 2), 3)  # a Friday
    datetime.date(2026, 1, 7)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["WEEKDAYS", "WorkingCalendar", "add_months", "add_years"]


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
    """Which days are working days: weekdays, less ``holidays``, plus make-up ``workdays``."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)  # 调休: a weekend worked

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


WEEKDAYS = WorkingCalendar()
"""Monday to Friday, no holidays: the default when no holiday calendar is configured."""
