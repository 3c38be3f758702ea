"""水电气 bureau simulator (the utilities' data hub): monthly bills — with the account holder's
consent.

API style: a REST API with a ``{"status": …, "data" | "error": …}`` envelope, camelCase fields,
**epoch milliseconds** for dates (a bill's ``period`` is its month's first day at 00:00
Asia/Shanghai, UTC+8), **amounts in fen** (integers), offset/limit pagination, HTTP status codes
for errors.  Accounts are keyed by ``creditCode`` (the USCC); every organisation has one.

Auth: ``X-Auth-Token: <api key>``.  Consent: a subject token of scope ``utilities``
(:mod:`credit.authorisation`) — in ``X-Subject-Authorization`` for one account, in each batch
request's ``authorization``.

====== ================= ======================== =======================================
HTTP   status            error.code               when
====== ================= ======================== =======================================
401    UNAUTHORIZED      invalid_token            key missing or wrong
400    BAD_REQUEST       invalid_argument         malformed body or parameters
400    BAD_REQUEST       batch_too_large          more than 100 requests
403    FORBIDDEN         authorization_invalid    token missing, forged, for another
                                                  account or scope, or expired
404    NOT_FOUND         account_not_found        no such account (checked after consent)
====== ================= ======================== =======================================

    GET  /v3/accounts/{creditCode}/bills?utility=water|electricity|gas&since=<ms>&until=<ms>
                                         &offset=0&limit=100   (limit 1-200)
         data: {"creditCode", "accountName", "total", "offset", "limit", "bills": [bill, …]}
    POST /v3/bills:batchQuery
         {"requests": [{"creditCode": "…", "authorization": "…"}, …], "since"?: ms,
          "until"?: ms, "utility"?: "…"}
         data: {"results": [{"creditCode", "status": "OK" | "FORBIDDEN" | "NOT_FOUND",
                             "accountName"?, "bills"?: [...]}, …]}   one per request, in order

Bill: ``{"utility": "water", "period": 1727712000000, "amountFen": 123456,
"arrearsFen": 0}`` — ``arrearsFen`` is the unpaid part of that bill.  Bills are sorted by
period, then water, electricity, gas; ``since``/``until`` bound ``period`` inclusively.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.records import UtilityBill, UtilityKind
from simulators.service import MAX_BATCH, Clock, ConsentGatedService, Simulator, utc_now
from simulators.world import World

__all__ = ["CHINA_STANDARD_TIME", "UtilitiesBureau", "epoch_millis"]

CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
_KINDS = {k.value.lower(): k for k in UtilityKind}


def epoch_millis(day: dt.date) -> int:
    """Midnight at the start of ``day`` in Asia/Shanghai, as Unix epoch milliseconds."""
    return int(dt.datetime.combine(day, dt.time(), CHINA_STANDARD_TIME).timestamp() * 1000)


def _ok(data: Any) -> JSONResponse:
    return JSONResponse({"status": "OK", "data": data})


def _error(status: int, label: str, code: str, message: str) -> JSONResponse:
    body = {"status": label, "error": {"code": code, "message": message}}
    return JSONResponse(body, status_code=status)


def _bad(message: str, code: str = "invalid_argument") -> JSONResponse:
    return _error(400, "BAD_REQUEST", code, message)


def _bill(b: UtilityBill) -> dict[str, Any]:
    return {
        "utility": b.kind.value.lower(),
        "period": epoch_millis(b.month),
        "amountFen": int(b.amount_yuan * 100),
        "arrearsFen": int(b.arrears_yuan * 100),
    }


def _filter(bills: tuple[UtilityBill, ...], params: dict[str, Any]) -> list[dict[str, Any]] | str:
    """Bills as payloads, filtered; or a message saying which parameter is bad."""
    try:
        since = int(params["since"]) if params.get("since") is not None else None
        until = int(params["until"]) if params.get("until") is not None else None
    except (TypeError, ValueError):
        return "since/until 必须是毫秒时间戳"
    utility = params.get("utility")
    if utility is not None and utility not in _KINDS:
        return "utility 只能是 water、electricity 或 gas"
    shaped = [_bill(b) for b in bills if utility is None or b.kind is _KINDS[utility]]
    return [
        b
        for b in shaped
        if (since is None or b["period"] >= since) and (until is None or b["period"] <= until)
    ]


class UtilitiesBureau(ConsentGatedService):
    name = "utilities"
    scope = "utilities"
    api_key_header = "X-Auth-Token"

    def __init__(
        self, world: World, api_key: str, secret: bytes, *, clock: Clock = utc_now
    ) -> None:
        super().__init__(api_key, secret, clock=clock)
        self.world = world

    def unauthorised(self) -> Response:
        return _error(401, "UNAUTHORIZED", "invalid_token", "访问令牌无效")

    def routes(self) -> list[Route]:
        return [
            self.route("/v3/bills:batchQuery", self.batch, name="bills.batch", methods=["POST"]),
            self.route(
                "/v3/accounts/{creditCode}/bills", self.one, name="bills.one", methods=["GET"]
            ),
        ]

    def _bills(self, code: str) -> tuple[UtilityBill, ...] | None:
        facts = self.world.facts(code)
        return facts.utilities if facts is not None else None

    async def one(self, request: Request) -> Response:
        code = request.path_params["creditCode"]
        params = dict(request.query_params)
        try:
            offset = int(params.get("offset", "0"))
            limit = int(params.get("limit", "100"))
        except ValueError:
            return _bad("offset/limit 必须是整数")
        if offset < 0 or not 1 <= limit <= 200:
            return _bad("offset ≥ 0，limit 在1至200之间")
        if not self.consented(code, request.headers.get("X-Subject-Authorization")):
            return _error(403, "FORBIDDEN", "authorization_invalid", "未获授权或授权已失效")
        bills = self._bills(code)
        if bills is None:
            return _error(404, "NOT_FOUND", "account_not_found", "未找到该用户账户")
        shaped = _filter(bills, params)
        if isinstance(shaped, str):
            return _bad(shaped)
        return _ok(
            {
                "creditCode": code,
                "accountName": self.world.registrations[code].name,
                "total": len(shaped),
                "offset": offset,
                "limit": limit,
                "bills": shaped[offset : offset + limit],
            }
        )

    async def batch(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _bad("请求体不是有效的JSON")
        requests = body.get("requests") if isinstance(body, dict) else None
        if not isinstance(requests, list) or not requests:
            return _bad("requests 必须是非空数组")
        if len(requests) > MAX_BATCH:
            return _bad(f"单次最多查询{MAX_BATCH}个账户", code="batch_too_large")
        if not all(isinstance(r, dict) and isinstance(r.get("creditCode"), str) for r in requests):
            return _bad("每个请求须有 creditCode")
        assert isinstance(body, dict)
        results: list[dict[str, Any]] = []
        for item in requests:
            code = item["creditCode"]
            if not self.consented(code, item.get("authorization")):
                results.append({"creditCode": code, "status": "FORBIDDEN"})
                continue
            bills = self._bills(code)
            if bills is None:
                results.append({"creditCode": code, "status": "NOT_FOUND"})
                continue
            shaped = _filter(bills, body)
            if isinstance(shaped, str):
                return _bad(shaped)
            name = self.world.registrations[code].name
            results.append(
                {"creditCode": code, "status": "OK", "accountName": name, "bills": shaped}
            )
        return _ok({"results": results})


SIMULATOR = Simulator(
    "utilities", lambda world, key, secret: UtilitiesBureau(world, key, secret), gated=True
)
