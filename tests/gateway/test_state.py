"""The gateway's calendar day is Beijing's, whatever the host's time zone."""

from __future__ import annotations

import datetime as dt
import inspect

from gateway.app import create_app
from gateway.state import GatewayState, beijing_today


def test_the_day_turns_at_midnight_beijing_time_not_the_hosts() -> None:
    def at(moment: str) -> dt.date:
        return beijing_today(lambda: dt.datetime.fromisoformat(moment))

    assert at("2026-11-22T15:59:59+00:00") == dt.date(2026, 11, 22)
    assert at("2026-11-22T16:00:00+00:00") == dt.date(2026, 11, 23)  # 0:00 in Beijing
    assert at("2026-11-23T07:59:00+08:00") == dt.date(2026, 11, 23)


def test_the_gateway_counts_its_days_in_beijing_by_default() -> None:
    assert inspect.signature(create_app).parameters["today"].default is beijing_today
    today = GatewayState.__dataclass_fields__["today"].default
    assert today is beijing_today
