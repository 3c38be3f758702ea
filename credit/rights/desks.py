"""Which bureaus decide objections and repairs about their records, and by which rules.

谁认定、谁修复 (DOMAIN.md §4): the bureau that records public credit information decides the
objections to it and the applications to repair it.  A bureau that does declares a
:class:`RightsDesk` in its registry entry (``connectors.bureau.Bureau.rights``); nothing else
lists the deciding bureaus.  The desk names the rules its cases follow (the periods themselves
are settings, :class:`~credit.rights.policy.RightsPolicy`):

* ``objection`` — :attr:`ObjectionRule.COURT_LIST`: a correction request reviewed within 15 days,
  an upheld one corrected within 3 working days (SPC 2017 Art. 12 [V]);
  :attr:`ObjectionRule.TAX_REEVALUATION`: 15 working days (2015 rule [V]);
  :attr:`ObjectionRule.CUSTOMS_REVIEW`: customs review an objection to the credit information
  they publish within 20 days of receiving it (海关企业信用管理办法: 署令第225号 第八条, 第237号
  第十条 [S]; the wording of 第251号 and of 第282号, in force since 2026-04-01, not seen [U]);
  :attr:`ObjectionRule.UNSTATED`: no statutory deadline found for other public credit
  information [U], so a setting per bureau (default 15 working days);
* ``repair`` — :attr:`RepairRule.SAMR`: market regulation handles its own within 7 working days
  (Order 107 [S]); :attr:`RepairRule.STATE_COUNCIL`: the applicant has an answer within 10
  working days (国办发〔2025〕22号 [S]).

    >>> RightsDesk(objection=ObjectionRule.COURT_LIST).corrects_separately
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ObjectionRule", "RepairRule", "RightsDesk"]


class ObjectionRule(StrEnum):
    """The rule fixing how long a bureau has to decide an objection."""

    COURT_LIST = "COURT_LIST"  # 最高法2017年规定 第十二条: 15 days, corrected in 3 working days
    TAX_REEVALUATION = "TAX_REEVALUATION"  # 纳税信用复评: 15 working days
    CUSTOMS_REVIEW = "CUSTOMS_REVIEW"  # 海关企业信用管理办法: reviewed within 20 days [S]
    UNSTATED = "UNSTATED"  # no statutory deadline found [U]: a setting per bureau


class RepairRule(StrEnum):
    """The rule fixing how long a bureau has to answer a repair application."""

    SAMR = "SAMR"  # 市场监管总局令第107号: 7 working days
    STATE_COUNCIL = "STATE_COUNCIL"  # 国办发〔2025〕22号: an answer within 10 working days


@dataclass(frozen=True, slots=True)
class RightsDesk:
    """A bureau's decision desk: it takes objections to and repairs of the records it keeps.

    ``Bureau.http(…, rights=RightsDesk())`` — the general rules: objections by the bureau's
    setting (no statutory deadline found), repairs answered within 10 working days.
    """

    objection: ObjectionRule = ObjectionRule.UNSTATED
    repair: RepairRule = RepairRule.STATE_COUNCIL

    @property
    def corrects_separately(self) -> bool:
        """An upheld objection is corrected in a period of its own after the decision (the
        court list); elsewhere the correction is part of the decision."""
        return self.objection is ObjectionRule.COURT_LIST
