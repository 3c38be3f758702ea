"""The credit package's surface: exports resolve, and the domain stays pure (no I/O imports)."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

import credit

MODULES = sorted(p.stem for p in Path(credit.__file__).parent.glob("*.py") if p.stem != "__init__")


def test_package_exports_resolve() -> None:
    assert len(set(credit.__all__)) == len(credit.__all__)
    for name in credit.__all__:
        assert hasattr(credit, name), name


@pytest.mark.parametrize("name", MODULES)
def test_module_exports_resolve_and_it_has_a_docstring(name: str) -> None:
    module = importlib.import_module(f"credit.{name}")
    assert module.__doc__
    for export in getattr(module, "__all__", []):
        assert hasattr(module, export), f"credit.{name}.{export}"


# Pure data, imported once: the State Council's holiday notices (no I/O at call time).
DATA_PACKAGES = {"calendar": {"chinese_calendar"}}


@pytest.mark.parametrize("name", MODULES)
def test_module_imports_only_the_standard_library_and_credit(name: str) -> None:
    source = Path(credit.__file__).parent.joinpath(f"{name}.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots = [node.module.split(".")[0]]
        else:
            continue
        for root in roots:
            allowed = root in {"credit", "__future__"} | DATA_PACKAGES.get(name, set())
            assert allowed or root in sys.stdlib_module_names, f"credit.{name} imports {root}"
