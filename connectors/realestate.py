"""不动产登记 connector (consent-gated): the real estate an enterprise holds, the mortgages on
it and the seizures courts registered.

不动产登记资料 are open to the right holder and those it authorises (《不动产登记暂行条例》
on 查询), so every record here is read under a consent of scope ``realestate`` and never
enters the public report.  The registry's interface (``simulators.realestate`` documents it)
uses pinyin field names in a ``{"ret", "msg", "jg"}`` envelope, dates ``YYYY年MM月DD日`` and
amounts in **万元** (converted to yuan here); the key goes in ``X-BDC-Key`` and each right
holder's token in its application's ``sqm``.  ``zt`` per holder: ``1`` answered, ``2``
unknown (left out), ``3`` token refused (:class:`ConsentRejected` for that subject alone).

    await realestate.holdings({uscc: Grant(consent_id, token), ...})
    # {code: Sourced[(REAL_ESTATE, MORTGAGE and SEIZURE records)]}
"""

from __future__ import annotations

import datetime as dt
import re
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
from credit.records import CreditRecord, Polarity, Source, declare_kind
from credit.vocabulary import Label

__all__ = ["BATCH_LIMIT", "REAL_ESTATE", "RealEstateConnector"]

BATCH_LIMIT = 100
HOLDINGS = "holdings"
AUTHORITY = "不动产登记机构"
GATED = "不动产登记资料仅权利人及其授权的人可以查询，不予公示，经权利人授权向金融机构提供"

REAL_ESTATE = Source.declare("realestate", Label("不动产登记", "Real estate registry"))
SCOPE = ConsentScope.declare(
    "realestate", Label("不动产登记信息", "Real estate held, mortgages and seizures")
)
HELD = declare_kind(
    "REAL_ESTATE",
    Label("不动产权利", "Real estate held"),
    polarity=Polarity.NEUTRAL,
    source=REAL_ESTATE,
    section=None,
    basis=GATED,
)
MORTGAGE = declare_kind(
    "MORTGAGE",
    Label("不动产抵押登记", "Mortgage on real estate"),
    polarity=Polarity.NEUTRAL,
    source=REAL_ESTATE,
    section=None,
    basis=GATED,
)
SEIZURE = declare_kind(
    "SEIZURE",
    Label("不动产查封登记", "Court seizure of real estate"),
    polarity=Polarity.NEUTRAL,
    source=REAL_ESTATE,
    section=None,
    basis=GATED,
)

Records = tuple[CreditRecord, ...]
_CN_DATE = re.compile(r"^(\d{4})年(\d{2})月(\d{2})日$")


def _date(text: Any) -> dt.date | None:
    if text is None:
        return None
    match = _CN_DATE.match(str(text))
    if match is None:
        raise ValueError(f"not a date: {text!r}")
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


def _required(text: Any) -> dt.date:
    found = _date(text)
    if found is None:
        raise ValueError("missing date")
    return found


def _holdings(code: str, item: Mapping[str, Any]) -> Records:
    found: list[CreditRecord] = []
    for right in item["qlxx"]:
        found.append(
            CreditRecord(
                id=str(right["bdcqzh"]),
                kind=HELD,
                source=REAL_ESTATE,
                subject_code=code,
                title=f"{right['yt']}用途不动产 {right['zl']}（{right['mj']}平方米）",
                decided_on=_required(right["djrq"]),
                authority=AUTHORITY,
                details={"area_m2": str(Decimal(right["mj"])), "use": str(right["yt"])},
            )
        )
    for mortgage in item["dyxx"]:
        found.append(
            CreditRecord(
                id=str(mortgage["dyzmh"]),
                kind=MORTGAGE,
                source=REAL_ESTATE,
                subject_code=code,
                title=f"抵押权登记（抵押权人：{mortgage['dyqr']}）",
                decided_on=_required(mortgage["djrq"]),
                authority=AUTHORITY,
                ended_on=_date(mortgage.get("zxrq")),
                amount_yuan=yuan(Decimal(mortgage["bdbzzqse"]) * 10_000),
                details={"mortgagee": str(mortgage["dyqr"])},
            )
        )
    for seizure in item["cfxx"]:
        found.append(
            CreditRecord(
                id=str(seizure["cfwh"]),
                kind=SEIZURE,
                source=REAL_ESTATE,
                subject_code=code,
                title=f"查封登记 {seizure['cfwh']}",
                decided_on=_required(seizure["djrq"]),
                authority=str(seizure["cfjg"]),
                ended_on=_date(seizure.get("jfrq")),
            )
        )
    return tuple(found)


class RealEstateConnector(HttpBureau):
    source = "realestate"
    kinds = (HOLDINGS,)
    consent_kinds = frozenset(kinds)

    def authorise(self, request: httpx.Request) -> None:
        request.headers["X-BDC-Key"] = self._config.api_key.get_secret_value()

    async def holdings(self, grants: Mapping[str, Grant]) -> dict[str, Sourced[Records]]:
        return await self.gated_batch(HOLDINGS, grants, self._fetch)

    async def _fetch(self, wanted: dict[str, Grant]) -> dict[str, Records | ConnectorError]:
        found: dict[str, Records | ConnectorError] = {}
        codes = list(wanted)
        for start in range(0, len(codes), BATCH_LIMIT):
            chunk = codes[start : start + BATCH_LIMIT]
            asked = [{"tyshxydm": c, "sqm": wanted[c].token} for c in chunk]
            answers = await self.call(
                "POST", "/bdc/v1/djxx/cx", self._answers, json={"sqrs": asked}
            )
            try:
                for item in answers:
                    code, status = str(item["tyshxydm"]), item["zt"]
                    if code not in wanted:
                        continue
                    if status == "1":
                        found[code] = _holdings(code, item)
                    elif status == "3":
                        found[code] = ConsentRejected(self.source)
                    elif status != "2":
                        raise SourceProtocolError(self.source, f"权利人状态 {status}")
            except (KeyError, ValueError, TypeError, InvalidOperation):
                raise SourceProtocolError(self.source, "登记字段缺失或格式错误") from None
        return found

    def _answers(self, response: httpx.Response) -> list[Mapping[str, Any]]:
        payload = self.decode(response)
        if not isinstance(payload, dict) or "ret" not in payload:
            raise SourceProtocolError(self.source, "应答不符合该部门的报文格式")
        if payload["ret"] != 0:
            raise SourceProtocolError(self.source, f"部门返回码 {payload['ret']}")
        answers = payload.get("jg")
        if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
            raise SourceProtocolError(self.source, "应答缺少结果列表")
        return answers


BUREAU = Bureau.http(
    RealEstateConnector,
    source=REAL_ESTATE,
    rank=75,
    consent=SCOPE,
    feeds=("REAL_ESTATE", "MORTGAGE", "SEIZURE"),
    gated_records="holdings",
)
