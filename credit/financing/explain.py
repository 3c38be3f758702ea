"""A pre-check explained to the enterprise in plain Chinese: what was decided, why, what to fix.

个人信息保护法 第二十四条 gives the subject of an automated decision the right to an
explanation.  :func:`explain` turns a decision's reasons into a short summary, the list of
"为什么没有通过" items (refusals first, then what needs a person, then what could not be
checked) and the concrete steps that would change them.

    >>> e = explain(Outcome.PASS, (), bank_name="甲银行", product_name="银税贷",
    ...             day=dt.date(2026, 11, 22))
    >>> e.summary
    '甲银行于2026-11-22用“银税贷”对贵企业做了融资预审，结果：通过。是否放款由银行最终决定。'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from credit.financing.engine import Outcome, RuleReason
from credit.financing.rules import Verdict

__all__ = ["OUTCOME_TEXT", "Explanation", "explain"]

OUTCOME_TEXT = {
    Outcome.PASS: "通过",
    Outcome.REFER: "需要银行人工审核",
    Outcome.DECLINE: "未通过",
}


@dataclass(frozen=True, slots=True)
class Explanation:
    summary: str
    why_not: tuple[str, ...]  # 为什么没有通过
    to_fix: tuple[str, ...]  # 怎么改进

    @property
    def text(self) -> str:
        """Everything as one message (for the chatbot)."""
        parts = [self.summary]
        if self.why_not:
            items = "；".join(f"{n}. {w}" for n, w in enumerate(self.why_not, 1))
            parts.append(f"为什么没有通过：{items}。")
        if self.to_fix:
            items = "；".join(f"{n}. {f}" for n, f in enumerate(self.to_fix, 1))
            parts.append(f"怎么改进：{items}。")
        return "".join(parts)


def _order(reason: RuleReason) -> int:
    if reason.verdict is Verdict.FAIL:
        return 0 if reason.hard else 1
    return 2


def explain(
    outcome: Outcome,
    reasons: Iterable[RuleReason],
    *,
    bank_name: str,
    product_name: str,
    day: dt.date,
) -> Explanation:
    """The enterprise's view of one decision."""
    summary = (
        f"{bank_name}于{day.isoformat()}用“{product_name}”对贵企业做了融资预审，"
        f"结果：{OUTCOME_TEXT[outcome]}。"
    )
    if outcome is Outcome.PASS:
        summary += "是否放款由银行最终决定。"
    elif outcome is Outcome.REFER:
        summary += "以下事项未能自动通过，银行将人工审核。"
    open_items = sorted((r for r in reasons if r.verdict is not Verdict.PASS), key=_order)
    why_not = tuple(f"{r.title}：{r.finding}" for r in open_items)
    to_fix = tuple(dict.fromkeys(r.advice for r in open_items if r.advice))
    return Explanation(summary, why_not, to_fix)
