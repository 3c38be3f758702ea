"""The estimated cost of an operation, from the document and the schema, before it runs.

Every field costs 1.  A field that returns a list multiplies the cost of what is selected
under it by its page size: the ``first`` (or ``last``) argument — a literal, a variable, the
variable's default, the argument's default — or ``assumed_list_size`` when there is none.
Inside a paged field (one with ``first``/``last``), its ``edges``/``nodes`` lists are that
page and do not multiply again.  Nested connections therefore multiply:

    subjects(first: 100) { edges { node { records(first: 100) { edges { node { id } } } } } }
    = 1 + 100 × (edges 1 + node 1 + records (1 + 100 × (edges 1 + node 1 + id 1))) = 30,301

Both branches of a type condition are counted (an upper bound).  Run it on a validated
document: unknown fields and fragments are skipped, not reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
)

__all__ = ["estimate_cost"]

_PAGE_ARGS = ("first", "last")
_PAGE_LISTS = frozenset({"edges", "nodes"})


class _Estimator:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        assumed_list_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.assumed = assumed_list_size
        self.memo: dict[tuple[str, bool], int] = {}
        self.walking: set[str] = set()

    def selections(self, node: SelectionSetNode | None, parent: Any, paged: bool) -> int:
        if node is None or not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        total = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, paged)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, target, paged)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, paged)
        return total

    def fragment(self, name: str, paged: bool) -> int:
        key = (name, paged)
        if key in self.memo:
            return self.memo[key]
        definition = self.fragments.get(name)
        if definition is None or name in self.walking:
            return 0
        self.walking.add(name)
        target = self.schema.get_type(definition.type_condition.name.value)
        cost = self.selections(definition.selection_set, target, paged)
        self.walking.discard(name)
        self.memo[key] = cost
        return cost

    def field(
        self, node: FieldNode, parent: GraphQLObjectType | GraphQLInterfaceType, paged: bool
    ) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        if node.selection_set is None:
            return 1
        size, pages = self.page_size(node, definition, paged)
        inner = self.selections(node.selection_set, get_named_type(definition.type), pages)
        return 1 + size * inner

    def page_size(self, node: FieldNode, definition: GraphQLField, paged: bool) -> tuple[int, bool]:
        """(multiplier for what is under the field, whether it is a paged connection)."""
        for arg in _PAGE_ARGS:
            if arg in definition.args:
                return self.argument(node, arg, definition), True
        if _is_list(definition.type):
            if paged and node.name.value in _PAGE_LISTS:
                return 1, False
            return self.assumed, False
        return 1, False

    def argument(self, node: FieldNode, name: str, definition: GraphQLField) -> int:
        for arg in node.arguments or ():
            if arg.name.value != name:
                continue
            value = arg.value
            if isinstance(value, IntValueNode):
                return _page_size(int(value.value), self.assumed)
            if isinstance(value, VariableNode):
                return _page_size(self.variables.get(value.name.value), self.assumed)
            return self.assumed
        return _page_size(definition.args[name].default_value, self.assumed)


_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1  # GraphQL's Int


def _page_size(value: object, assumed: int) -> int:
    """A page size as the estimate counts it.  A value no ``Int`` can hold (2^31, 2^64) is
    refused when the variables are coerced, as the client's mistake it is: counting it here
    would answer QUERY_TOO_COSTLY instead (and 2^64 would not even fit the JSON answer)."""
    if isinstance(value, int) and not isinstance(value, bool) and _INT_MIN <= value <= _INT_MAX:
        return max(0, value)
    return assumed


def _is_list(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    assumed_list_size: int,
) -> int:
    """The cost of the operation ``operation_name`` selects (0 when there is none)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    given = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        default = definition.default_value
        if name not in given and isinstance(default, IntValueNode):
            given[name] = int(default.value)
    estimator = _Estimator(schema, fragments, given, assumed_list_size)
    return estimator.selections(operation.selection_set, root, paged=False)
