"""法院 bureau simulator: 失信被执行人 entries and 限制消费令, for organisations and persons.

API style: a resource-oriented JSON API in English camelCase (Google-style ``:batchGet``,
cursor pagination, HTTP status codes carry the outcome).  Dates are ISO ``2023-05-01``; amounts
are yuan as decimal strings.  The court never returns a person's full ID number: a person's
``subjectCode`` is masked (``6401**********123X``) as on the public 失信 list.  To look up a
person, prefer ``subjects:batchGet``: a GET puts the ID number in the URL, and URLs end up in
proxy and client logs.

Auth: ``Authorization: Bearer <api key>``.  Missing or wrong →
``401 {"error": {"code": "UNAUTHENTICATED", "message": …}}`` with ``WWW-Authenticate: Bearer``.

    GET  /court/v1/subjects/{code}/dishonest?pageSize=20&pageToken=…
    GET  /court/v1/subjects/{code}/restrictions?pageSize=20&pageToken=…
         200 {"items": [...], "nextPageToken": "…"}   (no nextPageToken on the last page)
         404 {"error": {"code": "NOT_FOUND", "message": …}}   the subject has no entry of
             that kind (the court keeps no register of subjects: unknown = no entries)
         400 {"error": {"code": "INVALID_ARGUMENT", "message": …}}   bad code, pageSize
             outside 1-50 (default 20) or a pageToken this API did not issue
    POST /court/v1/subjects:batchGet   {"codes": ["…", …]}   (1-100 codes)
         200 {"results": [{"found": bool, "dishonest": [...], "restrictions": [...]}, …]}
             one result per requested code, in request order (a person's code is not echoed);
             found is false when the court has no entry of either kind
         400 INVALID_ARGUMENT: not a list of strings, empty, more than 100, or a bad code

``dishonest`` item (one 失信被执行人 entry)::

    {"entryId": "JD-O0000123-0", "caseNumber": "(2023)宁0104执1234号", "courtName": "…",
     "courtCode": "11640104…" (the executing court's 统一社会信用代码),
     "subjectCode": "9164…" | "6401**********123X", "subjectName": "…",
     "subjectType": "ORGANISATION" | "PERSON", "legalRepresentative": "…" | null,
     "groundCode": 1-6, "groundText": "…", "aggravatedYears": 0-3, "obligation": "…",
     "amount": "120000.00", "performance": "全部未履行" | "部分履行" | "全部履行", "filedDate": "…",
     "publishDate": "…", "performedDate": "…" | null, "deletedDate": "…" | null (deleted
     early by the court: grounds 2-6 otherwise stay to the term's end), "legalBasis": "…"}

``restrictions`` item (one 限制消费令)::

    {"entryId": "XF-…", "caseNumber": "…", "courtName": "…", "courtCode": "…", "subjectCode": "…",
     "subjectName": "…", "subjectType": "…", "restrictedPerson": "…", "issuedDate": "…",
     "liftedDate": "…" | null, "legalBasis": "…"}
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.identifiers import AmbiguousCreditCode, InvalidCreditCode, normalise_code, validate_code
from credit.masking import mask_id_number
from credit.records import CreditRecord, RecordKind
from simulators.court_facts import GROUNDS
from simulators.service import MAX_BATCH, BureauService, Simulator
from simulators.world import World

__all__ = ["CourtBureau"]

MAX_PAGE_SIZE = 50


def _valid(raw: str) -> str:
    """The normalised code, of either kind: the court keys its entries by the code alone, so a
    code valid both as a USCC and as an ID number needs no choosing here."""
    try:
        return validate_code(raw)[1]
    except AmbiguousCreditCode:
        return normalise_code(raw)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


class CourtBureau(BureauService):
    name = "court"

    def __init__(self, world: World, api_key: str) -> None:
        super().__init__(api_key)
        self.world = world

    def authenticated(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.key_matches(token.strip())

    def unauthorised(self) -> Response:
        response = _error(401, "UNAUTHENTICATED", "缺少或无效的访问令牌")
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    def routes(self) -> list[Route]:
        return [
            self.route(
                "/court/v1/subjects:batchGet", self.batch, name="subjects.batch", methods=["POST"]
            ),
            self.route(
                "/court/v1/subjects/{code}/dishonest",
                self.dishonest,
                name="dishonest.list",
                methods=["GET"],
            ),
            self.route(
                "/court/v1/subjects/{code}/restrictions",
                self.restrictions,
                name="restrictions.list",
                methods=["GET"],
            ),
        ]

    # --- payloads ----------------------------------------------------------------------------

    def _subject_fields(self, record: CreditRecord) -> dict[str, Any]:
        code = record.subject_code
        person = code in self.world.persons
        name = self.world.persons[code].name if person else self.world.registrations[code].name
        return {
            "subjectCode": mask_id_number(code) if person else code,
            "subjectName": name,
            "subjectType": "PERSON" if person else "ORGANISATION",
        }

    def _dishonest(self, record: CreditRecord) -> dict[str, Any]:
        ground = record.defaulter_ground or 1
        return {
            "entryId": record.id,
            "caseNumber": record.case_number,
            "courtName": record.executing_court,
            "courtCode": record.authority_code,
            **self._subject_fields(record),
            "legalRepresentative": record.details.get("legal_rep"),
            "groundCode": ground,
            "groundText": GROUNDS[ground],
            "aggravatedYears": record.aggravated_years,
            "obligation": record.details.get("obligation", ""),
            "amount": f"{record.amount_yuan:f}" if record.amount_yuan is not None else None,
            "performance": record.performance.value if record.performance else "",
            "filedDate": record.details.get("filed_on"),
            "publishDate": _iso(record.publish_from),
            "performedDate": _iso(record.ended_on),
            "deletedDate": _iso(record.deleted_on),
            "legalBasis": record.legal_basis,
        }

    def _restriction(self, record: CreditRecord) -> dict[str, Any]:
        return {
            "entryId": record.id,
            "caseNumber": record.case_number,
            "courtName": record.executing_court,
            "courtCode": record.authority_code,
            **self._subject_fields(record),
            "restrictedPerson": record.details.get("restricted", ""),
            "issuedDate": _iso(record.decided_on),
            "liftedDate": _iso(record.ended_on),
            "legalBasis": record.legal_basis,
        }

    def _entries(self, code: str, kind: RecordKind) -> list[CreditRecord]:
        facts = self.world.facts(code)
        return [r for r in facts.court if r.kind is kind] if facts else []

    # --- handlers ----------------------------------------------------------------------------

    async def dishonest(self, request: Request) -> Response:
        return self._page(request, RecordKind.JUDGMENT_DEFAULTER, "失信被执行人记录")

    async def restrictions(self, request: Request) -> Response:
        return self._page(request, RecordKind.CONSUMPTION_RESTRICTION, "限制消费令")

    def _page(self, request: Request, kind: RecordKind, what: str) -> Response:
        try:
            code = _valid(request.path_params["code"])
        except InvalidCreditCode:
            return _error(400, "INVALID_ARGUMENT", "主体代码或证件号码格式错误")
        try:
            size = int(request.query_params.get("pageSize", "20"))
            token = request.query_params.get("pageToken", "")
            start = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return _error(400, "INVALID_ARGUMENT", "pageSize 或 pageToken 无效")
        if not 1 <= size <= MAX_PAGE_SIZE or start < 0:
            return _error(400, "INVALID_ARGUMENT", f"pageSize 应在1至{MAX_PAGE_SIZE}之间")
        entries = self._entries(code, kind)
        if not entries:
            return _error(404, "NOT_FOUND", f"未找到该主体的{what}")
        shape = self._dishonest if kind is RecordKind.JUDGMENT_DEFAULTER else self._restriction
        body: dict[str, Any] = {"items": [shape(r) for r in entries[start : start + size]]}
        if start + size < len(entries):
            body["nextPageToken"] = base64.urlsafe_b64encode(str(start + size).encode()).decode()
        return JSONResponse(body)

    async def batch(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "INVALID_ARGUMENT", "请求体不是有效的JSON")
        codes = body.get("codes") if isinstance(body, dict) else None
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            return _error(400, "INVALID_ARGUMENT", "codes 必须是非空字符串数组")
        if len(codes) > MAX_BATCH:
            return _error(400, "INVALID_ARGUMENT", f"单次最多查询{MAX_BATCH}个主体")
        try:
            normalised: Sequence[str] = [_valid(c) for c in codes]
        except InvalidCreditCode:
            return _error(400, "INVALID_ARGUMENT", "主体代码或证件号码格式错误")
        results = []
        for code in normalised:
            dishonest = self._entries(code, RecordKind.JUDGMENT_DEFAULTER)
            orders = self._entries(code, RecordKind.CONSUMPTION_RESTRICTION)
            results.append(
                {
                    "found": bool(dishonest or orders),
                    "dishonest": [self._dishonest(r) for r in dishonest],
                    "restrictions": [self._restriction(r) for r in orders],
                }
            )
        return JSONResponse({"results": results})


SIMULATOR = Simulator("court", lambda world, key, _secret: CourtBureau(world, key))
