"""A dummy bureau, declared the way a real one is: one connector, one simulator, nothing else.

Its public records are one 行政许可 per enterprise; its consent-gated records one more, served
only with a subject token of scope ``dummy``.  It decides objections to its records (a rights
desk of the general rules) and receives the decisions as every simulator does.
:func:`install` registers both before the gateway derives anything
(``tests.registry.run_dummy`` does so in a fresh interpreter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors import registry
from connectors.bureau import Bureau, RightsDesk
from connectors.errors import ConnectorError, ConsentRejected, SourceProtocolError
from connectors.http import HttpBureau
from connectors.protocol import Grant
from connectors.provenance import Sourced
from credit.access import ConsentScope
from credit.records import CreditRecord, RecordKind, Source
from credit.vocabulary import Label
from simulators import runner
from simulators.service import ConsentGatedService, Simulator
from simulators.world import World

__all__ = ["BUREAU", "SIMULATOR", "install"]

Records = tuple[CreditRecord, ...]
DUMMY = Source.declare("dummy", Label("演示部门", "Dummy bureau"))
SCOPE = ConsentScope.declare("dummy", Label("演示部门的授权数据", "The dummy bureau's data"))
DECIDED = dt.date(2025, 6, 1)


def _record(code: str, row: Mapping[str, Any]) -> CreditRecord:
    return CreditRecord(
        id=str(row["id"]),
        kind=RecordKind.PERMIT,
        source=DUMMY,
        subject_code=code,
        title=str(row["title"]),
        decided_on=dt.date.fromisoformat(str(row["date"])),
        authority="演示部门",
    )


class DummyConnector(HttpBureau):
    source = "dummy"
    kinds = ("public", "private")

    def authorise(self, request: httpx.Request) -> None:
        request.headers["X-Api-Key"] = self._config.api_key.get_secret_value()

    async def public(self, codes: Sequence[str]) -> dict[str, Sourced[Records]]:
        async def fetch(wanted: list[str]) -> dict[str, Records | ConnectorError]:
            rows = await self.call("POST", "/public", self._rows, json={"codes": wanted})
            return {r["code"]: tuple(_record(r["code"], i) for i in r["items"]) for r in rows}

        return await self.batch("public", codes, fetch)

    async def private(self, grants: Mapping[str, Grant]) -> dict[str, Sourced[Records]]:
        async def fetch(wanted: dict[str, Grant]) -> dict[str, Records | ConnectorError]:
            asked = [{"code": c, "token": g.token} for c, g in wanted.items()]
            rows = await self.call("POST", "/private", self._rows, json={"asked": asked})
            found: dict[str, Records | ConnectorError] = {}
            for r in rows:
                if r.get("refused"):
                    found[r["code"]] = ConsentRejected(self.source)
                else:
                    found[r["code"]] = tuple(_record(r["code"], i) for i in r["items"])
            return found

        return await self.gated_batch("private", grants, fetch)

    def _rows(self, response: httpx.Response) -> list[dict[str, Any]]:
        payload = self.decode(response)
        rows = payload.get("rows") if isinstance(payload, dict) else None
        if not isinstance(rows, list):
            raise SourceProtocolError(self.source, "应答缺少 rows")
        return rows


BUREAU = Bureau.http(
    DummyConnector,
    source=DUMMY,
    rank=65,
    consent=SCOPE,
    feeds=("PERMIT",),
    records="public",
    gated_records="private",
    rights=RightsDesk(),
)


class DummyService(ConsentGatedService):
    name = "dummy"
    scope = "dummy"

    def __init__(self, world: World, api_key: str, secret: bytes) -> None:
        super().__init__(api_key, secret)
        self.world = world

    def routes(self) -> list[Route]:
        return [
            self.route("/public", self.public, name="public", methods=["POST"]),
            self.route("/private", self.private, name="private", methods=["POST"]),
        ]

    def _known(self, code: str) -> bool:
        return code in self.world.registrations

    async def public(self, request: Request) -> Response:
        codes = (await request.json())["codes"]
        rows = [
            {"code": c, "items": [{"id": f"DP-{c}", "title": "演示许可", "date": f"{DECIDED}"}]}
            for c in codes
            if self._known(c)
        ]
        return JSONResponse({"rows": rows})

    async def private(self, request: Request) -> Response:
        rows: list[dict[str, Any]] = []
        for asked in (await request.json())["asked"]:
            code = asked["code"]
            if not self._known(code):
                continue
            if not self.consented(code, asked["token"]):
                rows.append({"code": code, "refused": True})
                continue
            item = {"id": f"DX-{code}", "title": "演示授权记录", "date": f"{DECIDED}"}
            rows.append({"code": code, "items": [item]})
        return JSONResponse({"rows": rows})


SIMULATOR = Simulator(
    "dummy", lambda world, key, secret: DummyService(world, key, secret), gated=True
)


def install() -> None:
    """Register the dummy bureau and its simulator (before the gateway derives anything)."""
    registry.register(BUREAU)
    runner.register(SIMULATOR)
