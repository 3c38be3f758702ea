"""全国信用信息共享平台 bureau simulator: national serious-dishonesty lists (严重失信主体名单).

API style: a grid-style envelope ``{"code": 0, "msg": "", "count": N, "data": [...]}`` (as
admin front-ends of many platforms use), **Chinese field names**, dates ``YYYY/MM/DD``,
page/limit pagination.  ``code`` is 0 on success and otherwise mirrors an HTTP status; "not
on any list" is ``{"code": 404, "msg": "未查询到相关信息", "count": 0, "data": []}`` with HTTP
200.  Lists cover organisations (USCC) only.

Auth: ``Authorization: ApiKey <api key>``.  Missing or wrong → HTTP 401
``{"code": 401, "msg": "鉴权失败", "count": 0, "data": []}``.  A bad request → HTTP 400
``{"code": 400, "msg": …, "count": 0, "data": []}`` (missing ``code``, bad page/limit, not a
list of strings, more than 100 codes).

    GET  /national/api/lists?code=<USCC>&page=1&limit=10     (limit 1-100)
         count: that subject's entries in total; data: the page
    POST /national/api/lists/batch   {"codes": ["…", …]}     (1-100)
         count: rows returned; data: every entry of every requested subject that has one
         (subjects without entries are simply absent; code 0 even when data is empty)

Row::

    {"记录编号": "GJ-O0000123-0", "名单名称": "重大税收违法失信主体", "主体名称": "…",
     "统一社会信用代码": "9164…", "列入日期": "2024/03/15", "列入事由": "…",
     "认定部门": "…", "认定依据": "…", "移出日期": "2027/03/14" | null}

``移出日期`` is the last day the entry was in force; null while it still is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.records import CreditRecord
from simulators.service import MAX_BATCH, BureauService, Simulator
from simulators.world import World

__all__ = ["NationalBureau"]


def _grid(data: list[dict[str, Any]], count: int, code: int = 0, msg: str = "") -> JSONResponse:
    status = code if code in (400, 401) else 200
    return JSONResponse(
        {"code": code, "msg": msg, "count": count, "data": data}, status_code=status
    )


def _slash(day: dt.date | None) -> str | None:
    return f"{day:%Y/%m/%d}" if day is not None else None


class NationalBureau(BureauService):
    name = "national"

    def __init__(self, world: World, api_key: str) -> None:
        super().__init__(api_key)
        self.world = world

    def authenticated(self, request: Request) -> bool:
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        return scheme == "ApiKey" and self.key_matches(key.strip())

    def unauthorised(self) -> Response:
        return _grid([], 0, code=401, msg="鉴权失败")

    def routes(self) -> list[Route]:
        return [
            self.route(
                "/national/api/lists/batch", self.batch, name="lists.batch", methods=["POST"]
            ),
            self.route("/national/api/lists", self.one, name="lists.one", methods=["GET"]),
        ]

    def _rows(self, code: str) -> list[dict[str, Any]]:
        facts = self.world.facts(code)
        if facts is None or not facts.national:
            return []
        name = self.world.registrations[code].name
        return [self._row(r, name) for r in facts.national]

    @staticmethod
    def _row(r: CreditRecord, name: str) -> dict[str, Any]:
        return {
            "记录编号": r.id,
            "名单名称": r.list_name,
            "主体名称": name,
            "统一社会信用代码": r.subject_code,
            "列入日期": _slash(r.publish_from or r.decided_on),
            "列入事由": r.details.get("reason", ""),
            "认定部门": r.authority,
            "认定部门统一社会信用代码": r.authority_code,
            "认定依据": r.legal_basis,
            "移出日期": _slash(r.ended_on),
        }

    async def one(self, request: Request) -> Response:
        params = request.query_params
        code = params.get("code", "").strip().upper()
        try:
            page = int(params.get("page", "1"))
            limit = int(params.get("limit", "10"))
        except ValueError:
            return _grid([], 0, code=400, msg="参数错误：page/limit 必须是整数")
        if not code or page < 1 or not 1 <= limit <= 100:
            return _grid(
                [], 0, code=400, msg="参数错误：须提供 code，page 从1开始，limit 在1至100之间"
            )
        rows = self._rows(code)
        if not rows:
            return _grid([], 0, code=404, msg="未查询到相关信息")
        start = (page - 1) * limit
        return _grid(rows[start : start + limit], len(rows))

    async def batch(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _grid([], 0, code=400, msg="参数错误：请求体不是有效的JSON")
        codes = body.get("codes") if isinstance(body, dict) else None
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            return _grid([], 0, code=400, msg="参数错误：codes 必须是非空字符串数组")
        if len(codes) > MAX_BATCH:
            return _grid([], 0, code=400, msg=f"参数错误：单次最多查询{MAX_BATCH}个主体")
        rows = [row for code in dict.fromkeys(codes) for row in self._rows(code.strip().upper())]
        return _grid(rows, len(rows))


SIMULATOR = Simulator("national", lambda world, key, _secret: NationalBureau(world, key))
