"""The root Query: thin resolvers that read arguments, ask a loader, shape the result."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from credit.identifiers import validate_uscc
from resolvers.context import GraphContext
from resolvers.types import Enterprise

__all__ = ["Query"]


@strawberry.type(description="信用图谱查询入口 / Entry points of the credit graph")
class Query:
    @strawberry.field(
        description=(
            "按统一社会信用代码查询市场主体；代码无效时报 INVALID_CREDIT_CODE，"
            "无任何部门登记时返回 null / An organisation by its USCC; an invalid code is an "
            "INVALID_CREDIT_CODE error, a valid code no bureau knows gives null"
        )
    )
    async def enterprise(
        self,
        info: Info[GraphContext, None],
        uscc: Annotated[
            str, strawberry.argument(description="统一社会信用代码 / USCC (18 characters)")
        ],
    ) -> Enterprise | None:
        code = validate_uscc(uscc)
        found = await info.context.loaders.registration.load(code)
        if found is None:
            return None
        info.context.provenance.record(found.provenance, "enterprise")
        return Enterprise.from_domain(found.value)
