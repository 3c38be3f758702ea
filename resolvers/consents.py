"""A citizen's own view: who they are, their consents; granting and revoking consents.

Only a citizen (through the bot, after identity binding) reaches these; everyone else gets
``FORBIDDEN``.  A consent is given by the citizen for themself, or for an enterprise they are
the legal representative of (``subjectCode`` = its USCC).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from connectors.registry import bureaus
from credit.access import ConsentScope, PrincipalKind
from credit.identifiers import validate_uscc
from credit.purposes import Purpose
from resolvers.access import Forbidden
from resolvers.context import GraphContext
from resolvers.gated_types import ConsentNode, ConsentScopeEnum, PurposeEnum
from resolvers.paths import path_key
from resolvers.subjects import Enterprise, Person, enterprise_of, person_of

__all__ = ["CitizenQueries", "ConsentMutations"]

Ctx = Info[GraphContext, None]


@strawberry.type(description="当前公民本人 / The citizen calling (after identity binding)")
class Me:
    subject_key: strawberry.Private[str]
    represents: strawberry.Private[tuple[str, ...]]

    @strawberry.field(
        description="我本人（自然人，号码不脱敏）；解除绑定后为空 / Myself as a natural person "
        "(unmasked); null once unbound"
    )
    async def person(self, info: Ctx) -> Person | None:
        binder = info.context.binding
        id_number = await binder.bound_id_number(self.subject_key) if binder else None
        if id_number is None:
            return None
        subject = person_of(id_number, info.context.access)
        return subject if subject.subject_key == self.subject_key else None

    @strawberry.field(
        description="我担任法定代表人的企业 / Enterprises I am the legal representative of"
    )
    async def enterprises(self, info: Ctx) -> list[Enterprise]:
        ctx = info.context
        regs = await asyncio.gather(
            *(ctx.data.registration(code, path=path_key(info)) for code in self.represents)
        )
        return [enterprise_of(reg, ctx.access) for reg in regs if reg is not None]


@strawberry.input(description="授权银行查询 / A consent to give a bank")
class GrantConsentInput:
    bank_id: str = strawberry.field(description="被授权机构编号 / The bank's id")
    scopes: list[ConsentScopeEnum] = strawberry.field(description="授权范围 / Scopes")
    purpose: PurposeEnum = strawberry.field(description="用途 / Purpose")
    ends_on: dt.date = strawberry.field(
        description="截止日期（含；最长期限由配置决定） / Last day (inclusive; capped by settings)"
    )
    subject_code: str | None = strawberry.field(
        default=None,
        description="代表企业授权时填企业的统一社会信用代码；为空表示本人授权 / USCC of an "
        "enterprise I represent; null: for myself",
    )


@strawberry.type(description="一种授权范围及其名称 / A consent scope and what it covers")
class ConsentScopeInfo:
    scope: ConsentScopeEnum = strawberry.field(description="授权范围 / Scope")
    name: str = strawberry.field(description="中文名称 / What it covers, in Chinese")
    name_en: str = strawberry.field(description="英文名称 / What it covers, in English")


@strawberry.type(description="公民本人的查询 / What a citizen asks about themself")
class CitizenQueries:
    @strawberry.field(
        description="可以授权的范围：每个依授权提供数据的部门一种，另有完整信用报告（公开） / "
        "Every scope a subject can grant: one per consent-gated bureau, and the full report"
    )
    def consent_scopes(self) -> list[ConsentScopeInfo]:
        return [
            ConsentScopeInfo(scope=ConsentScopeEnum[s.name], name=s.label.zh, name_en=s.label.en)
            for s in bureaus().scopes
        ]

    @strawberry.field(description="当前公民本人（须先绑定身份） / The calling citizen")
    def me(self, info: Ctx) -> Me:
        principal = info.context.access.principal
        if principal.kind is not PrincipalKind.CITIZEN or principal.subject_key is None:
            raise Forbidden("请先通过机器人完成身份绑定")
        return Me(subject_key=principal.subject_key, represents=tuple(sorted(principal.represents)))

    @strawberry.field(description="我（及我的企业）给出的授权 / Consents I (and my firms) gave")
    async def my_consents(self, info: Ctx) -> list[ConsentNode]:
        return [ConsentNode.from_domain(c) for c in await info.context.access.consents()]


@strawberry.type(description="授权管理 / Managing consents")
class ConsentMutations:
    @strawberry.mutation(description="授权银行查询本人或本企业信息 / Give a bank a consent")
    async def grant_consent(
        self,
        info: Ctx,
        input: Annotated[
            GrantConsentInput, strawberry.argument(description="授权内容 / The consent")
        ],
    ) -> ConsentNode:
        access = info.context.access
        principal = access.principal
        if principal.subject_key is None:
            raise Forbidden("请先通过机器人完成身份绑定")
        subject = (
            principal.subject_key
            if input.subject_code is None
            else validate_uscc(input.subject_code)
        )
        consent = await access.grant_consent(
            subject,
            input.bank_id.strip(),
            [ConsentScope.of_name(s.name) for s in input.scopes],
            Purpose[input.purpose.name].value,
            input.ends_on,
        )
        return ConsentNode.from_domain(consent)

    @strawberry.mutation(description="撤销授权（立即生效） / Revoke a consent, effective at once")
    async def revoke_consent(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="授权编号 / Consent id")],
    ) -> ConsentNode:
        return ConsentNode.from_domain(await info.context.access.revoke_consent(str(id)))
