"""Strawberry's parser and validation caches, for documents of at most ``max_chars`` only.

Both are keyed by the document (its text; the parsed document, which holds its text), so a
caller sending distinct long documents — a comment or a string literal fills a 1 MB body
without adding tokens — would otherwise keep 512 of them each, megabytes apiece.  A longer
document is parsed and validated anew each time (strawberry does it when no extension has).

    schema = strawberry.Schema(Query, extensions=[
        lambda: ShortParserCache(512, settings.document_cache_max_chars),
        lambda: ShortValidationCache(512, settings.document_cache_max_chars)])
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import ParserCache, ValidationCache

__all__ = ["ShortParserCache", "ShortValidationCache"]


class ShortParserCache(ParserCache):
    def __init__(self, maxsize: int, max_chars: int) -> None:
        super().__init__(maxsize=maxsize)
        self.max_chars = max_chars

    def on_parse(self) -> Iterator[None]:
        if len(self.execution_context.query or "") > self.max_chars:
            yield  # strawberry parses it, uncached
            return
        yield from super().on_parse()


class ShortValidationCache(ValidationCache):
    def __init__(self, maxsize: int, max_chars: int) -> None:
        super().__init__(maxsize=maxsize)
        self.max_chars = max_chars

    def on_validate(self) -> Iterator[None]:
        if len(self.execution_context.query or "") > self.max_chars:
            yield  # strawberry validates it, uncached
            return
        yield from super().on_validate()
