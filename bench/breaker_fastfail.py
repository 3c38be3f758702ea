"""How fast does a call fail once a bureau's circuit breaker is open?

Starts the market simulator in-process, takes it down, opens the connector's breaker with a few
real failed calls, then times many batch calls that must fail with ``BreakerOpen`` — through
the whole public path (cache lookup, in-flight bookkeeping, fetch task, breaker) — and checks
that the bureau saw none of them.

    .venv/bin/python -m bench.breaker_fastfail [--calls 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import statistics
import time

import httpx
from pydantic import SecretStr

from connectors.config import BureauConfig
from connectors.errors import BreakerOpen, SourceUnavailable
from connectors.market import MarketConnector
from simulators.behaviour import Behaviour
from simulators.runner import BUREAUS, run_bureaus
from simulators.world import World, WorldConfig


async def main(calls: int) -> None:
    world = World.generate(WorldConfig(enterprises=200))
    keys = {name: secrets.token_hex(8) for name in BUREAUS}
    codes = sorted(world.registrations)
    async with run_bureaus(world, keys) as running, httpx.AsyncClient() as http:
        market = running["market"]
        config = BureauConfig(
            url=market.url,
            api_key=SecretStr(keys["market"]),
            retry_attempts=1,
            breaker_failures=3,
            breaker_cooldown_s=3600,
        )
        connector = MarketConnector(http, config)
        market.service.state.behaviour = Behaviour(down=True)
        for code in codes[:3]:
            with contextlib.suppress(SourceUnavailable):
                await connector.registrations([code])
        seen = market.service.state.total_calls
        samples: list[float] = []
        for i in range(calls):
            code = codes[i % len(codes)]
            start = time.perf_counter()
            with contextlib.suppress(BreakerOpen):
                await connector.registrations([code])
            samples.append(time.perf_counter() - start)
        assert market.service.state.total_calls == seen, "an open breaker touched the network"
        await connector.aclose()
    samples.sort()
    us = [s * 1e6 for s in samples]
    print(f"breaker open, {calls} calls, none reached the bureau")
    print(
        f"  per call: p50 {statistics.median(us):.1f} µs, p99 {us[int(len(us) * 0.99)]:.1f} µs, "
        f"max {us[-1]:.1f} µs, mean {statistics.fmean(us):.1f} µs"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().calls))
