"""Limits and hardening at the edge: body size and type, rate limits, operation limits, the
public's daily budget of numbered reports, trusted documents — and :class:`Edge`, which
assembles them with authentication.

    edge = Edge(settings)
    Starlette(..., middleware=edge.middleware())
    build_schema([*edge.schema_extensions(), ...])
"""

from __future__ import annotations

from gateway.limits.body import BodyLimitMiddleware, JsonContentTypeMiddleware
from gateway.limits.cost import estimate_cost
from gateway.limits.document_cache import ShortParserCache, ShortValidationCache
from gateway.limits.edge import GRAPHQL_PATH, Edge, redis_client
from gateway.limits.operation import (
    MAX_NESTING,
    OperationLimits,
    OperationPolicy,
    refusal_error,
)
from gateway.limits.rate_limit import (
    Decision,
    FallbackRateLimiter,
    MemoryRateLimiter,
    RateLimiter,
    RedisRateLimiter,
)
from gateway.limits.rate_middleware import (
    RateLimitMiddleware,
    bucket_for,
    caller_key,
    client_address,
)
from gateway.limits.seal_budget import (
    FallbackSealBudget,
    MemorySealBudget,
    RedisSealBudget,
    SealBudget,
    Slot,
)
from gateway.limits.shape import Shape, count_tokens, measure
from gateway.limits.trusted_documents import (
    DocumentRegistry,
    bot_operations,
    document_hash,
    operations_in,
    page_operations,
    register_document,
    requested_hash,
)

__all__ = [
    "GRAPHQL_PATH",
    "MAX_NESTING",
    "BodyLimitMiddleware",
    "Decision",
    "DocumentRegistry",
    "Edge",
    "FallbackRateLimiter",
    "FallbackSealBudget",
    "JsonContentTypeMiddleware",
    "MemoryRateLimiter",
    "MemorySealBudget",
    "OperationLimits",
    "OperationPolicy",
    "RateLimitMiddleware",
    "RateLimiter",
    "RedisRateLimiter",
    "RedisSealBudget",
    "SealBudget",
    "Shape",
    "ShortParserCache",
    "ShortValidationCache",
    "Slot",
    "bot_operations",
    "bucket_for",
    "caller_key",
    "client_address",
    "count_tokens",
    "document_hash",
    "estimate_cost",
    "measure",
    "operations_in",
    "page_operations",
    "redis_client",
    "refusal_error",
    "register_document",
    "requested_hash",
]
