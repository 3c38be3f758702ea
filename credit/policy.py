"""The periods of DOMAIN.md §2 and §3, in one place: :class:`PublicityPolicy`.

Each period is a plain number (months, years, working days) or flag with the default the law
gives, and a docstring naming its source.  The gateway's settings embed one instance as a field
(pydantic validates stdlib dataclasses), so a locality can change a period with configuration
and every rule reads the same number.  Re-exported by :mod:`credit.publicity`.

    >>> PublicityPolicy(admin_general_max_months=6).admin_general_max_months
    6

Errors: a negative period, a minimum above its maximum or a month outside 1-12 raises
``ValueError`` at construction (pydantic reports it as a validation error naming the field).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from credit.calendar import WorkingCalendar

__all__ = ["PublicityPolicy"]


@dataclass(frozen=True, slots=True)
class PublicityPolicy:
    """Every publicity, sharing and grade period the credit rules use."""

    admin_minor_published: bool = False
    """轻微失信信息原则上不予公示 (《信用修复管理办法》, 国家发展改革委令第36号)."""
    admin_minor_max_months: int = 3
    """When a sector does publish minor penalties: at most 3 months (国家发展改革委令第36号)."""
    admin_general_min_months: int = 3
    """一般失信信息: shortest publicity, after which repair may be applied for (令第36号)."""
    admin_general_max_months: int = 12
    """一般失信信息: longest publicity, 1 year (国家发展改革委令第36号)."""
    admin_serious_min_months: int = 12
    """严重失信信息: shortest publicity, 1 year, then repairable (国家发展改革委令第36号)."""
    admin_serious_max_months: int = 36
    """严重失信信息: longest publicity, 3 years (国家发展改革委令第36号)."""
    market_minor_months: int = 3
    """Market penalty of 通报批评 or a small fine only: 3 months (市场监管总局令第45号 第十三条;
    a warning alone is not published at all, 第二条)."""
    market_other_months: int = 36
    """Any other market penalty: 3 years (市场监管总局令第45号 第十三条)."""
    market_repairable_after_months: int = 12
    """Other market penalties: early stop may be applied for after this (令第45号 第十四条).
    《市场监督管理信用修复管理办法》 (国市监信规〔2021〕3号) sets 1 year for food, drugs and
    special equipment and 6 months otherwise; the default takes the longer (configurable)."""
    defaulter_years: int = 2
    """失信被执行人 listed on grounds 2-6: 2 years (最高法2017年规定 第二条)."""
    defaulter_max_aggravated_years: int = 3
    """Aggravated cases may be extended by 1-3 years; the cap (最高法2017年规定 第二条)."""
    defaulter_removal_working_days: int = 3
    """Removal within 3 working days after performance (最高法2017年规定 第十条)."""
    abnormal_escalation_years: int = 3
    """经营异常名录 entry still listed after 3 years escalates (企业信息公示暂行条例 第十七条)."""
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
    bank_sharing_years: int = 5
    """Negative information is kept 5 years after the conduct ends (征信业管理条例 第十六条)."""
    tax_direct_d_years: int = 2
    """A directly assigned D grade is kept through its 2nd year (纳税缴费信用管理办法, 2025)."""
    tax_grade_published_month: int = 4
    """Tax credit grades for year Y are published in April of Y+1 (DOMAIN.md §3)."""
    holidays: tuple[dt.date, ...] = ()
    """Public holidays on weekdays (国务院办公厅 annual notice); working days skip them."""
    makeup_workdays: tuple[dt.date, ...] = ()
    """Weekend days worked instead (调休, same notice); they count as working days."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"{f.name} 不能为负数")
        pairs = [
            ("admin_general_min_months", "admin_general_max_months"),
            ("admin_serious_min_months", "admin_serious_max_months"),
            ("market_repairable_after_months", "market_other_months"),
            ("serious_violation_min_years", "serious_violation_years"),
        ]
        for low, high in pairs:
            if getattr(self, low) > getattr(self, high):
                raise ValueError(f"{low} 不能大于 {high}")
        if not 1 <= self.tax_grade_published_month <= 12:
            raise ValueError("tax_grade_published_month 应在1至12之间")

    def working_calendar(self) -> WorkingCalendar:
        """The working-day calendar made of ``holidays`` and ``makeup_workdays``."""
        return WorkingCalendar(frozenset(self.holidays), frozenset(self.makeup_workdays))
