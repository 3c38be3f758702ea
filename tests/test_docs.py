"""The design notes the code cites live in the repository (docs/), and what it cites exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("credit", "connectors", "simulators", "resolvers", "gateway", "bot")
NOTES = ("DESIGN.md", "DOMAIN.md", "STYLE.md")
CITED_SECTION = re.compile(r"DOMAIN\.md §(\d+)")


def _sources() -> list[Path]:
    return [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


def test_every_note_the_code_cites_is_in_docs() -> None:
    cited = {name for path in _sources() for name in NOTES if name in path.read_text("utf-8")}
    assert cited, "the code cites its design notes"
    for name in cited:
        assert (ROOT / "docs" / name).is_file(), name


def test_every_cited_domain_section_exists() -> None:
    headings = set(
        re.findall(r"^## (\d+)\.", (ROOT / "docs" / "DOMAIN.md").read_text("utf-8"), re.M)
    )
    for path in _sources():
        for section in CITED_SECTION.findall(path.read_text("utf-8")):
            assert section in headings, f"{path.relative_to(ROOT)} cites DOMAIN.md §{section}"


def test_the_readme_points_at_docs_not_outside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "../shared" not in readme
    assert "docs/DESIGN.md" in readme
