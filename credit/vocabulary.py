"""Open vocabularies: enum-like sets of string values that grow as bureaus are declared.

The domain names the bureaus it reasons about (``Source.MARKET``, ``ConsentScope.TAX``); a
connector module that brings a new bureau declares its source and consent scope here instead of
editing an enum, so the set of bureaus stays data (``connectors.bureau``).  A value is a ``str``,
interned: ``Source("tax") is Source.TAX``; an undeclared value is a ``ValueError``, as with an
enum.

    >>> class Colour(OpenEnum): ...
    >>> RED = Colour.declare("red", Label("红", "Red"))
    >>> Colour("red") is RED, RED.name, RED.value, list(Colour.members()), RED.label.zh
    (True, 'RED', 'red', ['red'], '红')

A member's :class:`Label` (its Chinese and English names) is set by whoever declares it with
one; the schema's descriptions and the citizens' messages read it from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

__all__ = ["Label", "OpenEnum"]


@dataclass(frozen=True, slots=True)
class Label:
    """A name in Chinese and in English."""

    zh: str
    en: str

    def bilingual(self) -> str:
        """``税务 / Tax``: how the schema describes a value."""
        return f"{self.zh} / {self.en}"


class OpenEnum(str):
    """A ``str`` whose values must be declared first; each subclass has its own set."""

    __slots__ = ()
    _members: ClassVar[dict[str, OpenEnum]]
    _labels: ClassVar[dict[str, Label]]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls._members = {}
        cls._labels = {}

    def __new__(cls, value: str) -> Self:
        found = cls._members.get(str(value))
        if found is None or not isinstance(found, cls):
            raise ValueError(f"{value!r} is not a valid {cls.__name__}")
        return found

    @classmethod
    def declare(cls, value: str, label: Label | None = None) -> Self:
        """The member ``value``, created on first declaration (declaring twice is harmless);
        ``label`` names it (a later label replaces an earlier one)."""
        if label is not None:
            cls._labels[value] = label
        found = cls._members.get(value)
        if isinstance(found, cls):
            return found
        plain = value.isascii() and value.replace("_", "").isalnum()
        if not (plain and (value.islower() or value.isupper())):
            raise ValueError(f"{cls.__name__}: {value!r} is not a one-case identifier")
        member = str.__new__(cls, value)
        cls._members[value] = member
        return member

    @classmethod
    def members(cls) -> tuple[Self, ...]:
        """Every declared member, in declaration order."""
        return tuple(m for m in cls._members.values() if isinstance(m, cls))

    @classmethod
    def of_name(cls, name: str) -> Self:
        """The member whose :attr:`name` is ``name`` (``KeyError`` otherwise), like ``E[name]``."""
        return cls(name.lower()) if name.lower() in cls._members else cls._missing_name(name)

    @classmethod
    def _missing_name(cls, name: str) -> Self:
        raise KeyError(name)

    @property
    def label(self) -> Label:
        """Its names; the value itself until a declaration names it."""
        return self._labels.get(str(self)) or Label(str(self), str(self))

    @property
    def name(self) -> str:
        return str.upper(self)

    @property
    def value(self) -> str:
        return str(self)

    def __str__(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self.name}: {str.__repr__(self)}>"

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return type(self), (str(self),)
