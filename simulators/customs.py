"""海关 simulator: enterprises' customs registration and credit rating (public), and their
monthly declared import/export value (consent-gated: a subject token of scope ``customs``).

The customs data service answers **CSV** (UTF-8, a header row, one row per fact), never JSON:

    POST /customs/v2/credit.csv  {"uscc": ["91640…", …]}    → registration and rating, public
         uscc,customs_code,registered_on,rating,rated_on
    POST /customs/v2/declarations.csv  {"requests": [{"uscc", "token"}]}
         uscc,status,month,import_wan,export_wan     status: OK | DENIED | NONE (unknown)

Dates are ISO (``2024-05-06``), months ``2024-05``, values **万元** with two decimals.  Ratings
(海关企业信用管理): ``高级认证``, ``一般信用``, ``失信``.  Auth: ``X-Customs-Key``.  About a
third of the world's enterprises are registered traders; rows follow the world's seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from credit.calendar import add_months
from credit.records import OperatingStatus
from simulators.service import MAX_BATCH, ConsentGatedService, Simulator
from simulators.world import World

__all__ = ["CustomsBureau", "CustomsFile", "customs_file"]

RATINGS = ("高级认证", "一般信用", "失信")
MONTHS = 12  # the declarations served: the twelve whole months before the world's day


class CustomsFile:
    """One trader's registration, rating and monthly declarations (values in 万元)."""

    def __init__(
        self,
        customs_code: str,
        registered_on: dt.date,
        rating: str,
        rated_on: dt.date,
        months: tuple[tuple[dt.date, Decimal, Decimal], ...],
    ) -> None:
        self.customs_code = customs_code
        self.registered_on = registered_on
        self.rating = rating
        self.rated_on = rated_on
        self.months = months


def customs_file(world: World, code: str) -> CustomsFile | None:
    """The customs file of ``code`` in ``world`` (None: not a registered trader)."""
    registration = world.registrations.get(code)
    if registration is None or not code.startswith("91"):
        return None
    rng = random.Random(f"{world.config.seed}:customs:{code}")
    if rng.random() > 0.35 or registration.status is not OperatingStatus.ACTIVE:
        return None
    today = world.config.today
    registered = registration.established_on + dt.timedelta(days=rng.randint(30, 2000))
    registered = min(registered, today - dt.timedelta(days=400))
    rating = rng.choices(RATINGS, weights=(15, 75, 10))[0]
    rated = registered + dt.timedelta(days=rng.randint(0, (today - registered).days))
    first = add_months(today.replace(day=1), -MONTHS)
    months = tuple(
        (
            add_months(first, n),
            Decimal(rng.randint(0, 900_000)) / 100,
            Decimal(rng.randint(0, 1_200_000)) / 100,
        )
        for n in range(MONTHS)
    )
    return CustomsFile(
        f"64{rng.randint(10_000_000, 99_999_999)}", registered, rating, rated, months
    )


def _csv(header: list[str], rows: list[list[Any]], status: int = 200) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return PlainTextResponse(out.getvalue(), status_code=status, media_type="text/csv")


def _bad(message: str, status: int = 400) -> Response:
    return _csv(["error"], [[message]], status)


class CustomsBureau(ConsentGatedService):
    name = "customs"
    scope = "customs"
    api_key_header = "X-Customs-Key"

    def __init__(self, world: World, api_key: str, secret: bytes) -> None:
        super().__init__(api_key, secret)
        self.world = world

    def unauthorised(self) -> Response:
        return _bad("接口密钥无效", 401)

    def routes(self) -> list[Route]:
        return [
            self.route("/customs/v2/credit.csv", self.credit, name="credit", methods=["POST"]),
            self.route(
                "/customs/v2/declarations.csv",
                self.declarations,
                name="declarations",
                methods=["POST"],
            ),
        ]

    async def credit(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _bad("请求体不是有效的JSON")
        codes = body.get("uscc") if isinstance(body, dict) else None
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            return _bad("uscc 必须是非空字符串数组")
        if len(codes) > MAX_BATCH:
            return _bad(f"单次最多查询{MAX_BATCH}家企业")
        rows = []
        for code in dict.fromkeys(codes):
            found = customs_file(self.world, code)
            if found is not None:
                rows.append(
                    [code, found.customs_code, found.registered_on, found.rating, found.rated_on]
                )
        return _csv(["uscc", "customs_code", "registered_on", "rating", "rated_on"], rows)

    async def declarations(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _bad("请求体不是有效的JSON")
        asked = body.get("requests") if isinstance(body, dict) else None
        if not isinstance(asked, list) or not asked:
            return _bad("requests 必须是非空数组")
        if len(asked) > MAX_BATCH:
            return _bad(f"单次最多查询{MAX_BATCH}家企业")
        if not all(isinstance(a, dict) and isinstance(a.get("uscc"), str) for a in asked):
            return _bad("每个请求须有 uscc")
        rows: list[list[Any]] = []
        for item in asked:
            code = item["uscc"]
            if not self.consented(code, item.get("token")):
                rows.append([code, "DENIED", "", "", ""])
                continue
            found = customs_file(self.world, code)
            if found is None:
                rows.append([code, "NONE", "", "", ""])
                continue
            rows.extend(
                [code, "OK", f"{month:%Y-%m}", f"{imports:.2f}", f"{exports:.2f}"]
                for month, imports, exports in found.months
            )
        return _csv(["uscc", "status", "month", "import_wan", "export_wan"], rows)


SIMULATOR = Simulator(
    "customs", lambda world, key, secret: CustomsBureau(world, key, secret), gated=True
)
