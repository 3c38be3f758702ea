"""Document measurements (tokens, depth, aliases, introspection) and the query cost estimate."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from graphql import parse

from gateway.limits import count_tokens, estimate_cost, measure


@strawberry.type
class Item:
    id: int

    @strawberry.field
    def parent(self) -> Item | None:
        return None

    @strawberry.field
    def tags(self) -> list[str]:
        return []

    @strawberry.field
    def siblings(self) -> list[Item]:
        return []

    @strawberry.field
    def children(self, first: int = 10, after: str | None = None) -> ItemConnection:
        raise NotImplementedError


@strawberry.type
class ItemEdge:
    node: Item
    cursor: str


@strawberry.type
class ItemConnection:
    edges: list[ItemEdge]
    nodes: list[Item]
    total_count: int


@strawberry.type
class Query:
    @strawberry.field
    def item(self) -> Item:
        raise NotImplementedError

    @strawberry.field
    def items(self, first: int | None = None) -> ItemConnection:
        raise NotImplementedError

    @strawberry.field
    def all_items(self) -> list[Item]:
        raise NotImplementedError


SCHEMA = strawberry.Schema(Query)._schema


def cost(query: str, variables: dict[str, Any] | None = None, name: str | None = None) -> int:
    return estimate_cost(
        SCHEMA, parse(query), operation_name=name, variables=variables, assumed_list_size=20
    )


# --- tokens ------------------------------------------------------------------------------------


def test_tokens_are_counted_like_the_parser_and_stop_past_the_limit() -> None:
    assert count_tokens("{ a b(x: 1) }", limit=100) == 9  # { a b ( x : 1 ) }
    assert count_tokens("# only a comment", limit=100) == 0
    assert count_tokens("{ " + "a " * 10_000 + "}", limit=50) == 51
    assert count_tokens('{ a(s: "unterminated', limit=100) == 5  # stops at the lexing error


# --- shape -------------------------------------------------------------------------------------


def test_depth_counts_fields_not_introspection() -> None:
    assert measure(parse("{ item { id } }"), None).depth == 2
    assert measure(parse("{ item { parent { parent { id __typename } } } }"), None).depth == 4
    deep = "{ item { " + "parent { " * 98 + "id" + " }" * 99 + " }"
    assert measure(parse(deep), None).depth == 100
    assert measure(parse("{ __schema { types { name } } }"), None).depth == 2


def test_depth_and_aliases_through_fragments() -> None:
    doc = parse(
        """
        query Q { item { ...F } x: item { ... on Item { y: id } } }
        fragment F on Item { parent { ...G } a: id b: id }
        fragment G on Item { parent { id c: id } }
        """
    )
    shape = measure(doc, "Q")
    assert shape.depth == 4  # item > parent (F) > parent (G) > id
    assert shape.aliases == 5  # x, y, a, b, c
    assert not shape.introspection


def test_a_spread_counts_every_time_it_is_spread_yet_is_walked_once() -> None:
    # 2^40 expanded aliases: measured from each fragment once, so this is instant.
    fragments = "\n".join(f"fragment F{i} on Item {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
    doc = parse("{ item { ...F0 } }\n" + fragments + "\nfragment F40 on Item { a: id }")
    assert measure(doc, None).aliases == 2**40


def test_fragment_cycles_and_unknown_fragments_end_the_walk() -> None:
    doc = parse("{ item { ...A ...Missing } } fragment A on Item { parent { ...A } }")
    assert measure(doc, None).depth == 2


def test_a_long_fragment_chain_is_measured_without_recursion() -> None:
    # 700 fragments each spreading the next fit in the token limit; a recursive walk of them
    # overflowed Python's stack (a RecursionError, answered INTERNAL).
    chain = "\n".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(700))
    doc = parse("{ ...F0 }\n" + chain + "\nfragment F700 on Query { item { id } }")
    shape = measure(doc, None)
    assert shape.depth == 2
    assert shape.nesting == 701 + 2  # 701 spreads, then item and id
    inline = "{ " + "... on Query { " * 3 + "item { parent { id } } }" + " }" * 3
    assert measure(parse(inline), None).nesting == 3 + 3


def test_the_named_operation_or_the_largest() -> None:
    doc = parse("query Small { item { id } } query Big { item { parent { parent { id } } } }")
    assert measure(doc, "Small").depth == 2
    assert measure(doc, None).depth == 4
    assert measure(doc, "Nope").depth == 0


def test_introspection_is_noticed_anywhere() -> None:
    assert measure(parse('{ __type(name: "Item") { name } }'), None).introspection
    assert measure(
        parse("{ ...F } fragment F on Query { __schema { queryType { name } } }"), None
    ).introspection
    assert not measure(parse("{ item { __typename } }"), None).introspection


# --- cost --------------------------------------------------------------------------------------


def test_scalars_and_objects_cost_one_each() -> None:
    assert cost("{ item { id } }") == 2
    assert cost("{ item { id parent { id } } }") == 4
    assert cost("{ item { __typename id } }") == 2


def test_plain_lists_multiply_by_the_assumed_size() -> None:
    assert cost("{ allItems { id } }") == 1 + 20 * 1
    assert cost("{ item { tags } }") == 2  # a list of scalars is one field
    assert cost("{ allItems { siblings { id } } }") == 1 + 20 * (1 + 20 * 1)


def test_connections_multiply_by_first_once() -> None:
    query = "{ items(first: 5) { totalCount edges { cursor node { id } } } }"
    assert cost(query) == 1 + 5 * (1 + (1 + 1 + (1 + 1)))
    assert cost("{ items(first: 5) { nodes { id } } }") == 1 + 5 * 2


def test_nested_connections_multiply() -> None:
    query = """{ items(first: 100) { edges { node {
                  children(first: 100) { edges { node { id } } } } } } }"""
    assert cost(query) == 1 + 100 * (1 + 1 + (1 + 100 * 3))  # 30,301, as documented


def test_page_size_from_variables_defaults_and_the_schema() -> None:
    query = "query($n: Int) { items(first: $n) { nodes { id } } }"
    assert cost(query, {"n": 7}) == 1 + 7 * 2
    assert cost(query, {}) == 1 + 20 * 2  # nothing given, the argument has no default
    assert cost("query($n: Int = 3) { items(first: $n) { nodes { id } } }") == 1 + 3 * 2
    assert cost("{ item { children { nodes { id } } } }") == 2 + 10 * 2  # schema default 10
    assert cost("{ items(first: -5) { nodes { id } } }") == 1
    assert cost(query, {"n": "many"}) == 1 + 20 * 2


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**64, -(2**31) - 1])
def test_a_page_size_no_int_can_hold_is_left_to_variable_coercion(huge: int) -> None:
    # Counted, 2^31 would refuse the query as too costly (and 2^64 would not fit the JSON
    # answer); it is the client's mistake, which coercing the variables reports.
    query = "query($n: Int) { items(first: $n) { nodes { id } } }"
    assert cost(query, {"n": huge}) == 1 + 20 * 2
    assert cost(query, {"n": 2**31 - 1}) == 1 + (2**31 - 1) * 2


def test_fragments_and_type_conditions_count() -> None:
    query = """{ items(first: 4) { nodes { ...F ... on Item { id } } } }
               fragment F on Item { parent { id } }"""
    assert cost(query) == 1 + 4 * (1 + (2 + 1))
    assert cost("{ item { ...A } } fragment A on Item { parent { ...A } }") == 2  # a cycle


def test_operation_selection() -> None:
    doc = "query A { item { id } } query B { allItems { id } }"
    assert cost(doc, name="A") == 2
    assert cost(doc, name="B") == 21
    assert cost(doc, name="C") == 0


@pytest.mark.parametrize(("first", "expected"), [(1, 2), (50, 51)])
def test_mutation_roots_are_costed_too(first: int, expected: int) -> None:
    @strawberry.type
    class Mutation:
        @strawberry.mutation
        def touch(self, first: int = 1) -> list[Item]:
            return []

    schema = strawberry.Schema(Query, mutation=Mutation)._schema
    got = estimate_cost(
        schema,
        parse(f"mutation {{ touch(first: {first}) {{ id }} }}"),
        operation_name=None,
        variables=None,
        assumed_list_size=20,
    )
    assert got == expected
