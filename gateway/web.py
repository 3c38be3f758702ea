"""What the gateway serves to browsers: the public 信用查询 page at ``/`` and GraphiQL's page.

Both come from ``gateway/static`` and fetch nothing from outside (no CDN): the page is three
plain files that send only their own trusted documents (``static/page/operations``, listed by
name and hash at ``/page/documents.json``); GraphiQL's scripts are vendored with their
licences and versions (``static/graphiql/vendor/VERSIONS``) and its tabs open on the demo's
sample queries (``static/graphiql/samples``).

    routes = web_routes()              # /, /page/documents.json, /static/...
    html = graphiql_html()             # what /graphql answers a browser, in demo mode
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from graphql import OperationDefinitionNode, parse
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.limits.trusted_documents import page_operations

__all__ = ["graphiql_html", "page_documents", "web_routes"]

STATIC = Path(__file__).parent / "static"

# The page talks to this origin only; a script or style from anywhere else is refused by the
# browser too, so a copy of this page cannot quietly grow a CDN dependency.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@functools.cache
def page_documents() -> dict[str, str]:
    """The page's operations: operation name → ``sha256:<hex>`` (what it sends as documentId)."""
    found: dict[str, str] = {}
    for sha, text in page_operations().items():
        for definition in parse(text).definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                found[definition.name.value] = f"sha256:{sha}"
    return found


@functools.cache
def graphiql_html() -> str:
    """GraphiQL's page with one tab per sample query (file order)."""
    folder = STATIC / "graphiql" / "samples"
    tabs = [
        {"query": path.read_text(encoding="utf-8")} for path in sorted(folder.glob("*.graphql"))
    ]
    # "</" would end the <script> element that carries the samples.
    samples = json.dumps(tabs, ensure_ascii=False).replace("</", "<\\/")
    return (
        (STATIC / "graphiql" / "index.html")
        .read_text(encoding="utf-8")
        .replace("__SAMPLES__", samples)
    )


async def _page(request: Request) -> Response:
    return FileResponse(
        STATIC / "page" / "index.html", headers={"Content-Security-Policy": PAGE_POLICY}
    )


async def _documents(request: Request) -> Response:
    return JSONResponse(page_documents())


def web_routes() -> list[BaseRoute]:
    return [
        Route("/", _page, methods=["GET", "HEAD"]),
        Route("/page/documents.json", _documents, methods=["GET", "HEAD"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
