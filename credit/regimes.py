"""Dated publicity regimes for penalties: which instrument's periods judge a record (DOMAIN.md §2).

The law changed on 2025-12-25 (SAMR Order 107) and 2026-04-01 (NDRC Order 36), so a penalty is
judged by the :class:`Regime` of its family in force on its **decision date**
(:func:`regime_for`); a decision older than every regime of its family falls under the earliest.
The table is data: :data:`DEFAULT_REGIMES` below, replaced or extended in settings
(``GATEWAY_PUBLICITY__REGIMES`` / ``__ADDED_REGIMES``, JSON lists of the fields of
:class:`Regime`), validated when the settings load.  Neither instrument states a transition rule
in the texts we could read, so none is applied: an earlier decision keeps its earlier regime.

Sources, as read with the project's search (confidence as in DOMAIN.md: [V] text read,
[S] secondary summaries, [U] not found — kept configurable):

* 国家发展改革委令第36号《信用修复管理办法》 (2025-11-20, in force 2026-04-01) [S]: the NDRC's
  release of 2025-11-26 — 轻微失信信息原则上不予公示, at most 3 months where a sector publishes;
  一般 3 months to 1 year; 严重 1 to 3 years; "公示期限自司法、行政公务文书认定之日起开始计算"
  (counted from the decision).  Arts. 1-4 were read [V]; the article numbers of the periods
  were not found [U].
* 国办发〔2025〕22号 item 二 [V] states the same three classes and periods, and that
  "市场监管领域信用修复依托国家企业信用信息公示系统按照国家统一规则办理" (the
  channel :func:`credit.advice.repair_channel` names).
* 国家发展改革委令第58号《失信行为纠正后的信用信息修复管理办法（试行）》 (in force
  2023-05-01, repealed by Order 36) [S]: the periods the gateway applied before, counted from
  publication; their article numbers [U].
* 国市监信规〔2021〕3号《市场监督管理信用修复管理办法》 Art. 6 [V per DOMAIN.md]: repair after
  6 months, 1 year for food, drugs and special equipment; publicity by 市场监管总局令第45号
  第十三条 [V]: 3 months for 通报批评 or a small fine, 3 years otherwise, from publication.
  Its first day (2021-09-01) [U].
* 市场监管总局令第107号《市场监督管理信用修复管理办法》 (2025-11-21, in force 2025-12-25) [S]:
  general 3 months / 1 year, serious 1 / 3 years, minor 3 months.  Its text was not found [U]:
  its articles and whether it counts from the decision or the publication are configurable
  (the default follows Order 36 and 22号: from the decision).

    >>> market = regime_table(DEFAULT_REGIMES)[Family.MARKET]
    >>> regime_for(market, dt.date(2025, 12, 24)).number
    '国市监信规〔2021〕3号'
    >>> regime_for(market, dt.date(2025, 12, 25)).number
    '市场监管总局令第107号'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum

__all__ = [
    "DEFAULT_REGIMES",
    "Anchor",
    "Family",
    "Regime",
    "regime_for",
    "regime_table",
    "reject_negative",
]


def reject_negative(periods: object, prefix: str = "") -> None:
    """``ValueError`` naming the first integer field of a dataclass that is negative."""
    for f in fields(periods):  # type: ignore[arg-type]
        value = getattr(periods, f.name)
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise ValueError(f"{prefix}{f.name} 不能为负数")


class Family(StrEnum):
    """Which penalties a regime governs."""

    NDRC = "NDRC"  # administrative penalties (双公示) outside market regulation: ADMIN_PENALTY
    MARKET = "MARKET"  # market-regulation penalties (国家企业信用信息公示系统): MARKET_PENALTY


class Anchor(StrEnum):
    """The day a regime's periods are counted from."""

    DECISION = "DECISION"  # the decision date (Order 36: 自……公务文书认定之日起)
    PUBLICATION = "PUBLICATION"  # the first day of publicity (Order 45 第十三条)


@dataclass(frozen=True, slots=True)
class Regime:
    """One instrument's periods for one family, from ``first_day`` until the next regime's.

    Months throughout; a ``*_min_months`` is the shortest publicity, after which repair may be
    applied for.  ``sector_min_months`` replaces the general and serious minimum when the
    penalty's legal basis names one of ``sector_keywords`` (3号: food, drugs, special equipment).
    """

    family: Family
    instrument: str  # the title, in 《》
    number: str  # 文号
    first_day: dt.date
    counted_from: Anchor
    minor_published: bool
    minor_max_months: int
    general_min_months: int
    general_max_months: int
    serious_min_months: int
    serious_max_months: int
    sector_min_months: int | None = None
    sector_keywords: tuple[str, ...] = ()
    articles: str = ""  # where the periods are written, as verified; "" when not found

    def __post_init__(self) -> None:
        reject_negative(self, f"{self.number}: ")
        if self.general_min_months > self.general_max_months:
            raise ValueError(f"{self.number}: general_min_months 不能大于 general_max_months")
        if self.serious_min_months > self.serious_max_months:
            raise ValueError(f"{self.number}: serious_min_months 不能大于 serious_max_months")

    @property
    def citation(self) -> str:
        """The instrument as user-facing text cites it: title, number and articles."""
        return f"{self.instrument}（{self.number}）{self.articles}"


_FOOD_DRUGS_EQUIPMENT = ("食品", "药品", "特种设备")

DEFAULT_REGIMES: tuple[Regime, ...] = (
    Regime(Family.NDRC, "《失信行为纠正后的信用信息修复管理办法（试行）》",
           "国家发展改革委令第58号", dt.date(2023, 5, 1), Anchor.PUBLICATION,
           False, 3, 3, 12, 12, 36),
    Regime(Family.NDRC, "《信用修复管理办法》", "国家发展改革委令第36号",
           dt.date(2026, 4, 1), Anchor.DECISION, False, 3, 3, 12, 12, 36),
    Regime(Family.MARKET, "《市场监督管理信用修复管理办法》", "国市监信规〔2021〕3号",
           dt.date(2021, 9, 1), Anchor.PUBLICATION, True, 3, 6, 36, 6, 36,
           sector_min_months=12, sector_keywords=_FOOD_DRUGS_EQUIPMENT,
           articles="第六条，公示期依《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）第十三条"),
    Regime(Family.MARKET, "《市场监督管理信用修复管理办法》", "市场监管总局令第107号",
           dt.date(2025, 12, 25), Anchor.DECISION, True, 3, 3, 12, 12, 36),
)  # fmt: skip
"""The regimes the gateway ships with; see the module docstring for each source."""


def regime_table(regimes: Iterable[Regime]) -> dict[Family, tuple[Regime, ...]]:
    """Regimes by family, oldest first; ``ValueError`` if a family has none or two share a day."""
    table: dict[Family, tuple[Regime, ...]] = {}
    for family in Family:
        mine = sorted((r for r in regimes if r.family is family), key=lambda r: r.first_day)
        if not mine:
            raise ValueError(f"{family.value} 类行政处罚没有任何公示期规则（regimes）")
        days = [r.first_day for r in mine]
        if len(set(days)) != len(days):
            raise ValueError(f"{family.value} 类有两条公示期规则起始于同一天")
        table[family] = tuple(mine)
    return table


def regime_for(ordered: Sequence[Regime], decided_on: dt.date) -> Regime:
    """The regime in force on ``decided_on`` among one family's, oldest first (see
    :func:`regime_table`); the earliest for older decisions."""
    chosen = ordered[0]
    for regime in ordered[1:]:
        if regime.first_day > decided_on:
            break
        chosen = regime
    return chosen
