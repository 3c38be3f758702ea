"""Trusted documents: persisted operations known by their SHA-256, and who must use them.

The registry holds the bot's own operations (``bot/operations/*.graphql``) and the public web
page's (``gateway/static/page/operations``), both read at start-up, and the rows of
``trusted_documents`` (looked up on a miss, cached once found — a hash names one text
forever).  A request names a document in any of three ways:

    {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}}   (Apollo APQ)
    {"extensions": {"documentId": "sha256:<hex>"}}
    {"documentId": "sha256:<hex>"}          (top level: :class:`~gateway.edge_view.EdgeView`)

Clients never register documents by sending them (that would make every document trusted);
operators insert rows with :func:`register_document`.  Resolution and the "registered
documents only" rule run in :class:`~gateway.limits.operation.OperationLimits`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

import asyncpg
from cachetools import LRUCache

__all__ = [
    "DocumentRegistry",
    "bot_operations",
    "document_hash",
    "operations_in",
    "page_operations",
    "register_document",
    "requested_hash",
]

_HEX = re.compile(r"^[0-9a-f]{64}$")


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    """The document hash a request names in its ``extensions``, lower-cased; else ``None``.

    A malformed one is returned as given, so the lookup fails with "not found".
    """
    if not extensions:
        return None
    document_id = extensions.get("documentId")
    if isinstance(document_id, str):
        return document_id.removeprefix("sha256:").lower()
    persisted = extensions.get("persistedQuery")
    if isinstance(persisted, Mapping):
        found = persisted.get("sha256Hash")
        if isinstance(found, str):
            return found.lower()
    return None


def operations_in(package: str, folder: str) -> dict[str, str]:
    """The ``*.graphql`` files of a package folder, by hash."""
    found = resources.files(package).joinpath(*folder.split("/"))
    if not found.is_dir():
        return {}
    return {
        document_hash(text): text
        for entry in found.iterdir()
        if entry.name.endswith(".graphql")
        for text in [entry.read_text(encoding="utf-8")]
    }


def bot_operations() -> dict[str, str]:
    """The bot's ``operations/*.graphql`` files, by hash."""
    return operations_in("bot", "operations")


def page_operations() -> dict[str, str]:
    """The public web page's documents (``gateway/static/page/operations``), by hash."""
    return operations_in("gateway", "static/page/operations")


class DocumentRegistry:
    """Known documents by hash: fixed ones given at construction, the table on a miss."""

    def __init__(
        self,
        documents: Mapping[str, str],
        *,
        pool: Callable[[], asyncpg.Pool | None],
        cache_size: int = 1024,
    ) -> None:
        self._fixed = dict(documents)
        self._pool = pool
        self._found: LRUCache[str, str] = LRUCache(maxsize=cache_size)

    async def get(self, sha256: str) -> str | None:
        if sha256 in self._fixed:
            return self._fixed[sha256]
        if sha256 in self._found:
            return self._found[sha256]
        pool = self._pool()
        if pool is None or not _HEX.match(sha256):
            return None
        body = await pool.fetchval("SELECT body FROM trusted_documents WHERE sha256 = $1", sha256)
        if body is not None:
            self._found[sha256] = body
        return body if isinstance(body, str) else None


async def register_document(conn: asyncpg.Connection, body: str, name: str | None = None) -> str:
    """Trust ``body`` (an operator's act); returns its hash.  Registering twice is a no-op."""
    sha = document_hash(body)
    await conn.execute(
        """INSERT INTO trusted_documents (sha256, body, name) VALUES ($1, $2, $3)
           ON CONFLICT (sha256) DO NOTHING""",
        sha,
        body,
        name,
    )
    return sha
