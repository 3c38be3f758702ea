"""Domain and connector errors become GraphQL errors here, and only here (STYLE.md §5).

An error the code expected (:class:`~credit.errors.DomainError`,
:class:`~connectors.errors.ConnectorError`) keeps its message and gains a stable
``extensions.code``.  graphql-core's own reports of a client's mistake — an error without an
``original_error``, or whose original is itself a :class:`GraphQLError` (that is how variable
coercion wraps what a scalar said) — keep a code they carry, or get ``INVALID_VARIABLES``,
``GRAPHQL_PARSE_FAILED`` or ``GRAPHQL_VALIDATION_FAILED``.  Anything else is an exception
nobody expected: masked as ``INTERNAL`` and logged with the request id and its traceback.
Client mistakes are logged at DEBUG, code and path only: their messages may echo the document
or the caller's values.
Messages and extensions repeat what a caller sent only with every ID and mobile number in
them masked (graphql-core echoes an unknown enum value or a mistyped literal as is).
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError, GraphQLFormattedError

from connectors.errors import ConnectorError
from credit.errors import DomainError
from credit.masking import mask_numbers_in

__all__ = ["format_error", "internal_error_text"]

log = logging.getLogger(__name__)


def internal_error_text(request_id: str) -> str:
    return "服务内部错误，请稍后再试（请求编号 " + request_id + "）"


def _client_mistake(error: GraphQLError) -> bool:
    return error.original_error is None or isinstance(error.original_error, GraphQLError)


def _extensions(error: GraphQLError) -> dict[str, Any] | None:
    """The error's wire extensions; ``None`` when nobody expected it."""
    original = error.original_error
    if isinstance(original, DomainError):
        return original.extensions()
    if isinstance(original, ConnectorError):
        return {"code": original.code, "source": original.source}
    if not _client_mistake(error):
        return None
    existing = dict(error.extensions or {})
    if "code" in existing:
        return existing
    if error.path is None and original is not None:
        # Only variable coercion wraps a GraphQLError without a path: what a scalar or an
        # enum said about a value (an Int given "x" or 2^31, a Date of 2026-02-30, a value
        # outside its enum, a missing input field).
        return {"code": "INVALID_VARIABLES"}
    if error.path is None and "nested too deeply" in error.message:
        # graphql-core's own recursion guard fires before our depth limit can look.
        return {"code": "QUERY_TOO_DEEP"}
    if error.path is None and "Syntax Error" in error.message:
        return {"code": "GRAPHQL_PARSE_FAILED"}
    return {"code": "GRAPHQL_VALIDATION_FAILED"}


def format_error(error: GraphQLError, request_id: str) -> GraphQLFormattedError:
    """The wire form of one error, masked when it was not expected."""
    extensions = _extensions(error)
    if extensions is None:
        log.error(
            "unexpected error in resolver",
            exc_info=error.original_error,
            extra={"request_id": request_id, "path": error.path},
        )
        masked = GraphQLError(
            internal_error_text(request_id),
            path=error.path,
            extensions={"code": "INTERNAL", "requestId": request_id},
        )
        masked.locations = error.locations
        return masked.formatted
    log.debug(
        "refused: %s",
        extensions.get("code"),
        extra={"request_id": request_id, "path": error.path},
    )
    formatted = error.formatted
    formatted["message"] = mask_numbers_in(formatted["message"])
    formatted["extensions"] = {
        k: mask_numbers_in(v) if isinstance(v, str) else v for k, v in extensions.items()
    }
    return formatted
