"""The bot's GraphQL client at the edges a real gateway rarely shows (``httpx.MockTransport``):
what it sends, and how transport and credential failures become its three errors."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from bot.graphql import GatewayClient, GatewayUnavailable, RateLimited, SessionExpired

Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler) -> GatewayClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://gw")
    return GatewayClient(http, key="cgw_live_botbotbotbot_" + "k" * 40)


async def test_sends_the_document_by_hash_with_the_keys() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": {"unbindIdentity": True}})

    gateway = client(answer)
    result = await gateway.execute("UnbindIdentity", token="tok")
    assert result.data == {"unbindIdentity": True}
    body = json.loads(seen[0].content)
    assert "query" not in body
    assert body["documentId"] == gateway.operations["UnbindIdentity"][1]
    assert body["operationName"] == "UnbindIdentity"
    assert seen[0].headers["authorization"].startswith("Bearer cgw_live_")
    assert seen[0].headers["x-subject-token"] == "tok"


async def test_partial_answers_name_the_missing_sources() -> None:
    body = {
        "data": {"enterprise": {"displayName": "x"}},
        "errors": [
            {
                "message": "m",
                "path": ["enterprise", "records"],
                "extensions": {"code": "SOURCE_TIMEOUT", "source": "court"},
            },
            {"message": "无权查看", "extensions": {"code": "FORBIDDEN"}},
        ],
    }
    result = await client(lambda r: httpx.Response(200, json=body)).execute(
        "FirmStatus", {"uscc": "x"}
    )
    assert result.missing_sources() == {"court"}
    refusal = result.refusal()
    assert refusal is not None
    assert refusal.code == "FORBIDDEN"


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.Response(401, json={"errors": [{"message": "x"}]}), SessionExpired),
        (httpx.Response(429, headers={"retry-after": "7"}, json={}), RateLimited),
        (
            httpx.Response(503, json={"errors": [{"message": "x"}], "data": None}),
            GatewayUnavailable,
        ),
        (httpx.Response(200, content=b"<html>"), GatewayUnavailable),
        (httpx.Response(200, json=[1, 2]), GatewayUnavailable),
    ],
)
async def test_failures_become_the_clients_errors(
    response: httpx.Response, error: type[Exception]
) -> None:
    with pytest.raises(error) as caught:
        await client(lambda r: response).execute("MySubjects")
    if isinstance(caught.value, RateLimited):
        assert caught.value.retry_after_s == 7


async def test_an_unreachable_gateway_is_unavailable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(GatewayUnavailable):
        await client(refuse).execute("MySubjects")
