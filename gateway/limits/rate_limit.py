"""Token buckets, in-process or in Redis, behind one small protocol.

    decision = await limiter.take("client:k7x2m9qa4bcd", per_minute=600)
    if not decision.allowed: ... Retry-After: decision.retry_after_s

A bucket holds ``per_minute`` tokens (a minute's burst) and refills at ``per_minute / 60`` a
second; each request takes one.  :class:`MemoryRateLimiter` keeps buckets per process (an LRU
bounds how many); :class:`RedisRateLimiter` keeps them in Redis, updated by one Lua script so
concurrent replicas cannot both spend the last token.  Both take a ``clock`` (seconds): the
Redis one uses wall-clock time so replicas agree.  :class:`FallbackRateLimiter` keeps limiting
in-process while Redis is unreachable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from cachetools import LRUCache
from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = [
    "Decision",
    "FallbackRateLimiter",
    "MemoryRateLimiter",
    "RateLimiter",
    "RedisRateLimiter",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    retry_after_s: float  # 0 when allowed
    remaining: float


class RateLimiter(Protocol):
    async def take(self, key: str, *, per_minute: int) -> Decision: ...


def _spend(tokens: float, rate: float) -> Decision:
    if tokens >= 1:
        return Decision(True, 0.0, tokens - 1)
    return Decision(False, (1 - tokens) / rate, tokens)


class MemoryRateLimiter:
    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000
    ) -> None:
        self._clock = clock
        self._buckets: LRUCache[str, tuple[float, float]] = LRUCache(maxsize=max_keys)

    async def take(self, key: str, *, per_minute: int) -> Decision:
        capacity, rate, now = float(per_minute), per_minute / 60, self._clock()
        tokens, stamp = self._buckets.get(key, (capacity, now))
        tokens = min(capacity, tokens + max(0.0, now - stamp) * rate)
        decision = _spend(tokens, rate)
        self._buckets[key] = (decision.remaining, max(now, stamp))
        return decision


# KEYS[1] bucket; ARGV capacity, rate per second, now (s), cost.  Returns
# {allowed 0/1, retry-after seconds, tokens left} — numbers as strings, since Redis turns Lua
# numbers into integers.
_TAKE = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * rate)
  ts = now
end
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = (cost - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return {allowed, tostring(retry), tostring(tokens)}
"""


class RedisRateLimiter:
    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "creditgw:rate:",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._script = redis.register_script(_TAKE)
        self._prefix = prefix
        self._clock = clock

    async def take(self, key: str, *, per_minute: int) -> Decision:
        allowed, retry, remaining = await self._script(
            keys=[self._prefix + key], args=[per_minute, per_minute / 60, self._clock(), 1]
        )
        return Decision(bool(int(allowed)), float(retry), float(remaining))


class FallbackRateLimiter:
    """``primary`` (Redis) while it answers, ``fallback`` (in-process) while it does not."""

    def __init__(self, primary: RateLimiter, fallback: RateLimiter) -> None:
        self._primary = primary
        self._fallback = fallback

    async def take(self, key: str, *, per_minute: int) -> Decision:
        try:
            return await self._primary.take(key, per_minute=per_minute)
        except (RedisError, OSError):
            log.warning("rate limiter: Redis unavailable, limiting in-process", exc_info=True)
            return await self._fallback.take(key, per_minute=per_minute)
