"""Response paths of the field being resolved, for provenance and partial-failure errors."""

from __future__ import annotations

from typing import Any

__all__ = ["path_key", "path_tuple"]


def path_tuple(info: Any) -> tuple[str | int, ...]:
    """``("subjects", 3, "records")`` for the field ``info`` resolves."""
    keys: list[str | int] = []
    node = info.path
    while node is not None:
        keys.append(node.key)
        node = node.prev
    return tuple(reversed(keys))


def path_key(info: Any) -> str:
    """The path without list indexes: ``subjects.records`` — what provenance groups by."""
    return ".".join(str(k) for k in path_tuple(info) if isinstance(k, str))
