"""The periods of DOMAIN.md §2 and §3, in one place: :class:`PublicityPolicy`.

Penalty periods are dated regimes (:mod:`credit.regimes`): ``regimes`` is the shipped table,
``added_regimes`` lets an operator add one (say, a new instrument) without repeating the rest.
The other periods are plain numbers or flags with the default the law gives and a docstring
naming its source.  Working days count on :data:`credit.calendar.STATUTORY` plus the
``holidays`` / ``makeup_workdays`` given here (for a year the data package does not cover yet).
The gateway's settings embed one instance (pydantic validates stdlib dataclasses), so every rule
reads the same numbers.  Re-exported by :mod:`credit.publicity`.

    >>> PublicityPolicy(defaulter_years=3).defaulter_years
    3

Errors: a negative period, a minimum above its maximum, a month outside 1-12, a penalty family
without a regime or two regimes of a family starting the same day raise ``ValueError`` at
construction (pydantic reports it as a validation error naming the field).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from credit.calendar import STATUTORY, WorkingCalendar
from credit.regimes import (
    DEFAULT_REGIMES,
    Family,
    Regime,
    regime_for,
    regime_table,
    reject_negative,
)

__all__ = ["PublicityPolicy"]


@dataclass(frozen=True, slots=True)
class PublicityPolicy:
    """Every publicity, repair and grade period the credit rules use."""

    regimes: tuple[Regime, ...] = DEFAULT_REGIMES
    """Penalty regimes by instrument and first day (JSON list; credit/regimes.py lists the
    shipped table and its sources)."""
    added_regimes: tuple[Regime, ...] = ()
    """Regimes added to ``regimes`` by the operator (JSON list of the same fields)."""
    unrepairable_sanctions: tuple[str, ...] = ("停产停业", "吊销许可证", "吊销营业执照", "限制从业")
    """Market penalties containing one of these sanctions can never be repaired (市场监管总局令
    第45号 第十四条第三项)."""
    defaulter_years: int = 2
    """失信被执行人 listed on grounds 2-6: 2 years (最高法2017年规定 第二条)."""
    defaulter_max_aggravated_years: int = 3
    """Aggravated cases may be extended by 1-3 years; the cap (最高法2017年规定 第二条)."""
    defaulter_removal_working_days: int = 3
    """Deletion within 3 working days after performance, or after the term ends for grounds
    2-6 (最高法2017年规定 第十条)."""
    abnormal_escalation_years: int = 3
    """经营异常名录 entry still listed after 3 years is due to escalate (企业信息公示暂行条例
    第十七条)."""
    escalated_serious_violation_years: int = 5
    """…to the 严重违法失信名单 for 5 years (企业信息公示暂行条例 第十七条)."""
    serious_violation_years: int = 3
    """严重违法失信名单: removed after 3 years (市场监管总局令第44号)."""
    serious_violation_min_years: int = 1
    """…early removal (repair) may be applied for after 1 year (市场监管总局令第44号)."""
    serious_dishonesty_until_removed: bool = True
    """National serious-dishonesty lists: shown until the listing authority removes the entry."""
    serious_dishonesty_years: int = 3
    """With the flag above off: a fixed period (e.g. 重大税收违法失信主体, 3 years)."""
    tax_direct_d_years: int = 2
    """A directly assigned D grade is kept through its 2nd year (纳税缴费信用管理办法, 2025)."""
    tax_grade_published_month: int = 4
    """Tax credit grades for year Y are published in April of Y+1 (DOMAIN.md §3)."""
    holidays: tuple[dt.date, ...] = ()
    """Public holidays on weekdays for a year the holiday data does not cover yet (国务院办公厅
    annual notice); added to the statutory calendar."""
    makeup_workdays: tuple[dt.date, ...] = ()
    """Weekend days worked instead (调休, same notice); they count as working days."""
    by_family: dict[Family, tuple[Regime, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    calendar: WorkingCalendar = field(default=STATUTORY, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        reject_negative(self)
        if self.serious_violation_min_years > self.serious_violation_years:
            raise ValueError("serious_violation_min_years 不能大于 serious_violation_years")
        if not 1 <= self.tax_grade_published_month <= 12:
            raise ValueError("tax_grade_published_month 应在1至12之间")
        # derived once: the rules look a regime up for every record they judge
        object.__setattr__(self, "by_family", regime_table(self.regimes + self.added_regimes))
        calendar = STATUTORY.with_days(self.holidays, self.makeup_workdays)
        object.__setattr__(self, "calendar", calendar)

    def regime(self, family: Family, decided_on: dt.date) -> Regime:
        """The regime of ``family`` in force on ``decided_on`` (the earliest for older ones)."""
        return regime_for(self.by_family[family], decided_on)

    def working_calendar(self) -> WorkingCalendar:
        """The project's one working-day calendar: statutory data plus the days given here."""
        return self.calendar
