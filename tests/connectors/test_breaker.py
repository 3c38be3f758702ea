"""The circuit breaker's state machine, driven by hand with a fake clock."""

from __future__ import annotations

import asyncio

import pytest

from connectors.breaker import BreakerState, CircuitBreaker
from connectors.config import BureauConfig
from connectors.errors import (
    BreakerOpen,
    BulkheadFull,
    SourceProtocolError,
    SourceRejected,
    SourceUnavailable,
)
from tests.connectors.fake_clock import FakeClock


def state(breaker: CircuitBreaker) -> BreakerState:
    """Read afresh: the state changes under the calls between two checks."""
    return breaker.state


def breaker(clock: FakeClock, **settings: float) -> CircuitBreaker:
    return CircuitBreaker("court", BureauConfig(**settings), clock)


async def ok(b: CircuitBreaker) -> None:
    async with b.guard():
        pass


async def fail(b: CircuitBreaker, error: Exception | None = None) -> None:
    with pytest.raises(type(error) if error else SourceUnavailable):
        async with b.guard():
            raise error or SourceUnavailable("court", "down")


async def test_consecutive_failures_open_it(clock: FakeClock) -> None:
    b = breaker(clock, breaker_failures=3)
    await fail(b)
    await fail(b)
    await ok(b)  # a success resets the run
    await fail(b)
    await fail(b)
    assert state(b) is BreakerState.CLOSED
    await fail(b)
    assert state(b) is BreakerState.OPEN


async def test_error_rate_over_the_window_opens_it(clock: FakeClock) -> None:
    b = breaker(clock, breaker_failures=100, breaker_min_calls=10, breaker_error_rate=0.5)
    for _ in range(4):
        await fail(b)
        await ok(b)
    await fail(b)
    assert state(b) is BreakerState.CLOSED  # 5 of 9: fewer calls than the minimum
    await ok(b)
    assert state(b) is BreakerState.OPEN  # 5 of 10 reaches the rate


async def test_an_error_rate_below_the_threshold_keeps_it_closed(clock: FakeClock) -> None:
    b = breaker(clock, breaker_failures=100, breaker_min_calls=10, breaker_error_rate=0.5)
    for _ in range(10):
        await fail(b)
        await ok(b)
        await ok(b)
    assert state(b) is BreakerState.CLOSED  # 1 in 3


async def test_old_outcomes_leave_the_window(clock: FakeClock) -> None:
    b = breaker(
        clock,
        breaker_failures=100,
        breaker_min_calls=4,
        breaker_error_rate=0.5,
        breaker_window_s=30,
    )
    await fail(b)
    await fail(b)
    await fail(b)
    clock.advance(31)
    await ok(b)
    await ok(b)
    await ok(b)
    await fail(b)
    assert state(b) is BreakerState.CLOSED  # 1 of 4 inside the window


async def test_protocol_errors_count_4xx_and_local_limits_do_not(clock: FakeClock) -> None:
    b = breaker(clock, breaker_failures=2)
    await fail(b, SourceRejected("court", "no", status=403))
    await fail(b, BulkheadFull("court", "full"))
    await fail(b, SourceRejected("court", "no", status=403))
    assert state(b) is BreakerState.CLOSED
    await fail(b, SourceProtocolError("court", "bad"))
    await fail(b, SourceProtocolError("court", "bad"))
    assert state(b) is BreakerState.OPEN


async def test_half_open_lets_one_probe_through(clock: FakeClock) -> None:
    b = breaker(clock, breaker_failures=1, breaker_cooldown_s=10)
    await fail(b)
    clock.advance(9.5)
    with pytest.raises(BreakerOpen) as caught:
        await ok(b)
    assert caught.value.retry_after == pytest.approx(0.5)
    clock.advance(0.5)
    probing, release = asyncio.Event(), asyncio.Event()

    async def probe() -> None:
        async with b.guard():
            probing.set()
            await release.wait()

    task = asyncio.create_task(probe())
    await probing.wait()
    with pytest.raises(BreakerOpen):
        await ok(b)  # the probe is out: everyone else still fails fast
    release.set()
    await task
    assert state(b) is BreakerState.CLOSED


async def test_a_cancelled_probe_frees_the_probe_slot(clock: FakeClock) -> None:
    b = breaker(clock, breaker_failures=1, breaker_cooldown_s=1)
    await fail(b)
    clock.advance(1)
    started = asyncio.Event()

    async def probe() -> None:
        async with b.guard():
            started.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(probe())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await ok(b)  # a new probe was allowed, and closed it
    assert state(b) is BreakerState.CLOSED


async def test_reset_closes_it_and_forgets_the_failures(clock: FakeClock) -> None:
    b = breaker(clock, breaker_failures=2)
    await fail(b)
    await fail(b)
    assert state(b) is BreakerState.OPEN
    b.reset()
    assert state(b) is BreakerState.CLOSED
    await fail(b)  # one failure after a reset is not two in a row
    assert state(b) is BreakerState.CLOSED
