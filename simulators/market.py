"""市场监管 bureau simulator: registrations, penalties (``CF_``), permits (``XK_``), 经营异常名录,
严重违法失信名单.

API style (as many provincial market-regulation exchanges do): pinyin-initial field names for
registrations and lists, the 双公示 ``CF_``/``XK_`` names for penalties and permits (DOMAIN.md
§6), one envelope ``{"code": "0000", "msg": "成功", "data": …}``, ISO dates ``2023-05-01``,
amounts in 万元 as decimal strings, page/size pagination.  The bureau also fronts the
province's legal-person register, so it knows every organisation (91/92/93/12/51/52/N2).

Auth: ``X-Api-Key: <api key>``.  Missing or wrong → ``401 {"code": "4010", "msg": …,
"data": null}``.  Other codes: ``"1004"`` subject unknown (HTTP 200, ``data`` null);
``"4001"`` bad parameter and ``"4002"`` more than 100 codes (both HTTP 400).

    GET  /api/v2/enterprises/{uscc}                     data: registration | code 1004
    POST /api/v2/enterprises/batch  {"uscc_list": [...]}  data: {"items": [registration]}
    GET  /api/v2/enterprises?name=…&page=1&size=20      data: {"total","page","size","items"}
         (a substring match over every organisation: a full scan, seconds at a million)
    GET  /api/v2/enterprises/{uscc}/shareholders        data: {"items": [shareholder]} | 1004
         (natural-person shareholders of an enterprise; other kinds: empty items)
    POST /api/v2/enterprises/by-legal-rep  {"zjhm": "<ID number>"}   data: {"items": [...]}
         (the ID number travels in the body, never in a URL; unknown person → empty items)
    GET  /api/v2/{kind}?uscc=…&page=1&size=20           data: {"total","page","size","items"}
         code 1004 when the organisation is unknown; size 1-50
    POST /api/v2/{kind}/batch  {"uscc_list": [...]}       data: {"items": [...]} flat, every
         item names its subject; unknown codes are simply absent
    {kind} ∈ penalties | permits | abnormal-operations | serious-violations
    POST /api/v2/dossiers/batch  {"uscc_list": [...]}     data: {"items": [dossier]}; unknown
         codes are absent.  A dossier is everything above about one organisation in one
         answer: ``{"tyshxydm", "djxx": registration, "penalties": [...], "permits": [...],
         "abnormal-operations": [...], "serious-violations": [...]}`` — what a full profile
         needs, in one call.

Registration: ``tyshxydm qymc qylx (EntityType) djzt (存续/注销/吊销) clrq zczb (万元) zczbbz
zs djjgxzqh hyml fddbr fddbrzjhm lxdh zxrq``.

Shareholder: ``gdmc (name) gdlx (自然人股东) zjlx (居民身份证) zjhm (ID number, clear: mask it
at the edge) rjcze (subscribed, 万元) cgbl (share, percent with two decimals)``.

Penalty (``CF_`` of the 双公示 standard, plus the marked extensions)::

    CF_ID* record id · CF_WSH decision number · CF_WFXW violation · CF_SY facts · CF_YJ basis
    CF_CFLB category · CF_NR content · CF_NR_FK fine in 万元 ("0" none) · CF_JDRQ decided
    CF_GSQSRQ* publicity start · CF_GSJZQ publicity end ("" not published)
    CF_CFJG authority · CF_CFJGDM its 统一社会信用代码 · CF_XDR_MC name · CF_XDR_SHXYM USCC
    CF_SJLY data source
    CF_SCJG* "1" decided by market regulation (SAMR Order 45 regime), "0" other authority
             (NDRC Order 36 regime) · CF_YZCD* severity 轻微/一般/严重
    CF_QWCF* "1" 通报批评 or small fine only (SAMR Order 45 Art. 13: 3 months)
    CF_CFCX* procedure "简易程序" / "普通程序"; with a CF_CFLB of "警告" alone it marks what
             market regulation never publishes (SAMR Order 45 Art. 2): the connector drops it
    CF_XFZT* repair "0" none / "1" applied / "2" repaired · CF_XFRQ* repaired on or ""

Permit: ``XK_ID* XK_WSH XK_XKWS (permit name) XK_XKLB XK_NR XK_JDRQ XK_YXQZ (valid from)
XK_YXQZI (valid to) XK_XKJG XK_XKJGDM (its 统一社会信用代码) XK_XDR_MC XK_XDR_SHXYM``.

Abnormal operation: ``jlbh tyshxydm qymc lrrq (listed) lryy (reason) lryj (basis) lrjg
(authority) lrjgdm (its 统一社会信用代码) ycrq (removed, or null) ycyy (removal reason, or
null)``.  An entry still listed after 3 years is due for the serious-violation list; once the
bureau decides, the listing is a serious-violation entry with ``zrly`` "1".

Serious violation: ``jlbh tyshxydm qymc lrrq lrsy (grounds) lryj lrjg lrjgdm ycrq zrly* (转入: "1"
listed after 3 years on the abnormal list, 企业信息公示暂行条例 第十七条)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.money import WAN
from credit.records import CreditRecord, RecordKind, Registration, RepairStatus
from simulators.facts import SubjectFacts
from simulators.service import MAX_BATCH, BureauService, Simulator
from simulators.world import World

__all__ = ["MAX_BATCH", "MarketBureau", "registration_payload"]

_REPAIR = {RepairStatus.NONE: "0", RepairStatus.APPLIED: "1", RepairStatus.REPAIRED: "2"}


def _envelope(data: Any, code: str = "0000", msg: str = "成功", status: int = 200) -> JSONResponse:
    return JSONResponse({"code": code, "msg": msg, "data": data}, status_code=status)


def _bad(msg: str, code: str = "4001") -> JSONResponse:
    return _envelope(None, code=code, msg=msg, status=400)


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def _wan(yuan: Decimal | None) -> str:
    return f"{(yuan or Decimal(0)) / WAN:f}"


def registration_payload(reg: Registration) -> dict[str, Any]:
    return {
        "tyshxydm": reg.uscc,
        "qymc": reg.name,
        "qylx": reg.entity_type.value,
        "djzt": reg.status.value,
        "clrq": reg.established_on.isoformat(),
        "zczb": _wan(reg.registered_capital_yuan),
        "zczbbz": "人民币",
        "zs": reg.address,
        "djjgxzqh": reg.division_code,
        "hyml": reg.industry,
        "fddbr": reg.legal_rep_name,
        "fddbrzjhm": reg.legal_rep_id,
        "lxdh": reg.phone,
        "zxrq": reg.deregistered_on.isoformat() if reg.deregistered_on else None,
    }


def penalty_payload(r: CreditRecord, name: str) -> dict[str, Any]:
    return {
        "CF_ID": r.id,
        "CF_WSH": r.details.get("CF_WSH", ""),
        "CF_WFXW": r.title,
        "CF_SY": r.details.get("CF_SY", ""),
        "CF_YJ": r.legal_basis,
        "CF_CFLB": r.details.get("CF_CFLB", ""),
        "CF_NR": r.details.get("CF_NR", ""),
        "CF_NR_FK": _wan(r.amount_yuan),
        "CF_JDRQ": r.decided_on.isoformat(),
        "CF_GSQSRQ": _day(r.publish_from),
        "CF_GSJZQ": _day(r.declared_publicity_until),
        "CF_CFJG": r.authority,
        "CF_CFJGDM": r.authority_code,
        "CF_XDR_MC": name,
        "CF_XDR_SHXYM": r.subject_code,
        "CF_SJLY": r.details.get("CF_SJLY", r.authority),
        "CF_SCJG": "1" if r.kind is RecordKind.MARKET_PENALTY else "0",
        "CF_YZCD": r.severity.value if r.severity else "",
        "CF_QWCF": "1" if r.minor_sanction else "0",
        "CF_CFCX": "简易程序" if r.simple_procedure else "普通程序",
        "CF_XFZT": _REPAIR[r.repair_status],
        "CF_XFRQ": _day(r.repaired_on),
    }


def permit_payload(r: CreditRecord, name: str) -> dict[str, Any]:
    return {
        "XK_ID": r.id,
        "XK_WSH": r.details.get("XK_WSH", ""),
        "XK_XKWS": r.title,
        "XK_XKLB": r.details.get("XK_XKLB", ""),
        "XK_NR": r.details.get("XK_NR", ""),
        "XK_JDRQ": r.decided_on.isoformat(),
        "XK_YXQZ": _day(r.publish_from),
        "XK_YXQZI": _day(r.ended_on),
        "XK_XKJG": r.authority,
        "XK_XKJGDM": r.authority_code,
        "XK_XDR_MC": name,
        "XK_XDR_SHXYM": r.subject_code,
    }


def abnormal_payload(r: CreditRecord, name: str) -> dict[str, Any]:
    return {
        "jlbh": r.id,
        "tyshxydm": r.subject_code,
        "qymc": name,
        "lrrq": r.decided_on.isoformat(),
        "lryy": r.title,
        "lryj": r.legal_basis,
        "lrjg": r.authority,
        "lrjgdm": r.authority_code,
        "ycrq": r.ended_on.isoformat() if r.ended_on else None,
        "ycyy": r.details.get("removal_reason") if r.ended_on else None,
    }


def serious_payload(r: CreditRecord, name: str) -> dict[str, Any]:
    return {
        "jlbh": r.id,
        "tyshxydm": r.subject_code,
        "qymc": name,
        "lrrq": r.decided_on.isoformat(),
        "lrsy": r.title,
        "lryj": r.legal_basis,
        "lrjg": r.authority,
        "lrjgdm": r.authority_code,
        "ycrq": r.ended_on.isoformat() if r.ended_on else None,
        "zrly": "1" if r.escalated_from_abnormal else "0",
    }


_Shape = Callable[[CreditRecord, str], dict[str, Any]]
_Pick = Callable[[SubjectFacts], Iterable[CreditRecord]]
_KINDS: dict[str, tuple[_Pick, _Shape]] = {
    "penalties": (lambda f: f.penalties, penalty_payload),
    "permits": (lambda f: f.permits, permit_payload),
    "abnormal-operations": (lambda f: f.abnormal, abnormal_payload),
    "serious-violations": (lambda f: f.serious_violations, serious_payload),
}


class MarketBureau(BureauService):
    name = "market"

    def __init__(self, world: World, api_key: str) -> None:
        super().__init__(api_key)
        self.world = world

    def unauthorised(self) -> Response:
        return _envelope(None, code="4010", msg="API密钥无效", status=401)

    def routes(self) -> list[Route]:
        routes = [
            self.route(
                "/api/v2/enterprises/batch", self.batch, name="enterprise.batch", methods=["POST"]
            ),
            self.route(
                "/api/v2/enterprises/by-legal-rep",
                self.by_legal_rep,
                name="enterprise.by_legal_rep",
                methods=["POST"],
            ),
            self.route(
                "/api/v2/enterprises/{uscc}/shareholders",
                self.shareholders,
                name="enterprise.shareholders",
                methods=["GET"],
            ),
            self.route(
                "/api/v2/enterprises/{uscc}", self.one, name="enterprise.one", methods=["GET"]
            ),
            self.route(
                "/api/v2/enterprises", self.search, name="enterprise.search", methods=["GET"]
            ),
        ]
        routes.append(
            self.route(
                "/api/v2/dossiers/batch", self.dossiers, name="dossier.batch", methods=["POST"]
            )
        )
        for kind in _KINDS:
            routes.append(
                self.route(
                    f"/api/v2/{kind}/batch",
                    self._records_batch(kind),
                    name=f"{kind}.batch",
                    methods=["POST"],
                )
            )
            routes.append(
                self.route(
                    f"/api/v2/{kind}",
                    self._records_page(kind),
                    name=f"{kind}.list",
                    methods=["GET"],
                )
            )
        return routes

    # --- registrations -----------------------------------------------------------------------

    async def one(self, request: Request) -> Response:
        reg = self.world.registrations.get(request.path_params["uscc"])
        if reg is None:
            return _envelope(None, code="1004", msg="未查询到该主体")
        return _envelope(registration_payload(reg))

    async def batch(self, request: Request) -> Response:
        codes = await self._codes(request)
        if isinstance(codes, Response):
            return codes
        regs = (self.world.registrations.get(c) for c in codes)
        return _envelope({"items": [registration_payload(r) for r in regs if r is not None]})

    async def shareholders(self, request: Request) -> Response:
        code = request.path_params["uscc"]
        if code not in self.world.registrations:
            return _envelope(None, code="1004", msg="未查询到该主体")
        items = [
            {
                "gdmc": s.name,
                "gdlx": "自然人股东",
                "zjlx": "居民身份证",
                "zjhm": s.person_id,
                "rjcze": _wan(s.subscribed_yuan),
                "cgbl": f"{s.share_percent:.2f}",
            }
            for s in self.world.shareholders(code)
        ]
        return _envelope({"items": items})

    async def by_legal_rep(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _bad("参数错误：请求体不是有效的JSON")
        id_number = body.get("zjhm") if isinstance(body, dict) else None
        if not isinstance(id_number, str):
            return _bad("参数错误：zjhm 必须是字符串")
        codes = self.world.represented_by(id_number.strip().upper())
        items = [registration_payload(self.world.registrations[c]) for c in codes]
        return _envelope({"items": items})

    async def search(self, request: Request) -> Response:
        name = request.query_params.get("name", "")
        paging = self._paging(request)
        if isinstance(paging, Response):
            return paging
        page, size = paging
        hits = list(self.world.search(name)) if name else []
        start = (page - 1) * size
        items = [registration_payload(r) for r in hits[start : start + size]]
        return _envelope({"total": len(hits), "page": page, "size": size, "items": items})

    # --- records -----------------------------------------------------------------------------

    def _records_page(self, kind: str) -> Callable[[Request], Any]:
        pick, shape = _KINDS[kind]

        async def handler(request: Request) -> Response:
            code = request.query_params.get("uscc", "")
            paging = self._paging(request)
            if isinstance(paging, Response):
                return paging
            page, size = paging
            reg = self.world.registrations.get(code)
            facts = self.world.facts(code) if reg is not None else None
            if reg is None or facts is None:
                return _envelope(None, code="1004", msg="未查询到该主体")
            records = list(pick(facts))
            start = (page - 1) * size
            items = [shape(r, reg.name) for r in records[start : start + size]]
            return _envelope({"total": len(records), "page": page, "size": size, "items": items})

        return handler

    def _records_batch(self, kind: str) -> Callable[[Request], Any]:
        pick, shape = _KINDS[kind]

        async def handler(request: Request) -> Response:
            codes = await self._codes(request)
            if isinstance(codes, Response):
                return codes
            items: list[dict[str, Any]] = []
            for code in dict.fromkeys(codes):
                reg = self.world.registrations.get(code)
                facts = self.world.facts(code) if reg is not None else None
                if reg is not None and facts is not None:
                    items.extend(shape(r, reg.name) for r in pick(facts))
            return _envelope({"items": items})

        return handler

    async def dossiers(self, request: Request) -> Response:
        codes = await self._codes(request)
        if isinstance(codes, Response):
            return codes
        items: list[dict[str, Any]] = []
        for code in dict.fromkeys(codes):
            reg = self.world.registrations.get(code)
            facts = self.world.facts(code) if reg is not None else None
            if reg is None or facts is None:
                continue
            dossier: dict[str, Any] = {"tyshxydm": code, "djxx": registration_payload(reg)}
            for kind, (pick, shape) in _KINDS.items():
                dossier[kind] = [shape(r, reg.name) for r in pick(facts)]
            items.append(dossier)
        return _envelope({"items": items})

    # --- parameters --------------------------------------------------------------------------

    async def _codes(self, request: Request) -> list[str] | Response:
        try:
            body = await request.json()
        except ValueError:
            return _bad("参数错误：请求体不是有效的JSON")
        codes = body.get("uscc_list") if isinstance(body, dict) else None
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            return _bad("参数错误：uscc_list 必须是字符串数组")
        if len(codes) > MAX_BATCH:
            return _bad(f"单次最多查询{MAX_BATCH}个主体", code="4002")
        return codes

    def _paging(self, request: Request) -> tuple[int, int] | Response:
        try:
            page = int(request.query_params.get("page", "1"))
            size = int(request.query_params.get("size", "20"))
        except ValueError:
            return _bad("参数错误：page/size 必须是整数")
        if page < 1 or not 1 <= size <= 50:
            return _bad("参数错误：page 从1开始，size 在1至50之间")
        return page, size


SIMULATOR = Simulator("market", lambda world, key, _secret: MarketBureau(world, key))
