"""Raise the coverage gate to the total the last run measured (never lower it).

    make coverage-ratchet    # after `make test`: fail_under in pyproject.toml := the new floor

The gate (``[tool.coverage.report] fail_under``) fails `make test` when branch coverage of
the six packages falls below it; this script is the ratchet's other half.
"""

from __future__ import annotations

import io
import math
import re
import sys
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
GATE = re.compile(r"^fail_under = ([0-9.]+)$", re.M)


def main() -> int:
    data = coverage.Coverage(config_file=str(PYPROJECT), data_file=str(ROOT / ".coverage"))
    data.load()
    total = data.report(file=io.StringIO())  # the total; the table was printed by the run
    text = PYPROJECT.read_text(encoding="utf-8")
    found = GATE.search(text)
    if found is None:
        sys.stderr.write("coverage-ratchet: no fail_under in pyproject.toml\n")
        return 2
    floor = math.floor(total * 10) / 10
    if floor <= float(found[1]):
        sys.stdout.write(f"coverage {total:.2f}%: the gate stays at {found[1]}%\n")
        return 0
    PYPROJECT.write_text(GATE.sub(f"fail_under = {floor}", text, count=1), encoding="utf-8")
    sys.stdout.write(f"coverage {total:.2f}%: the gate rises from {found[1]}% to {floor}%\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
