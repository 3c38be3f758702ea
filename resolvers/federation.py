"""The graph as a Federation v2 subgraph, for banks that run their own federated graph.

    schema = build_schema(extensions, federation=True)     # GATEWAY_FEDERATION=true

adds ``_service { sdl }`` and ``_entities(representations:)`` and declares the entities a bank
would extend: ``Enterprise @key(fields: "uscc")`` and ``CreditRecordNode @key(fields: "id",
resolvable: false)`` (a record can be referenced, but only reached through its subject: no
bureau looks a record up by id alone).  A reference to an enterprise resolves through the same
loaders as ``enterprise(uscc:)``, so ``_entities`` for many enterprises asks each bureau once.

Federation 2.9: some composers accept no later version (shared/STACK-NOTES.md).

The keys are attached to the types only while the federated schema is built: the published
``schema.graphql`` (and a gateway without the setting) carries no federation directives.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any, Final

from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from resolvers.record_types import CreditRecordNode
from resolvers.subjects import Enterprise

__all__ = ["FEDERATION_VERSION", "KEYS", "keyed_types"]

FEDERATION_VERSION: Final = "2.9"
KEYS: dict[type, tuple[Key, ...]] = {
    Enterprise: (Key(fields=FieldSet("uscc")),),
    CreditRecordNode: (Key(fields=FieldSet("id"), resolvable=False),),
}


@contextlib.contextmanager
def keyed_types() -> Iterator[None]:
    """The entity types carry their ``@key`` directives inside this block (a schema built in
    it keeps them: it holds its own copy of each type's definition)."""
    saved: dict[type, Any] = {cls: cls.__strawberry_definition__ for cls in KEYS}  # type: ignore[attr-defined]
    try:
        for cls, keys in KEYS.items():
            plain = saved[cls]
            cls.__strawberry_definition__ = dataclasses.replace(  # type: ignore[attr-defined]
                plain, directives=[*(plain.directives or ()), *keys]
            )
        yield
    finally:
        for cls, plain in saved.items():
            cls.__strawberry_definition__ = plain  # type: ignore[attr-defined]
