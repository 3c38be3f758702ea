"""credit.rights stays pure: its exports resolve, each module has a docstring, and nothing
but the standard library and credit is imported."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

import credit.rights

FOLDER = Path(credit.rights.__file__).parent
MODULES = sorted(p.stem for p in FOLDER.glob("*.py") if p.stem != "__init__")


def test_package_exports_resolve() -> None:
    assert len(set(credit.rights.__all__)) == len(credit.rights.__all__)
    for name in credit.rights.__all__:
        assert hasattr(credit.rights, name), name


@pytest.mark.parametrize("name", MODULES)
def test_module_is_documented_and_pure(name: str) -> None:
    module = importlib.import_module(f"credit.rights.{name}")
    assert module.__doc__
    for export in getattr(module, "__all__", []):
        assert hasattr(module, export), f"credit.rights.{name}.{export}"
    source = FOLDER.joinpath(f"{name}.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots = [node.module.split(".")[0]]
        else:
            continue
        for root in roots:
            assert root in {"credit", "__future__"} or root in sys.stdlib_module_names, root
