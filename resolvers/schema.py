"""The schema, built from the code; ``schema.graphql`` is this schema printed.

Root types are composed from one class per capability (``strawberry.tools.merge_types``), so
each capability's module owns its own root fields: add a class to ``QUERIES`` or ``MUTATIONS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.tools import merge_types

from resolvers.query import Query
from resolvers.subjects import Enterprise, Person

__all__ = ["MUTATIONS", "QUERIES", "build_schema", "schema_sdl"]

QUERIES: tuple[type, ...] = (Query,)
MUTATIONS: tuple[type, ...] = ()


def build_schema(
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
) -> strawberry.Schema:
    query = merge_types("Query", QUERIES) if len(QUERIES) > 1 else QUERIES[0]
    mutation = merge_types("Mutation", MUTATIONS) if MUTATIONS else None
    return strawberry.Schema(
        query=query, mutation=mutation, types=[Enterprise, Person], extensions=list(extensions)
    )


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"
