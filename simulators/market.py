"""市场监管 bureau simulator: registration basics (and, later, penalties and lists).

API style (as many provincial market-regulation exchanges do): pinyin-initial field names, an
envelope with a string status code that is ``"0000"`` on success, HTTP 200 even for "not found",
amounts in 万元, ISO dates, page/size pagination.  Key in ``X-Api-Key``.

    GET  /api/v2/enterprises/{uscc}
    POST /api/v2/enterprises/batch          {"uscc_list": [...]}   (at most 100)
    GET  /api/v2/enterprises?name=…&page=1&size=20
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.records import Registration
from simulators.service import BureauService
from simulators.world import World

__all__ = ["MAX_BATCH", "MarketBureau"]

MAX_BATCH = 100


def _envelope(data: Any, code: str = "0000", msg: str = "成功") -> JSONResponse:
    return JSONResponse({"code": code, "msg": msg, "data": data})


def registration_payload(reg: Registration) -> dict[str, Any]:
    return {
        "tyshxydm": reg.uscc,
        "qymc": reg.name,
        "qylx": reg.entity_type.value,
        "djzt": reg.status.value,
        "clrq": reg.established_on.isoformat(),
        "zczb": f"{reg.registered_capital_yuan / Decimal(10_000):f}",
        "zczbbz": "人民币",
        "zs": reg.address,
        "djjgxzqh": reg.division_code,
        "hyml": reg.industry,
        "fddbr": reg.legal_rep_name,
        "fddbrzjhm": reg.legal_rep_id,
        "lxdh": reg.phone,
        "zxrq": reg.deregistered_on.isoformat() if reg.deregistered_on else None,
    }


class MarketBureau(BureauService):
    name = "market"

    def __init__(self, world: World, api_key: str) -> None:
        super().__init__(api_key)
        self.world = world

    def routes(self) -> list[Route]:
        return [
            self.route(
                "/api/v2/enterprises/batch", self.batch, name="enterprise.batch", methods=["POST"]
            ),
            self.route(
                "/api/v2/enterprises/{uscc}", self.one, name="enterprise.one", methods=["GET"]
            ),
            self.route(
                "/api/v2/enterprises", self.search, name="enterprise.search", methods=["GET"]
            ),
        ]

    async def one(self, request: Request) -> Response:
        reg = self.world.registrations.get(request.path_params["uscc"])
        if reg is None:
            return _envelope(None, code="1004", msg="未查询到该主体")
        return _envelope(registration_payload(reg))

    async def batch(self, request: Request) -> Response:
        body = await request.json()
        codes = body.get("uscc_list") if isinstance(body, dict) else None
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            return _envelope(None, code="4001", msg="参数错误：uscc_list 必须是字符串数组")
        if len(codes) > MAX_BATCH:
            return _envelope(None, code="4002", msg=f"单次最多查询{MAX_BATCH}个主体")
        regs = (self.world.registrations.get(c) for c in codes)
        return _envelope({"items": [registration_payload(r) for r in regs if r is not None]})

    async def search(self, request: Request) -> Response:
        name = request.query_params.get("name", "")
        try:
            page = max(1, int(request.query_params.get("page", "1")))
            size = min(50, max(1, int(request.query_params.get("size", "20"))))
        except ValueError:
            return _envelope(None, code="4001", msg="参数错误：page/size 必须是整数")
        hits = [r for r in self.world.registrations.values() if name and name in r.name]
        start = (page - 1) * size
        return _envelope(
            {
                "total": len(hits),
                "page": page,
                "size": size,
                "items": [registration_payload(r) for r in hits[start : start + size]],
            }
        )
