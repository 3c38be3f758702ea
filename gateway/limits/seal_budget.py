"""Daily budgets of numbered (sealed) reports per public caller, in-process or in Redis.

    slot = await budget.take("addr:203.0.113.7", day, per_day=20)
    if slot is None: ...                 # SEAL_BUDGET_EXHAUSTED (gateway.reports)
    try: await registry.issue(...)
    except BaseException: await slot.give_back(); raise

Each sealed report takes one of the day's 999,999 report numbers, so an anonymous caller — the
same caller the public rate limit counts (:func:`~gateway.limits.rate_middleware.caller_key`)
— may take only ``GATEWAY_PUBLIC_SEALS_PER_DAY`` of them per report day (the day the number is
taken from).  A slot is taken *before* the number and given back when the report could not be
issued, so a refused or failed seal costs the caller nothing.

:class:`MemorySealBudget` counts per process (an LRU bounds how many callers);
:class:`RedisSealBudget` counts in Redis, shared by every replica, with one Lua script so that
concurrent replicas cannot both take the last slot; a day's counts expire a day after it.
:class:`FallbackSealBudget` keeps counting in-process while Redis is unreachable.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from cachetools import LRUCache
from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = [
    "FallbackSealBudget",
    "MemorySealBudget",
    "RedisSealBudget",
    "SealBudget",
    "Slot",
]

log = logging.getLogger(__name__)

# A day's counts outlive it by a day: replicas whose clocks disagree around midnight, and a
# request that began the day before, still find (and give back to) the count they took from.
_KEEP_MS = 2 * 86_400 * 1000


@dataclass(frozen=True, slots=True)
class Slot:
    """One sealed report's place in its caller's day.  ``give_back()`` when it was not issued."""

    give_back: Callable[[], Awaitable[None]]


class SealBudget(Protocol):
    async def take(self, caller: str, day: dt.date, *, per_day: int) -> Slot | None:
        """A slot of ``caller``'s ``day``; ``None`` when ``per_day`` are taken already."""
        ...


class MemorySealBudget:
    def __init__(self, *, max_callers: int = 100_000) -> None:
        self._used: LRUCache[tuple[dt.date, str], int] = LRUCache(maxsize=max_callers)

    async def take(self, caller: str, day: dt.date, *, per_day: int) -> Slot | None:
        key = (day, caller)
        used = self._used.get(key, 0)
        if used >= per_day:
            return None
        self._used[key] = used + 1
        return Slot(functools.partial(self._give_back, key))

    async def _give_back(self, key: tuple[dt.date, str]) -> None:
        used = self._used.get(key, 0)
        if used > 0:  # a caller forgotten meanwhile (LRU) starts again from nothing
            self._used[key] = used - 1


# KEYS[1] the caller's count of the day; ARGV slots per day, expiry (ms).  Returns 1 when a
# slot was taken, 0 when the day's are all taken (the count stays where it was).
_TAKE = """
local used = redis.call('INCR', KEYS[1])
if used == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if used > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
return 1
"""
# KEYS[1] as above: one slot back, never below nothing (nor reviving an expired count).
_GIVE_BACK = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used > 0 then
  redis.call('DECR', KEYS[1])
end
return used
"""


class RedisSealBudget:
    """``prefix`` keeps apart gateways that share a Redis but not a report registry."""

    def __init__(self, redis: Redis, *, prefix: str = "creditgw:seals:") -> None:
        self._take = redis.register_script(_TAKE)
        self._give = redis.register_script(_GIVE_BACK)
        self._prefix = prefix

    def key(self, caller: str, day: dt.date) -> str:
        return f"{self._prefix}{day:%Y%m%d}:{caller}"

    async def take(self, caller: str, day: dt.date, *, per_day: int) -> Slot | None:
        key = self.key(caller, day)
        if not int(await self._take(keys=[key], args=[per_day, _KEEP_MS])):
            return None
        return Slot(functools.partial(self._give_back, key))

    async def _give_back(self, key: str) -> None:
        try:
            await self._give(keys=[key])
        except (RedisError, OSError):
            # The report was not issued either way; the caller has one slot fewer today.
            log.warning("seal budget: Redis unavailable, a slot was not given back", exc_info=True)


class FallbackSealBudget:
    """``primary`` (Redis) while it answers, ``fallback`` (in-process) while it does not."""

    def __init__(self, primary: SealBudget, fallback: SealBudget) -> None:
        self._primary = primary
        self._fallback = fallback

    async def take(self, caller: str, day: dt.date, *, per_day: int) -> Slot | None:
        try:
            return await self._primary.take(caller, day, per_day=per_day)
        except (RedisError, OSError):
            log.warning("seal budget: Redis unavailable, counting in-process", exc_info=True)
            return await self._fallback.take(caller, day, per_day=per_day)
