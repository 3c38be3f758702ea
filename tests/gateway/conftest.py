"""A gateway for the edge's own tests: the session's, with rate limits out of the way (these
tests send hundreds of anonymous requests; they are about answers, not pacing)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.database import Database
from gateway.settings import RateLimits, Settings
from tests.conftest import TEST_WORLD
from tests.fakes.servers import serve_app


@pytest.fixture(scope="session")
async def edge_url(settings: Settings, seeded_database: Database) -> AsyncIterator[str]:
    unlimited = RateLimits(**dict.fromkeys(RateLimits.model_fields, 10**7))
    tuned = settings.model_copy(update={"rate_limits": unlimited})
    app: Starlette = create_app(tuned, database=seeded_database, today=lambda: TEST_WORLD.today)
    async with serve_app(app) as url:
        yield url
