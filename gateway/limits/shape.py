"""How big and deep a GraphQL document is — measured before it is validated or run.

    count_tokens(text, limit=5000)   → tokens, stopping one past ``limit``
    measure(document, "Op")          → Shape(depth=…, aliases=…, introspection=…)

Fragments are expanded (a spread counts what it spreads, every time it is spread) without
re-walking them: each fragment is measured once, so a "billion laughs" document of fragments
spreading fragments costs linear time, and a fragment cycle (validation refuses it later)
ends the walk instead of looping.  Introspection fields (``__schema``, ``__type``,
``__typename``) do not count towards depth; ``__schema``/``__type`` set ``introspection``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
)
from graphql.language.lexer import Lexer

__all__ = ["Shape", "count_tokens", "measure"]

_INTROSPECTION = frozenset({"__schema", "__type"})


@dataclass(frozen=True, slots=True)
class Shape:
    depth: int
    aliases: int
    introspection: bool

    def merge(self, other: Shape) -> Shape:
        return Shape(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.introspection or other.introspection,
        )


_EMPTY = Shape(0, 0, False)


def count_tokens(text: str, limit: int) -> int:
    """Tokens in ``text`` as the parser counts them, but never more than ``limit + 1``.

    A lexing error stops the count where it happened: the parser reports it properly later.
    """
    lexer = Lexer(Source(text))
    count = 0
    try:
        while count <= limit:
            if lexer.advance().kind is TokenKind.EOF:
                break
            count += 1
    except GraphQLSyntaxError:
        pass
    return count


class _Measurer:
    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.done: dict[str, Shape] = {}
        self.walking: set[str] = set()

    def selection_set(self, node: SelectionSetNode | None) -> Shape:
        total = _EMPTY
        if node is None:
            return total
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total = total.merge(self.field(selection))
            elif isinstance(selection, InlineFragmentNode):
                total = total.merge(self.selection_set(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                total = total.merge(self.fragment(selection.name.value))
        return total

    def field(self, node: FieldNode) -> Shape:
        inner = self.selection_set(node.selection_set)
        name = node.name.value
        return Shape(
            depth=inner.depth + (0 if name.startswith("__") else 1),
            aliases=inner.aliases + (1 if node.alias is not None else 0),
            introspection=inner.introspection or name in _INTROSPECTION,
        )

    def fragment(self, name: str) -> Shape:
        if name in self.done:
            return self.done[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.walking:
            return _EMPTY  # unknown or cyclic: validation will say so
        self.walking.add(name)
        shape = self.selection_set(definition.selection_set)
        self.walking.discard(name)
        self.done[name] = shape
        return shape


def measure(document: DocumentNode, operation_name: str | None) -> Shape:
    """The shape of the named operation (or of the largest one when no name is given)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    measurer = _Measurer(fragments)
    shapes = [
        measurer.selection_set(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name is not None and d.name.value == operation_name))
    ]
    if not shapes:
        return _EMPTY
    return Shape(
        depth=max(s.depth for s in shapes),
        aliases=max(s.aliases for s in shapes),
        introspection=any(s.introspection for s in shapes),
    )
