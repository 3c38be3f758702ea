"""人社 connector (consent-gated): social insurance and housing fund contributions, by month.

The bureau answers ``{"success", "errorCode", "errorMsg", "result"}`` with HTTP status codes
for errors; months are ``YYYY-MM``, amounts yuan strings; the key goes in ``X-HRSS-Key`` and
each unit's authorisation token in its batch item's ``consentToken``.  A batch answer lists
the units it served, those it ``denied`` (token refused: :class:`ConsentRejected` for that
unit alone) and those ``notFound`` (no social-insurance account: left out of the answer).

    await hrss.contributions({uscc: Grant(consent_id, token), ...})
    # dict[code, Sourced[tuple[SocialInsuranceMonth, ...]]], oldest month first

Answers are cached under each subject's consent id; ``hrss.drop_consent(consent_id)`` forgets
them at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from connectors.bureau import Bureau
from connectors.errors import ConnectorError, ConsentRejected, SourceProtocolError
from connectors.http import HttpBureau
from connectors.protocol import Grant
from connectors.provenance import Sourced
from credit.access import ConsentScope
from credit.money import yuan
from credit.records import SocialInsuranceMonth, Source
from credit.vocabulary import Label

__all__ = ["BATCH_LIMIT", "HrssConnector"]

BATCH_LIMIT = 100
CONTRIBUTIONS = "contributions"

Months = tuple[SocialInsuranceMonth, ...]


def _month(item: Mapping[str, Any]) -> SocialInsuranceMonth:
    year, month = str(item["period"]).split("-")
    return SocialInsuranceMonth(
        month=dt.date(int(year), int(month), 1),
        headcount=int(item["insuredCount"]),
        social_insurance_paid_yuan=yuan(Decimal(item["socialInsurancePaid"])),
        housing_fund_paid_yuan=yuan(Decimal(item["housingFundPaid"])),
        arrears_yuan=yuan(Decimal(item.get("arrears") or "0")),
    )


class HrssConnector(HttpBureau):
    source = "hrss"
    kinds = (CONTRIBUTIONS,)
    consent_kinds = frozenset(kinds)

    def authorise(self, request: httpx.Request) -> None:
        request.headers["X-HRSS-Key"] = self._config.api_key.get_secret_value()

    async def contributions(self, grants: Mapping[str, Grant]) -> dict[str, Sourced[Months]]:
        return await self.gated_batch(CONTRIBUTIONS, grants, self._fetch)

    async def _fetch(self, wanted: dict[str, Grant]) -> dict[str, Months | ConnectorError]:
        found: dict[str, Months | ConnectorError] = {}
        codes = list(wanted)
        for start in range(0, len(codes), BATCH_LIMIT):
            chunk = codes[start : start + BATCH_LIMIT]
            units = [{"unitCode": c, "consentToken": wanted[c].token} for c in chunk]
            result = await self.call(
                "POST", "/hrss/v1/units/contributions:batch", self._result, json={"units": units}
            )
            try:
                for unit in result["units"]:
                    if unit["unitCode"] in wanted:
                        found[unit["unitCode"]] = tuple(_month(m) for m in unit["records"])
                for code in result["denied"]:
                    if code in wanted:
                        found[code] = ConsentRejected(self.source)
            except (KeyError, ValueError, TypeError, InvalidOperation, AttributeError):
                raise SourceProtocolError(self.source, "缴费记录字段缺失或格式错误") from None
        return found

    def _result(self, response: httpx.Response) -> Mapping[str, Any]:
        payload = self.decode(response)
        if not isinstance(payload, dict) or payload.get("success") is not True:
            raise SourceProtocolError(self.source, "应答不符合该部门的报文格式")
        result = payload.get("result")
        if not isinstance(result, dict) or not isinstance(result.get("units"), list):
            raise SourceProtocolError(self.source, "批量应答缺少单位列表")
        return result


BUREAU = Bureau.http(
    HrssConnector,
    source=Source.declare("hrss", Label("人社与公积金", "Social insurance and housing fund")),
    rank=40,
    consent=ConsentScope.HRSS,
    feeds=("social_insurance",),
)
