"""Relay-style connections with a hard maximum page size.

    paginate(records, first=20, after=None, max_page_size=100) -> Connection[T]

Cursors are opaque (base64 of an offset into the filtered, ordered list); a cursor that does
not decode is ``INVALID_CURSOR``, a page size over the maximum is ``PAGE_SIZE_EXCEEDED`` — both
refused before any work is done.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from credit.errors import DomainError

__all__ = [
    "Connection",
    "Edge",
    "InvalidCursor",
    "PageInfo",
    "PageSizeExceeded",
    "check_page_size",
    "decode_cursor",
    "encode_cursor",
    "paginate",
]

S = TypeVar("S")
T = TypeVar("T")
_PREFIX = "o:"


class InvalidCursor(DomainError):
    code = "INVALID_CURSOR"

    def __init__(self) -> None:
        super().__init__("分页游标无效：请使用上一页返回的 endCursor")


class PageSizeExceeded(DomainError):
    code = "PAGE_SIZE_EXCEEDED"

    def __init__(self, asked: int, maximum: int) -> None:
        self.asked, self.maximum = asked, maximum
        super().__init__(f"每页最多 {maximum} 条，请求了 {asked} 条")

    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "maximum": self.maximum}


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursor from None
    if not text.startswith(_PREFIX) or not text[len(_PREFIX) :].isdigit():
        raise InvalidCursor
    return int(text[len(_PREFIX) :])


def check_page_size(first: int, max_page_size: int) -> None:
    if first < 0 or first > max_page_size:
        raise PageSizeExceeded(first, max_page_size)


@strawberry.type(description="分页信息 / Relay page info")
class PageInfo:
    has_next_page: bool = strawberry.field(description="是否还有下一页 / More after this page")
    has_previous_page: bool = strawberry.field(description="是否有上一页 / Items before this page")
    start_cursor: str | None = strawberry.field(description="本页第一条的游标 / First cursor")
    end_cursor: str | None = strawberry.field(description="本页最后一条的游标 / Last cursor")


@strawberry.type(description="连接中的一条 / One edge of a connection")
class Edge(Generic[T]):
    node: T = strawberry.field(description="条目 / The item")
    cursor: str = strawberry.field(description="游标 / Opaque cursor of this item")


@strawberry.type(description="分页列表（Relay 连接） / A page of a list (Relay connection)")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="本页条目 / Edges on this page")
    page_info: PageInfo = strawberry.field(description="分页信息 / Page info")
    total_count: int = strawberry.field(description="符合条件的总数 / Items matching in all")


def paginate(
    items: Sequence[S],
    *,
    first: int,
    after: str | None,
    max_page_size: int,
    node: Callable[[S], T],
) -> Connection[T]:
    """One page of ``items``; only the page's items are turned into nodes."""
    check_page_size(first, max_page_size)
    start = decode_cursor(after) + 1 if after is not None else 0
    page = items[start : start + first]
    edges = [Edge(node=node(item), cursor=encode_cursor(start + i)) for i, item in enumerate(page)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + len(page) < len(items),
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=len(items),
    )
