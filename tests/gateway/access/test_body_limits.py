"""Body size and content type at the ASGI level: what is read, and what is answered."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import Message, Receive, Scope, Send

from gateway.limits import BodyLimitMiddleware, JsonContentTypeMiddleware
from tests.fakes.servers import serve_app
from tests.gateway.access.graph_app import post_declaring

LIMIT = 100_000
CHUNK = 65_536


class Upload:
    """A client sending ``total`` bytes in chunks; counts what the server pulled."""

    def __init__(self, total: int) -> None:
        self.left = total
        self.pulled = 0

    async def receive(self) -> Message:
        size = min(CHUNK, self.left)
        self.left -= size
        self.pulled += size
        return {"type": "http.request", "body": b" " * size, "more_body": self.left > 0}


class Reader:
    """The app behind the middleware: reads the whole body, as the GraphQL view does."""

    def __init__(self) -> None:
        self.got = 0
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        body = await Request(scope, receive).body()
        self.got = len(body)
        await PlainTextResponse(f"read {len(body)}")(scope, receive, send)


async def run(app: Any, upload: Upload, headers: list[tuple[bytes, bytes]]) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": headers}
    await app(scope, upload.receive, send)
    return sent


def status_and_body(sent: list[Message]) -> tuple[int, dict[str, Any]]:
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], orjson.loads(body) if sent[0]["status"] != 200 else {}


async def test_a_chunked_body_is_cut_off_just_past_the_limit() -> None:
    inner = Reader()
    upload = Upload(5_000_000)
    sent = await run(BodyLimitMiddleware(inner, max_bytes=LIMIT), upload, [])
    status, body = status_and_body(sent)
    assert status == 413
    assert body["errors"][0]["extensions"] == {"code": "PAYLOAD_TOO_LARGE", "maximum": LIMIT}
    assert "字节" in body["errors"][0]["message"]
    assert upload.pulled <= LIMIT + CHUNK  # stopped at the first chunk past the limit
    assert inner.got == 0  # the app never got the body


async def test_a_declared_length_over_the_limit_reads_nothing() -> None:
    inner = Reader()
    upload = Upload(5_000_000)
    sent = await run(
        BodyLimitMiddleware(inner, max_bytes=LIMIT), upload, [(b"content-length", b"5000000")]
    )
    assert status_and_body(sent)[0] == 413
    assert upload.pulled == 0
    assert inner.calls == 0


@pytest.mark.parametrize("size", [0, LIMIT])
async def test_bodies_up_to_the_limit_pass_whole(size: int) -> None:
    inner = Reader()
    headers = [(b"content-length", str(size).encode())]
    sent = await run(BodyLimitMiddleware(inner, max_bytes=LIMIT), Upload(size), headers)
    assert sent[0]["status"] == 200
    assert inner.got == size


async def test_an_early_answer_over_real_http() -> None:
    app = BodyLimitMiddleware(Reader(), max_bytes=LIMIT)
    async with serve_app(app, lifespan="off") as url:
        status, body = await post_declaring(url, "/graphql", 5_000_000, b" " * 1000)
    assert status == 413
    assert orjson.loads(body)["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_content_type_is_checked_on_graphql_posts_only() -> None:
    inner = Reader()
    app = JsonContentTypeMiddleware(inner, paths=["/graphql"])
    sent = await run(app, Upload(2), [(b"content-type", b"text/plain")])
    status, body = status_and_body(sent)
    assert status == 415
    assert body["errors"][0]["extensions"] == {"code": "UNSUPPORTED_MEDIA_TYPE"}
    assert inner.calls == 0

    sent = await run(app, Upload(2), [(b"content-type", b"Application/JSON; charset=utf-8")])
    assert sent[0]["status"] == 200
    other: list[Message] = []

    async def send(message: Message) -> None:
        other.append(message)

    scope = {"type": "http", "method": "POST", "path": "/elsewhere", "headers": []}
    await app(scope, Upload(0).receive, send)
    assert other[0]["status"] == 200
