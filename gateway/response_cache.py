"""Whole answers to the public's queries, kept while every source they were built on is fresh.

An anonymous caller asking again what was just answered — the same request body (document or
document id, variables, operation name), the same media type, the same day — gets the answer
kept from the first time, without a resolver, a bureau or the database; ``extensions.
provenance`` still names every source with its ``fetchedAt``, its age now and ``cached: true``.

Kept only when all of these hold (:meth:`ResponseCache.admits`):

* the caller is the public (``PrincipalKind.PUBLIC``; relayed by the bot or not, each its own
  class in the key) and the operation a query of :data:`PUBLIC_ROOT_FIELDS` that selects none
  of :data:`PERSONAL_FIELDS` nor of :data:`ISSUING_FIELDS` (:func:`cacheable_document`);
* the answer has data and no error, and every source it fed on is a public one (market, court,
  national, the platform's own tables) and answered fresh (not stale-if-error);
* nothing personal: the request names no ID or mobile number, every subject whose records it
  showed is an organisation (a USCC), and no consent-gated read or audited read was made.

An answer lives until its oldest source answer would leave that source's cache (the sources'
TTLs), and no longer than the day it was built for (the key holds ``today``: a record leaving
its publicity window at midnight leaves the kept answers with it).  A change to the platform's
tables (heard through ``NOTIFY``, :class:`~connectors.platform.PlatformCache`) drops every kept
answer: locally by a generation number, across replicas by a new epoch in Redis, which each
kept answer names.  Without the platform listener nothing is kept.

In memory an answer is kept encoded (the JSON Redis holds too) and weighed by its length:
``max_bytes`` bounds the memory itself, however large the answers (a public batch of 100
enterprises weighs as much as 50 single ones); an answer larger than a tenth of it is not kept.
A hit decodes it again (orjson: well under a millisecond for the largest).

With ``REDIS_URL`` answers are shared between replicas (one ``MGET`` of the epoch and the
answer per miss in memory); without it, or while Redis fails, each process keeps its own.

    cache = ResponseCache(platform=platform_cache, ttl_by_source={"market": 300.0, ...},
                          max_bytes=4 << 20, redis=edge.redis, namespace=database_name)
    key = cache.key(principal, method, body, query_string, media, today)
    hit = await cache.get(key)      # a KeptAnswer, or None
    await cache.put(key, kept)      # only what admits() let through
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from cachetools import TTLCache
from graphql import FieldNode, OperationType, Visitor, get_operation_ast, parse, visit
from graphql.error import GraphQLError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from connectors.platform import PlatformCache
from connectors.provenance import Provenance
from connectors.registry import bureaus
from credit.access import Principal, PrincipalKind
from credit.identifiers import InvalidCreditCode, validate_uscc
from credit.masking import mask_numbers_in

__all__ = [
    "ISSUING_FIELDS",
    "PERSONAL_FIELDS",
    "PUBLIC_ROOT_FIELDS",
    "PUBLIC_SOURCES",
    "KeptAnswer",
    "ResponseCache",
    "cacheable_document",
]

log = logging.getLogger(__name__)

PUBLIC_SOURCES = frozenset(
    {"market"}  # its public answers (registration, penalties, lists) have loaders of their own
    | {b.source.value for b in bureaus() if b.records is not None}  # court, national, platform…
)
"""Sources whose answers anyone may read (from the registry: every bureau declaring public
records, e.g. customs' rating and IP rights too); an answer fed by any other is never kept."""

_PREFIX = "creditgw:response:"


PUBLIC_ROOT_FIELDS = frozenset({"subject", "subjects", "enterprise", "searchEnterprises"})
"""Root fields whose answers may be kept (when nothing below them is personal)."""

PERSONAL_FIELDS = frozenset(
    {
        "legalRepresentative",  # a person: name and (masked) ID number
        "idNumber",
        "accessLog",
        "taxGrades",  # consent-gated: null or refused for the public, never kept
        "taxPayments",
        "socialInsurance",
        "utilities",
    }
)
"""Fields (by name, whatever their alias) whose presence keeps an answer from being kept."""

ISSUING_FIELDS = frozenset({"seal"})
"""Fields that issue something each time they are asked for (a report's number, kept with the
request that took it): an answer holding one is never replayed to another caller."""


def cacheable_document(document: str, operation_name: str | None, *, max_chars: int) -> bool:
    """Whether the operation is a query of public root fields selecting nothing personal
    (fragments are searched too); parsed once per document of at most ``max_chars``
    (``GATEWAY_DOCUMENT_CACHE_MAX_CHARS``), a longer one each time."""
    if len(document) > max_chars:
        return _cacheable(document, operation_name)
    return _cacheable_kept(document, operation_name)


def _cacheable(document: str, operation_name: str | None) -> bool:
    try:
        parsed = parse(document)
        operation = get_operation_ast(parsed, operation_name)
    except GraphQLError:
        return False
    if operation is None or operation.operation is not OperationType.QUERY:
        return False
    roots = [s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    if not roots or not set(roots) <= PUBLIC_ROOT_FIELDS | {"__typename"}:
        return False
    named: set[str] = set()

    class Names(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            named.add(node.name.value)

    visit(parsed, Names())
    return not named & (PERSONAL_FIELDS | ISSUING_FIELDS)


_cacheable_kept = functools.lru_cache(maxsize=512)(_cacheable)


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    """What is kept of an answer: its data, its extensions but the request's own, and each
    source's provenance (``fetchedAt`` as a POSIX time) with the paths it fed."""

    data: Any
    extensions: dict[str, Any]
    sources: tuple[tuple[str, float, tuple[str, ...]], ...]  # (source, fetched_at, paths)
    expires_at: float  # POSIX time
    generation: int = 0  # the platform cache's, when it was built (in memory)
    epoch: str = ""  # Redis's, when it was built (shared)
    operation: str | None = None  # the GraphQL operation's name, for the access log and metrics

    def body(self, request_id: str, now: dt.datetime) -> dict[str, Any]:
        """The answer to send now: provenance says each source was cached, and how old."""
        stamp = now.timestamp()
        provenance = [
            {
                "source": source,
                "fetchedAt": dt.datetime.fromtimestamp(fetched, dt.UTC).isoformat(),
                "ageSeconds": round(max(0.0, stamp - fetched), 3),
                "cached": True,
                "stale": False,
                "paths": list(paths),
            }
            for source, fetched, paths in self.sources
        ]
        extensions = {"requestId": request_id, **self.extensions, "provenance": provenance}
        return {"data": self.data, "extensions": extensions}

    def encode(self) -> bytes:
        return orjson.dumps(
            {
                "data": self.data,
                "extensions": self.extensions,
                "sources": self.sources,
                "expires_at": self.expires_at,
                "epoch": self.epoch,
                "operation": self.operation,
            }
        )

    @classmethod
    def decode(cls, raw: bytes | str, generation: int) -> KeptAnswer:
        found = orjson.loads(raw)
        return cls(
            data=found["data"],
            extensions=found["extensions"],
            sources=tuple((s, float(f), tuple(p)) for s, f, p in found["sources"]),
            expires_at=float(found["expires_at"]),
            generation=generation,
            epoch=str(found["epoch"]),
            operation=found.get("operation"),
        )


@dataclass(frozen=True, slots=True)
class _Kept:
    """A kept answer in memory: encoded, with what :meth:`ResponseCache.get` checks first."""

    raw: bytes  # KeptAnswer.encode()
    generation: int
    expires_at: float

    def weight(self) -> int:
        """Its bytes, and about what the key, this object and the cache's bookkeeping take."""
        return len(self.raw) + _OVERHEAD


_OVERHEAD = 400


class ResponseCache:
    """Kept public answers, in memory and (with ``redis``) shared."""

    def __init__(
        self,
        *,
        platform: PlatformCache,
        ttl_by_source: Mapping[str, float],
        max_bytes: int,
        redis: Redis | None = None,
        namespace: str = "",
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._platform = platform
        self._ttl_by_source = dict(ttl_by_source)
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._entries: TTLCache[str, _Kept] = TTLCache(
            max_bytes, ttl=max(ttl_by_source.values(), default=1.0), getsizeof=_Kept.weight
        )
        self._largest = max_bytes // 10  # one answer may take at most this much of it
        self._redis = redis
        # Replicas of one deployment share its database: its name keeps deployments (and test
        # sessions) sharing one Redis apart.
        self._prefix = f"{_PREFIX}{namespace}:"
        self._epoch = ""  # the last epoch Redis named (what a put made now is kept under)
        self._tasks: set[asyncio.Task[None]] = set()  # new epochs on their way to Redis
        platform.on_change.append(self._platform_changed)

    @property
    def active(self) -> bool:
        """Keeping anything only while the platform's changes are heard."""
        return self._platform.listening

    # --- the key and what may be kept ---------------------------------------------------------

    @staticmethod
    def key(
        principal: Principal,
        method: str,
        body: bytes,
        query_string: str,
        media: str,
        today: dt.date,
    ) -> str | None:
        """The key of a request whose answer may be kept, or ``None`` when it may not."""
        if principal.kind is not PrincipalKind.PUBLIC:
            return None
        text = body.decode("utf-8", "replace") + "\n" + query_string
        if mask_numbers_in(text) != text:
            return None  # an ID or mobile number: about a person
        digest = hashlib.sha256()
        for part in (
            principal.kind.value,
            "bot" if principal.via_bot else "direct",
            method,
            media,
            today.isoformat(),
            query_string,
        ):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(body)
        return digest.hexdigest()

    def admits(
        self,
        *,
        data: Any,
        errors: bool,
        provenance: list[tuple[Provenance, str]],
        shown_subjects: list[str],
        gated_or_audited: bool,
    ) -> bool:
        if data is None or errors or not provenance or gated_or_audited:
            return False
        for entry, _ in provenance:
            if entry.source not in PUBLIC_SOURCES or entry.stale:
                return False
        return all(_is_uscc(code) for code in shown_subjects)

    def kept(
        self,
        data: Any,
        extensions: Mapping[str, Any],
        provenance: list[tuple[Provenance, str]],
        generation: int,
        operation: str | None = None,
    ) -> KeptAnswer | None:
        """What to keep of an answer built while the platform cache was at ``generation``."""
        paths: dict[Provenance, set[str]] = {}
        for entry, path in provenance:
            paths.setdefault(entry, set()).add(path)
        expires_at = min(
            entry.fetched_at.timestamp() + self._ttl_by_source.get(entry.source, 0.0)
            for entry in paths
        )
        if expires_at <= self._clock().timestamp():
            return None
        return KeptAnswer(
            data=data,
            extensions={k: v for k, v in extensions.items() if k not in _OWN},
            sources=tuple(
                (p.source, p.fetched_at.timestamp(), tuple(sorted(fed))) for p, fed in paths.items()
            ),
            expires_at=expires_at,
            generation=generation,
            epoch=self._epoch,
            operation=operation,
        )

    # --- reading and keeping ------------------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._platform.generation

    async def get(self, key: str) -> KeptAnswer | None:
        if not self.active:
            return None
        now = self._clock().timestamp()
        kept = self._entries.get(key)
        if kept is not None:
            if kept.generation == self._platform.generation and kept.expires_at > now:
                return KeptAnswer.decode(kept.raw, kept.generation)
            self._entries.pop(key, None)
        if self._redis is None or self._tasks:
            return None  # until Redis has the new epoch, its kept answers may be old
        generation = self._platform.generation
        try:
            epoch, raw = await self._redis.mget([self._prefix + "epoch", self._prefix + key])
        except (RedisError, OSError) as exc:
            log.debug("response cache: Redis unavailable (%s)", type(exc).__name__)
            return None
        self._epoch = epoch.decode() if isinstance(epoch, bytes) else ""
        if raw is None:
            return None
        shared = KeptAnswer.decode(raw, generation)
        if shared.epoch != self._epoch or shared.expires_at <= now:
            return None
        if generation == self._platform.generation:
            self._keep(key, raw if isinstance(raw, bytes) else raw.encode(), shared)
        return shared

    async def put(self, key: str, answer: KeptAnswer) -> None:
        if not self.active or answer.generation != self._platform.generation:
            return  # the platform changed while it was built
        raw = answer.encode()
        self._keep(key, raw, answer)
        if self._redis is None or self._tasks:
            return
        ttl_ms = int((answer.expires_at - self._clock().timestamp()) * 1000)
        if ttl_ms <= 0:
            return
        with contextlib.suppress(RedisError, OSError):
            await self._redis.set(self._prefix + key, raw, px=ttl_ms)

    def _keep(self, key: str, raw: bytes, answer: KeptAnswer) -> None:
        kept = _Kept(raw, answer.generation, answer.expires_at)
        if kept.weight() <= self._largest:
            self._entries[key] = kept

    @property
    def kept_bytes(self) -> int:
        """What the answers kept in memory weigh (:meth:`_Kept.weight`), at most ``max_bytes``."""
        return int(self._entries.currsize)

    def clear(self) -> None:
        self._entries.clear()

    def invalidate(self) -> None:
        """Every kept answer goes, here and on every replica sharing Redis: something the
        answers show changed outside the platform's tables (e.g. a rights case, whose record
        is marked 异议处理中 or leaves publicity on repair).  An answer being built meanwhile is
        not kept either: the generation moves on."""
        self._platform.generation += 1
        self._platform_changed()

    def _platform_changed(self) -> None:
        """Every kept answer goes: here by the generation, on other replicas by the epoch."""
        self._entries.clear()
        if self._redis is None:
            return
        try:
            task = asyncio.get_running_loop().create_task(self._new_epoch())
        except RuntimeError:
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _new_epoch(self) -> None:
        assert self._redis is not None
        with contextlib.suppress(RedisError, OSError):
            await self._redis.set(self._prefix + "epoch", secrets.token_hex(8))


_OWN = frozenset({"requestId", "provenance"})


def _is_uscc(code: str) -> bool:
    """An organisation's code (a person's subject key or ID number is not one)."""
    try:
        validate_uscc(code)
    except InvalidCreditCode:
        return False
    return True
