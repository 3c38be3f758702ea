"""The unified credit graph: strawberry types and thin resolvers over per-request loaders."""

from __future__ import annotations

from resolvers.context import Connectors, GraphContext, Loaders, ProvenanceLog
from resolvers.schema import build_schema, schema_sdl

__all__ = ["Connectors", "GraphContext", "Loaders", "ProvenanceLog", "build_schema", "schema_sdl"]
