"""The parser and validation caches keep short documents only (gateway.limits.document_cache):
distinct long documents — a comment fills a body without a token — are worked out anew."""

from __future__ import annotations

import functools
from typing import Any, cast

import strawberry
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from gateway.limits import ShortParserCache, ShortValidationCache

MAXSIZE = 37  # strawberry shares one cache per maxsize: one no other schema uses
MAX_CHARS = 200


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "你好"


SCHEMA = strawberry.Schema(
    Query,
    extensions=[
        lambda: ShortParserCache(MAXSIZE, MAX_CHARS),
        lambda: ShortValidationCache(MAXSIZE, MAX_CHARS),
    ],
)


def _kept() -> tuple[int, int]:
    """Entries in strawberry's shared parse and validation caches of MAXSIZE (lru_caches)."""
    parsed = cast("functools._lru_cache_wrapper[Any]", _get_parse_cache(MAXSIZE))
    validated = cast("functools._lru_cache_wrapper[Any]", _get_validate_cache(MAXSIZE))
    return parsed.cache_info().currsize, validated.cache_info().currsize


def test_only_documents_up_to_max_chars_are_kept() -> None:
    before = _kept()
    short = "{ hello } # short"
    assert SCHEMA.execute_sync(short).data == {"hello": "你好"}
    assert _kept() == (before[0] + 1, before[1] + 1)
    for i in range(3):
        long_text = "{ hello }\n#" + str(i) * MAX_CHARS
        result = SCHEMA.execute_sync(long_text)
        assert result.errors is None
        assert result.data == {"hello": "你好"}
    assert _kept() == (before[0] + 1, before[1] + 1)
    refused = SCHEMA.execute_sync("{ nope }\n#" + "y" * MAX_CHARS)  # still validated
    assert refused.errors is not None
    assert "nope" in refused.errors[0].message
