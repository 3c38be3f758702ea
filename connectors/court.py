"""法院 connector: 失信被执行人 entries and 限制消费令, for organisations and persons.

The court speaks a resource-oriented JSON API (camelCase, ``:batchGet``, HTTP status codes carry
the outcome), yuan as decimal strings, ISO dates, ``Authorization: Bearer <key>``.  The batch
answer has one result per requested code, in request order (a person's code is not echoed: the
court masks it), so results are matched to codes by position.  The court keeps no register of
subjects: a code it has no entries for is answered with an empty tuple, never left out.

    found = await court.records(codes)   # dict[code, Sourced[tuple[CreditRecord, ...]]]
    # kinds: JUDGMENT_DEFAULTER (severity 严重, ground, aggravated years), CONSUMPTION_RESTRICTION

Each entry keeps what the court's list prints: ``caseNumber`` (案号), ``courtName`` (执行法院,
also the deciding authority), ``courtCode`` (its 统一社会信用代码, ``""`` when left out) and, for a
defaulter, ``performance`` (履行情况: 全部未履行, 部分履行, 全部履行; a value outside these is a
protocol error, an absent one ``None``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from connectors.bureau import Bureau, RightsDesk
from connectors.errors import SourceProtocolError
from connectors.http import HttpBureau
from connectors.provenance import Sourced
from credit.money import yuan
from credit.records import CreditRecord, Performance, RecordKind, Severity, Source
from credit.rights.desks import ObjectionRule
from credit.vocabulary import Label

__all__ = ["BATCH_LIMIT", "CourtConnector"]

BATCH_LIMIT = 100
RECORDS = "records"

Records = tuple[CreditRecord, ...]


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class CourtConnector(HttpBureau):
    source = "court"
    kinds = (RECORDS,)

    def authorise(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self._config.api_key.get_secret_value()}"

    async def records(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        """Every code gets its entries (both kinds, possibly none)."""
        return await self.batch(RECORDS, codes, self._fetch)

    async def _fetch(self, codes: list[str]) -> dict[str, Records]:
        found: dict[str, Records] = {}
        for start in range(0, len(codes), BATCH_LIMIT):
            chunk = codes[start : start + BATCH_LIMIT]
            results = await self.call(
                "POST", "/court/v1/subjects:batchGet", self._results, json={"codes": chunk}
            )
            if len(results) != len(chunk):
                raise SourceProtocolError(self.source, "批量应答条数与请求不符")
            for code, result in zip(chunk, results, strict=True):
                found[code] = self._entries(code, result)
        return found

    # --- the court's payload, mapped in one place --------------------------------------------

    def _results(self, response: httpx.Response) -> list[Mapping[str, Any]]:
        payload = self.decode(response)
        results = payload.get("results") if isinstance(payload, dict) else None
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise SourceProtocolError(self.source, "批量应答缺少结果列表")
        return results

    def _entries(self, code: str, result: Mapping[str, Any]) -> Records:
        dishonest, orders = result.get("dishonest", []), result.get("restrictions", [])
        if not isinstance(dishonest, list) or not isinstance(orders, list):
            raise SourceProtocolError(self.source, "结果中的名单条目不是列表")
        try:
            return tuple(self._defaulter(code, item) for item in dishonest) + tuple(
                self._restriction(code, item) for item in orders
            )
        except (KeyError, ValueError, TypeError, InvalidOperation, AttributeError):
            raise SourceProtocolError(self.source, "名单条目字段缺失或格式错误") from None

    def _defaulter(self, code: str, item: Mapping[str, Any]) -> CreditRecord:
        published = dt.date.fromisoformat(item["publishDate"])
        details = {"filed_on": str(item["filedDate"]), "obligation": str(item["obligation"])}
        performance = item.get("performance")
        if item.get("legalRepresentative"):
            details["legal_rep"] = str(item["legalRepresentative"])
        amount = item.get("amount")
        return CreditRecord(
            id=str(item["entryId"]),
            kind=RecordKind.JUDGMENT_DEFAULTER,
            source=Source.COURT,
            subject_code=code,  # the court masks persons' codes: ours is the one we asked for
            title=str(item["caseNumber"]),
            decided_on=published,  # listed on the day of the decision to list
            authority=str(item["courtName"]),
            authority_code=str(item.get("courtCode") or ""),
            case_number=str(item["caseNumber"]),
            executing_court=str(item["courtName"]),
            performance=Performance(performance) if performance else None,
            legal_basis=str(item["legalBasis"]),
            severity=Severity.SERIOUS,
            publish_from=published,
            ended_on=_date(item.get("performedDate")),
            deleted_on=_date(item.get("deletedDate")),  # an early deletion the court reports
            amount_yuan=yuan(Decimal(amount)) if amount is not None else None,
            defaulter_ground=int(item["groundCode"]),
            aggravated_years=int(item.get("aggravatedYears") or 0),
            details=details,
        )

    def _restriction(self, code: str, item: Mapping[str, Any]) -> CreditRecord:
        issued = dt.date.fromisoformat(item["issuedDate"])
        return CreditRecord(
            id=str(item["entryId"]),
            kind=RecordKind.CONSUMPTION_RESTRICTION,
            source=Source.COURT,
            subject_code=code,
            title=str(item["caseNumber"]),
            decided_on=issued,
            authority=str(item["courtName"]),
            authority_code=str(item.get("courtCode") or ""),
            case_number=str(item["caseNumber"]),
            executing_court=str(item["courtName"]),
            legal_basis=str(item["legalBasis"]),
            publish_from=issued,
            ended_on=_date(item.get("liftedDate")),
            details={"restricted": str(item["restrictedPerson"])},
        )


BUREAU = Bureau.http(
    CourtConnector,
    source=Source.declare("court", Label("法院", "Courts")),
    rank=10,
    feeds=("JUDGMENT_DEFAULTER", "CONSUMPTION_RESTRICTION", "court_records", "legal_rep_records"),
    records="records",
    # 最高法2017年规定 第十二条: a correction reviewed in 15 days, made within 3 working days
    rights=RightsDesk(objection=ObjectionRule.COURT_LIST),
)
