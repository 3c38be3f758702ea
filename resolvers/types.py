"""GraphQL types of the credit graph.  Every type and field is described in Chinese and English."""

from __future__ import annotations

from enum import Enum

import strawberry

from credit.records import OperatingStatus as DomainStatus

__all__ = ["LegalRepresentative", "OperatingStatus"]


@strawberry.enum(description="经营状态 / Operating status of a registered organisation")
class OperatingStatus(Enum):
    ACTIVE = strawberry.enum_value("存续", description="存续 / Active (in business)")
    DEREGISTERED = strawberry.enum_value("注销", description="注销 / Deregistered")
    REVOKED = strawberry.enum_value("吊销", description="吊销 / Business licence revoked")

    @classmethod
    def of(cls, status: DomainStatus) -> OperatingStatus:
        return cls(status.value)


@strawberry.type(
    description="法定代表人 / Legal representative (masked unless you are that person)"
)
class LegalRepresentative:
    name: str = strawberry.field(description="姓名（脱敏） / Name, masked")
    id_number: str = strawberry.field(description="公民身份号码（脱敏） / ID number, masked")
