"""Domain and connector errors become GraphQL errors here, and only here (STYLE.md §5).

An error the code expected (:class:`~credit.errors.DomainError`,
:class:`~connectors.errors.ConnectorError`) keeps its message and gains a stable
``extensions.code``; GraphQL's own syntax and validation errors get ``GRAPHQL_PARSE_FAILED`` /
``GRAPHQL_VALIDATION_FAILED``; anything else is masked as ``INTERNAL`` and logged with the
request id.  Messages and extensions repeat what a caller sent only with every ID and mobile
number in them masked (graphql-core echoes an unknown enum value or a mistyped literal as is).
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError, GraphQLFormattedError

from connectors.errors import ConnectorError
from credit.errors import DomainError
from credit.masking import mask_numbers_in

__all__ = ["format_error"]

log = logging.getLogger(__name__)


def _extensions(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    if isinstance(original, DomainError):
        return original.extensions()
    if isinstance(original, ConnectorError):
        return {"code": original.code, "source": original.source}
    if original is None:
        existing = dict(error.extensions or {})
        if "code" in existing:
            return existing
        if error.path is None and "nested too deeply" in error.message:
            # graphql-core's own recursion guard fires before our depth limit can look.
            return {"code": "QUERY_TOO_DEEP"}
        if error.path is None and "Syntax Error" in error.message:
            return {"code": "GRAPHQL_PARSE_FAILED"}
        return {"code": "GRAPHQL_VALIDATION_FAILED"}
    return {}


def format_error(error: GraphQLError, request_id: str) -> GraphQLFormattedError:
    """The wire form of one error, masked when it was not expected."""
    extensions = _extensions(error)
    if not extensions:
        log.error(
            "unexpected error in resolver",
            exc_info=error.original_error,
            extra={"request_id": request_id, "path": error.path},
        )
        masked = GraphQLError(
            "服务内部错误，请稍后再试（请求编号 " + request_id + "）",
            path=error.path,
            extensions={"code": "INTERNAL", "requestId": request_id},
        )
        masked.locations = error.locations
        return masked.formatted
    formatted = error.formatted
    formatted["message"] = mask_numbers_in(formatted["message"])
    formatted["extensions"] = {
        k: mask_numbers_in(v) if isinstance(v, str) else v for k, v in extensions.items()
    }
    return formatted
