"""Settings: one object, validated at start-up, secrets that never print."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import pytest

from credit.regimes import Family
from gateway.settings import SettingsError, load_settings, report_signing_key

DOCKER = Path(__file__).parents[2] / "docker"


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


def test_a_deciding_bureau_gets_its_own_objection_period(monkeypatch: pytest.MonkeyPatch) -> None:
    variable = "GATEWAY_RIGHTS__OBJECTION_WORKING_DAYS_BY_SOURCE"
    monkeypatch.setenv(variable, '{"customs": 20}')
    policy = load_settings().rights
    assert (policy.objection_days("customs"), policy.objection_days("market")) == (20, 15)
    monkeypatch.setenv(variable, '{"tax": 20}')  # the tax bureau decides no objections here
    with pytest.raises(SettingsError, match=r"GATEWAY_RIGHTS: .*tax 不是受理异议的部门"):
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


# --- the report signing key -----------------------------------------------------------------


def test_the_report_signing_key_is_required_in_production_and_at_least_32_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GATEWAY_REPORT_SIGNING_KEY", raising=False)
    with pytest.raises(SettingsError, match="GATEWAY_REPORT_SIGNING_KEY: required in production"):
        report_signing_key(load_settings(mode="production"))
    with pytest.raises(SettingsError, match=r"GATEWAY_REPORT_SIGNING_KEY.*at least 32 bytes"):
        load_settings(report_signing_key="k" * 31)
    key = secrets.token_hex(16)  # 32 characters
    monkeypatch.setenv("GATEWAY_REPORT_SIGNING_KEY", key)
    settings = load_settings(mode="production")
    assert report_signing_key(settings) == key.encode()
    assert key not in repr(settings) + str(settings)


def test_demo_mode_signs_with_a_fresh_random_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GATEWAY_REPORT_SIGNING_KEY", raising=False)
    demo = load_settings(mode="demo")
    first, second = report_signing_key(demo), report_signing_key(demo)
    assert len(first) == 32
    assert first != second  # generated, never a key kept in the repository


def test_create_app_stops_in_production_without_the_report_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gateway.app import create_app

    monkeypatch.delenv("GATEWAY_REPORT_SIGNING_KEY", raising=False)
    settings = load_settings(mode="production", subject_key_secret="s" * 32)
    with pytest.raises(SettingsError, match="GATEWAY_REPORT_SIGNING_KEY"):
        create_app(settings)


@pytest.mark.parametrize("path", ["compose.yaml", "k8s/gateway.yaml"])
@pytest.mark.parametrize("secret", ["GATEWAY_SUBJECT_KEY_SECRET", "GATEWAY_REPORT_SIGNING_KEY"])
def test_the_deployment_files_name_the_keys_production_requires(path: str, secret: str) -> None:
    text = (DOCKER / path).read_text(encoding="utf-8")
    assert f"{secret}:" in text or f"name: {secret}" in text
