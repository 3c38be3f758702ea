"""Every stable error code the product can return is documented in the README.

Codes are found by reading the source — the ``code = "..."`` of every exception class (domain,
connector, auth), a dict's ``"code"`` value, a code handed to one of the refusal builders — and
by importing every module for the exception classes, so a new refusal cannot slip past the
table.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import connectors
import credit
import gateway
import resolvers
from connectors.errors import ConnectorError
from credit.errors import DomainError

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PACKAGES = (credit, connectors, resolvers, gateway)
REFUSAL_BUILDERS = {"refusal", "refusal_error", "RequestRefused"}
CODE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^[A-Z]{4,}$")
ABSTRACT = {"DOMAIN_ERROR", "SOURCE_ERROR"}  # base classes, never raised as such


def _all_subclasses(cls: type) -> set[type]:
    found: set[type] = set(cls.__subclasses__())
    return found.union(*(_all_subclasses(c) for c in found))


def _codes_in_source(tree: ast.AST) -> set[str]:
    found: set[str] = set()

    def literal(node: ast.AST | None) -> None:
        value = node.value if isinstance(node, ast.Constant) else None
        if isinstance(value, str) and CODE.match(value):
            found.add(value)

    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):  # ``code = "..."`` of an exception class
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "code" for t in statement.targets
                ):
                    literal(statement.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "code":
                    literal(value)
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in REFUSAL_BUILDERS:
                for arg in [*node.args, *(k.value for k in node.keywords if k.arg == "code")]:
                    literal(arg)
    return found


def emitted_codes() -> set[str]:
    codes: set[str] = set()
    for package in PACKAGES:
        for path in Path(package.__path__[0]).rglob("*.py"):
            codes |= _codes_in_source(ast.parse(path.read_text(encoding="utf-8")))
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not module.name.endswith("__main__"):
                importlib.import_module(module.name)
    codes |= {
        str(getattr(c, "code"))  # noqa: B009 (a class attribute of every error class)
        for c in _all_subclasses(DomainError) | _all_subclasses(ConnectorError)
    }
    return codes - ABSTRACT


def test_the_scan_finds_the_edge_codes() -> None:
    codes = emitted_codes()
    # One of each way a code is written: a refusal builder, an edge refusal, a dict literal.
    assert {"PERSISTED_QUERY_NOT_FOUND", "RATE_LIMITED", "INVALID_JSON", "INTERNAL"} <= codes
    assert {"INVALID_VARIABLES", "GRAPHQL_PARSE_FAILED", "AUDIT_UNAVAILABLE"} <= codes
    assert {"CREDENTIALS_REVOKED", "BINDING_LOCKED", "SOURCE_TIMEOUT"} <= codes  # classes


def test_every_error_code_is_in_the_readme() -> None:
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", README))
    assert emitted_codes() - documented == set()
