"""The policy's per-text memory: a hot document is costed once per page-size choice."""

from __future__ import annotations

from graphql import parse

from gateway.limits import OperationPolicy, estimate_cost
from gateway.settings import load_settings
from tests.gateway.access.test_shape_and_cost import SCHEMA

PAGED = "query($n: Int, $code: String) { items(first: $n) { edges { node { id } } } }"


def test_a_text_is_costed_once_per_page_size() -> None:
    policy = OperationPolicy.from_settings(load_settings())
    graphql_schema = SCHEMA
    document = parse(PAGED)
    expected = estimate_cost(
        graphql_schema,
        document,
        operation_name=None,
        variables={"n": 7},
        assumed_list_size=policy.assumed_list_size,
    )
    assert policy.cost(graphql_schema, document, PAGED, None, {"n": 7, "code": "a"}) == expected
    # Same text, same page size: remembered, whatever the document object or other variables
    # (an empty document would cost 0 if it were measured again).
    empty = parse("{ __typename }")
    assert policy.cost(graphql_schema, empty, PAGED, None, {"n": 7, "code": "b"}) == expected
    # Another page size is another cost.
    assert policy.cost(graphql_schema, document, PAGED, None, {"n": 70}) > expected
    # No text (a document given as a tree): measured every time.
    assert policy.cost(graphql_schema, empty, None, None, {"n": 7}) == 0


def test_a_long_text_is_measured_every_time_never_kept() -> None:
    policy = OperationPolicy.from_settings(load_settings())
    long_text = PAGED + "\n#" + "x" * policy.cache_max_chars  # a comment: no tokens
    document = parse(long_text)
    empty = parse("{ __typename }")
    assert policy.cost(SCHEMA, document, long_text, None, {"n": 7}) > 0
    # Were it remembered, the empty document would be given the first cost.
    assert policy.cost(SCHEMA, empty, long_text, None, {"n": 7}) == 0
    assert policy.tokens(long_text) == policy.tokens(PAGED)
    assert not policy.has_nul(empty, long_text)
    assert policy.shape(empty, long_text, None) != policy.shape(document, long_text, None)
