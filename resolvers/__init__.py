"""The unified credit graph: strawberry types and thin resolvers over per-request loaders."""

from __future__ import annotations

from resolvers.context import GraphContext, GraphLimits, PartialFailure
from resolvers.data import ProvenanceLog, SubjectData
from resolvers.schema import build_schema, schema_sdl

__all__ = [
    "GraphContext",
    "GraphLimits",
    "PartialFailure",
    "ProvenanceLog",
    "SubjectData",
    "build_schema",
    "schema_sdl",
]
