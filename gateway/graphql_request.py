"""What a GraphQL-over-HTTP request must look like, and the refusal of one that does not.

    data = read_request("POST", body, query_params)   # GraphQLRequestData, or raises
    except RequestRefused as refused: refused.status, refused.code, refused.message

A POST body must be UTF-8 JSON (the content type is checked before, in
:class:`~gateway.limits.body.JsonContentTypeMiddleware`) holding one object: ``query`` a string
(absent only when ``extensions`` or a top-level ``documentId`` names a registered document),
``operationName`` a string or null, ``variables`` and ``extensions`` objects or null.  A GET
carries the same parameters in its query string, ``variables`` and ``extensions`` as JSON text.
Every JSON value is walked once (iteratively): nesting deeper than :data:`MAX_JSON_DEPTH` and
any NUL character (PostgreSQL's text cannot hold one) are refused.  Lone surrogates cannot
arrive: the JSON decoder refuses them, and the query string is decoded with replacement.

    RequestRefused (status 400 unless said)
     ├── INVALID_JSON             reason: encoding | syntax | depth
     ├── INVALID_REQUEST          field: body | query | operationName | variables | extensions
     ├── BATCHING_NOT_SUPPORTED   a JSON array of operations
     ├── INVALID_CHARACTERS       a NUL character in a value; field names which parameter
     └── METHOD_NOT_ALLOWED       405 with ``Allow``: a mutation over GET, or neither GET nor POST
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from graphql import BREAK, DocumentNode, StringValueNode, Visitor, visit
from strawberry.http import GraphQLRequestData

from gateway.limits.trusted_documents import requested_hash

__all__ = [
    "MAX_JSON_DEPTH",
    "RequestRefused",
    "has_nul_literal",
    "method_not_allowed",
    "read_request",
]

# Deep enough for any input of the schema (the deepest nests five levels), shallow enough
# that no recursive walker of ours or of graphql-core ever meets a RecursionError.
MAX_JSON_DEPTH = 32
_PARAMETERS = ("query", "operationName", "variables", "extensions", "documentId")


class RequestRefused(Exception):
    """A request the edge will not run, with the status and code of its answer."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 400,
        headers: Mapping[str, str] | None = None,
        **extra: object,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.headers = dict(headers or {})
        self.extra = extra


def method_not_allowed(message: str, allow: str = "POST") -> RequestRefused:
    return RequestRefused(
        "METHOD_NOT_ALLOWED", message, status=405, headers={"Allow": allow}, allow=allow
    )


def _invalid(field: str, message: str) -> RequestRefused:
    return RequestRefused("INVALID_REQUEST", message, field=field)


def _decode_json(raw: bytes | str, field: str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        text = str(exc)
        if "UTF-8" in text or "surrogate" in text:
            reason, message = "encoding", "不是有效的 UTF-8 文本（或含不成对的代理码位）"
        elif "depth" in text:
            reason, message = "depth", f"嵌套超过 {MAX_JSON_DEPTH} 层"
        else:
            reason, message = "syntax", "不是有效的 JSON"
        where = "请求体" if field == "body" else f"参数 {field} "
        raise RequestRefused("INVALID_JSON", where + message, reason=reason, field=field) from None


def _check_value(value: Any, field: str) -> None:
    """Walk one decoded JSON value without recursion: bounded depth, no NUL anywhere."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise RequestRefused(
                    "INVALID_CHARACTERS",
                    f"参数 {field} 含有 NUL 字符（\\u0000），请删除",
                    field=field,
                )
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise RequestRefused(
                "INVALID_JSON",
                f"参数 {field} 嵌套超过 {MAX_JSON_DEPTH} 层",
                reason="depth",
                field=field,
            )
        if isinstance(item, dict):
            stack.extend((key, depth) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        else:
            stack.extend((child, depth + 1) for child in item)


class _NulFinder(Visitor):
    found = False

    def enter_string_value(self, node: StringValueNode, *_: object) -> object:
        if "\x00" in node.value:
            self.found = True
            return BREAK
        return None


def has_nul_literal(document: DocumentNode) -> bool:
    """Whether a string literal of the document holds a NUL (``"\\u0000"``, or raw in a
    block string): the parser accepts both."""
    finder = _NulFinder()
    visit(document, finder)
    return finder.found


def _from_query_string(params: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in _PARAMETERS:
        value = params.get(name)
        if value is None:
            continue
        if name in ("variables", "extensions"):
            found[name] = _decode_json(value, name) if value else None
        else:
            found[name] = value
    return found


def _optional(data: Mapping[str, Any], name: str, kind: type, what: str) -> Any:
    value = data.get(name)
    if value is not None and not isinstance(value, kind):
        raise _invalid(name, f"参数 {name} 须为{what}或 null")
    if value is not None:
        _check_value(value, name)
    return value


def read_request(method: str, body: bytes, params: Mapping[str, str]) -> GraphQLRequestData:
    """The request's GraphQL parameters, checked; raises :class:`RequestRefused`."""
    if method == "GET":
        data: Any = _from_query_string(params)
    elif method == "POST":
        data = _decode_json(body, "body")
    else:
        raise method_not_allowed("GraphQL 只接受 GET（查询）和 POST 请求", allow="GET, POST")
    if isinstance(data, list):
        raise RequestRefused(
            "BATCHING_NOT_SUPPORTED", "不支持批量请求：请求体须为单个 JSON 对象，每次一个操作"
        )
    if not isinstance(data, dict):
        raise _invalid("body", '请求体须为 JSON 对象，如 {"query": "{ ... }"}')
    query = _optional(data, "query", str, "字符串")
    operation = _optional(data, "operationName", str, "字符串")
    variables = _optional(data, "variables", dict, " JSON 对象")
    extensions = _optional(data, "extensions", dict, " JSON 对象")
    document_id = data.get("documentId")
    if isinstance(document_id, str) and not (extensions or {}).get("documentId"):
        extensions = {**(extensions or {}), "documentId": document_id}
    if not query and requested_hash(extensions) is None:
        raise _invalid("query", "缺少 query：请在请求中给出 GraphQL 查询文档")
    return GraphQLRequestData(
        query=query or None,
        variables=variables,
        operation_name=operation or None,
        extensions=extensions,
    )
