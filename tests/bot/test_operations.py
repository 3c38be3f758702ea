"""The bot's documents: valid against schema.graphql, each operation named once, and exactly
the documents the gateway trusts (so the bot never needs to send a query text)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    FieldNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_schema,
    parse,
    validate,
    visit,
)

from bot.graphql import load_operations
from gateway.limits.trusted_documents import bot_operations

SCHEMA = build_schema(Path("schema.graphql").read_text(encoding="utf-8"))
OPERATIONS = load_operations()


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_each_operation_is_valid_against_the_published_schema(name: str) -> None:
    text, _ = OPERATIONS[name]
    errors = validate(SCHEMA, parse(text))
    assert not errors, [e.message for e in errors]


def test_every_named_operation_is_found_and_trusted_by_the_gateway() -> None:
    trusted = bot_operations()
    for name, (text, document_id) in OPERATIONS.items():
        assert trusted[document_id.removeprefix("sha256:")] == text, name
        names = [
            d.name.value
            for d in parse(text).definitions
            if isinstance(d, OperationDefinitionNode) and d.name is not None
        ]
        assert name in names
    assert len({doc for _, doc in OPERATIONS.values()}) == len(trusted)


class _Fields(Visitor):
    """Collects (parent type, field name) of every field a document selects."""

    def __init__(self, info: TypeInfo) -> None:
        super().__init__()
        self.info = info
        self.seen: list[tuple[str, str]] = []

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent = self.info.get_parent_type()
        self.seen.append((parent.name if parent else "?", node.name.value))


def test_no_document_asks_for_an_id_number() -> None:
    # A subject's `code` is a person's clear ID number when they ask about themself, and the
    # legal representative's `idNumber` of one's own firm is one's own: never fetched.  A
    # person's `displayName` is their ID number too (a firm's name is asked for as `name`).
    for name, (text, _) in OPERATIONS.items():
        info = TypeInfo(SCHEMA)
        fields = _Fields(info)
        visit(parse(text), TypeInfoVisitor(info, fields))
        assert fields.seen, name
        for parent, field in fields.seen:
            assert not (parent in {"Subject", "Person", "Enterprise"} and field == "code"), name
            assert not (parent == "LegalRepresentative" and field == "idNumber"), name
            assert not (parent in {"Subject", "Person"} and field == "displayName"), name
