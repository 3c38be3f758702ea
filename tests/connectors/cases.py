"""One entry per HTTP connector: how to build it, call one batch method, and check the answer.

The contract suite (``test_contract.py``) runs every test over every case.  A case knows which
codes its bureau holds in the test world and how a mapped value should look.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from connectors.clock import Clock
from connectors.config import BureauConfig
from connectors.http import HttpBureau
from connectors.market import MarketConnector
from connectors.provenance import Sourced
from simulators.world import World, make_uscc

__all__ = ["CASES", "ConnectorCase"]

Fetch = Callable[[Any, Sequence[str]], Awaitable[Mapping[str, Sourced[Any]]]]


@dataclass(frozen=True)
class ConnectorCase:
    bureau: str
    build: Callable[[httpx.AsyncClient, BureauConfig, Clock], HttpBureau]
    fetch: Fetch  # one batch method of the connector
    known: Callable[[World], list[str]]  # codes the bureau holds, in a stable order
    check: Callable[[World, str, Any], None]  # the mapped value matches the world's fact
    kind: str  # the data kind ``fetch`` reads (its cache)

    def __str__(self) -> str:
        return self.bureau


def unknown_uscc(world: World, n: int = 1) -> list[str]:
    """Valid codes that no bureau in ``world`` knows."""
    rng = random.Random(99)
    codes: list[str] = []
    while len(codes) < n:
        code = make_uscc(rng, "91", "640500")
        if code not in world.registrations:
            codes.append(code)
    return codes


# --- market ----------------------------------------------------------------------------------


def _market_check(world: World, code: str, value: Any) -> None:
    assert value == world.registrations[code]


MARKET = ConnectorCase(
    bureau="market",
    build=lambda client, config, clock: MarketConnector(client, config, clock=clock),
    fetch=lambda c, codes: c.registrations(codes),
    known=lambda world: sorted(world.registrations),
    check=_market_check,
    kind="registration",
)

CASES: list[ConnectorCase] = [MARKET]
