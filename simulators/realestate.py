"""不动产登记 simulator: the real estate an enterprise holds, the mortgages on it and the
seizures (查封) courts registered — served only with the subject's authorisation (a subject
token of scope ``realestate``): 不动产登记资料 are open to the right holder and those it
authorises, not to the public.

The registry's exchange interface uses pinyin field names and a ``ret`` envelope:

    POST /bdc/v1/djxx/cx  {"sqrs": [{"tyshxydm": "91640…", "sqm": "<token>"}, …]}
    → {"ret": 0, "msg": "成功", "jg": [{"tyshxydm", "zt", "qlxx": […], "dyxx": […],
                                       "cfxx": […]}]}

``zt``: ``"1"`` answered, ``"2"`` no such right holder, ``"3"`` authorisation refused.
``qlxx`` (rights): ``bdcqzh`` certificate number, ``zl`` location, ``mj`` area (m², text),
``yt`` use, ``djrq`` date.  ``dyxx`` (mortgages): ``dyzmh``, ``dyqr`` mortgagee, ``bdbzzqse``
secured claim in **万元** (text), ``djrq``, ``zxrq`` discharged.  ``cfxx`` (seizures): ``cfwh``
court document, ``cfjg`` court, ``djrq``, ``jfrq`` released.  Dates are ``YYYY年MM月DD日``.
Auth: ``X-BDC-Key``.  About half the active firms hold real estate.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.records import OperatingStatus
from simulators.service import MAX_BATCH, ConsentGatedService, Simulator
from simulators.world import World

__all__ = ["RealEstateBureau", "real_estate_file"]

USES = ("工业", "商业服务", "办公", "仓储")
BANKS = ("宁夏银行", "石嘴山银行", "黄河农村商业银行", "中国农业银行宁夏分行")
COURTS = ("银川市中级人民法院", "石嘴山市大武口区人民法院", "吴忠市利通区人民法院")


def _cn(day: dt.date | None) -> str | None:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日" if day is not None else None


def real_estate_file(world: World, code: str) -> dict[str, list[dict[str, Any]]] | None:
    """The registry's file on ``code`` as it answers it (None: no such right holder)."""
    registration = world.registrations.get(code)
    if registration is None:
        return None
    rng = random.Random(f"{world.config.seed}:realestate:{code}")
    held = registration.status is OperatingStatus.ACTIVE and rng.random() < 0.5
    if not held:
        return {"qlxx": [], "dyxx": [], "cfxx": []}
    today, start = world.config.today, registration.established_on
    span = max(1, (today - start).days)

    def day() -> dt.date:
        return start + dt.timedelta(days=rng.randint(0, span))

    city = registration.address[:6] or "银川市"
    rights = [
        {
            "bdcqzh": f"宁({d.year})不动产权第{rng.randint(1_000_000, 9_999_999)}号",
            "zl": f"{city}{rng.randint(1, 300)}号",
            "mj": f"{rng.randint(5_000, 2_000_000) / 100:.2f}",
            "yt": rng.choice(USES),
            "djrq": _cn(d),
        }
        for d in sorted(day() for _ in range(rng.randint(1, 3)))
    ]
    mortgages = []
    for n in range(rng.randint(0, 2)):
        registered = day()
        discharged = registered + dt.timedelta(days=rng.randint(300, 1500))
        mortgages.append(
            {
                "dyzmh": f"宁({registered.year})不动产证明第{rng.randint(100_000, 999_999)}{n}号",
                "dyqr": rng.choice(BANKS),
                "bdbzzqse": f"{rng.randint(1_000, 90_000) / 10:.1f}",
                "djrq": _cn(registered),
                "zxrq": _cn(discharged if discharged <= today else None),
            }
        )
    seizures = []
    if rng.random() < 0.15:
        seized = day()
        released = seized + dt.timedelta(days=rng.randint(90, 1095))
        seizures.append(
            {
                "cfwh": f"({seized.year})宁{rng.randint(1, 9):02d}执{rng.randint(1, 999)}号",
                "cfjg": rng.choice(COURTS),
                "djrq": _cn(seized),
                "jfrq": _cn(released if released <= today else None),
            }
        )
    return {"qlxx": rights, "dyxx": mortgages, "cfxx": seizures}


def _answer(ret: int, msg: str, status: int = 200, **more: Any) -> Response:
    return JSONResponse({"ret": ret, "msg": msg, **more}, status_code=status)


class RealEstateBureau(ConsentGatedService):
    name = "realestate"
    scope = "realestate"
    api_key_header = "X-BDC-Key"

    def __init__(self, world: World, api_key: str, secret: bytes) -> None:
        super().__init__(api_key, secret)
        self.world = world

    def unauthorised(self) -> Response:
        return _answer(401, "接口密钥无效", 401)

    def routes(self) -> list[Route]:
        return [self.route("/bdc/v1/djxx/cx", self.query, name="query", methods=["POST"])]

    async def query(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _answer(400, "请求体不是有效的JSON", 400)
        asked = body.get("sqrs") if isinstance(body, dict) else None
        if not isinstance(asked, list) or not asked:
            return _answer(400, "sqrs 必须是非空数组", 400)
        if len(asked) > MAX_BATCH:
            return _answer(400, f"单次最多查询{MAX_BATCH}个权利人", 400)
        if not all(isinstance(a, dict) and isinstance(a.get("tyshxydm"), str) for a in asked):
            return _answer(400, "每个申请须有 tyshxydm", 400)
        answers: list[dict[str, Any]] = []
        for item in asked:
            code = item["tyshxydm"]
            if not self.consented(code, item.get("sqm")):
                answers.append({"tyshxydm": code, "zt": "3"})
                continue
            found = real_estate_file(self.world, code)
            if found is None:
                answers.append({"tyshxydm": code, "zt": "2"})
                continue
            answers.append({"tyshxydm": code, "zt": "1", **found})
        return _answer(0, "成功", jg=answers)


SIMULATOR = Simulator(
    "realestate", lambda world, key, secret: RealEstateBureau(world, key, secret), gated=True
)
