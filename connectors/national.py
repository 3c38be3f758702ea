"""全国信用信息共享平台 connector: national serious-dishonesty lists (严重失信主体名单).

The platform answers a grid ``{"code": 0, "msg", "count", "data": [...]}`` with **Chinese field
names** and dates ``YYYY/MM/DD``; key as ``Authorization: ApiKey <key>``.  The batch answer is
a flat list of rows naming their subject; subjects on no list are simply not in it, so every
requested code gets a tuple, empty when it is on no list.

    await national.entries(codes)   # dict[code, Sourced[tuple[CreditRecord, ...]]]
    # kind SERIOUS_DISHONESTY, severity 严重, list_name = 名单名称, ended_on = 移出日期
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from connectors.bureau import Bureau, RightsDesk
from connectors.errors import ConnectorError, SourceProtocolError
from connectors.http import HttpBureau
from connectors.provenance import Sourced
from credit.records import CreditRecord, RecordKind, Severity, Source
from credit.vocabulary import Label

__all__ = ["BATCH_LIMIT", "NationalConnector"]

BATCH_LIMIT = 100
ENTRIES = "entries"

Records = tuple[CreditRecord, ...]


def _slashed(value: Any) -> dt.date | None:
    return dt.datetime.strptime(value, "%Y/%m/%d").date() if value else None


def _entry(row: Mapping[str, Any]) -> CreditRecord:
    listed = _slashed(row["列入日期"])
    if listed is None:
        raise ValueError("an entry without a listing date")
    return CreditRecord(
        id=str(row["记录编号"]),
        kind=RecordKind.SERIOUS_DISHONESTY,
        source=Source.NATIONAL,
        subject_code=str(row["统一社会信用代码"]),
        title=str(row["名单名称"]),
        decided_on=listed,
        authority=str(row["认定部门"]),
        authority_code=str(row.get("认定部门统一社会信用代码") or ""),
        legal_basis=str(row["认定依据"]),
        severity=Severity.SERIOUS,
        publish_from=listed,
        ended_on=_slashed(row.get("移出日期")),  # the last day in force
        list_name=str(row["名单名称"]),
        details={"reason": str(row.get("列入事由") or "")},
    )


class NationalConnector(HttpBureau):
    source = "national"
    kinds = (ENTRIES,)

    def authorise(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"ApiKey {self._config.api_key.get_secret_value()}"

    async def entries(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self.batch(ENTRIES, codes, self._fetch)

    async def _fetch(self, codes: list[str]) -> dict[str, Records | ConnectorError]:
        grouped: dict[str, list[CreditRecord]] = {code: [] for code in codes}
        for start in range(0, len(codes), BATCH_LIMIT):
            chunk = codes[start : start + BATCH_LIMIT]
            rows = await self.call(
                "POST", "/national/api/lists/batch", self._rows, json={"codes": chunk}
            )
            try:
                for record in map(_entry, rows):
                    if record.subject_code in grouped:
                        grouped[record.subject_code].append(record)
            except (KeyError, ValueError, TypeError):
                raise SourceProtocolError(self.source, "名单条目字段缺失或格式错误") from None
        return {code: tuple(records) for code, records in grouped.items()}

    def _rows(self, response: httpx.Response) -> list[Mapping[str, Any]]:
        payload = self.decode(response)
        if not isinstance(payload, dict) or "code" not in payload:
            raise SourceProtocolError(self.source, "应答不符合该部门的报文格式")
        if payload["code"] != 0:
            raise SourceProtocolError(self.source, f"部门返回码 {payload['code']}")
        rows = payload.get("data")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise SourceProtocolError(self.source, "批量应答缺少数据列表")
        return rows


BUREAU = Bureau.http(
    NationalConnector,
    source=Source.declare("national", Label("全国性名单", "National lists")),
    rank=60,
    feeds=("SERIOUS_DISHONESTY", "national_records"),
    records="entries",
    rights=RightsDesk(),  # the listing department decides; no statutory objection deadline found
)
