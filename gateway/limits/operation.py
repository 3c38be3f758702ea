"""Operation limits: a strawberry extension that refuses a document before any resolver runs.

    policy = OperationPolicy.from_settings(settings)
    schema = strawberry.Schema(Query, extensions=[
        lambda: OperationLimits(policy, documents),      # first: before the caches
        lambda: ShortParserCache(512, policy.cache_max_chars),
        lambda: ShortValidationCache(512, policy.cache_max_chars), ...])

The context must carry the caller as ``context.principal`` (a missing one counts as anonymous).
Each refusal is one GraphQL error with its own ``extensions.code`` and a Chinese message:

    on_operation  PERSISTED_QUERY_NOT_FOUND, PERSISTED_QUERY_HASH_MISMATCH,
                  TRUSTED_DOCUMENT_REQUIRED (callers named in GATEWAY_TRUSTED_DOCUMENTS_ONLY)
    on_parse      TOO_MANY_TOKENS        (counted before parsing)
    on_validate   QUERY_TOO_DEEP (fields, or selections and fragments inside one another),
                  TOO_MANY_ALIASES, INTROSPECTION_DISABLED, INVALID_CHARACTERS (a NUL in a
                  string literal) — measured before validation: 10,000 aliases never reach
                  its O(n²) rule, a chain of 700 fragments never reaches a recursive walker
    after it      QUERY_TOO_COSTLY       (fields × page sizes, against the caller's budget)

A registered document sent by its hash is not costed: it was reviewed as a whole when it was
registered (the bot's, the web page's, an operator's), and its lists that have no page size —
a report's sections and their records — would otherwise be assumed at full size.  Depth, page
sizes and rate limits still apply to it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache
from graphql import DocumentNode, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension

from credit.access import ANONYMOUS, Principal, PrincipalKind, may_introspect
from gateway.graphql_request import has_nul_literal
from gateway.limits.cost import estimate_cost
from gateway.limits.shape import Shape, count_tokens, measure
from gateway.limits.trusted_documents import DocumentRegistry, document_hash, requested_hash
from gateway.settings import Settings

__all__ = ["MAX_NESTING", "OperationLimits", "OperationPolicy", "refusal_error"]

# Selections and fragment spreads inside one another: the cost estimate and graphql-core's
# executor descend through them recursively, a few frames a level, and must stay well inside
# Python's recursion limit.  No real document comes near (max_query_depth is at most 100).
MAX_NESTING = 200


def refusal_error(code: str, message: str, **extra: object) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extra})


@dataclass
class OperationPolicy:
    """The limits, from settings, plus small caches of per-text measurements (shared by
    every request of one app, so a hot query is lexed, measured and costed once)."""

    max_depth: int
    max_aliases: int
    max_tokens: int
    assumed_list_size: int
    budgets: dict[PrincipalKind, int]
    demo: bool
    trusted_only: frozenset[str]
    cache_max_chars: int = 4_096  # a longer text is measured anew each time, never kept
    _tokens: LRUCache[str, int] = field(default_factory=lambda: LRUCache(maxsize=512))
    _shapes: LRUCache[tuple[str, str | None], Shape] = field(
        default_factory=lambda: LRUCache(maxsize=512)
    )
    _nul: LRUCache[str, bool] = field(default_factory=lambda: LRUCache(maxsize=512))
    _costs: LRUCache[tuple[object, str, str | None, tuple[tuple[str, int], ...]], int] = field(
        default_factory=lambda: LRUCache(maxsize=512)
    )

    @classmethod
    def from_settings(cls, settings: Settings) -> OperationPolicy:
        budgets = settings.query_cost_budgets
        return cls(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            assumed_list_size=settings.cost_assumed_list_size,
            budgets={kind: getattr(budgets, kind.value) for kind in PrincipalKind},
            demo=settings.mode == "demo",
            trusted_only=frozenset(settings.trusted_documents_only),
            cache_max_chars=settings.document_cache_max_chars,
        )

    def keeps(self, text: str | None) -> bool:
        """Whether measurements of ``text`` are kept: a caller sending long documents (a
        comment or a string literal fills a body without adding tokens) must not fill the
        caches with megabytes each."""
        return text is not None and len(text) <= self.cache_max_chars

    def tokens(self, text: str) -> int:
        if not self.keeps(text):
            return count_tokens(text, self.max_tokens)
        if text not in self._tokens:
            self._tokens[text] = count_tokens(text, self.max_tokens)
        return self._tokens[text]

    def shape(self, document: DocumentNode, text: str | None, operation: str | None) -> Shape:
        if text is None or not self.keeps(text):
            return measure(document, operation)
        key = (text, operation)
        if key not in self._shapes:
            self._shapes[key] = measure(document, operation)
        return self._shapes[key]

    def has_nul(self, document: DocumentNode, text: str | None) -> bool:
        if text is None or not self.keeps(text):
            return has_nul_literal(document)
        if text not in self._nul:
            self._nul[text] = has_nul_literal(document)
        return self._nul[text]

    def cost(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        text: str | None,
        operation: str | None,
        variables: Mapping[str, Any] | None,
    ) -> int:
        """The operation's estimated cost, kept per schema, text, operation and the integer
        variables (the only ones a page size can come from)."""
        if text is None or not self.keeps(text):
            return self._estimate(schema, document, operation, variables)
        numbers = tuple(
            sorted(
                (name, value)
                for name, value in (variables or {}).items()
                if isinstance(value, int) and not isinstance(value, bool)
            )
        )
        key = (schema, text, operation, numbers)
        if key not in self._costs:
            self._costs[key] = self._estimate(schema, document, operation, variables)
        return self._costs[key]

    def _estimate(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: str | None,
        variables: Mapping[str, Any] | None,
    ) -> int:
        return estimate_cost(
            schema,
            document,
            operation_name=operation,
            variables=variables,
            assumed_list_size=self.assumed_list_size,
        )


class OperationLimits(SchemaExtension):
    def __init__(self, policy: OperationPolicy, documents: DocumentRegistry | None = None) -> None:
        super().__init__()
        self.policy = policy
        self.documents = documents
        self._registered = False  # the document came from the registry, by its hash

    def _principal(self) -> Principal:
        principal = getattr(self.execution_context.context, "principal", None)
        return principal if isinstance(principal, Principal) else ANONYMOUS

    async def on_operation(self) -> AsyncIterator[None]:
        # A belt under on_parse's count, should this extension be listed after a parser cache.
        self.execution_context.parse_options["max_tokens"] = self.policy.max_tokens + 1
        await self._resolve_document()
        yield

    async def _resolve_document(self) -> None:
        ctx = self.execution_context
        wanted = requested_hash(ctx.operation_extensions)
        if wanted is not None:
            if ctx.query:
                if document_hash(ctx.query) != wanted:
                    raise refusal_error(
                        "PERSISTED_QUERY_HASH_MISMATCH", "查询文本与所给的 sha256 不一致"
                    )
            else:
                found = await self.documents.get(wanted) if self.documents else None
                if found is None:
                    raise refusal_error(
                        "PERSISTED_QUERY_NOT_FOUND", "未找到该持久化查询（按 sha256 查找）"
                    )
                ctx.query = found
                self._registered = True
        if not (self._principal().labels() & self.policy.trusted_only) or not ctx.query:
            return
        known = await self.documents.get(document_hash(ctx.query)) if self.documents else None
        if known is None:
            raise refusal_error(
                "TRUSTED_DOCUMENT_REQUIRED", "此调用方只能执行已登记的查询文档（按 sha256 引用）"
            )

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query
        if query and self.policy.tokens(query) > self.policy.max_tokens:
            raise refusal_error(
                "TOO_MANY_TOKENS",
                f"查询文档过长：超过 {self.policy.max_tokens} 个词法单元",
                maximum=self.policy.max_tokens,
            )
        yield

    def on_validate(self) -> Iterator[None]:
        self._check_shape()
        yield
        if not self.execution_context.pre_execution_errors:
            self._check_cost()

    def _check_shape(self) -> None:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is None:
            return
        policy = self.policy
        shape = policy.shape(document, ctx.query or None, ctx.operation_name)
        if shape.depth > policy.max_depth:
            raise refusal_error(
                "QUERY_TOO_DEEP",
                f"查询嵌套过深：{shape.depth} 层，最多允许 {policy.max_depth} 层",
                depth=shape.depth,
                maximum=policy.max_depth,
            )
        if shape.nesting > MAX_NESTING:
            raise refusal_error(
                "QUERY_TOO_DEEP",
                f"查询嵌套过深：字段、内联片段与片段展开共嵌套 {shape.nesting} 层，"
                f"最多允许 {MAX_NESTING} 层",
                depth=shape.nesting,
                maximum=MAX_NESTING,
            )
        if shape.aliases > policy.max_aliases:
            raise refusal_error(
                "TOO_MANY_ALIASES",
                f"别名过多：{shape.aliases} 个，最多允许 {policy.max_aliases} 个",
                aliases=shape.aliases,
                maximum=policy.max_aliases,
            )
        if policy.has_nul(document, ctx.query or None):
            raise refusal_error(
                "INVALID_CHARACTERS", "查询文档的字符串中含有 NUL 字符（\\u0000），请删除"
            )
        if shape.introspection and not may_introspect(self._principal(), demo=policy.demo):
            raise refusal_error(
                "INTROSPECTION_DISABLED",
                "生产环境下不开放 schema 内省：请使用带 schema:read 权限的凭证，"
                "或查阅发布的 schema.graphql",
            )

    def _check_cost(self) -> None:
        ctx = self.execution_context
        if ctx.graphql_document is None or self._registered:
            return
        principal = self._principal()
        budget = self.policy.budgets[principal.kind]
        cost = self.policy.cost(
            ctx.schema._schema,
            ctx.graphql_document,
            ctx.query or None,
            ctx.operation_name,
            ctx.variables,
        )
        if cost > budget:
            raise refusal_error(
                "QUERY_TOO_COSTLY",
                f"查询代价过高：估算 {cost}，上限 {budget}。"
                "请减小分页大小（first）或减少嵌套的列表",
                cost=cost,
                budget=budget,
            )
