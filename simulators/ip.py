"""知识产权 simulator: enterprises' patents and trademarks, and the pledges registered on them —
all public (专利、商标公告 and 质押登记 are published by the IP office).

A JSON:API service (``application/vnd.api+json``):

    POST /ip/v1/holdings:search   {"filter": {"uscc": ["91640…", …]}}
    → {"data": [{"type": "patents" | "trademarks" | "pledges", "id": "…",
                 "attributes": {…, "holder": "91640…"}}, …],
       "meta": {"unknown": ["91640…"]}}

Patents: ``number`` (ZL…), ``title``, ``category`` (发明/实用新型/外观设计), ``grantedAt``,
``lapsedAt`` (null while in force).  Trademarks: ``regNo``, ``mark``, ``niceClass``,
``registeredAt``, ``expiresAt``.  Pledges: ``regNo``, ``pledgee``, ``amountCents`` (分, an
integer), ``registeredAt``, ``releasedAt``.  Timestamps are RFC 3339 at midnight China time.
Auth: ``Authorization: Token <key>``.  About two firms in five hold rights.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.calendar import add_months
from credit.records import OperatingStatus
from simulators.service import MAX_BATCH, BureauService, Simulator
from simulators.world import World

__all__ = ["IpBureau", "IpRight", "ip_rights"]

JSONAPI = "application/vnd.api+json"
CATEGORIES = ("发明", "实用新型", "外观设计")
BANKS = ("宁夏银行", "石嘴山银行", "黄河农村商业银行", "中国工商银行宁夏分行")
WORDS = ("节水", "滴灌", "枸杞", "光伏", "智能", "葡萄酒", "滩羊", "煤化工", "新材料")


@dataclass(frozen=True, slots=True)
class IpRight:
    """One right or pledge as the IP office holds it (``type``: patents/trademarks/pledges)."""

    type: str
    id: str
    holder: str
    attributes: dict[str, Any]


def _stamp(day: dt.date | None) -> str | None:
    return f"{day.isoformat()}T00:00:00+08:00" if day is not None else None


def ip_rights(world: World, code: str) -> tuple[IpRight, ...] | None:
    """Every right and pledge of ``code`` (None: the office does not know it)."""
    registration = world.registrations.get(code)
    if registration is None:
        return None
    rng = random.Random(f"{world.config.seed}:ip:{code}")
    if rng.random() > 0.4 or registration.status is not OperatingStatus.ACTIVE:
        return ()
    today, start = world.config.today, registration.established_on
    span = max(1, (today - start).days)

    def day() -> dt.date:
        return start + dt.timedelta(days=rng.randint(0, span))

    found: list[IpRight] = []
    for n in range(rng.randint(0, 4)):
        granted = day()
        lapse = rng.random() < 0.2
        lapsed = granted + dt.timedelta(days=rng.randint(200, 4000)) if lapse else None
        attrs: dict[str, Any] = {
            "number": f"ZL{granted.year}{rng.randint(1, 3)}{rng.randint(1000000, 9999999)}.{n}",
            "title": f"一种{rng.choice(WORDS)}装置",
            "category": rng.choice(CATEGORIES),
            "grantedAt": _stamp(granted),
            "lapsedAt": _stamp(lapsed if lapsed and lapsed <= today else None),
        }
        found.append(IpRight("patents", f"P-{code}-{n}", code, attrs))
    for n in range(rng.randint(0, 3)):
        registered = day()
        attrs = {
            "regNo": str(rng.randint(10_000_000, 79_999_999)),
            "mark": f"{rng.choice(WORDS)}{rng.choice(('源', '坊', '星', '谷'))}",
            "niceClass": rng.randint(1, 45),
            "registeredAt": _stamp(registered),
            "expiresAt": _stamp(add_months(registered, 120)),
        }
        found.append(IpRight("trademarks", f"T-{code}-{n}", code, attrs))
    if found and rng.random() < 0.5:
        registered = day()
        released = registered + dt.timedelta(days=rng.randint(180, 1100))
        attrs = {
            "regNo": f"Y{registered.year}{rng.randint(100000, 999999)}",
            "pledgee": rng.choice(BANKS),
            "amountCents": rng.randint(50, 2000) * 1_000_000,
            "registeredAt": _stamp(registered),
            "releasedAt": _stamp(released if released <= today else None),
        }
        found.append(IpRight("pledges", f"Q-{code}", code, attrs))
    return tuple(found)


def _errors(status: int, title: str) -> Response:
    return JSONResponse(
        {"errors": [{"status": str(status), "title": title}]},
        status_code=status,
        media_type=JSONAPI,
    )


class IpBureau(BureauService):
    name = "ip"

    def __init__(self, world: World, api_key: str) -> None:
        super().__init__(api_key)
        self.world = world

    def authenticated(self, request: Request) -> bool:
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        return scheme == "Token" and self.key_matches(key.strip())

    def unauthorised(self) -> Response:
        return _errors(401, "令牌无效")

    def routes(self) -> list[Route]:
        return [self.route("/ip/v1/holdings:search", self.search, name="search", methods=["POST"])]

    async def search(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _errors(400, "请求体不是有效的JSON")
        wanted = body.get("filter", {}).get("uscc") if isinstance(body, dict) else None
        if not isinstance(wanted, list) or not all(isinstance(c, str) for c in wanted):
            return _errors(400, "filter.uscc 必须是字符串数组")
        if not wanted:
            return _errors(400, "filter.uscc 不能为空")
        if len(wanted) > MAX_BATCH:
            return _errors(400, f"单次最多查询{MAX_BATCH}个权利人")
        data: list[dict[str, Any]] = []
        unknown: list[str] = []
        for code in dict.fromkeys(wanted):
            rights = ip_rights(self.world, code)
            if rights is None:
                unknown.append(code)
                continue
            data.extend(
                {"type": r.type, "id": r.id, "attributes": {**r.attributes, "holder": r.holder}}
                for r in rights
            )
        return JSONResponse({"data": data, "meta": {"unknown": unknown}}, media_type=JSONAPI)


SIMULATOR = Simulator("ip", lambda world, key, _secret: IpBureau(world, key))
