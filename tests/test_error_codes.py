"""Every stable error code the product can return is documented in the README."""

from __future__ import annotations

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

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
EDGE_CODES = {  # set at the edge, not by an exception class
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "INTERNAL",
    "QUERY_TOO_DEEP",
    "TOO_MANY_ALIASES",
    "TOO_MANY_TOKENS",
    "QUERY_TOO_COSTLY",
    "INTROSPECTION_DISABLED",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE",
    "RATE_LIMITED",
}
ABSTRACT = {"DOMAIN_ERROR", "SOURCE_ERROR"}  # base classes, never raised as such


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_all_subclasses(c) for c in found))


def test_every_error_code_is_in_the_readme() -> None:
    for package in (credit, connectors, resolvers, gateway):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not module.name.endswith("__main__"):
                importlib.import_module(module.name)
    codes = {c.code for c in _all_subclasses(DomainError) | _all_subclasses(ConnectorError)}
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", README))
    assert (codes | EDGE_CODES) - ABSTRACT - documented == set()
