"""Every GraphQL enum mirrors its domain enum member for member: one list, two views."""

from __future__ import annotations

from enum import Enum

import pytest

from credit import classification, measures, records, report
from resolvers import enums

PAIRS: list[tuple[type[Enum], type[Enum]]] = [
    (records.RecordKind, enums.RecordKind),
    (records.Severity, enums.Severity),
    (records.RepairStatus, enums.RepairStatus),
    (records.Source, enums.Source),
    (records.Performance, enums.Performance),
    (classification.CreditClass, enums.CreditClass),
    (classification.Badge, enums.Badge),
    (measures.Matter, enums.Matter),
    (report.SectionKey, enums.ReportSectionKey),
]


@pytest.mark.parametrize(("domain", "graph"), PAIRS, ids=lambda e: e.__name__)
def test_mirrors_domain_members(domain: type[Enum], graph: type[Enum]) -> None:
    assert [m.name for m in domain] == [m.name for m in graph]
