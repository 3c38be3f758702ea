"""A ``GATEWAY_`` variable that names no setting stops start-up, saying what was meant.

Through :func:`load_settings` (the one place settings are read) and ``creditgw`` itself, with
the variables in the real process environment; the names the docs, deployment files and
Makefile show are all accepted, so the check and the docs cannot drift apart.
"""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from connectors import registry
from connectors.config import BureauConfig
from gateway.setting_names import NOT_SETTINGS, RETIRED, SettingNames
from gateway.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
NAMES = SettingNames.of(Settings)
BUREAUS = [b.source.value.upper() for b in registry.bureaus().remote]


def refusal(monkeypatch: pytest.MonkeyPatch, **environ: str) -> str:
    """The message start-up stops with, given these variables."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    return str(refused.value)


def test_a_misspelt_name_is_refused_with_the_name_it_likely_means(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = refusal(monkeypatch, GATEWAY_REQUST_DEADLINE_S="9")
    assert message == (
        "invalid setting — GATEWAY_REQUST_DEADLINE_S: not a setting — "
        "did you mean GATEWAY_REQUEST_DEADLINE_S?"
    )


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("GATEWAY_WORKER", "GATEWAY_WORKERS"),
        ("GATEWAY_RATE_LIMITS_PUBLIC", "GATEWAY_RATE_LIMITS__PUBLIC"),  # `_` for `__`
        ("GATEWAY_RATE_LIMIT__PUBLIC", "GATEWAY_RATE_LIMITS__PUBLIC"),
        ("GATEWAY_BUREAUS__MARKTE__URL", "GATEWAY_BUREAUS__MARKET__URL"),
        ("GATEWAY_BUREAUS__TAX__TIMEOUT", "GATEWAY_BUREAUS__TAX__TIMEOUT_S"),
        ("GATEWAY_PUBLICITY__HOLIDAY", "GATEWAY_PUBLICITY__HOLIDAYS"),
        ("GATEWAY_JWT_PUBLIC_KEY__K1", "GATEWAY_JWT_PUBLIC_KEYS__K1"),  # a map's key kept
    ],
)
def test_a_suggestion_is_made_level_by_level(typo: str, meant: str) -> None:
    assert NAMES.problems([typo]) == [f"{typo}: not a setting — did you mean {meant}?"]


def test_an_unknown_bureau_is_told_the_registrys_bureaus() -> None:
    (problem,) = NAMES.problems(["GATEWAY_BUREAUS__SAMR__URL"])
    listed = problem.partition("GATEWAY_BUREAUS__… is one of ")[2].split(", ")
    assert sorted(listed) == sorted(BUREAUS)


def test_a_name_close_to_nothing_points_at_the_table() -> None:
    assert NAMES.problems(["GATEWAY_SHINY"]) == [
        "GATEWAY_SHINY: not a setting — see the README's Configuration table"
    ]


def test_a_retired_name_is_refused_with_what_replaced_it(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(monkeypatch, GATEWAY_RESPONSE_CACHE_MAX_ENTRIES="500")
    assert message == (
        "invalid setting — GATEWAY_RESPONSE_CACHE_MAX_ENTRIES: retired, set "
        "GATEWAY_RESPONSE_CACHE_MAX_BYTES (now a byte budget: the kept answers' JSON, not a "
        "count of answers)"
    )
    assert NAMES.problems(["GATEWAY_PUBLICITY__BANK_SHARING_YEARS"]) == [
        "GATEWAY_PUBLICITY__BANK_SHARING_YEARS: retired, no longer a setting (sharing with banks "
        "ends with publicity (docs/DOMAIN.md §2))"
    ]


def test_every_retired_name_is_refused_and_its_replacement_accepted() -> None:
    for name, retired in RETIRED.items():
        assert name == name.upper()
        assert not NAMES.accepts(name), f"{name} is a setting again: drop it from RETIRED"
        assert retired.replacement is None or NAMES.accepts(retired.replacement), name


def test_every_unknown_name_and_every_wrong_value_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = refusal(monkeypatch, GATEWAY_PORT="eighty", gateway_requst_deadline_s="9")
    assert "\n" not in message
    assert message.startswith("invalid setting — gateway_requst_deadline_s: not a setting")
    assert "; GATEWAY_PORT: Input should be a valid integer" in message


def test_nested_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_BUREAUS__CUSTOMS__TIMEOUT_S", "1.25")
    monkeypatch.setenv("GATEWAY_PUBLICITY__DEFAULTER_YEARS", "3")
    monkeypatch.setenv("GATEWAY_RIGHTS__MAX_ATTACHMENTS", "3")
    monkeypatch.setenv("GATEWAY_RIGHTS_DELIVERY__POLL_S", "2")
    monkeypatch.setenv("GATEWAY_RATE_LIMITS", '{"public": 7}')  # a whole level, as JSON
    monkeypatch.setenv("gateway_log_level", "DEBUG")  # read whatever its case
    settings = load_settings()
    assert settings.bureaus.of("customs").timeout_s == 1.25
    assert settings.publicity.defaulter_years == 3
    assert settings.rights.max_attachments == 3
    assert settings.rights_delivery.poll_s == 2
    assert settings.rate_limits.public == 7
    assert settings.log_level == "DEBUG"


def test_every_field_of_every_registry_bureau_is_a_name() -> None:
    for bureau in BUREAUS:
        assert NAMES.accepts(f"GATEWAY_BUREAUS__{bureau}")
        for field in BureauConfig.model_fields:
            assert NAMES.accepts(f"GATEWAY_BUREAUS__{bureau}__{field.upper()}")


def test_any_key_of_a_map_valued_setting_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_JWT_PUBLIC_KEYS__BANK_2027", "-----BEGIN PUBLIC KEY-----")
    monkeypatch.setenv("GATEWAY_BUREAUS__MARKET__TTL_BY_KIND_S__PENALTIES", "60")
    monkeypatch.setenv("GATEWAY_RIGHTS__OBJECTION_WORKING_DAYS_BY_SOURCE__CUSTOMS", "20")
    settings = load_settings()
    assert settings.jwt_public_keys == {"bank_2027": "-----BEGIN PUBLIC KEY-----"}
    assert settings.bureaus.of("market").ttl_by_kind_s == {"penalties": 60.0}
    assert settings.rights.objection_days("customs") == 20


def test_the_names_that_are_not_settings_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    service_links = {  # what Kubernetes sets for a Service named `gateway`
        "GATEWAY_SERVICE_HOST": "10.0.0.7",
        "GATEWAY_SERVICE_PORT": "80",
        "GATEWAY_SERVICE_PORT_HTTP": "80",
        "GATEWAY_PORT_80_TCP": "tcp://10.0.0.7:80",
        "GATEWAY_PORT_80_TCP_PROTO": "tcp",
        "GATEWAY_PORT_80_TCP_PORT": "80",
        "GATEWAY_PORT_80_TCP_ADDR": "10.0.0.7",
    }
    for name, value in service_links.items():
        monkeypatch.setenv(name, value)
    assert load_settings().port == 8000
    for name in service_links:
        assert sum(bool(p.fullmatch(name)) for p in NOT_SETTINGS) == 1, name


def test_a_model_without_prefix_or_nesting_cannot_be_checked() -> None:
    from bot.settings import BotSettings  # BOT_ names, nothing nested

    with pytest.raises(TypeError, match="BotSettings: no env_prefix or env_nested_delimiter"):
        SettingNames.of(BotSettings)


def test_the_settings_read_no_env_file() -> None:
    """The check reads the process environment: a file read besides would need its keys too."""
    assert Settings.model_config.get("env_file") is None
    assert Settings.model_config.get("secrets_dir") is None


# --- the docs and deployment files name only what the check accepts --------------------------

MENTIONED = re.compile(r"(?<![A-Za-z0-9_])GATEWAY_(?:[A-Z0-9_]|<[A-Z]+>)*")
PLACEHOLDERS = ("<BUREAU>", "<SOURCE>")


def mentioned_names(text: str) -> set[str]:
    """Every ``GATEWAY_…`` name in ``text``, ``<BUREAU>`` spelt out for every bureau; a name
    cut short by ``*`` or ``…`` stands for its level (``GATEWAY_PUBLICITY__*``)."""
    names: set[str] = set()
    for match in MENTIONED.finditer(text):
        name = match[0].rstrip("_")
        if name == "GATEWAY":  # the prefix itself, in prose
            continue
        spelt = [name]
        for placeholder in PLACEHOLDERS:
            spelt = [s.replace(placeholder, b) for s in spelt for b in BUREAUS]
        names.update(spelt)
    return names


def documents() -> list[Path]:
    docker = [p for p in (ROOT / "docker").rglob("*") if p.is_file()]
    return [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), ROOT / "Makefile", *docker]


def test_every_name_the_docs_and_deployment_files_show_is_accepted() -> None:
    checked = 0
    for path in documents():
        names = mentioned_names(path.read_text(encoding="utf-8"))
        checked += len(names)
        refused = NAMES.problems(names)
        assert not refused, f"{path.relative_to(ROOT)}: {refused}"
    assert checked > 100  # README's table alone names more: the pattern still finds them


def test_placeholders_and_wildcards_are_read_as_names() -> None:
    text = "`GATEWAY_BUREAUS__<BUREAU>__URL`, `GATEWAY_PUBLICITY__*`, BOT_GATEWAY_KEY, `GATEWAY_`"
    found = mentioned_names(text)
    assert found == {f"GATEWAY_BUREAUS__{b}__URL" for b in BUREAUS} | {"GATEWAY_PUBLICITY"}


# --- creditgw refuses to start ---------------------------------------------------------------


def test_creditgw_serve_prints_one_line_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gateway.cli import main

    monkeypatch.setenv("GATEWAY_RESPONSE_CACHE_MAX_ENTRIES", "500")
    with pytest.raises(SystemExit) as exit_:
        main(["serve"])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("creditgw: invalid setting — GATEWAY_RESPONSE_CACHE_MAX_ENTRIES: retired")
    assert err.count("\n") == 1


def test_creditgw_demo_refuses_before_starting_anything(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gateway.cli import main

    monkeypatch.setenv("GATEWAY_REQUST_DEADLINE_S", "9")
    before = signal.getsignal(signal.SIGTERM)  # the demo turns SIGTERM into Ctrl-C
    try:
        with pytest.raises(SystemExit) as exit_:  # too few firms for a world: were the name
            main(["demo", "--enterprises", "10"])  # let through, it would stop all the same
    finally:
        signal.signal(signal.SIGTERM, before)
    assert exit_.value.code == 2
    assert capsys.readouterr().err == (
        "creditgw: invalid setting — GATEWAY_REQUST_DEADLINE_S: not a setting — "
        "did you mean GATEWAY_REQUEST_DEADLINE_S?\n"
    )


def test_each_served_worker_refuses_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn's workers read the settings again, through ``app_from_environment``."""
    from gateway.serving import app_from_environment

    monkeypatch.setenv("GATEWAY_WORKER", "2")
    with pytest.raises(SettingsError, match="GATEWAY_WORKER: not a setting"):
        app_from_environment()
