"""The per-request facade over the bureaus: each subject's records are gathered once per
request, however many fields build on them (one call per bureau per batch is proved by the
financing batch tests, whose rounds mix gathered records with direct loads)."""

from __future__ import annotations

import itertools
from typing import Any

from starlette.applications import Starlette

from connectors import registry
from credit.records import EntityType
from resolvers.data import ProvenanceLog, SubjectData
from resolvers.source_loader import Deadline
from simulators.runner import RunningBureau
from simulators.world import World


def facade(gateway_app: Starlette) -> tuple[SubjectData, ProvenanceLog]:
    state: Any = gateway_app.state.gateway
    log = ProvenanceLog()
    return SubjectData(state.connectors, Deadline(5.0), log), log


def calls(bureaus: dict[str, RunningBureau]) -> dict[str, int]:
    return {name: b.service.state.total_calls for name, b in bureaus.items()}


async def test_records_are_gathered_once_and_noted_under_every_path(
    gateway_app: Starlette, gateway_url: str, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    code = next(itertools.islice(world.organisation_codes(EntityType.ENTERPRISE), 7, None))
    data, log = facade(gateway_app)
    first = await data.records(code, path="subject.records")
    again = await data.records(code, path="subject.sanctions")
    assert again is first
    assert not first.failures
    by_path: dict[str, list[str]] = {}
    for provenance, path in log.entries:
        by_path.setdefault(path, []).append(provenance.source)
    assert by_path["subject.records"] == by_path["subject.sanctions"]
    record_sources = {"market", *(b.source for b in registry.bureaus() if b.records)}
    assert record_sources >= {"market", "court", "national", "platform", "customs", "ip"}
    assert set(by_path["subject.records"]) == record_sources
    once = {s: 1 for s in record_sources if s != "platform"}
    assert calls(bureaus) == {**calls(bureaus), **once}
