"""The schema, built from the code; ``schema.graphql`` is this schema printed.

Root types are composed from one class per capability (a class inheriting them all), so
each capability's module owns its own root fields: add a class to ``QUERIES`` or ``MUTATIONS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from resolvers.binding import BindingMutations
from resolvers.consents import CitizenQueries, ConsentMutations
from resolvers.federation import FEDERATION_VERSION, keyed_types
from resolvers.financing import FinancingMutations, FinancingQueries
from resolvers.query import Query
from resolvers.rights import RightsMutations, RightsQueries
from resolvers.scalars import SCALARS
from resolvers.subjects import Enterprise, Person
from resolvers.vocabulary import VocabularyQueries

__all__ = ["MUTATIONS", "QUERIES", "build_schema", "schema_sdl"]

QUERIES: tuple[type, ...] = (
    Query,
    CitizenQueries,
    FinancingQueries,
    RightsQueries,
    VocabularyQueries,
)
MUTATIONS: tuple[type, ...] = (
    ConsentMutations,
    BindingMutations,
    FinancingMutations,
    RightsMutations,
)


class CreditSchema(strawberry.Schema):
    """Leaves the logging of errors to the edge (``gateway.errors.format_error``: once per
    error, with the request id).  strawberry's own logger would write every parse and
    validation error at ERROR with an excerpt of the document — personal data included."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return


def _root(name: str, parts: tuple[type, ...], description: str) -> type:
    """One root type whose fields are those of every part (each a plain strawberry type)."""
    return strawberry.type(type(name, parts, {}), description=description)


class FederatedCreditSchema(CreditSchema, strawberry.federation.Schema):
    """The same schema as a Federation v2 subgraph (:mod:`resolvers.federation`)."""


def build_schema(
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
    *,
    federation: bool = False,
) -> strawberry.Schema:
    query = _root("Query", QUERIES, "信用图谱查询入口 / Entry points of the credit graph")
    mutation = (
        _root("Mutation", MUTATIONS, "信用图谱的写操作 / Changes to the credit graph")
        if MUTATIONS
        else None
    )
    parts: dict[str, Any] = {
        "query": query,
        "mutation": mutation,
        "types": [Enterprise, Person],
        "extensions": list(extensions),
        "scalar_overrides": dict(SCALARS),
    }
    if not federation:
        return CreditSchema(**parts)
    with keyed_types():
        return FederatedCreditSchema(**parts, federation_version=FEDERATION_VERSION)


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"
