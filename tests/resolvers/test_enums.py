"""Every GraphQL enum mirrors its domain enum member for member: one list, two views."""

from __future__ import annotations

from enum import Enum

import pytest

from connectors.registry import bureaus
from credit import classification, measures, records, report
from resolvers import enums
from resolvers.gated_types import ConsentScopeEnum

PAIRS: list[tuple[type[Enum], type[Enum]]] = [
    (records.Severity, enums.Severity),
    (records.RepairStatus, enums.RepairStatus),
    (records.Performance, enums.Performance),
    (classification.CreditClass, enums.CreditClass),
    (classification.Badge, enums.Badge),
    (measures.Matter, enums.Matter),
    (report.SectionKey, enums.ReportSectionKey),
]


@pytest.mark.parametrize(("domain", "graph"), PAIRS, ids=lambda e: e.__name__)
def test_mirrors_domain_members(domain: type[Enum], graph: type[Enum]) -> None:
    assert [m.name for m in domain] == [m.name for m in graph]


def test_source_and_consent_scope_are_the_registry_s() -> None:
    """One bilingual name table: the bureaus' declarations; values keep their names."""
    registry = bureaus()
    assert [(m.name, m.value) for m in enums.Source] == [
        (s.name, s.value) for s in registry.sources
    ]
    assert [m.value for m in ConsentScopeEnum] == [*registry.scopes]
    assert [m.name for m in ConsentScopeEnum][-1] == "FULL_REPORT"
    for bureau in registry:
        assert bureau.name.zh != bureau.source, bureau.source
        assert bureau.name.en != bureau.source, bureau.source
    for b in registry.gated:
        assert b.consent is not None
        assert b.consent.label.zh != b.consent.value


def test_record_kinds_are_the_domain_s_and_the_bureaus_declared_ones() -> None:
    assert [(m.name, m.value) for m in enums.RecordKind] == [
        (k.name, k.value) for k in records.RecordKind.members()
    ]
    for kind in records.KIND_TRAITS:  # each declared kind names its bureau
        assert records.KIND_TRAITS[kind].source in bureaus().sources
