"""报告说明: what a credit report states about itself — when its data was taken, which bureau
fed which section, and how to object to what it shows, per bureau, citing the instrument.

The cut-off (数据截止时间) is the oldest moment any bureau that fed the report answered (an answer
from the cache was taken when the bureau gave it, not when the report was drawn); a report fed by
no bureau has none.  The sections' sources come from :func:`credit.report.section_sources` (the
domain's table and the kinds bureaus declared), so a section and its note never disagree.  The
objection channels name where to go and the instrument that opens that way; they state no
deadline of their own (the periods live in :class:`~credit.rights.policy.RightsPolicy` and in
the instruments).  A bureau added to the registry declares its channel with
:func:`declare_objection` beside its record kinds, as it declares its name with its source.

    >>> import datetime as dt
    >>> from credit.policy import PublicityPolicy
    >>> from credit.report import credit_report
    >>> report = credit_report("91640104MA0K3P7W64", dt.date(2025, 1, 1), dt.date(2025, 12, 31),
    ...     dt.date(2026, 1, 15), PublicityPolicy())
    >>> notes = report_notes(report, [dt.datetime(2026, 1, 15, 2, tzinfo=dt.UTC)])
    >>> notes.data_cutoff.isoformat()
    '2026-01-15T02:00:00+00:00'
    >>> [o.bureau for o in notes.objections][:2]
    ['人民法院', '市场监督管理部门']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from credit.advice import CREDIT_CHINA_CHANNEL, MARKET_CHANNEL
from credit.records import Source
from credit.report import CreditReport, SectionKey, section_sources

__all__ = [
    "BUREAU_NAMES",
    "CREDIT_CHINA_INSTRUMENT",
    "OBJECTIONS",
    "Objection",
    "ReportNotes",
    "SectionNote",
    "bureau_name",
    "declare_objection",
    "objection_channels",
    "report_notes",
]

BUREAU_NAMES: dict[Source, str] = {
    Source.COURT: "人民法院",
    Source.MARKET: "市场监督管理部门",
    Source.TAX: "税务部门",
    Source.HRSS: "人力资源和社会保障部门、住房公积金管理中心",
    Source.UTILITIES: "供水、供电、供气单位",
    Source.NATIONAL: "全国信用信息共享平台（严重失信主体名单认定部门）",
    Source.IDENTITY: "公安部门（身份核验）",
    Source.PLATFORM: "本信用平台",
}
"""The bureau behind each source, as a report names it (a declared source: its label)."""


def bureau_name(source: Source) -> str:
    """How a report names the bureau behind ``source``: the table's name, else the one its
    objection channel declared, else the source's label."""
    named = BUREAU_NAMES.get(source)
    if named is None:
        declared = _DECLARED.get(source)
        named = declared.bureau if declared is not None else source.label.zh
    return named


@dataclass(frozen=True, slots=True)
class Objection:
    """How to object to what one bureau recorded: where, and the instrument that says so."""

    source: Source
    bureau: str
    channel: str
    instrument: str


CREDIT_CHINA_INSTRUMENT = "《关于进一步完善信用修复制度的实施方案》（国办发〔2025〕22号）"
OBJECTIONS: tuple[Objection, ...] = (
    Objection(
        Source.COURT,
        BUREAU_NAMES[Source.COURT],
        "向执行法院书面申请纠正（不应纳入、记载不准确或应予删除）；对驳回决定不服的，"
        "向上一级人民法院申请复议",
        "《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）"
        "第十一条、第十二条",
    ),
    Objection(
        Source.MARKET,
        BUREAU_NAMES[Source.MARKET],
        f"向作出决定的市场监督管理部门书面提出并附证明材料，或经{MARKET_CHANNEL}提交；"
        "对行政处罚或列入名单的决定本身不服的，依法申请行政复议或者提起行政诉讼",
        "《企业信息公示暂行条例》；《中华人民共和国行政复议法》",
    ),
    Objection(
        Source.NATIONAL,
        BUREAU_NAMES[Source.NATIONAL],
        f"向列入名单的认定部门提出，或经{CREDIT_CHINA_CHANNEL}提交异议",
        CREDIT_CHINA_INSTRUMENT,
    ),
    Objection(
        Source.TAX,
        BUREAU_NAMES[Source.TAX],
        "对纳税缴费信用评价结果有异议的，向主管税务机关申请复评",
        "《纳税缴费信用管理办法》（国家税务总局公告2025年第12号）",
    ),
    Objection(
        Source.PLATFORM,
        BUREAU_NAMES[Source.PLATFORM],
        f"向本平台或{CREDIT_CHINA_CHANNEL}提出，由信息提供单位核实",
        CREDIT_CHINA_INSTRUMENT,
    ),
)
"""One channel per bureau of the domain's table that feeds a report section, in report order."""

_DECLARED: dict[Source, Objection] = {}


def declare_objection(source: Source, bureau: str, channel: str, instrument: str) -> Objection:
    """Declare how to object to what ``source`` (a registry bureau, named ``bureau`` in
    reports) records; a later declaration replaces an earlier one."""
    declared = Objection(source, bureau, channel, instrument)
    _DECLARED[source] = declared
    return declared


def objection_channels() -> tuple[Objection, ...]:
    """Every bureau's channel: the domain's, then the declared ones in declaration order."""
    return (*OBJECTIONS, *(o for o in _DECLARED.values() if o.source not in BUREAU_NAMES))


STATEMENTS: tuple[str, ...] = (
    "本报告依据各部门截至数据截止时间提供的公共信用信息生成，只包含查询者依规可以查看的信息。",
    "提出异议后，相关记录标注“异议处理中”，核实前照常显示。",
    "报告编号与数字摘要可在本平台核验（verifyCreditReport），核验不显示报告内容。",
)


@dataclass(frozen=True, slots=True)
class SectionNote:
    """Which bureaus feed one section."""

    key: SectionKey
    sources: tuple[Source, ...]

    @property
    def bureaus(self) -> tuple[str, ...]:
        return tuple(bureau_name(s) for s in self.sources)


@dataclass(frozen=True, slots=True)
class ReportNotes:
    """报告说明 of one report."""

    data_cutoff: dt.datetime | None  # None: no bureau answered
    sections: tuple[SectionNote, ...]
    objections: tuple[Objection, ...]  # for the bureaus that feed some section
    statements: tuple[str, ...] = STATEMENTS


def report_notes(report: CreditReport, fetched_at: Iterable[dt.datetime]) -> ReportNotes:
    """The notes of ``report``, whose bureaus answered at ``fetched_at`` (any order)."""
    answered = list(fetched_at)
    sections = tuple(SectionNote(s.key, section_sources(s.key)) for s in report.sections)
    feeding = {source for note in sections for source in note.sources}
    return ReportNotes(
        data_cutoff=min(answered) if answered else None,
        sections=sections,
        objections=tuple(o for o in objection_channels() if o.source in feeding),
    )
