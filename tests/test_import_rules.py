"""The six packages' boundaries, enforced: who may import whom (DESIGN.md, docs/).

credit       the domain: the standard library only (tests/credit/test_package.py)
connectors   credit — the bureaus' clients; no graph, no web framework
simulators   credit — the bureaus' side: never the gateway's code
resolvers    credit, connectors — the graph; no SQL, no HTTP of its own
gateway      credit, connectors, resolvers — and the demo and CLI start the bot and the
             simulators (gateway.cli, gateway.demo, gateway.demo_bot, gateway.seed only)
bot          nothing of ours — it speaks to the gateway over GraphQL alone
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("credit", "connectors", "simulators", "resolvers", "gateway", "bot")
ALLOWED: dict[str, set[str]] = {
    "credit": set(),
    "connectors": {"credit"},
    "simulators": {"credit"},
    "resolvers": {"credit", "connectors"},
    "gateway": {"credit", "connectors", "resolvers"},
    "bot": set(),
}
EXCEPTIONS: dict[str, set[str]] = {
    "gateway.cli": {"bot"},  # `creditgw bot` runs the bot
    "gateway.demo": {"bot", "simulators"},  # `make demo` starts everything
    "gateway.demo_bot": {"bot", "simulators"},  # the demo's bot and fake Telegram, own process
    "gateway.seed": {"simulators"},  # the demo's platform rows come from the synthetic world
}
FORBIDDEN_LIBRARIES: dict[str, set[str]] = {
    "connectors": {"strawberry", "starlette", "aiogram"},
    "simulators": {"strawberry", "asyncpg", "aiogram", "httpx"},
    "resolvers": {"asyncpg", "httpx", "starlette", "aiogram"},
    "bot": {"asyncpg", "strawberry"},
}


def _modules(package: str) -> list[tuple[str, Path]]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((name, path))
    return found


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_what_its_layer_may(package: str) -> None:
    modules = _modules(package)
    assert modules, package
    for name, path in modules:
        roots = _imported_roots(path)
        ours = (roots & set(PACKAGES)) - {package}
        allowed = ALLOWED[package] | EXCEPTIONS.get(name, set())
        assert ours <= allowed, f"{name} imports {sorted(ours - allowed)}"
        banned = roots & FORBIDDEN_LIBRARIES.get(package, set())
        assert not banned, f"{name} imports {sorted(banned)}"


def test_the_rules_cover_every_package_and_would_catch_a_breach(tmp_path: Path) -> None:
    top = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    assert set(PACKAGES) <= top
    breach = tmp_path / "breach.py"
    breach.write_text("from gateway.settings import Settings\n", encoding="utf-8")
    assert "gateway" in _imported_roots(breach)
    assert "gateway" not in ALLOWED["resolvers"]
