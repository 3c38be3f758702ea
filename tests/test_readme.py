"""The README's configuration table is the settings object's, and names the two commands."""

from __future__ import annotations

from pathlib import Path

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
