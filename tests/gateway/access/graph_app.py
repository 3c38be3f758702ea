"""A small graph behind the whole edge, whose resolvers count their calls.

Built the way the gateway wires the edge (``Edge.middleware()``, ``Edge.schema_extensions()``
before the caches, ``Edge.running(pool)`` in the lifespan, the principal in the context), so
the access tests see exactly what a bureau-calling resolver would: whether it ran at all.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import Info

from credit.access import Principal
from gateway.auth import request_principal
from gateway.database import Database
from gateway.edge_view import EdgeView
from gateway.limits import Edge


@dataclass
class Ctx:
    principal: Principal
    calls: Counter[str] = field(default_factory=Counter)


@strawberry.type
class Item:
    id: int

    @strawberry.field
    def parent(self, info: Info[Ctx, None]) -> Item:
        info.context.calls["parent"] += 1
        return Item(id=self.id + 1)

    @strawberry.field
    def children(self, info: Info[Ctx, None], first: int = 10) -> ItemConnection:
        info.context.calls["children"] += 1
        return connection(first)


@strawberry.type
class ItemEdge:
    node: Item
    cursor: str


@strawberry.type
class ItemConnection:
    edges: list[ItemEdge]
    total_count: int


def connection(first: int) -> ItemConnection:
    return ItemConnection(
        edges=[ItemEdge(node=Item(id=i), cursor=str(i)) for i in range(min(first, 3))],
        total_count=first,
    )


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, info: Info[Ctx, None]) -> str:
        info.context.calls["hello"] += 1
        return "你好"

    @strawberry.field
    def whoami(self, info: Info[Ctx, None]) -> str:
        info.context.calls["whoami"] += 1
        return info.context.principal.kind.value

    @strawberry.field
    def item(self, info: Info[Ctx, None]) -> Item:
        info.context.calls["item"] += 1
        return Item(id=1)

    @strawberry.field
    def items(self, info: Info[Ctx, None], first: int = 10) -> ItemConnection:
        info.context.calls["items"] += 1
        return connection(first)


@strawberry.type
class Mutation:
    @strawberry.mutation
    def touch(self, info: Info[Ctx, None]) -> bool:
        info.context.calls["touch"] += 1
        return True


class View(EdgeView[Ctx, None]):
    def __init__(self, schema: strawberry.Schema, calls: Counter[str]) -> None:
        super().__init__(schema, allow_queries_via_get=True)
        self.calls = calls

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Ctx:
        assert isinstance(request, Request)
        return Ctx(principal=request_principal(request), calls=self.calls)


@dataclass
class GraphApp:
    app: Starlette
    calls: Counter[str]
    edge: Edge


def graph_app(edge: Edge, database: Database, view: type[View] = View) -> GraphApp:
    calls: Counter[str] = Counter()
    schema = strawberry.Schema(
        Query,
        mutation=Mutation,
        extensions=[
            *edge.schema_extensions(),
            lambda: ParserCache(maxsize=64),
            lambda: ValidationCache(maxsize=64),
        ],
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with edge.running(database.pool):
            yield

    app = Starlette(
        routes=[Route("/graphql", view(schema, calls))],
        middleware=edge.middleware(),
        lifespan=lifespan,
    )
    return GraphApp(app=app, calls=calls, edge=edge)


async def post_declaring(url: str, path: str, declared: int, sent: bytes) -> tuple[int, bytes]:
    """POST announcing ``declared`` body bytes but sending only ``sent``; (status, body).

    An HTTP client that insists on sending a 5 MB body first gets a reset when the server
    refuses early; this is what a well-behaved one sees: the answer before the upload ends.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    reader, writer = await asyncio.open_connection(host, port)
    try:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {declared}\r\n\r\n"
        )
        writer.write(head.encode() + sent)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
        rest = await asyncio.wait_for(reader.read(), timeout=10)  # Connection: close
    finally:
        writer.close()
    _, body = rest.split(b"\r\n\r\n", 1)
    return int(status_line.split()[1]), body
