"""Identity-verification connector (三要素核验): do this name, ID number and mobile number
belong together?

Used only for identity binding: one person per call, a verdict and never data.  Nothing is
cached — the name, ID number and phone live no longer than the call, appear in no message, and
travel only in the request body.  HTTP Basic auth (caller id + the bureau's key); result codes
are numeric strings: ``"0"`` 一致, ``"1"`` 不一致 (which of the three is not said), ``"2"``
库中无此号.

    verdict = await identity.verify(name, id_number, phone)   # Sourced[IdentityVerdict]
    verdict.value is IdentityVerdict.MATCH
"""

from __future__ import annotations

import base64
from enum import StrEnum

import httpx

from connectors.bureau import Bureau
from connectors.errors import SourceProtocolError
from connectors.http import HttpBureau
from connectors.provenance import Sourced
from credit.records import Source
from credit.vocabulary import Label

__all__ = ["CALLER_ID", "IdentityConnector", "IdentityVerdict"]

CALLER_ID = "credit-graph-gateway"


class IdentityVerdict(StrEnum):
    MATCH = "MATCH"  # 一致
    MISMATCH = "MISMATCH"  # 三要素不一致: name or phone does not go with the ID number
    UNKNOWN = "UNKNOWN"  # 库中无此号


_VERDICTS = {
    "0": IdentityVerdict.MATCH,
    "1": IdentityVerdict.MISMATCH,
    "2": IdentityVerdict.UNKNOWN,
}


class IdentityConnector(HttpBureau):
    source = "identity"
    kinds = ()  # personal data: never cached

    def authorise(self, request: httpx.Request) -> None:
        secret = f"{CALLER_ID}:{self._config.api_key.get_secret_value()}"
        request.headers["Authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()

    async def verify(self, name: str, id_number: str, phone: str) -> Sourced[IdentityVerdict]:
        """The bureau's verdict; a malformed ID number is refused (:class:`SourceRejected`)."""
        self._check_open()
        body = {"name": name, "idNumber": id_number, "phone": phone}
        verdict = await self.call("POST", "/identity/v1/verify", self._verdict, json=body)
        return Sourced(verdict, self.provenance())

    def _verdict(self, response: httpx.Response) -> IdentityVerdict:
        payload = self.decode(response)
        code = payload.get("resultCode") if isinstance(payload, dict) else None
        verdict = _VERDICTS.get(code) if isinstance(code, str) else None
        if verdict is None:
            raise SourceProtocolError(self.source, "核验应答缺少有效的结果码")
        return verdict


BUREAU = Bureau.http(
    IdentityConnector,
    source=Source.declare("identity", Label("身份核验", "Identity verification")),
    rank=70,
)
