"""Backoff, Retry-After and the retry budget."""

from __future__ import annotations

import random

import pytest

from connectors.config import BureauConfig
from connectors.errors import (
    BreakerOpen,
    BulkheadFull,
    SourceProtocolError,
    SourceRejected,
    SourceTimeout,
    SourceUnavailable,
)
from connectors.retry import RetryBudget, RetryPolicy, is_retriable


def policy(**settings: float) -> RetryPolicy:
    return RetryPolicy.from_config(BureauConfig(**settings), rng=random.Random(3))


def test_only_transient_upstream_failures_are_retriable() -> None:
    assert is_retriable(SourceUnavailable("tax", "503"))
    assert is_retriable(SourceTimeout("tax", "slow"))
    assert not is_retriable(BreakerOpen("tax", "open"))
    assert not is_retriable(BulkheadFull("tax", "full"))
    assert not is_retriable(SourceRejected("tax", "401", status=401))
    assert not is_retriable(SourceProtocolError("tax", "bad"))


def test_backoff_is_jittered_exponential_and_capped() -> None:
    p = policy(
        retry_attempts=10, retry_base_delay_s=0.1, retry_max_delay_s=0.3, retry_budget_tokens=100
    )
    for attempt, ceiling in [(1, 0.1), (2, 0.2), (3, 0.3), (6, 0.3)]:
        delays = [p.delay(attempt=attempt, retry_after=None) for _ in range(10)]
        assert all(d is not None and 0 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered


def test_retry_after_is_a_floor_and_too_long_is_refused() -> None:
    p = policy(retry_base_delay_s=0.001, retry_max_delay_s=1.0)
    assert p.delay(attempt=1, retry_after=0.5) == pytest.approx(0.5, abs=0.001)
    assert p.delay(attempt=1, retry_after=1.5) is None


def test_attempts_are_bounded() -> None:
    p = policy(retry_attempts=2)
    assert p.delay(attempt=1, retry_after=None) is not None
    assert p.delay(attempt=2, retry_after=None) is None


def test_the_budget_is_spent_by_retries_and_earned_by_successes() -> None:
    budget = RetryBudget(capacity=2, refill=0.5)
    assert budget.try_spend()
    assert budget.try_spend()
    assert not budget.try_spend()
    budget.earn()
    assert not budget.try_spend()  # half a token is not a retry
    budget.earn()
    assert budget.try_spend()
    for _ in range(10):
        budget.earn()
    assert budget.tokens == 2  # never above capacity


def test_an_empty_budget_refuses_retries() -> None:
    p = policy(retry_attempts=5, retry_budget_tokens=1)
    assert p.delay(attempt=1, retry_after=None) is not None
    assert p.delay(attempt=1, retry_after=None) is None
