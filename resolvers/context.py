"""The per-request context resolvers see, built fresh for each request by the gateway.

STYLE.md §6: never module-level loaders.  The gateway's lifespan owns the connectors; each
request gets its own :class:`SubjectData` (loaders), deadline, provenance log and principal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from connectors.errors import ConnectorError
from connectors.registry import ConnectorSet
from credit.access import Principal
from credit.policy import PublicityPolicy
from credit.records import CreditRecord
from resolvers.access import RequestAccess
from resolvers.data import ProvenanceLog, SubjectData
from resolvers.source_loader import Deadline

if TYPE_CHECKING:  # resolvers.binding imports this module
    from resolvers.binding import IdentityBinder
    from resolvers.financing_service import FinancingService, PrecheckRunner
    from resolvers.reports import ReportIssuer
    from resolvers.rights_service import RightsService

__all__ = ["GraphContext", "GraphLimits", "PartialFailure"]

Records = tuple[CreditRecord, ...]


@dataclass(frozen=True, slots=True)
class GraphLimits:
    max_page_size: int = 100
    max_batch_subjects: int = 100
    max_search_page_size: int = 50  # the market bureau pages by at most 50
    max_public_seals: int = 1  # report numbers one anonymous request may take


@dataclass(frozen=True, slots=True)
class PartialFailure:
    """A source that failed under a field that still resolved with what the others gave."""

    path: tuple[str | int, ...]
    error: ConnectorError


@dataclass
class GraphContext:
    connectors: ConnectorSet
    data: SubjectData
    today: dt.date
    policy: PublicityPolicy
    request_id: str
    provenance: ProvenanceLog
    access: RequestAccess
    deadline: Deadline  # the loaders' too; binding waits for bureaus under it
    limits: GraphLimits = field(default_factory=GraphLimits)
    partial_failures: list[PartialFailure] = field(default_factory=list)
    # per subject key: the records a bureau gave and those of them this caller may see, so
    # that the guard runs once per subject however many fields build on it
    shown_records: dict[str, tuple[Records, Records]] = field(default_factory=dict)
    binding: IdentityBinder | None = None  # identity binding (the gateway's BindingService)
    financing: FinancingService | None = None  # products and pre-checks (GatewayFinancing)
    reports: ReportIssuer | None = None  # report numbers and digests (ReportRegistry)
    rights: RightsService | None = None  # objections and repairs (GatewayRights)
    prechecks: PrecheckRunner | None = None  # the pre-check workflow (PrecheckWorkflow)
    seals_issued: int = 0  # report numbers this request has asked for (creditReport.seal)

    @property
    def principal(self) -> Principal:
        """The caller (the operation limits and cost budget read it here)."""
        return self.access.principal

    @classmethod
    def build(
        cls,
        *,
        connectors: ConnectorSet,
        today: dt.date,
        policy: PublicityPolicy,
        request_id: str,
        deadline_s: float,
        limits: GraphLimits,
        access: RequestAccess,
        binding: IdentityBinder | None = None,
        financing: FinancingService | None = None,
        reports: ReportIssuer | None = None,
        rights: RightsService | None = None,
    ) -> GraphContext:
        provenance = ProvenanceLog()
        deadline = Deadline(deadline_s)
        return cls(
            connectors=connectors,
            data=SubjectData(
                connectors, deadline, provenance, marks=rights.marks if rights else None
            ),
            deadline=deadline,
            today=today,
            policy=policy,
            request_id=request_id,
            provenance=provenance,
            limits=limits,
            access=access,
            binding=binding,
            financing=financing,
            reports=reports,
            rights=rights,
        )
