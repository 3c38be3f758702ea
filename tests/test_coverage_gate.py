"""The coverage gate exists, guards the whole suite, and never sits below where it started."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTED_AT = 93.0  # branch coverage when the gate was introduced (issue 12); it only rises


def test_make_test_measures_coverage_against_the_gate() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    coverage = config["tool"]["coverage"]
    assert coverage["run"]["branch"] is True
    assert set(coverage["run"]["source"]) == {
        "credit",
        "connectors",
        "resolvers",
        "gateway",
        "bot",
        "simulators",
    }
    assert coverage["report"]["fail_under"] >= STARTED_AT
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/pytest --cov" in makefile
