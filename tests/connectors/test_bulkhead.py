"""The bulkhead: bounded concurrency, bounded queue, fail at once beyond it."""

from __future__ import annotations

import asyncio

import pytest

from connectors.bulkhead import Bulkhead
from connectors.errors import BulkheadFull


async def test_bounds_in_flight_and_queue() -> None:
    bulkhead = Bulkhead("utilities", max_in_flight=2, max_queued=1)
    entered = [asyncio.Event() for _ in range(3)]
    release = asyncio.Event()

    async def hold(i: int) -> None:
        async with bulkhead.slot():
            entered[i].set()
            await release.wait()

    holders = [asyncio.create_task(hold(i)) for i in range(3)]
    await entered[0].wait()
    await entered[1].wait()
    assert (bulkhead.in_flight, bulkhead.queued) == (2, 1)
    assert not entered[2].is_set()

    with pytest.raises(BulkheadFull) as caught:
        async with bulkhead.slot():
            pass
    assert caught.value.source == "utilities"
    assert caught.value.code == "SOURCE_UNAVAILABLE"

    release.set()
    await asyncio.gather(*holders)
    assert entered[2].is_set()
    assert (bulkhead.in_flight, bulkhead.queued) == (0, 0)


async def test_a_cancelled_waiter_leaves_the_queue() -> None:
    bulkhead = Bulkhead("hrss", max_in_flight=1, max_queued=1)
    inside, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with bulkhead.slot():
            inside.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await inside.wait()
    waiter = asyncio.create_task(hold())
    await asyncio.sleep(0)
    assert bulkhead.queued == 1
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert bulkhead.queued == 0
    release.set()
    await holder
