"""Per-bureau settings: read from the environment, validated at start-up, named when wrong."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from connectors.config import BureauConfig
from connectors.market import MarketConnector
from gateway.settings import load_settings


def test_every_field_is_described() -> None:
    assert all(info.description for info in BureauConfig.model_fields.values())


def test_nested_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_BUREAUS__TAX__BREAKER_FAILURES", "3")
    monkeypatch.setenv("GATEWAY_BUREAUS__TAX__API_KEY", "tax-key-1234")
    monkeypatch.setenv("GATEWAY_BUREAUS__MARKET__TTL_BY_KIND_S", '{"penalties": 60}')
    settings = load_settings()
    assert settings.bureaus.of("tax").breaker_failures == 3
    assert settings.bureaus.of("market").ttl_for("penalties") == 60
    assert (
        settings.bureaus.of("market").ttl_for("registration") == settings.bureaus.of("market").ttl_s
    )
    assert "tax-key-1234" not in repr(settings.bureaus.of("tax"))


def test_inconsistent_retry_delays_are_refused() -> None:
    with pytest.raises(ValidationError):
        BureauConfig(retry_base_delay_s=3, retry_max_delay_s=1)


async def test_an_unknown_data_kind_is_refused_naming_the_variable() -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(ValueError, match="GATEWAY_BUREAUS__MARKET__TTL_BY_KIND_S"):
            MarketConnector(client, BureauConfig(ttl_by_kind_s={"penalty": 60}))
