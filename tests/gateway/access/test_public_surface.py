"""Each access-control module's ``__all__`` names exactly what it defines or re-exports."""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = [
    "credit.access",
    "gateway.audit",
    "gateway.consents",
    "gateway.auth",
    "gateway.auth.api_keys",
    "gateway.auth.authenticator",
    "gateway.auth.cli",
    "gateway.auth.clients",
    "gateway.auth.demo",
    "gateway.auth.errors",
    "gateway.auth.jwt_tokens",
    "gateway.auth.middleware",
    "gateway.auth.subject_tokens",
    "gateway.limits",
    "gateway.limits.body",
    "gateway.limits.cost",
    "gateway.limits.edge",
    "gateway.limits.operation",
    "gateway.limits.rate_limit",
    "gateway.limits.rate_middleware",
    "gateway.limits.seal_budget",
    "gateway.limits.shape",
    "gateway.limits.trusted_documents",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_honest(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert sorted(exported) == sorted(set(exported)), "duplicates in __all__"
    for item in exported:
        assert hasattr(module, item), f"{name}.__all__ names a missing {item}"
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_")
        and (inspect.isclass(v) or inspect.isfunction(v))
        and getattr(v, "__module__", None) == name
    }
    assert public <= set(exported), f"{name} defines public names not in __all__"


@pytest.mark.parametrize("package", ["gateway.auth", "gateway.limits"])
def test_packages_export_their_modules_public_names(package: str) -> None:
    root = importlib.import_module(package)
    for name in [m for m in MODULES if m.startswith(package + ".")]:
        module = importlib.import_module(name)
        if name.endswith(".cli"):
            continue  # the CLI is reached through `creditgw`, not the package
        missing = set(module.__all__) - set(root.__all__)
        assert not missing, f"{package} does not re-export {sorted(missing)} from {name}"
