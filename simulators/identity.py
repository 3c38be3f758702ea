"""Identity-verification simulator (三要素核验): do this name, ID number and mobile number belong
together?

Used only for identity binding.  One person per call and no reads: the answer is a verdict,
never data, and it never echoes the ID number, the name or the phone back.  A mismatch does
not say which of the three was wrong.  There is no batch: a body that is a list or carries
``items`` is refused.

API style: a verification service with numeric-string result codes, HTTP Basic auth.

Auth: ``Authorization: Basic base64("<caller id>:<api key>")`` — any caller id, the bureau's
key as the password.  Missing or wrong → HTTP 401 with ``WWW-Authenticate: Basic
realm="identity"`` and ``{"resultCode": "E401", "resultMsg": "调用方认证失败"}``.

    POST /identity/v1/verify   {"name": "张三", "idNumber": "640104198001010012",
                                "phone": "13912345678"}
         200 {"resultCode": "0", "resultMsg": "一致", "serialNo": "<32 hex>"}
         200 {"resultCode": "1", "resultMsg": "三要素不一致", "serialNo": …}
         200 {"resultCode": "2", "resultMsg": "库中无此号", "serialNo": …}
         400 {"resultCode": "E400", "resultMsg": …}   not JSON, a batch, a missing or empty
             field, or an ID number that fails GB 11643 (checked before any lookup)

The ID number is compared after normalisation (spaces dropped, ``x`` → ``X``); the name after
trimming spaces; the phone without spaces, dashes or a leading ``+86``.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from credit.identifiers import InvalidCreditCode, validate_citizen_id
from simulators.service import BureauService, Simulator
from simulators.world import World

__all__ = ["IdentityBureau"]

_PHONE_NOISE = re.compile(r"^\+?86|[\s\-]")


def _verdict(code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"resultCode": code, "resultMsg": message, "serialNo": secrets.token_hex(16)}
    )


def _refuse(message: str) -> JSONResponse:
    return JSONResponse({"resultCode": "E400", "resultMsg": message}, status_code=400)


class IdentityBureau(BureauService):
    name = "identity"

    def __init__(self, world: World, api_key: str) -> None:
        super().__init__(api_key)
        self.world = world

    def authenticated(self, request: Request) -> bool:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        _, colon, password = decoded.partition(":")
        return bool(colon) and self.key_matches(password)

    def unauthorised(self) -> Response:
        return JSONResponse(
            {"resultCode": "E401", "resultMsg": "调用方认证失败"},
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="identity"'},
        )

    def routes(self) -> list[Route]:
        return [self.route("/identity/v1/verify", self.verify, name="verify", methods=["POST"])]

    async def verify(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _refuse("请求体不是有效的JSON")
        if isinstance(body, list) or (isinstance(body, dict) and "items" in body):
            return _refuse("不支持批量核验，每次只能核验一人")
        if not isinstance(body, dict):
            return _refuse("请求参数错误")
        given = [body.get(k) for k in ("name", "idNumber", "phone")]
        if not all(isinstance(v, str) and v.strip() for v in given):
            return _refuse("请提供姓名、公民身份号码和手机号")
        name, raw, phone = (str(v) for v in given)
        try:
            id_number = validate_citizen_id(raw)
        except InvalidCreditCode:
            return _refuse("公民身份号码格式不正确")
        person = self.world.persons.get(id_number)
        if person is None:
            return _verdict("2", "库中无此号")
        if person.name != name.strip() or person.phone != _PHONE_NOISE.sub("", phone):
            return _verdict("1", "三要素不一致")
        return _verdict("0", "一致")


SIMULATOR = Simulator("identity", lambda world, key, _secret: IdentityBureau(world, key))
