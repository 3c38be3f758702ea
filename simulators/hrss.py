"""人社 bureau simulator: social insurance and housing fund, by month — with the unit's consent.

API style: a Java-style ``{"success", "errorCode", "errorMsg", "result"}`` envelope, English
camelCase fields, months ``YYYY-MM``, amounts in yuan as strings with two decimals, pageNo/
pageSize pagination, HTTP status codes for errors.  Units are identified by ``unitCode`` (the
USCC); the bureau knows organisations with a social-insurance account (most firms, public
institutions and associations; a third of individual businesses).

Auth: ``X-HRSS-Key: <api key>``.  Consent: a subject token of scope ``hrss``
(:mod:`credit.authorisation`) — in the ``X-Consent-Token`` header for a single unit, in each
batch item's ``consentToken``.

=========== ================== ================================================
HTTP        errorCode          when
=========== ================== ================================================
401         AUTH_FAILED        key missing or wrong
400         BAD_REQUEST        malformed body or parameters
400         BATCH_TOO_LARGE    more than 100 units
403         CONSENT_REQUIRED   no token for the unit
403         CONSENT_INVALID    token forged, for another unit or scope, or expired
404         UNIT_NOT_FOUND     no such unit (checked after consent)
=========== ================== ================================================

    GET  /hrss/v1/units/{unitCode}/contributions?from=2024-11&to=2026-10&pageNo=1&pageSize=12
         result: {"unitCode", "unitName", "pageNo", "pageSize" (1-24, default 12),
                  "totalCount", "totalPages", "records": [contribution, …]}
    POST /hrss/v1/units/contributions:batch
         {"units": [{"unitCode": "…", "consentToken": "…"}, …], "from"?: "…", "to"?: "…"}
         result: {"units": [{"unitCode", "unitName", "records": [...]}, …],
                  "denied": ["<unitCode>", …], "notFound": ["<unitCode>", …]}
                  (every month in range; a unit without valid consent lands in ``denied``)

Contribution: ``{"period": "2026-10", "insuredCount": 12, "socialInsurancePaid": "25200.00",
"housingFundPaid": "17280.00", "arrears": "0.00"}`` — ``arrears`` is that month's unpaid part.
Months run oldest first; ``from``/``to`` are inclusive.
"""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.records import SocialInsuranceMonth
from simulators.service import MAX_BATCH, Clock, ConsentGatedService, Simulator, utc_now
from simulators.world import World

__all__ = ["HrssBureau"]


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"success": True, "errorCode": None, "errorMsg": None, "result": result})


def _fail(status: int, code: str, msg: str) -> JSONResponse:
    body = {"success": False, "errorCode": code, "errorMsg": msg, "result": None}
    return JSONResponse(body, status_code=status)


def _record(m: SocialInsuranceMonth) -> dict[str, Any]:
    return {
        "period": f"{m.month:%Y-%m}",
        "insuredCount": m.headcount,
        "socialInsurancePaid": f"{m.social_insurance_paid_yuan:.2f}",
        "housingFundPaid": f"{m.housing_fund_paid_yuan:.2f}",
        "arrears": f"{m.arrears_yuan:.2f}",
    }


def _in_range(
    rows: tuple[SocialInsuranceMonth, ...], start: object, end: object
) -> list[SocialInsuranceMonth]:
    low = start if isinstance(start, str) else "0000-00"
    high = end if isinstance(end, str) else "9999-99"
    return [m for m in rows if low <= f"{m.month:%Y-%m}" <= high]


class HrssBureau(ConsentGatedService):
    name = "hrss"
    scope = "hrss"
    api_key_header = "X-HRSS-Key"

    def __init__(
        self, world: World, api_key: str, secret: bytes, *, clock: Clock = utc_now
    ) -> None:
        super().__init__(api_key, secret, clock=clock)
        self.world = world

    def unauthorised(self) -> Response:
        return _fail(401, "AUTH_FAILED", "接口密钥无效")

    def routes(self) -> list[Route]:
        return [
            self.route(
                "/hrss/v1/units/contributions:batch",
                self.batch,
                name="contributions.batch",
                methods=["POST"],
            ),
            self.route(
                "/hrss/v1/units/{unitCode}/contributions",
                self.one,
                name="contributions.one",
                methods=["GET"],
            ),
        ]

    def _ledger(self, code: str) -> tuple[SocialInsuranceMonth, ...] | None:
        facts = self.world.facts(code)
        return facts.social_insurance if facts is not None else None

    async def one(self, request: Request) -> Response:
        code = request.path_params["unitCode"]
        params = request.query_params
        try:
            page = int(params.get("pageNo", "1"))
            size = int(params.get("pageSize", "12"))
        except ValueError:
            return _fail(400, "BAD_REQUEST", "pageNo/pageSize 必须是整数")
        if page < 1 or not 1 <= size <= 24:
            return _fail(400, "BAD_REQUEST", "pageNo 从1开始，pageSize 在1至24之间")
        token = request.headers.get("X-Consent-Token")
        if not token:
            return _fail(403, "CONSENT_REQUIRED", "未提供该单位的授权")
        if not self.consented(code, token):
            return _fail(403, "CONSENT_INVALID", "授权无效或已过期")
        ledger = self._ledger(code)
        if ledger is None:
            return _fail(404, "UNIT_NOT_FOUND", "未找到该参保单位")
        rows = _in_range(ledger, params.get("from"), params.get("to"))
        start = (page - 1) * size
        return _ok(
            {
                "unitCode": code,
                "unitName": self.world.registrations[code].name,
                "pageNo": page,
                "pageSize": size,
                "totalCount": len(rows),
                "totalPages": math.ceil(len(rows) / size),
                "records": [_record(m) for m in rows[start : start + size]],
            }
        )

    async def batch(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _fail(400, "BAD_REQUEST", "请求体不是有效的JSON")
        units = body.get("units") if isinstance(body, dict) else None
        if not isinstance(units, list) or not units:
            return _fail(400, "BAD_REQUEST", "units 必须是非空数组")
        if len(units) > MAX_BATCH:
            return _fail(400, "BATCH_TOO_LARGE", f"单次最多查询{MAX_BATCH}个单位")
        if not all(isinstance(u, dict) and isinstance(u.get("unitCode"), str) for u in units):
            return _fail(400, "BAD_REQUEST", "每个单位须有 unitCode")
        assert isinstance(body, dict)
        found, denied, missing = [], [], []
        for unit in units:
            code = unit["unitCode"]
            if not self.consented(code, unit.get("consentToken")):
                denied.append(code)
                continue
            ledger = self._ledger(code)
            if ledger is None:
                missing.append(code)
                continue
            rows = _in_range(ledger, body.get("from"), body.get("to"))
            found.append(
                {
                    "unitCode": code,
                    "unitName": self.world.registrations[code].name,
                    "records": [_record(m) for m in rows],
                }
            )
        return _ok({"units": found, "denied": denied, "notFound": missing})


SIMULATOR = Simulator("hrss", lambda world, key, secret: HrssBureau(world, key, secret), gated=True)
