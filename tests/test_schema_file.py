"""schema.graphql is the code's schema, printed: front-end teams and the bot build on it."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from resolvers.schema import build_schema, schema_sdl

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schema_matches_the_code() -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == schema_sdl(), "schema.graphql is out of date: run `make schema`"


def test_every_type_and_field_is_described() -> None:
    gql = build_schema()._schema
    missing = []
    for name, t in gql.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not t.description:
            missing.append(name)
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, d in t.fields.items() if not d.description]
        if isinstance(t, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, d in t.values.items() if not d.description]
    assert missing == []
