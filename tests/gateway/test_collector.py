"""A served worker's garbage collector: start-up frozen, young collections spaced out."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import Settings
from tests.fakes.servers import serve_app


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()  # back to the oldest generation: this test process builds many apps
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored_collector")
async def test_a_served_app_freezes_its_start_up_and_spaces_young_collections(
    settings: Settings,
) -> None:
    tuned = settings.model_copy(update={"gc_young_threshold": 12_345})
    assert gc.get_freeze_count() == 0
    async with serve_app(create_app(tuned, serving=True)) as url, httpx.AsyncClient() as http:
        assert (await http.get(f"{url}/healthz")).status_code == 200
        assert gc.get_threshold()[0] == 12_345
        assert gc.get_freeze_count() > 10_000  # the schema, modules and settings at least


@pytest.mark.usefixtures("restored_collector")
async def test_an_app_built_for_a_test_leaves_the_collector_alone(settings: Settings) -> None:
    before = gc.get_threshold()
    async with serve_app(create_app(settings)) as url, httpx.AsyncClient() as http:
        assert (await http.get(f"{url}/healthz")).status_code == 200
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
