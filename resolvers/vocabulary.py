"""The Chinese and English names of the graph's codes, as the bureaus declare them (public).

Clients that show a source or a record kind to people (the bot) read the names here instead
of keeping their own tables, so a bureau added to the registry is named everywhere at once::

    { sources { source name } recordKinds { kind name polarity } }

A kind's ``polarity`` (declared with the kind) says whether its records count against their
subject: the bot offers the ``NEGATIVE`` ones for repair and objection.
"""

from __future__ import annotations

import strawberry

from connectors.registry import bureaus
from credit import records
from resolvers.enums import Polarity, RecordKind, Source

__all__ = ["RecordKindInfo", "SourceInfo", "VocabularyQueries"]


@strawberry.type(description="一个数据来源部门及其名称 / A source bureau and its names")
class SourceInfo:
    source: Source = strawberry.field(description="来源部门 / Source")
    name: str = strawberry.field(description="中文名称 / Name in Chinese")
    name_en: str = strawberry.field(description="英文名称 / Name in English")


@strawberry.type(description="一种信用记录类别及其名称 / A kind of record and its names")
class RecordKindInfo:
    kind: RecordKind = strawberry.field(description="记录类别 / Kind")
    name: str = strawberry.field(description="中文名称 / Name in Chinese")
    name_en: str = strawberry.field(description="英文名称 / Name in English")
    polarity: Polarity = strawberry.field(
        description="失信类、守信类或中性 / Negative, positive or neither"
    )


@strawberry.type(description="代码的名称 / Names of the graph's codes")
class VocabularyQueries:
    @strawberry.field(
        description="全部数据来源部门及其名称（公开，按登记顺序） / Every source bureau and its "
        "names (public, in the registry's order)"
    )
    def sources(self) -> list[SourceInfo]:
        return [
            SourceInfo(source=Source[b.source.name], name=b.name.zh, name_en=b.name.en)
            for b in bureaus()
        ]

    @strawberry.field(
        description="全部信用记录类别及其名称和性质（公开） / Every kind of credit record, its "
        "names and its polarity (public)"
    )
    def record_kinds(self) -> list[RecordKindInfo]:
        return [
            RecordKindInfo(
                kind=RecordKind[k.name],
                name=k.label.zh,
                name_en=k.label.en,
                polarity=Polarity[k.polarity.name],
            )
            for k in records.RecordKind.members()
        ]
