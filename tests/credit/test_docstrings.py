"""The usage examples in the credit modules' docstrings run and say what the code does."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "credit.advice",
    "credit.calendar",
    "credit.classification",
    "credit.measures",
    "credit.policy",
    "credit.publicity",
    "credit.report",
    "credit.rights.cases",
    "credit.rights.commitment",
    "credit.rights.deadlines",
    "credit.rights.eligibility",
    "credit.rights.marks",
    "credit.rights.policy",
    "credit.sanctions",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
