"""Settings: one object, validated at start-up, secrets that never print."""

from __future__ import annotations

import datetime as dt

import pytest

from credit.regimes import Family
from gateway.settings import SettingsError, load_settings


def test_defaults_are_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = load_settings()
    assert settings.port == 8000
    assert settings.host == "127.0.0.1"
    assert settings.database_url is None


def test_environment_with_prefix_and_nesting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_PORT", "9123")
    monkeypatch.setenv("GATEWAY_BUREAUS__COURT__TIMEOUT_S", "0.5")
    settings = load_settings()
    assert settings.port == 9123
    assert settings.bureaus.of("court").timeout_s == 0.5


_REGIME = (
    '{"family": "MARKET", "instrument": "《某办法》", "number": "某令第1号", '
    '"first_day": "2027-03-01", "counted_from": "DECISION", "minor_published": true, '
    '"minor_max_months": 3, "general_min_months": 3, "general_max_months": 12, '
    '"serious_min_months": 12, "serious_max_months": 36}'
)


def test_an_operator_adds_a_regime_and_holidays_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEWAY_PUBLICITY__ADDED_REGIMES", f"[{_REGIME}]")
    monkeypatch.setenv("GATEWAY_PUBLICITY__HOLIDAYS", '["2027-01-01"]')
    policy = load_settings().publicity
    assert policy.regime(Family.MARKET, dt.date(2027, 2, 28)).number == "市场监管总局令第107号"
    assert policy.regime(Family.MARKET, dt.date(2027, 3, 1)).number == "某令第1号"
    assert policy.working_calendar().missing_years(dt.date(2026, 12, 2)) == ()


def test_a_regime_clashing_with_the_table_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    same_day = _REGIME.replace("2027-03-01", "2025-12-25")  # Order 107's first day
    monkeypatch.setenv("GATEWAY_PUBLICITY__ADDED_REGIMES", f"[{same_day}]")
    with pytest.raises(SettingsError, match=r"GATEWAY_PUBLICITY: .*同一天"):
        load_settings()
    monkeypatch.setenv("GATEWAY_PUBLICITY__ADDED_REGIMES", "[{")
    with pytest.raises(SettingsError, match="ADDED_REGIMES 不是有效的 JSON 列表"):
        load_settings()


def test_wrong_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_PORT", "eighty")
    with pytest.raises(SettingsError, match="GATEWAY_PORT"):
        load_settings()


def test_nested_wrong_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_BUREAUS__TAX__TIMEOUT_S", "-1")
    with pytest.raises(SettingsError, match="GATEWAY_BUREAUS__TAX__TIMEOUT_S"):
        load_settings()


def test_secrets_never_print(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:hunter2secret@h/db")
    monkeypatch.setenv("GATEWAY_BUREAUS__MARKET__API_KEY", "k-very-secret")
    settings = load_settings()
    shown = repr(settings) + str(settings)
    assert "hunter2secret" not in shown
    assert "k-very-secret" not in shown
    assert settings.database_url is not None
    assert "hunter2secret" in settings.database_url.get_secret_value()


def test_cli_refuses_to_start_with_a_bad_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gateway.cli import main

    monkeypatch.setenv("GATEWAY_MODE", "staging")
    with pytest.raises(SystemExit) as exit_:
        main(["serve"])
    assert exit_.value.code == 2
    assert "GATEWAY_MODE" in capsys.readouterr().err
