"""税务 bureau simulator: 纳税信用等级 and monthly tax paid — only with the taxpayer's consent.

API style: every call is a POST with a ``head``/``body`` envelope and two-digit return codes
(``rtnCode``), lower-case pinyin field names, dates ``YYYYMMDD``, months ``YYYYMM``, amounts in
yuan as strings with two decimals, offset/limit pagination.  Taxpayers are identified by
``nsrsbh`` (纳税人识别号 = the USCC); the bureau knows enterprises, individual businesses and
cooperatives.

Auth: ``X-Tax-AppKey: <api key>``; plus, per taxpayer, ``sqm`` (授权码): a subject token of
scope ``tax`` (:mod:`credit.authorisation`), signed with the secret this bureau was built with.

Envelope::

    {"head": {"rtnCode": "00", "rtnMsg": "成功", "tranSeq": "<32 hex>"}, "body": {…} | null}

============ ======== ==========================================================
rtnCode      HTTP     meaning
============ ======== ==========================================================
``00``       200      success
``04``       200      taxpayer not found (single query; in a batch, per item)
``10``       401      app key missing or wrong
``20``       403      ``sqm`` missing, forged, for another taxpayer/scope, or expired
                      (single query; in a batch, per item with HTTP 200)
``30``       400      bad request: not JSON, missing fields, more than 100 items
============ ======== ==========================================================

Checks run in that order: key, request shape, ``sqm``, then existence — so a taxpayer's
existence is never revealed without its consent.

    POST /tax/api/v1/credit-grade/query        {"nsrsbh": "…", "sqm": "…"}
         body: {"nsrsbh", "nsrmc", "pjxx": [{"pjnd": "2024", "xydj": "A|B|M|C|D",
                "pjfs": "95" | null, "zjpd": "Y|N" (直接判级), "pdrq": "20250420"}]}
    POST /tax/api/v1/credit-grade/batch-query  {"items": [{"nsrsbh", "sqm"}, …]}  (1-100)
         body: {"items": [{"nsrsbh", "rtnCode", "rtnMsg", "nsrmc"?, "pjxx"?}, …]}
               one per requested item, in request order
    POST /tax/api/v1/payments/query  {"nsrsbh", "sqm", "qsny"?, "zzny"?, "offset"?: 0,
                                      "limit"?: 24 (1-100)}
         body: {"nsrsbh", "nsrmc", "total", "offset", "limit",
                "items": [{"ssq": "202410", "sjje": "1234.56", "lsbz": "Y|N" (零申报)}]}
               months oldest first; ``qsny``/``zzny`` (YYYYMM, inclusive) filter the months
    POST /tax/api/v1/payments/batch-query  {"items": [{"nsrsbh", "sqm"}, …], "qsny"?, "zzny"?}
         body: {"items": [{"nsrsbh", "rtnCode", "rtnMsg", "nsrmc"?, "items"?: [...]}]}
               every month in range per taxpayer (no pagination)
    POST /tax/api/v1/ledger/batch-query  {"items": [{"nsrsbh", "sqm"}, …]}
         body: {"items": [{"nsrsbh", "rtnCode", "rtnMsg", "nsrmc"?, "pjxx"?, "items"?}]}
               grades and every month of payments per taxpayer: a full profile in one call
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.records import TaxGrade, TaxPayment
from simulators.service import MAX_BATCH, Clock, ConsentGatedService, Simulator, utc_now
from simulators.tax_facts import TaxLedger
from simulators.world import World

__all__ = ["TaxBureau"]

_MESSAGES = {
    "00": "成功",
    "04": "纳税人不存在",
    "10": "应用密钥无效",
    "20": "授权码无效或已过期",
    "30": "请求参数错误",
}
_STATUS = {"00": 200, "04": 200, "10": 401, "20": 403, "30": 400}


def _reply(code: str, body: Any = None, msg: str | None = None) -> JSONResponse:
    head = {"rtnCode": code, "rtnMsg": msg or _MESSAGES[code], "tranSeq": secrets.token_hex(16)}
    return JSONResponse({"head": head, "body": body}, status_code=_STATUS[code])


def _grade(g: TaxGrade) -> dict[str, Any]:
    return {
        "pjnd": str(g.year),
        "xydj": g.grade.value,
        "pjfs": str(g.score) if g.score is not None else None,
        "zjpd": "Y" if g.assigned_directly else "N",
        "pdrq": f"{g.assigned_on:%Y%m%d}" if g.assigned_on else None,
    }


def _payment(p: TaxPayment) -> dict[str, Any]:
    return {
        "ssq": f"{p.month:%Y%m}",
        "sjje": f"{p.amount_yuan:.2f}",
        "lsbz": "Y" if p.zero_return else "N",
    }


def _months(rows: tuple[TaxPayment, ...], start: Any, end: Any) -> list[TaxPayment]:
    low = str(start) if isinstance(start, str) else "000000"
    high = str(end) if isinstance(end, str) else "999999"
    return [p for p in rows if low <= f"{p.month:%Y%m}" <= high]


class TaxBureau(ConsentGatedService):
    name = "tax"
    scope = "tax"
    api_key_header = "X-Tax-AppKey"

    def __init__(
        self, world: World, api_key: str, secret: bytes, *, clock: Clock = utc_now
    ) -> None:
        super().__init__(api_key, secret, clock=clock)
        self.world = world

    def unauthorised(self) -> Response:
        return _reply("10")

    def routes(self) -> list[Route]:
        base = "/tax/api/v1"
        return [
            self.route(
                f"{base}/credit-grade/query", self.grade_one, name="grade.one", methods=["POST"]
            ),
            self.route(
                f"{base}/credit-grade/batch-query",
                self.grade_batch,
                name="grade.batch",
                methods=["POST"],
            ),
            self.route(
                f"{base}/payments/query", self.payments_one, name="payments.one", methods=["POST"]
            ),
            self.route(
                f"{base}/payments/batch-query",
                self.payments_batch,
                name="payments.batch",
                methods=["POST"],
            ),
            self.route(
                f"{base}/ledger/batch-query",
                self.ledger_batch,
                name="ledger.batch",
                methods=["POST"],
            ),
        ]

    # --- shared ------------------------------------------------------------------------------

    async def _body(self, request: Request) -> dict[str, Any] | None:
        try:
            body = await request.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def _lookup(self, item: Any) -> tuple[str, str, TaxLedger | None]:
        """(rtnCode, nsrsbh, ledger) for one {"nsrsbh", "sqm"} item."""
        code = item.get("nsrsbh") if isinstance(item, dict) else None
        if not isinstance(code, str) or not code:
            return "30", "", None
        if not self.consented(code, item.get("sqm")):
            return "20", code, None
        facts = self.world.facts(code)
        if facts is None or facts.tax is None:
            return "04", code, None
        return "00", code, facts.tax

    def _name(self, code: str) -> str:
        return self.world.registrations[code].name

    async def _batch(
        self, request: Request, shape: Callable[[TaxLedger, dict[str, Any]], dict[str, Any]]
    ) -> Response:
        body = await self._body(request)
        items = body.get("items") if body is not None else None
        if not isinstance(items, list) or not items:
            return _reply("30", msg="请求参数错误：items 必须是非空数组")
        if len(items) > MAX_BATCH:
            return _reply("30", msg=f"请求参数错误：单次最多查询{MAX_BATCH}户")
        assert body is not None
        answers = []
        for item in items:
            code, nsrsbh, ledger = self._lookup(item)
            answer: dict[str, Any] = {"nsrsbh": nsrsbh, "rtnCode": code, "rtnMsg": _MESSAGES[code]}
            if ledger is not None:
                answer |= {"nsrmc": self._name(nsrsbh), **shape(ledger, body)}
            answers.append(answer)
        return _reply("00", {"items": answers})

    # --- grades ------------------------------------------------------------------------------

    async def grade_one(self, request: Request) -> Response:
        body = await self._body(request)
        if body is None:
            return _reply("30")
        code, nsrsbh, ledger = self._lookup(body)
        if ledger is None:
            return _reply(code)
        grades = [_grade(g) for g in ledger.grades]
        return _reply("00", {"nsrsbh": nsrsbh, "nsrmc": self._name(nsrsbh), "pjxx": grades})

    async def grade_batch(self, request: Request) -> Response:
        return await self._batch(
            request, lambda ledger, _: {"pjxx": [_grade(g) for g in ledger.grades]}
        )

    # --- payments ----------------------------------------------------------------------------

    async def payments_one(self, request: Request) -> Response:
        body = await self._body(request)
        if body is None:
            return _reply("30")
        try:
            offset = int(body.get("offset", 0))
            limit = int(body.get("limit", 24))
        except (TypeError, ValueError):
            return _reply("30", msg="请求参数错误：offset/limit 必须是整数")
        if offset < 0 or not 1 <= limit <= 100:
            return _reply("30", msg="请求参数错误：offset ≥ 0，limit 在1至100之间")
        code, nsrsbh, ledger = self._lookup(body)
        if ledger is None:
            return _reply(code)
        rows = _months(ledger.payments, body.get("qsny"), body.get("zzny"))
        return _reply(
            "00",
            {
                "nsrsbh": nsrsbh,
                "nsrmc": self._name(nsrsbh),
                "total": len(rows),
                "offset": offset,
                "limit": limit,
                "items": [_payment(p) for p in rows[offset : offset + limit]],
            },
        )

    async def payments_batch(self, request: Request) -> Response:
        def shape(ledger: TaxLedger, body: dict[str, Any]) -> dict[str, Any]:
            rows = _months(ledger.payments, body.get("qsny"), body.get("zzny"))
            return {"items": [_payment(p) for p in rows]}

        return await self._batch(request, shape)

    async def ledger_batch(self, request: Request) -> Response:
        def shape(ledger: TaxLedger, body: dict[str, Any]) -> dict[str, Any]:
            return {
                "pjxx": [_grade(g) for g in ledger.grades],
                "items": [_payment(p) for p in _months(ledger.payments, None, None)],
            }

        return await self._batch(request, shape)


SIMULATOR = Simulator("tax", lambda world, key, secret: TaxBureau(world, key, secret), gated=True)
