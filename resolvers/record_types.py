"""GraphQL shapes of credit records: the record, its publicity window, and the list filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import strawberry

from credit.policy import PublicityPolicy
from credit.publicity import publicity_window, shareable_with_bank, visible_to_public
from credit.records import CreditRecord
from credit.rights import rights_state
from resolvers.enums import Performance, RecordKind, RepairStatus, Severity, Source
from resolvers.rights_types import RightsStateEnum
from resolvers.scalars import Money

__all__ = ["CreditRecordNode", "Publicity", "RecordFilter", "filter_records"]


@strawberry.type(description="公示期与修复 / When a record is shown, shared and repairable")
class Publicity:
    published: bool = strawberry.field(
        description="是否依规公示（轻微失信可不公示） / Whether the rules publish it at all"
    )
    publish_from: dt.date = strawberry.field(description="公示起始日 / First public day")
    min_until: dt.date | None = strawberry.field(
        description="最短公示期截止日（其后可申请修复） / End of the minimum period"
    )
    max_until: dt.date | None = strawberry.field(
        description="最长公示期截止日；null 表示至履行义务为止 / End of the maximum period; "
        "null: until the obligation is performed"
    )
    visible_until: dt.date | None = strawberry.field(
        description="实际最后公示日（考虑履行、移出、修复） / Actual last public day"
    )
    repairable_from: dt.date | None = strawberry.field(
        description="可申请信用修复的日期；null 表示不可修复 / Date repair may be applied for"
    )
    visible_now: bool = strawberry.field(description="今日是否向社会公示 / Public today")
    shareable_with_bank_now: bool = strawberry.field(
        description="今日是否可向金融机构共享 / Shareable with banks today"
    )
    legal_basis: str = strawberry.field(description="公示期的依据 / The rule that sets the period")


@strawberry.type(description="一条信用记录 / One credit record about a subject")
class CreditRecordNode:
    id: str = strawberry.field(description="记录编号（来源内唯一） / Record id, unique per source")
    kind: RecordKind = strawberry.field(description="类别 / Kind")
    source: Source = strawberry.field(description="来源部门 / Source bureau")
    title: str = strawberry.field(description="标题（违法行为、案号、名单名称） / Title")
    decided_on: dt.date = strawberry.field(description="决定（列入）日期 / Decision date")
    authority: str = strawberry.field(description="决定机关或法院 / Deciding authority or court")
    authority_code: str | None = strawberry.field(
        description="决定机关的统一社会信用代码（部门提供时） / The deciding authority's USCC, "
        "where the bureau states it"
    )
    case_number: str | None = strawberry.field(
        description="案号或决定书文号（部门提供时） / Case number (courts) or decision number, "
        "where the bureau states it"
    )
    executing_court: str | None = strawberry.field(
        description="执行法院（法院记录） / Executing court, on court records"
    )
    performance: Performance | None = strawberry.field(
        description="履行情况：全部未履行、部分履行、全部履行（失信被执行人） / Performance of a "
        "judgment defaulter's obligation"
    )
    legal_basis: str = strawberry.field(description="依据 / Legal basis")
    severity: Severity | None = strawberry.field(description="严重程度 / Severity")
    repair_status: RepairStatus = strawberry.field(description="修复状态 / Repair state")
    repaired_on: dt.date | None = strawberry.field(description="修复日期 / Date repaired")
    ended_on: dt.date | None = strawberry.field(
        description="履行义务或移出日期 / Date the obligation was performed or the entry removed"
    )
    amount: Money | None = strawberry.field(description="罚没或欠缴金额 / Fine or arrears")
    list_name: str | None = strawberry.field(description="名单名称 / Name of the list")
    publicity: Publicity = strawberry.field(description="公示期与修复 / Publicity and repair")
    rights_state: RightsStateEnum | None = strawberry.field(
        description="异议处理中、修复审核中或已修复；异议内容不对外提供 / Objection open, repair "
        "under review or repaired (the objection's text is never shown here)"
    )

    @classmethod
    def from_domain(
        cls, record: CreditRecord, day: dt.date, policy: PublicityPolicy
    ) -> CreditRecordNode:
        window = publicity_window(record, policy)
        return cls(
            id=record.id,
            kind=RecordKind[record.kind.name],
            source=Source[record.source.name],
            title=record.title,
            decided_on=record.decided_on,
            authority=record.authority,
            authority_code=record.authority_code or None,
            case_number=record.case_number or None,
            executing_court=record.executing_court or None,
            performance=Performance[record.performance.name] if record.performance else None,
            legal_basis=record.legal_basis,
            severity=Severity[record.severity.name] if record.severity else None,
            repair_status=RepairStatus[record.repair_status.name],
            repaired_on=record.repaired_on,
            ended_on=record.ended_on,
            amount=Money(yuan=record.amount_yuan) if record.amount_yuan is not None else None,
            list_name=record.list_name or None,
            rights_state=RightsStateEnum.of(rights_state(record)),
            publicity=Publicity(
                published=window.published,
                publish_from=window.publish_from,
                min_until=window.min_until,
                max_until=window.max_until,
                visible_until=window.visible_until,
                repairable_from=window.repairable_from,
                visible_now=visible_to_public(record, day, policy),
                shareable_with_bank_now=shareable_with_bank(record, day, policy),
                legal_basis=window.legal_basis,
            ),
        )


@strawberry.input(description="信用记录筛选条件 / Filter for a subject's records")
class RecordFilter:
    kinds: list[RecordKind] | None = strawberry.field(
        default=None, description="只要这些类别 / Only these kinds"
    )
    severities: list[Severity] | None = strawberry.field(
        default=None, description="只要这些严重程度 / Only these severities"
    )
    sources: list[Source] | None = strawberry.field(
        default=None, description="只要这些来源 / Only these sources"
    )
    decided_from: dt.date | None = strawberry.field(
        default=None, description="决定日期不早于 / Decided on or after"
    )
    decided_to: dt.date | None = strawberry.field(
        default=None, description="决定日期不晚于 / Decided on or before"
    )
    visible_now: bool | None = strawberry.field(
        default=None,
        description="在可见范围内再筛选：今日公示中的（true）或已停止公示的（false，仅本人"
        "和可共享的金融机构能看到） / Public today: narrows what the caller may see, never "
        "widens it (records outside their window reach only the subject and, while "
        "shareable, banks)",
    )


def filter_records(
    records: Iterable[CreditRecord],
    flt: RecordFilter | None,
    day: dt.date,
    policy: PublicityPolicy,
) -> list[CreditRecord]:
    """Apply the filter; newest decision first, then by id for a stable order."""
    chosen = list(records)
    if flt is not None:
        kinds = {k.name for k in flt.kinds} if flt.kinds else None
        severities = {s.name for s in flt.severities} if flt.severities else None
        sources = {s.name for s in flt.sources} if flt.sources else None
        chosen = [
            r
            for r in chosen
            if (kinds is None or r.kind.name in kinds)
            and (severities is None or (r.severity is not None and r.severity.name in severities))
            and (sources is None or r.source.name in sources)
            and (flt.decided_from is None or r.decided_on >= flt.decided_from)
            and (flt.decided_to is None or r.decided_on <= flt.decided_to)
            and (flt.visible_now is None or visible_to_public(r, day, policy) == flt.visible_now)
        ]
    return sorted(chosen, key=lambda r: (-r.decided_on.toordinal(), r.source.value, r.id))
