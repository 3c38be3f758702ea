"""How big and deep a GraphQL document is — measured before it is validated or run.

    count_tokens(text, limit=5000)   → tokens, stopping one past ``limit``
    measure(document, "Op")          → Shape(depth=…, aliases=…, introspection=…, nesting=…)

Fragments are expanded (a spread counts what it spreads, every time it is spread) without
re-walking them: each fragment is measured once, so a "billion laughs" document of fragments
spreading fragments costs linear time, and a fragment cycle (validation refuses it later)
ends the walk instead of looping.  Introspection fields (``__schema``, ``__type``,
``__typename``) do not count towards depth; ``__schema``/``__type`` set ``introspection``.
``nesting`` counts every field, inline fragment and fragment spread on the longest path: what
a recursive walker of the document descends through.  The walk itself is iterative.
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
    # Fields, inline fragments and spreads inside one another (what a recursive walker of the
    # document — the cost estimate, graphql-core's executor — descends through).
    nesting: int = 0

    def merge(self, other: Shape) -> Shape:
        return Shape(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.introspection or other.introspection,
            max(self.nesting, other.nesting),
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


_Task = SelectionSetNode | str  # a selection set, or a fragment by name


class _Measurer:
    """Shapes of selection sets and fragments, computed bottom-up with an explicit stack.

    Iterative, not recursive: a chain of 700 fragments each spreading the next fits in the
    token limit and would overflow Python's stack (a RecursionError, once an INTERNAL).
    """

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.done: dict[int | str, Shape] = {}

    @staticmethod
    def _key(task: _Task) -> int | str:
        return task if isinstance(task, str) else id(task)

    def _children(self, task: _Task) -> list[_Task]:
        if isinstance(task, str):
            definition = self.fragments.get(task)
            return [definition.selection_set] if definition is not None else []
        found: list[_Task] = []
        for selection in task.selections:
            if isinstance(selection, FragmentSpreadNode):
                found.append(selection.name.value)
            elif (
                isinstance(selection, FieldNode | InlineFragmentNode)
                and selection.selection_set is not None
            ):
                found.append(selection.selection_set)
        return found

    def _get(self, task: _Task | None) -> Shape:
        # Unknown, cyclic (still being walked) or absent: validation reports the first two.
        return _EMPTY if task is None else self.done.get(self._key(task), _EMPTY)

    def _combine(self, task: _Task) -> Shape:
        if isinstance(task, str):
            definition = self.fragments.get(task)
            inner = _EMPTY if definition is None else self._get(definition.selection_set)
            return Shape(inner.depth, inner.aliases, inner.introspection, inner.nesting + 1)
        total = _EMPTY
        for selection in task.selections:
            if isinstance(selection, FieldNode):
                inner = self._get(selection.selection_set)
                name = selection.name.value
                shape = Shape(
                    depth=inner.depth + (0 if name.startswith("__") else 1),
                    aliases=inner.aliases + (1 if selection.alias is not None else 0),
                    introspection=inner.introspection or name in _INTROSPECTION,
                    nesting=inner.nesting + 1,
                )
            elif isinstance(selection, InlineFragmentNode):
                inner = self._get(selection.selection_set)
                shape = Shape(inner.depth, inner.aliases, inner.introspection, inner.nesting + 1)
            elif isinstance(selection, FragmentSpreadNode):
                shape = self._get(selection.name.value)
            else:
                continue
            total = total.merge(shape)
        return total

    def selection_set(self, root: SelectionSetNode) -> Shape:
        walking: set[int | str] = set()
        stack: list[tuple[_Task, bool]] = [(root, False)]
        while stack:
            task, children_done = stack.pop()
            key = self._key(task)
            if key in self.done:
                continue
            if children_done:
                self.done[key] = self._combine(task)
                walking.discard(key)
            elif key not in walking:  # on the current path already: a cycle, left empty
                walking.add(key)
                stack.append((task, True))
                stack.extend((child, False) for child in self._children(task))
        return self.done[self._key(root)]


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
        nesting=max(s.nesting for s in shapes),
    )
