"""知识产权 connector (public): patents and trademarks an enterprise holds, and the pledges
registered on its rights (知识产权质押登记).

The IP office's service speaks JSON:API (``application/vnd.api+json``; ``simulators.ip``
documents it): one search for up to 100 holders, resources of type ``patents``,
``trademarks`` and ``pledges`` each naming its ``holder``, codes it does not know listed in
``meta.unknown``.  Timestamps are RFC 3339 (dates taken in China time), pledge amounts **fen**
(converted to yuan here).  The key goes in ``Authorization: Token <key>``.

    await ip.rights(codes)   # {code: Sourced[(PATENT | TRADEMARK | IP_PLEDGE records)]}

A right lapsed or expired, or a pledge released, carries ``ended_on`` and is no longer shown
(each kind is public while in force); the records join the 行政管理信息 section of the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import httpx

from connectors.bureau import Bureau, RightsDesk
from connectors.errors import ConnectorError, SourceProtocolError
from connectors.http import HttpBureau
from connectors.provenance import Sourced
from credit.advice import CREDIT_CHINA_CHANNEL
from credit.money import yuan
from credit.records import CreditRecord, Polarity, Source, declare_kind
from credit.report_notes import CREDIT_CHINA_INSTRUMENT, declare_objection
from credit.vocabulary import Label

__all__ = ["BATCH_LIMIT", "IP", "IpConnector"]

BATCH_LIMIT = 100
RIGHTS = "rights"
JSONAPI = "application/vnd.api+json"
CHINA = dt.timezone(dt.timedelta(hours=8))
AUTHORITY = "国家知识产权局"

IP = Source.declare("ip", Label("知识产权", "Intellectual property"))
PATENT = declare_kind(
    "PATENT",
    Label("专利权", "Patent"),
    polarity=Polarity.POSITIVE,
    source=IP,
    section="ADMINISTRATIVE",
    basis="专利权经国家知识产权局授权公告，在专利权有效期内公示",
)
TRADEMARK = declare_kind(
    "TRADEMARK",
    Label("注册商标专用权", "Registered trademark"),
    polarity=Polarity.POSITIVE,
    source=IP,
    section="ADMINISTRATIVE",
    basis="注册商标经核准注册公告，在注册有效期内公示",
)
PLEDGE = declare_kind(
    "IP_PLEDGE",
    Label("知识产权质押登记", "Pledge of intellectual property"),
    polarity=Polarity.NEUTRAL,
    source=IP,
    section="ADMINISTRATIVE",
    basis="专利权、注册商标专用权质押登记信息在质押期间公示，注销登记后不再公示",
)
declare_objection(
    IP,
    "知识产权管理部门",
    f"认为公示的专利、商标或质押登记信息不准确的，向{AUTHORITY}提出并附证明材料，"
    f"或经{CREDIT_CHINA_CHANNEL}提交异议",
    CREDIT_CHINA_INSTRUMENT,
)

Records = tuple[CreditRecord, ...]


def _day(stamp: Any) -> dt.date | None:
    if stamp is None:
        return None
    return dt.datetime.fromisoformat(str(stamp)).astimezone(CHINA).date()


def _required(stamp: Any) -> dt.date:
    found = _day(stamp)
    if found is None:
        raise ValueError("missing date")
    return found


def _record(resource: Mapping[str, Any]) -> CreditRecord:
    kind, rid, a = resource["type"], str(resource["id"]), resource["attributes"]
    holder = str(a["holder"])
    if kind == "patents":
        return CreditRecord(
            id=rid,
            kind=PATENT,
            source=IP,
            subject_code=holder,
            title=f"{a['category']}专利 {a['number']}：{a['title']}",
            decided_on=_required(a["grantedAt"]),
            authority=AUTHORITY,
            ended_on=_day(a.get("lapsedAt")),
            details={"number": str(a["number"]), "category": str(a["category"])},
        )
    if kind == "trademarks":
        return CreditRecord(
            id=rid,
            kind=TRADEMARK,
            source=IP,
            subject_code=holder,
            title=f"注册商标「{a['mark']}」第{a['niceClass']}类（注册号 {a['regNo']}）",
            decided_on=_required(a["registeredAt"]),
            authority=AUTHORITY,
            details={"reg_no": str(a["regNo"]), "expires_on": str(_required(a["expiresAt"]))},
        )
    if kind == "pledges":
        cents = a["amountCents"]
        if not isinstance(cents, int) or isinstance(cents, bool):
            raise TypeError("amounts are integer fen")
        return CreditRecord(
            id=rid,
            kind=PLEDGE,
            source=IP,
            subject_code=holder,
            title=f"知识产权质押登记 {a['regNo']}（质权人：{a['pledgee']}）",
            decided_on=_required(a["registeredAt"]),
            authority=AUTHORITY,
            ended_on=_day(a.get("releasedAt")),
            amount_yuan=yuan(Decimal(cents) / 100),
            details={"pledgee": str(a["pledgee"])},
        )
    raise ValueError(f"unknown resource type {kind!r}")


class IpConnector(HttpBureau):
    source = "ip"
    kinds = (RIGHTS,)

    def authorise(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Token {self._config.api_key.get_secret_value()}"
        request.headers["Accept"] = JSONAPI

    async def rights(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        return await self.batch(RIGHTS, codes, self._fetch)

    async def _fetch(self, codes: list[str]) -> dict[str, Records | ConnectorError]:
        grouped: dict[str, list[CreditRecord]] = {code: [] for code in codes}
        for start in range(0, len(codes), BATCH_LIMIT):
            chunk = codes[start : start + BATCH_LIMIT]
            payload = await self.call(
                "POST", "/ip/v1/holdings:search", self._document, json={"filter": {"uscc": chunk}}
            )
            try:
                for resource in payload["data"]:
                    record = _record(resource)
                    if record.subject_code in grouped:
                        grouped[record.subject_code].append(record)
                for code in payload.get("meta", {}).get("unknown", []):
                    grouped.pop(code, None)
            except (KeyError, ValueError, TypeError, AttributeError):
                raise SourceProtocolError(self.source, "资源字段缺失或格式错误") from None
        return {code: tuple(found) for code, found in grouped.items()}

    def _document(self, response: httpx.Response) -> dict[str, Any]:
        payload = self.decode(response)
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
            raise SourceProtocolError(self.source, "应答不是 JSON:API 文档")
        return payload


BUREAU = Bureau.http(
    IpConnector,
    source=IP,
    rank=85,
    feeds=("PATENT", "TRADEMARK", "IP_PLEDGE"),
    records="rights",
    rights=RightsDesk(),  # objections to its public records: the general rule [U], a setting
)
