"""credit.financing stays pure, its exports resolve, and its docstring examples run."""

from __future__ import annotations

import ast
import doctest
import importlib
import sys
from pathlib import Path

import pytest

import credit.financing

FOLDER = Path(credit.financing.__file__).parent
MODULES = sorted(p.stem for p in FOLDER.glob("*.py") if p.stem != "__init__")


def test_package_exports_resolve() -> None:
    names = credit.financing.__all__
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(credit.financing, name), name


@pytest.mark.parametrize("name", MODULES)
def test_module_is_pure_documented_and_exports_resolve(name: str) -> None:
    module = importlib.import_module(f"credit.financing.{name}")
    assert module.__doc__
    for export in getattr(module, "__all__", []):
        assert hasattr(module, export), f"credit.financing.{name}.{export}"
    tree = ast.parse(FOLDER.joinpath(f"{name}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots = [node.module.split(".")[0]]
        else:
            continue
        for root in roots:
            assert root in {"credit", "__future__"} or root in sys.stdlib_module_names, root


@pytest.mark.parametrize("name", ["products", "explain"])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"credit.financing.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted
    assert result.failed == 0
