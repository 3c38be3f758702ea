"""海关 connector: customs registration and credit rating (public records), and monthly
declared import/export value (consent-gated records).

The customs data service answers CSV with a header row (``simulators.customs`` documents it):
dates ISO, months ``YYYY-MM``, values 万元 strings (converted to yuan here).  The key goes in
``X-Customs-Key``; each subject's authorisation token in its request item's ``token``; a
declarations row's ``status`` is ``OK``, ``DENIED`` (:class:`ConsentRejected` for that subject
alone) or ``NONE`` (unknown: left out).

    await customs.credit(codes)     # {code: Sourced[(registration, and 高级认证 or 失信)]}
    await customs.declarations({uscc: Grant(consent_id, token), ...})   # one record a month

The rating is 海关企业信用管理 (《海关注册登记和备案企业信用管理办法》): a 高级认证 enterprise
is listed under 诚实守信, a 失信 one under the serious-dishonesty lists, and every registered
trader's registration under 行政管理信息 (with its rating in ``details``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

import httpx

from connectors.bureau import Bureau, RightsDesk
from connectors.errors import ConnectorError, ConsentRejected, SourceProtocolError
from connectors.http import HttpBureau
from connectors.protocol import Grant
from connectors.provenance import Sourced
from credit.access import ConsentScope
from credit.money import yuan
from credit.records import CreditRecord, Polarity, Severity, Source, declare_kind
from credit.report_notes import declare_objection
from credit.rights.desks import ObjectionRule
from credit.vocabulary import Label

__all__ = ["BATCH_LIMIT", "CUSTOMS", "CustomsConnector"]

BATCH_LIMIT = 100
CREDIT = "credit"
DECLARATIONS = "declarations"
AUTHORITY = "海关"
RULES = "《海关注册登记和备案企业信用管理办法》"

CUSTOMS = Source.declare("customs", Label("海关", "Customs"))
SCOPE = ConsentScope.declare("customs", Label("海关进出口申报信息", "Declared import and export"))
REGISTRATION = declare_kind(
    "CUSTOMS_REGISTRATION",
    Label("海关备案（进出口货物收发货人）", "Customs registration as a trader"),
    polarity=Polarity.NEUTRAL,
    source=CUSTOMS,
    section="ADMINISTRATIVE",
    basis=f"海关进出口货物收发货人备案信息在备案有效期内公示；信用等级依{RULES}认定",
)
CERTIFIED = declare_kind(
    "CUSTOMS_CERTIFIED",
    Label("海关高级认证企业", "Customs AEO-certified enterprise"),
    polarity=Polarity.POSITIVE,
    source=CUSTOMS,
    section="HONESTY",
    basis=f"{RULES}：高级认证企业在认证有效期内公示",
)
DISHONEST = declare_kind(
    "CUSTOMS_DISHONEST",
    Label("海关失信企业", "Enterprise rated dishonest by customs"),
    polarity=Polarity.NEGATIVE,
    source=CUSTOMS,
    section="SERIOUS_LISTS",
    basis=f"{RULES}：失信企业在认定期间公示；纠正失信行为、消除不良影响的，依认定情形满3个月、"
    "6个月或1年可向海关书面申请信用修复，修复或重新认定后不再公示",
    # 署令第251号 第二十六条 [S]: 3 months, 6 months or a year by the ground of the rating; the
    # record does not say the ground, so the application opens at the shortest and customs, who
    # decide, weigh the ground.  第282号 (in force since 2026-04-01) not seen [U].
    repair_after_months=3,
    repair_channel="作出认定的海关（书面申请）",
)
DECLARED = declare_kind(
    "CUSTOMS_DECLARATION",
    Label("海关月度进出口申报", "Monthly declared imports and exports"),
    polarity=Polarity.NEUTRAL,
    source=CUSTOMS,
    section=None,
    basis="进出口申报数据不公示，经企业授权向金融机构提供",
)
declare_objection(
    CUSTOMS,
    "海关",
    "认为海关公示的企业信用信息不准确的，向海关提出异议并提供相关资料或者证明材料"
    "（可经“中国国际贸易单一窗口”提交）；对失信企业认定决定不服的，依法申请行政复议或者提起行政诉讼",
    RULES,
)

Records = tuple[CreditRecord, ...]


def _wan(text: str) -> Decimal:
    return yuan(Decimal(text) * 10_000)


def _credit_records(row: Mapping[str, str]) -> Records:
    code, rating = row["uscc"], row["rating"]
    registered, rated = (
        dt.date.fromisoformat(row["registered_on"]),
        dt.date.fromisoformat(row["rated_on"]),
    )
    found = [
        CreditRecord(
            id=f"CR-{row['customs_code']}",
            kind=REGISTRATION,
            source=CUSTOMS,
            subject_code=code,
            title=f"进出口货物收发货人备案（海关编码 {row['customs_code']}）",
            decided_on=registered,
            authority=AUTHORITY,
            details={"customs_code": row["customs_code"], "rating": rating},
        )
    ]
    if rating == "高级认证":
        found.append(
            CreditRecord(
                id=f"CA-{row['customs_code']}",
                kind=CERTIFIED,
                source=CUSTOMS,
                subject_code=code,
                title="海关高级认证企业",
                decided_on=rated,
                authority=AUTHORITY,
                legal_basis=RULES,
                list_name="海关高级认证企业名单",
            )
        )
    elif rating == "失信":
        found.append(
            CreditRecord(
                id=f"CD-{row['customs_code']}",
                kind=DISHONEST,
                source=CUSTOMS,
                subject_code=code,
                title="海关失信企业",
                decided_on=rated,
                authority=AUTHORITY,
                legal_basis=RULES,
                severity=Severity.SERIOUS,
                list_name="海关失信企业名单",
            )
        )
    elif rating != "一般信用":
        raise ValueError(rating)
    return tuple(found)


def _declaration(row: Mapping[str, str]) -> CreditRecord:
    month = dt.date.fromisoformat(row["month"] + "-01")
    imports, exports = _wan(row["import_wan"]), _wan(row["export_wan"])
    return CreditRecord(
        id=f"CM-{row['uscc']}-{row['month']}",
        kind=DECLARED,
        source=CUSTOMS,
        subject_code=row["uscc"],
        title=f"{month.year}年{month.month}月进出口申报",
        decided_on=month,
        authority=AUTHORITY,
        amount_yuan=imports + exports,
        details={"imports_yuan": str(imports), "exports_yuan": str(exports)},
    )


class CustomsConnector(HttpBureau):
    source = "customs"
    kinds = (CREDIT, DECLARATIONS)
    consent_kinds = frozenset({DECLARATIONS})

    def authorise(self, request: httpx.Request) -> None:
        request.headers["X-Customs-Key"] = self._config.api_key.get_secret_value()

    async def credit(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        """Registration and rating; a code the customs do not know is a trader of nothing."""
        return await self.batch(CREDIT, codes, self._credit)

    async def declarations(self, grants: Mapping[str, Grant]) -> dict[str, Sourced[Records]]:
        return await self.gated_batch(DECLARATIONS, grants, self._declarations)

    async def _credit(self, codes: list[str]) -> dict[str, Records | ConnectorError]:
        found: dict[str, Records | ConnectorError] = dict.fromkeys(codes, ())
        for start in range(0, len(codes), BATCH_LIMIT):
            chunk = codes[start : start + BATCH_LIMIT]
            rows = await self.call(
                "POST", "/customs/v2/credit.csv", self._rows, json={"uscc": chunk}
            )
            try:
                for row in rows:
                    if row["uscc"] in found:
                        found[row["uscc"]] = _credit_records(row)
            except (KeyError, ValueError):
                raise SourceProtocolError(self.source, "信用等级字段缺失或格式错误") from None
        return found

    async def _declarations(self, wanted: dict[str, Grant]) -> dict[str, Records | ConnectorError]:
        months: dict[str, list[CreditRecord]] = {}
        refused: dict[str, Records | ConnectorError] = {}
        codes = list(wanted)
        for start in range(0, len(codes), BATCH_LIMIT):
            chunk = codes[start : start + BATCH_LIMIT]
            asked = [{"uscc": c, "token": wanted[c].token} for c in chunk]
            rows = await self.call(
                "POST", "/customs/v2/declarations.csv", self._rows, json={"requests": asked}
            )
            try:
                for row in rows:
                    code, status = row["uscc"], row["status"]
                    if code not in wanted:
                        continue
                    if status == "OK":
                        months.setdefault(code, []).append(_declaration(row))
                    elif status == "DENIED":
                        refused[code] = ConsentRejected(self.source)
                    elif status != "NONE":
                        raise SourceProtocolError(self.source, f"条目状态 {status}")
            except (KeyError, ValueError, InvalidOperation):
                raise SourceProtocolError(self.source, "申报字段缺失或格式错误") from None
        return {**{code: tuple(found) for code, found in months.items()}, **refused}

    def _rows(self, response: httpx.Response) -> list[dict[str, str]]:
        if not response.headers.get("content-type", "").startswith("text/csv"):
            raise SourceProtocolError(self.source, "应答不是CSV")
        reader = csv.DictReader(io.StringIO(response.text))
        if reader.fieldnames is None or "uscc" not in reader.fieldnames:
            raise SourceProtocolError(self.source, "CSV缺少表头")
        return list(reader)


BUREAU = Bureau.http(
    CustomsConnector,
    source=CUSTOMS,
    rank=80,
    consent=SCOPE,
    feeds=("CUSTOMS_REGISTRATION", "CUSTOMS_CERTIFIED", "CUSTOMS_DISHONEST", "CUSTOMS_DECLARATION"),
    records="credit",
    gated_records="declarations",
    # Customs decide objections to the credit information they publish (its rating included),
    # reviewed within 20 days (GATEWAY_RIGHTS__CUSTOMS_REVIEW_DAYS; credit.rights.desks).
    rights=RightsDesk(objection=ObjectionRule.CUSTOMS_REVIEW),
)
