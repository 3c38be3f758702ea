"""The connector set as the gateway holds it: every bureau at once, independence, lifecycle."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from connectors import registry as bureau_registry
from connectors.config import BureauConfig
from connectors.errors import SourceTimeout
from connectors.registry import ConnectorSet, build_connector_set
from gateway.database import Database
from simulators.behaviour import Behaviour
from simulators.runner import BUREAUS, RunningBureau
from simulators.world import World
from tests.connectors.cases import BATCH_CASES, ConnectorCase, mint, unknown_uscc
from tests.connectors.fake_clock import FakeClock


@dataclass(frozen=True)
class Configs:
    per_source: dict[str, BureauConfig]

    def of(self, source: str) -> BureauConfig:
        return self.per_source[source]


@pytest.fixture
def configs(
    bureaus: dict[str, RunningBureau], bureau_keys: dict[str, str]
) -> Callable[..., Configs]:
    def make(**per_bureau: dict[str, Any]) -> Configs:
        return Configs(
            {
                name: BureauConfig(
                    url=bureaus[name].url,
                    api_key=SecretStr(bureau_keys[name]),
                    **per_bureau.get(name, {}),
                )
                for name in BUREAUS
            }
        )

    return make


@pytest.fixture
async def connector_set(
    configs: Callable[..., Configs],
    http: httpx.AsyncClient,
    database: Database,
    clock: FakeClock,
) -> AsyncIterator[Callable[..., ConnectorSet]]:
    made: list[ConnectorSet] = []

    def build(**per_bureau: dict[str, Any]) -> ConnectorSet:
        built = build_connector_set(configs(**per_bureau), http, database.pool, clock=clock)
        made.append(built)
        return built

    yield build
    for built in made:
        await built.aclose()


def _method(connectors: ConnectorSet, case: ConnectorCase) -> Any:
    return connectors.of(case.bureau)


async def _ask(
    connectors: ConnectorSet,
    case: ConnectorCase,
    codes: list[str],
    secrets: dict[str, bytes],
) -> Any:
    target = _method(connectors, case)
    if case.scope is None:
        return await case.call(target, codes)
    return await case.call(target, mint(secrets[case.bureau], case.scope, codes, "consent-1"))


def test_one_connector_per_bureau_and_the_platform(
    connector_set: Callable[..., ConnectorSet],
) -> None:
    built = connector_set()
    registry = bureau_registry.bureaus()
    assert list(built.connectors) == [*registry.sources] == [c.source for c in built.all()]
    assert registry.sources[-1] == "platform"  # the platform's own data comes last
    # Every remote bureau has a simulator, and every simulator a bureau.
    assert sorted(b.source for b in registry.remote) == sorted(BUREAUS)


async def test_hundred_subjects_make_one_call_per_batch_method(
    connector_set: Callable[..., ConnectorSet],
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_secrets: dict[str, bytes],
) -> None:
    built = connector_set()
    asks = [
        _ask(built, case, case.known(world)[:95] + unknown_uscc(world, 5), bureau_secrets)
        for case in BATCH_CASES
    ]
    answers = await asyncio.gather(*asks)
    for case, found in zip(BATCH_CASES, answers, strict=True):
        assert len(found) >= 95, case
    for name in ("court", "market", "tax", "hrss", "utilities", "national"):
        calls = bureaus[name].service.state.calls
        methods = sum(1 for case in BATCH_CASES if case.bureau == name)
        assert sum(calls.values()) == methods, name
        assert all(n == 1 for n in calls.values()), (name, calls)


async def test_one_bureau_down_leaves_the_others_untouched(
    connector_set: Callable[..., ConnectorSet],
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_secrets: dict[str, bytes],
) -> None:
    built = connector_set(court={"timeout_s": 0.1, "retry_attempts": 1})
    bureaus["court"].service.state.behaviour = Behaviour(hang=True)
    others = [case for case in BATCH_CASES if case.bureau != "court"]
    court_case = next(case for case in BATCH_CASES if case.bureau == "court")
    results = await asyncio.gather(
        _ask(built, court_case, court_case.known(world)[:5], bureau_secrets),
        *(_ask(built, case, case.known(world)[:5], bureau_secrets) for case in others),
        return_exceptions=True,
    )
    assert isinstance(results[0], SourceTimeout)
    for case, found in zip(others, results[1:], strict=True):
        assert not isinstance(found, BaseException), (case, found)
        for code in case.known(world)[:5]:
            assert found[code].value == case.expected(world, code), case
    for name in ("market", "tax", "hrss", "utilities", "national"):
        assert all(n == 1 for n in bureaus[name].service.state.calls.values())


async def test_dropping_a_consent_reaches_every_gated_connector(
    connector_set: Callable[..., ConnectorSet], world: World, bureau_secrets: dict[str, bytes]
) -> None:
    built = connector_set()
    gated = [case for case in BATCH_CASES if case.scope is not None]
    for case in gated:
        await _ask(built, case, case.known(world)[:1], bureau_secrets)
    assert built.drop_consent("consent-1") == len(gated)
    assert built.drop_consent("consent-1") == 0


async def test_close_is_idempotent(
    connector_set: Callable[..., ConnectorSet], http: httpx.AsyncClient, database: Database
) -> None:
    built = connector_set()
    await built.aclose()
    await built.aclose()
    assert not http.is_closed
    assert await database.pool.fetchval("SELECT 1") == 1
