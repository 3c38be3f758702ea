"""Retries for reads: jittered exponential backoff, ``Retry-After`` honoured, inside a budget.

A retry is worth making only when the failure is transient (:class:`SourceUnavailable` that is
not our own fail-fast — breaker open or bulkhead full) and the budget allows it.  The budget is
a token bucket refilled by successes: each retry spends one token, each successful call earns
``refill`` tokens, so when a bureau is failing most calls, retries stop instead of multiplying
its load (at most ``refill`` retries per success in steady state).

    policy = RetryPolicy.from_config(config, rng=random.Random())
    delay = policy.delay(attempt=1, retry_after=0.05)   # None: do not retry
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from connectors.config import BureauConfig
from connectors.errors import BreakerOpen, BulkheadFull, ConnectorError, SourceUnavailable

__all__ = ["RetryBudget", "RetryPolicy", "is_retriable"]


def is_retriable(error: ConnectorError) -> bool:
    """Transient upstream failures only; our own fail-fast answers are final."""
    return isinstance(error, SourceUnavailable) and not isinstance(
        error, BreakerOpen | BulkheadFull
    )


@dataclass
class RetryBudget:
    """A token bucket: ``try_spend`` for each retry, ``earn`` for each success."""

    capacity: float
    refill: float
    tokens: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.capacity

    def earn(self) -> None:
        self.tokens = min(self.capacity, self.tokens + self.refill)

    def try_spend(self) -> bool:
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass
class RetryPolicy:
    attempts: int
    base_delay_s: float
    max_delay_s: float
    budget: RetryBudget
    rng: random.Random = field(default_factory=random.Random)  # jitter only

    @classmethod
    def from_config(cls, config: BureauConfig, *, rng: random.Random | None = None) -> RetryPolicy:
        return cls(
            attempts=config.retry_attempts,
            base_delay_s=config.retry_base_delay_s,
            max_delay_s=config.retry_max_delay_s,
            budget=RetryBudget(config.retry_budget_tokens, config.retry_budget_refill),
            rng=rng or random.Random(),  # noqa: S311 — jitter, not security
        )

    def delay(self, *, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None when no retry is due.

        ``attempt`` counts the attempts made so far (1 after the first failure).  Full jitter
        (uniform in [0, base·2^(attempt-1)], capped) spreads retries of many callers; a
        ``Retry-After`` is a floor, and one longer than ``max_delay_s`` is not waited for.
        Spends a budget token when it says yes.
        """
        if attempt >= self.attempts:
            return None
        if retry_after is not None and retry_after > self.max_delay_s:
            return None
        ceiling = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        wait = self.rng.uniform(0.0, ceiling)
        if retry_after is not None:
            wait = max(wait, retry_after)
        if not self.budget.try_spend():
            return None
        return wait
