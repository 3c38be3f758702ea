"""The README's configuration table is the settings object's, its `<BUREAU>` the registry's
bureaus, and it names the two commands."""

from __future__ import annotations

from pathlib import Path

from connectors import registry
from gateway.cli import readme_with_settings
from gateway.settings import settings_rows

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_configuration_table_is_generated_from_the_settings() -> None:
    assert readme_with_settings(README) == README, "run `make schema` to regenerate it"
    for env, _, _ in settings_rows():
        assert f"`{env}`" in README


def test_two_commands_come_first() -> None:
    assert README.index("make demo") < README.index("## Configuration")
    assert "make test" in README


def test_the_bureau_placeholder_names_every_bureau() -> None:
    prose = " ".join(README.split())
    said = prose.partition("`<BUREAU>` is one of ")[2].partition(". ")[0]
    listed = {name.strip("` ") for name in said.split(",")}
    assert listed == {b.source.value.upper() for b in registry.bureaus().remote}
