"""How to call each bureau simulator: its auth style, one single and one batch data request.

The contract tests (``test_bureaus.py``) run the same checks over every bureau through this table;
the per-bureau test modules check each API's own shapes.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from credit.authorisation import sign_subject_token

__all__ = ["BUREAU_CALLS", "BureauCall", "Call", "token_for"]

LATER = dt.timedelta(hours=1)


def token_for(secret: bytes, subject: str, scope: str, *, expires_in: dt.timedelta = LATER) -> str:
    expires = dt.datetime.now(dt.UTC) + expires_in
    return sign_subject_token(
        secret, subject=subject, scope=scope, consent_id="consent-test", expires_at=expires
    )


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    async def send(
        self, http: httpx.AsyncClient, base: str, auth_headers: dict[str, str]
    ) -> httpx.Response:
        return await http.request(
            self.method,
            base + self.path,
            params=self.params or None,
            json=self.json,
            headers={**auth_headers, **self.headers},
        )


Tokens = Callable[[str], str | None]  # subject → token (None: send none)


@dataclass
class BureauCall:
    """One bureau's calling conventions, for the contract tests."""

    name: str
    auth: Callable[[str], dict[str, str]]  # api key → headers
    single: Callable[[str, Tokens], Call]
    batch: Callable[[Sequence[str], Tokens], Call] | None  # None: the bureau has no batch
    scope: str | None = None  # consent-gated bureaus: the token scope


def _basic(key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"gateway:{key}".encode()).decode()}


BUREAU_CALLS: dict[str, BureauCall] = {
    "court": BureauCall(
        "court",
        lambda key: {"Authorization": f"Bearer {key}"},
        lambda code, _: Call("GET", f"/court/v1/subjects/{code}/dishonest"),
        lambda codes, _: Call("POST", "/court/v1/subjects:batchGet", json={"codes": list(codes)}),
    ),
    "market": BureauCall(
        "market",
        lambda key: {"X-Api-Key": key},
        lambda code, _: Call("GET", "/api/v2/penalties", params={"uscc": code}),
        lambda codes, _: Call("POST", "/api/v2/penalties/batch", json={"uscc_list": list(codes)}),
    ),
    "tax": BureauCall(
        "tax",
        lambda key: {"X-Tax-AppKey": key},
        lambda code, tok: Call(
            "POST", "/tax/api/v1/credit-grade/query", json={"nsrsbh": code, "sqm": tok(code)}
        ),
        lambda codes, tok: Call(
            "POST",
            "/tax/api/v1/credit-grade/batch-query",
            json={"items": [{"nsrsbh": c, "sqm": tok(c)} for c in codes]},
        ),
        scope="tax",
    ),
    "hrss": BureauCall(
        "hrss",
        lambda key: {"X-HRSS-Key": key},
        lambda code, tok: Call(
            "GET",
            f"/hrss/v1/units/{code}/contributions",
            headers={"X-Consent-Token": t} if (t := tok(code)) else {},
        ),
        lambda codes, tok: Call(
            "POST",
            "/hrss/v1/units/contributions:batch",
            json={"units": [{"unitCode": c, "consentToken": tok(c)} for c in codes]},
        ),
        scope="hrss",
    ),
    "utilities": BureauCall(
        "utilities",
        lambda key: {"X-Auth-Token": key},
        lambda code, tok: Call(
            "GET",
            f"/v3/accounts/{code}/bills",
            headers={"X-Subject-Authorization": t} if (t := tok(code)) else {},
        ),
        lambda codes, tok: Call(
            "POST",
            "/v3/bills:batchQuery",
            json={"requests": [{"creditCode": c, "authorization": tok(c)} for c in codes]},
        ),
        scope="utilities",
    ),
    "national": BureauCall(
        "national",
        lambda key: {"Authorization": f"ApiKey {key}"},
        lambda code, _: Call("GET", "/national/api/lists", params={"code": code}),
        lambda codes, _: Call("POST", "/national/api/lists/batch", json={"codes": list(codes)}),
    ),
    "identity": BureauCall(
        "identity",
        _basic,
        lambda code, _: Call(
            "POST",
            "/identity/v1/verify",
            json={"name": "测试", "idNumber": code, "phone": "13900000000"},
        ),
        None,
    ),
    # The bureaus added as data: batch interfaces only; a single subject is a batch of one.
    "customs": BureauCall(
        "customs",
        lambda key: {"X-Customs-Key": key},
        lambda code, tok: Call(
            "POST",
            "/customs/v2/declarations.csv",
            json={"requests": [{"uscc": code, "token": tok(code)}]},
        ),
        lambda codes, tok: Call(
            "POST",
            "/customs/v2/declarations.csv",
            json={"requests": [{"uscc": c, "token": tok(c)} for c in codes]},
        ),
        scope="customs",
    ),
    "ip": BureauCall(
        "ip",
        lambda key: {"Authorization": f"Token {key}"},
        lambda code, _: Call("POST", "/ip/v1/holdings:search", json={"filter": {"uscc": [code]}}),
        lambda codes, _: Call(
            "POST", "/ip/v1/holdings:search", json={"filter": {"uscc": list(codes)}}
        ),
    ),
    "realestate": BureauCall(
        "realestate",
        lambda key: {"X-BDC-Key": key},
        lambda code, tok: Call(
            "POST", "/bdc/v1/djxx/cx", json={"sqrs": [{"tyshxydm": code, "sqm": tok(code)}]}
        ),
        lambda codes, tok: Call(
            "POST",
            "/bdc/v1/djxx/cx",
            json={"sqrs": [{"tyshxydm": c, "sqm": tok(c)} for c in codes]},
        ),
        scope="realestate",
    ),
}
