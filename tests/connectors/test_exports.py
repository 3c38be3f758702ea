"""``connectors.__all__`` is the package's public surface, and says so honestly (STYLE.md §11)."""

from __future__ import annotations

import inspect

import connectors


def test_every_exported_name_exists() -> None:
    missing = [name for name in connectors.__all__ if not hasattr(connectors, name)]
    assert missing == []


def test_everything_imported_into_the_package_is_exported() -> None:
    public = {
        name
        for name, value in vars(connectors).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert public == set(connectors.__all__)
