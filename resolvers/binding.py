"""Identity binding (身份绑定): a citizen proves who they are to the bot, and gets a subject token.

    startIdentityBinding(input: {name, idNumber, phone})  → challenge id, expiry, masked phone
    confirmIdentityBinding(challengeId, code)            → subject token (+ represented firms)
    unbindIdentity                                       → true when a binding was removed

Only the bot's service key may call the first two (alone, or with a subject token); only a
bound citizen, through the bot, may unbind.  The resolvers validate, then hand over to an
:class:`IdentityBinder` — the gateway's :class:`gateway.binding.BindingService` — which owns
the database, the secrets and the SMS outbox, and asks the identity and market bureaus through
the connectors it is given.  The ID number is never returned, logged or put in an error.

Refusals (all ``DomainError``, raised by the binder): ``INVALID_PHONE``,
``IDENTITY_NOT_VERIFIED``, ``BINDING_TOO_SOON`` (``retryAfterS``), ``BINDING_NOT_FOUND``,
``BINDING_EXPIRED``, ``BINDING_CODE_WRONG`` (``attemptsLeft``), ``BINDING_LOCKED``
(``lockedUntil``); here: ``INVALID_CREDIT_CODE``, ``FORBIDDEN``.  A market bureau that fails at
confirmation leaves ``representedEnterprises`` null with a ``SOURCE_UNAVAILABLE`` error: the
person is bound anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Protocol

import strawberry
from strawberry.types import Info

from connectors.errors import ConnectorError
from connectors.identity import IdentityConnector
from connectors.market import MarketConnector
from credit.access import Principal, PrincipalKind
from credit.identifiers import validate_citizen_id
from resolvers.access import Forbidden
from resolvers.context import GraphContext, PartialFailure
from resolvers.paths import path_tuple
from resolvers.source_loader import Deadline

__all__ = [
    "BindingChallenge",
    "BindingMutations",
    "BoundIdentity",
    "IdentityBinder",
]

Ctx = Info[GraphContext, None]


@dataclass(frozen=True, slots=True)
class BindingChallenge:
    id: str
    expires_at: dt.datetime
    phone_masked: str


@dataclass(frozen=True, slots=True)
class BoundIdentity:
    """A confirmed binding: the token for the bot; ``represents`` is None when market failed."""

    token: str = field(repr=False)
    expires_at: dt.datetime
    represents: tuple[str, ...] | None
    market_error: ConnectorError | None = None


class IdentityBinder(Protocol):
    """The gateway side of identity binding (see :mod:`gateway.binding`)."""

    async def start(
        self,
        principal: Principal,
        *,
        name: str,
        id_number: str,
        phone: str,
        identity: IdentityConnector,
        deadline: Deadline,
    ) -> BindingChallenge:
        """Check the lock, verify name + ID + phone with ``identity`` (waiting no longer than
        ``deadline``), queue a one-time code by SMS."""
        ...

    async def confirm(
        self,
        principal: Principal,
        *,
        challenge_id: str,
        code: str,
        market: MarketConnector,
        deadline: Deadline,
    ) -> BoundIdentity:
        """Check the code; bind; look up the represented firms at ``market`` (until
        ``deadline``); issue a token."""
        ...

    async def unbind(self, principal: Principal) -> bool:
        """Forget the calling citizen's binding (their subject key → ID number)."""
        ...

    async def bound_id_number(self, subject_key: str) -> str | None:
        """The ID number behind a live binding, to ask bureaus for that person's own data
        (``Me.person``); None once unbound.  Never to be returned to a caller."""
        ...


@strawberry.input(description="开始身份绑定 / Start binding a citizen's identity")
class StartIdentityBindingInput:
    name: str = strawberry.field(description="姓名 / Full name")
    id_number: str = strawberry.field(description="公民身份号码 / Citizen ID number")
    phone: str = strawberry.field(description="接收验证码的手机号 / Mobile number for the code")


@strawberry.type(description="身份绑定验证码已发送 / A one-time code is on its way")
class IdentityBindingChallenge:
    challenge_id: strawberry.ID = strawberry.field(
        description="验证编号，确认时提交 / Challenge id, to send back with the code"
    )
    expires_at: dt.datetime = strawberry.field(description="验证码失效时间 / When the code expires")
    masked_phone: str = strawberry.field(
        description="验证码发往的手机号（脱敏） / Where the code was sent, masked"
    )


@strawberry.type(description="身份绑定成功 / Identity bound")
class IdentityBinding:
    subject_token: str = strawberry.field(
        description="主体令牌，由机器人随请求转交（X-Subject-Token） / Subject token the bot "
        "relays in X-Subject-Token"
    )
    expires_at: dt.datetime = strawberry.field(
        description="令牌失效时间，之后须重新验证 / When the token expires"
    )
    represented_enterprises: list[str] | None = strawberry.field(
        description="本人担任法定代表人的企业（统一社会信用代码）；市场监管部门未应答时为空 / "
        "USCCs of the enterprises I legally represent; null when the market bureau failed"
    )


def _bot_only(principal: Principal) -> None:
    if not principal.via_bot:
        raise Forbidden("身份绑定仅能通过信用查询机器人办理")


def _binder(ctx: GraphContext) -> IdentityBinder:
    if ctx.binding is None:  # a wiring bug, masked as INTERNAL to the caller
        raise RuntimeError("identity binding is not wired into the GraphQL context")
    return ctx.binding


@strawberry.type(description="身份绑定 / Identity binding through the bot")
class BindingMutations:
    @strawberry.mutation(
        description="核验姓名、公民身份号码与手机号（三要素）并发送短信验证码（仅限机器人） / "
        "Verify that name, ID number and phone belong together, then send a one-time code to "
        "that phone by SMS (bot only)"
    )
    async def start_identity_binding(
        self,
        info: Ctx,
        input: Annotated[
            StartIdentityBindingInput, strawberry.argument(description="绑定信息 / Who binds")
        ],
    ) -> IdentityBindingChallenge:
        ctx = info.context
        _bot_only(ctx.principal)
        id_number = validate_citizen_id(input.id_number, today=ctx.today)
        challenge = await _binder(ctx).start(
            ctx.principal,
            name=input.name.strip(),
            id_number=id_number,
            phone=input.phone,
            identity=ctx.connectors.identity,
            deadline=ctx.deadline,
        )
        return IdentityBindingChallenge(
            challenge_id=strawberry.ID(challenge.id),
            expires_at=challenge.expires_at,
            masked_phone=challenge.phone_masked,
        )

    @strawberry.mutation(
        description="提交短信验证码完成绑定（仅限机器人） / Confirm the code and bind (bot only)"
    )
    async def confirm_identity_binding(
        self,
        info: Ctx,
        challenge_id: Annotated[
            strawberry.ID, strawberry.argument(description="验证编号 / Challenge id")
        ],
        code: Annotated[str, strawberry.argument(description="短信验证码 / The code")],
    ) -> IdentityBinding:
        ctx = info.context
        _bot_only(ctx.principal)
        bound = await _binder(ctx).confirm(
            ctx.principal,
            challenge_id=str(challenge_id),
            code=code,
            market=ctx.connectors.market,
            deadline=ctx.deadline,
        )
        if bound.market_error is not None:
            path = (*path_tuple(info), "representedEnterprises")
            ctx.partial_failures.append(PartialFailure(path, bound.market_error))
        return IdentityBinding(
            subject_token=bound.token,
            expires_at=bound.expires_at,
            represented_enterprises=list(bound.represents)
            if bound.represents is not None
            else None,
        )

    @strawberry.mutation(
        description="解除身份绑定（本人，经机器人） / Unbind my identity (myself, via the bot)"
    )
    async def unbind_identity(self, info: Ctx) -> bool:
        ctx = info.context
        principal = ctx.principal
        if principal.kind is not PrincipalKind.CITIZEN or not principal.via_bot:
            raise Forbidden("仅本人可通过机器人解除身份绑定")
        return await _binder(ctx).unbind(principal)
