"""The report's seal and notes, and ``verifyCreditReport``: is this report one we issued?

    { enterprise(uscc: "…") { creditReport { seal { number digest issuedAt }
                                             notes { dataCutoff objections { channel } } } } }
    { verifyCreditReport(number: "XYBG20261122000001", digest: "…") { verdict issuedAt } }

A seal is issued (numbered, signed, kept) only when a caller asks for it, once per report node;
the :class:`ReportIssuer` — the gateway's :class:`gateway.reports.ReportRegistry` — keeps the
number, the moment and the digest, never the content.  Verifying tells anyone whether a
(number, digest) pair is genuine and when it was issued, nothing of what the report says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

import strawberry

from credit import report_notes as notes_
from credit.errors import DomainError
from credit.report import CreditReport
from credit.report_seal import Verdict as DomainVerdict
from resolvers.enums import ReportSectionKey, Source

__all__ = [
    "IssuedSeal",
    "ReportIssuer",
    "ReportNotesNode",
    "ReportSealNode",
    "ReportVerification",
    "TooManySeals",
    "Verdict",
    "Verification",
]


@dataclass(frozen=True, slots=True)
class IssuedSeal:
    number: str
    digest: str
    issued_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: DomainVerdict
    issued_at: dt.datetime | None  # only for a genuine pair


class TooManySeals(DomainError):
    """An anonymous request asked for more numbered reports than it may have: each takes one of
    the day's numbers (``GATEWAY_PUBLIC_SEALS_PER_REQUEST``)."""

    code = "TOO_MANY_SEALS"

    def __init__(self, most: int) -> None:
        super().__init__(
            f"匿名查询每次请求最多出具 {most} 份带编号的报告（每份占用当日一个报告编号），"
            "其余报告的编号为空，报告内容照常"
        )


class ReportIssuer(Protocol):
    """Numbers, signs and keeps reports; verifies (number, digest) pairs."""

    async def issue(self, report: CreditReport, subject_key: str) -> IssuedSeal:
        """Give ``report`` (as this caller sees it) the next number of its day, sign it, keep
        number, moment and digest."""
        ...

    async def verify(self, number: str, digest: str) -> Verification:
        """What the platform knows of a report so numbered: nothing of its content."""
        ...


@strawberry.type(description="报告编号与数字摘要 / The report's number and signed digest")
class ReportSealNode:
    number: str = strawberry.field(
        description="报告编号（XYBG+日期+序号，唯一） / Report number: XYBG, day, sequence"
    )
    digest: str = strawberry.field(
        description="数字摘要（HMAC-SHA256，十六进制），用于 verifyCreditReport 核验 / Signed "
        "digest (HMAC-SHA256, hex), to verify with verifyCreditReport"
    )
    issued_at: dt.datetime = strawberry.field(description="出具时间 / When it was issued")
    algorithm: str = strawberry.field(description="摘要算法 / Digest algorithm")

    @classmethod
    def from_issued(cls, issued: IssuedSeal) -> ReportSealNode:
        return cls(
            number=issued.number,
            digest=issued.digest,
            issued_at=issued.issued_at,
            algorithm="HMAC-SHA256",
        )


@strawberry.enum(description="核验结论 / What verifying a report found")
class Verdict(Enum):
    VALID = strawberry.enum_value(
        "VALID", description="真实：本平台出具，内容未被改动 / Issued here with this digest"
    )
    INVALID = strawberry.enum_value(
        "INVALID",
        description="不符：编号存在但摘要不符，报告可能被改动 / The number exists, the digest "
        "does not match: the report may have been altered",
    )
    UNKNOWN = strawberry.enum_value(
        "UNKNOWN", description="未知：本平台未出具该编号的报告 / No report of this number"
    )


@strawberry.type(description="报告核验结果（不含报告内容） / A verification, without content")
class ReportVerification:
    verdict: Verdict = strawberry.field(description="核验结论 / Verdict")
    issued_at: dt.datetime | None = strawberry.field(
        description="出具时间（仅真实时给出） / When it was issued (only when valid)"
    )

    @classmethod
    def from_domain(cls, found: Verification) -> ReportVerification:
        return cls(verdict=Verdict[found.verdict.name], issued_at=found.issued_at)


@strawberry.type(description="栏目的数据来源 / Which bureaus feed a section")
class SectionSourcesNode:
    key: ReportSectionKey = strawberry.field(description="栏目 / Section")
    sources: list[Source] = strawberry.field(description="供数部门 / Bureaus")
    bureaus: list[str] = strawberry.field(description="供数部门名称 / Bureaus, by name")


@strawberry.type(description="异议渠道 / Where to object to a bureau's record")
class ObjectionChannelNode:
    source: Source = strawberry.field(description="记录来源部门 / Bureau")
    bureau: str = strawberry.field(description="部门名称 / Bureau, by name")
    channel: str = strawberry.field(description="如何提出异议 / How to object")
    instrument: str = strawberry.field(description="依据 / The instrument that says so")


@strawberry.type(description="报告说明 / What the report states about itself")
class ReportNotesNode:
    data_cutoff: dt.datetime | None = strawberry.field(
        description="数据截止时间：供数部门中最早一次应答的时间；无部门应答时为空 / Data "
        "cut-off: the oldest answer of the bureaus that fed the report"
    )
    sections: list[SectionSourcesNode] = strawberry.field(
        description="各栏目的数据来源 / Sources per section"
    )
    objections: list[ObjectionChannelNode] = strawberry.field(
        description="异议渠道（按部门） / How to object, per bureau"
    )
    statements: list[str] = strawberry.field(description="说明事项 / Statements")

    @classmethod
    def from_domain(cls, found: notes_.ReportNotes) -> ReportNotesNode:
        return cls(
            data_cutoff=found.data_cutoff,
            sections=[
                SectionSourcesNode(
                    key=ReportSectionKey[n.key.name],
                    sources=[Source[s.name] for s in n.sources],
                    bureaus=list(n.bureaus),
                )
                for n in found.sections
            ],
            objections=[
                ObjectionChannelNode(
                    source=Source[o.source.name],
                    bureau=o.bureau,
                    channel=o.channel,
                    instrument=o.instrument,
                )
                for o in found.objections
            ],
            statements=list(found.statements),
        )
