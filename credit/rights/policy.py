"""The periods and limits of the rights workflows, in one place: :class:`RightsPolicy`.

The gateway's settings embed one instance (``GATEWAY_RIGHTS__…``); deadlines count working days
on the project's one calendar (:meth:`credit.policy.PublicityPolicy.working_calendar`), never
their own.  Sources (DOMAIN.md §4):

* court list (失信被执行人): a correction request is reviewed within **15 days** and, when
  well founded, the entry is corrected within **3 working days**; a reconsideration is decided
  within 15 days (最高法2017年规定 第十二条);
* tax grades: re-evaluation within **15 working days** (纳税信用评价 复评规则, 2015);
* customs: an objection to the credit information customs publish is reviewed within **20 days**
  of receipt (海关企业信用管理办法, 署令第225号 第八条 and 第237号 第十条, as quoted [S]);
* other public credit information: no statutory deadline was found [U], so a setting per
  bureau (``objection_working_days_by_source``, else 15 working days);
* repair: the applicant has an answer within **10 working days** (国办发〔2025〕22号); market
  regulation handles its own within **7 working days** (市场监管总局令第107号).

    >>> RightsPolicy().court_review_days
    15
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

__all__ = ["ALLOWED_MEDIA_TYPES", "RightsPolicy"]

ALLOWED_MEDIA_TYPES = ("text/plain", "application/pdf", "image/png", "image/jpeg")
"""Attachments: text and the usual scans; each is checked by its content, not only its name."""


@dataclass(frozen=True, slots=True)
class RightsPolicy:
    """Every deadline and limit of objections and repairs."""

    court_review_days: int = 15
    """Court list: a correction request (and a reconsideration) is decided within 15 days
    (最高法2017年规定 第十二条)."""
    court_correction_working_days: int = 3
    """…and a well-founded one corrected within 3 working days (最高法2017年规定 第十二条)."""
    tax_reevaluation_working_days: int = 15
    """Tax credit grade: re-evaluation within 15 working days (纳税信用复评, 2015 rule)."""
    customs_review_days: int = 20
    """Customs: an objection to the credit information customs publish is reviewed within 20 days
    of receipt (海关企业信用管理办法: 署令第225号 第八条, 第237号 第十条 [S]; the text of the
    orders since, 第251号 and 第282号, not seen [U])."""
    objection_working_days: int = 15
    """Objections where no statutory deadline was found (DOMAIN.md §4 [U]): working days, for
    every bureau of that rule not named in objection_working_days_by_source."""
    objection_working_days_by_source: dict[str, int] = field(default_factory=dict)
    """The same per bureau (JSON, e.g. {"realestate": 20}), overriding objection_working_days."""
    repair_answer_working_days: int = 10
    """Repair: the applicant has an answer within 10 working days (国办发〔2025〕22号)."""
    market_repair_working_days: int = 7
    """Repair of a market-regulation record: 7 working days (市场监管总局令第107号)."""
    max_objection_rounds: int = 2
    """An objection rejected may be objected to once more (最高法2017年规定 第十二条: 复议)."""
    attachment_max_bytes: int = 256 * 1024
    """Largest attachment, bytes (text, PDF, PNG or JPEG); two of them in base64 stay under
    GATEWAY_MAX_BODY_BYTES."""
    max_attachments: int = 2
    """Most attachments per application."""
    reason_max_chars: int = 2000
    """Longest reason, statement or decision text, characters."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            numbers = value.values() if isinstance(value, dict) else (value,)
            if any(n < 1 for n in numbers):
                raise ValueError(f"{f.name} 应为正整数")

    def objection_days(self, source: str) -> int:
        """Working days a bureau without a statutory objection deadline has to decide."""
        return self.objection_working_days_by_source.get(source, self.objection_working_days)
