"""The schema, built from the code; ``schema.graphql`` is this schema printed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import strawberry
from strawberry.extensions import SchemaExtension

from resolvers.query import Query
from resolvers.subjects import Enterprise, Person

__all__ = ["build_schema", "schema_sdl"]


def build_schema(
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
) -> strawberry.Schema:
    return strawberry.Schema(query=Query, types=[Enterprise, Person], extensions=list(extensions))


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"
