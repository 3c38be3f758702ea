"""信易贷 financing pre-checks in the graph (root fields of :class:`FinancingQueries` and
:class:`FinancingMutations`).

    financingProducts / financingProduct / financingProductVersions     anyone
    precheckFinancing(input) / precheckFinancingBatch(input)              banks (scope precheck)
    reportLoanOutcome(precheckId, outcome, amount, rate, termMonths)      the bank that ran it
    financingPrecheck(id)                  its bank (audited), the enterprise's representative
    myEnterprisePrechecks(uscc, first, after)    a citizen: pre-checks on the firms they represent
    financingApprovalStats(productCode, fromMonth, toMonth)               officers, operators
    setFinancingProduct(input)                                            operators

Resolvers check who may ask (:mod:`credit.access`), validate the input and hand the workflow
— replay, offer checks, facts, evaluation, storage with its audit rows — to the request's
:class:`~resolvers.financing_service.PrecheckRunner` (the gateway's
:class:`gateway.precheck_workflow.PrecheckWorkflow`).  The same idempotency key (per bank)
with the same input returns the stored decision; with another input, IDEMPOTENCY_CONFLICT.
Refusals: FORBIDDEN, UNKNOWN_PRODUCT, PRODUCT_INACTIVE, AMOUNT_OUT_OF_RANGE,
INVALID_PRECHECK_REQUEST, INVALID_CREDIT_CODE, ENTERPRISE_NOT_FOUND, IDEMPOTENCY_CONFLICT,
PRECHECK_NOT_FOUND, OUTCOME_CONFLICT, INVALID_PRODUCT, AUDIT_UNAVAILABLE.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from credit import access as rules
from credit.access import ClientScope, Principal, PrincipalKind
from credit.calendar import add_months
from credit.errors import DomainError
from credit.financing import (
    InvalidPrecheckRequest,
    LoanOutcomeKind,
    LoanOutcomeReport,
    PrecheckNotFound,
    PrecheckRequest,
    ProductChange,
    RuleId,
    RuleSpec,
    check_idempotency_key,
)
from credit.identifiers import validate_uscc
from credit.purposes import Purpose
from resolvers.access import Forbidden
from resolvers.context import GraphContext
from resolvers.financing_inputs import (
    FinancingProductInput,
    PrecheckFinancingBatchInput,
    PrecheckFinancingInput,
)
from resolvers.financing_service import BatchRequest, FinancingService, PrecheckRunner, ReadNote
from resolvers.financing_types import (
    FinancingApprovalStats,
    FinancingPrecheck,
    FinancingProduct,
    LoanOutcome,
    PrecheckBatchItem,
    PrecheckItemError,
)
from resolvers.pagination import Connection, Edge, PageInfo, check_page_size, paginate
from resolvers.paths import path_key

__all__ = ["FinancingMutations", "FinancingQueries"]

Ctx = Info[GraphContext, None]
MAX_STATS_MONTHS = 36


def _service(info: Ctx) -> FinancingService:
    service = info.context.financing
    if service is None:
        raise RuntimeError("the gateway did not provide the financing service")
    return service


def _principal(info: Ctx) -> Principal:
    return info.context.access.principal


def _bank(info: Ctx, scope: ClientScope) -> Principal:
    principal = _principal(info)
    if not rules.may_act_as_bank(principal, scope):
        raise Forbidden(f"该操作仅限具有 {scope.value} 权限的银行")
    return principal


def _operator(info: Ctx) -> None:
    if not rules.may_manage_products(_principal(info)):
        raise Forbidden("产品管理仅限平台运营方")


def _prechecks(info: Ctx) -> PrecheckRunner:
    runner = info.context.prechecks
    if runner is None:
        raise RuntimeError("the gateway did not provide the pre-check workflow")
    return runner


def _item_error(index: int, uscc: str, error: DomainError) -> PrecheckBatchItem:
    code = error.extensions()["code"]
    return PrecheckBatchItem(
        index=index,
        uscc=uscc,
        precheck=None,
        error=PrecheckItemError(code=str(code), message=str(error)),
    )


@strawberry.type(description="信易贷融资预审的查询 / Financing pre-check queries")
class FinancingQueries:
    @strawberry.field(description="信易贷产品（公开，分页） / Loan products (public, paginated)")
    async def financing_products(
        self,
        info: Ctx,
        first: Annotated[int, strawberry.argument(description="每页条数 / Page size")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor / Cursor")
        ] = None,
        include_inactive: Annotated[
            bool, strawberry.argument(description="含已停用（仅运营方） / Also inactive")
        ] = False,
    ) -> Connection[FinancingProduct]:
        if include_inactive:
            _operator(info)
        found = await _service(info).products(include_inactive=include_inactive)
        return paginate(
            found,
            first=first,
            after=after,
            max_page_size=info.context.limits.max_page_size,
            node=FinancingProduct.from_domain,
        )

    @strawberry.field(description="一个产品（缺省为当前版本） / One product, current by default")
    async def financing_product(
        self,
        info: Ctx,
        code: Annotated[str, strawberry.argument(description="产品代码 / Code")],
        version: Annotated[int | None, strawberry.argument(description="版本 / Version")] = None,
    ) -> FinancingProduct | None:
        found = await _service(info).product(code, version)
        return FinancingProduct.from_domain(found) if found is not None else None

    @strawberry.field(description="产品的全部版本（新在前） / Every version, newest first")
    async def financing_product_versions(
        self, info: Ctx, code: Annotated[str, strawberry.argument(description="产品代码 / Code")]
    ) -> list[FinancingProduct]:
        return [
            FinancingProduct.from_domain(p) for p in await _service(info).product_versions(code)
        ]

    @strawberry.field(
        description="一次预审：发起银行（查询记入审计）或企业法定代表人可见 / One pre-check: "
        "for the bank that ran it (audited) or the enterprise's legal representative"
    )
    async def financing_precheck(
        self, info: Ctx, id: Annotated[strawberry.ID, strawberry.argument(description="编号 / Id")]
    ) -> FinancingPrecheck:
        principal = _principal(info)
        service = _service(info)
        stored = await service.precheck(str(id))
        if stored is None or not rules.may_read_precheck(
            principal, bank_id=stored.bank_id, uscc=stored.uscc
        ):
            raise PrecheckNotFound
        if principal.kind is PrincipalKind.BANK:
            note = ReadNote(stored.uscc, ("financingPrecheck",), consent_ids=stored.consent_ids)
            await service.note_reads(stored.purpose, [note])
        return FinancingPrecheck.from_stored(stored)

    @strawberry.field(
        description="对我所代表企业做过的全部预审（谁查的、为什么没通过） / Every pre-check "
        "made on the enterprises I represent: by whom, and why"
    )
    async def my_enterprise_prechecks(
        self,
        info: Ctx,
        uscc: Annotated[
            str | None, strawberry.argument(description="只看这家企业 / Only this firm")
        ] = None,
        first: Annotated[int, strawberry.argument(description="每页条数 / Page size")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor / Cursor")
        ] = None,
    ) -> Connection[FinancingPrecheck]:
        principal = _principal(info)
        if principal.kind is not PrincipalKind.CITIZEN:
            raise Forbidden("仅限企业法定代表人本人通过身份绑定后查看")
        usccs = sorted(principal.represents)
        if uscc is not None:
            code = validate_uscc(uscc)
            if not rules.may_read_prechecks_on(principal, code):
                raise Forbidden("只能查看本人担任法定代表人的企业")
            usccs = [code]
        check_page_size(first, info.context.limits.max_page_size)
        page = await _service(info).prechecks_on(usccs, first, after)
        edges = [
            Edge(node=FinancingPrecheck.from_stored(s), cursor=c)
            for s, c in zip(page.items, page.cursors, strict=True)
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )

    @strawberry.field(
        description="按产品和月份的预审与放款统计（官员、运营方） / Pre-checks and loans by "
        "product and month (officers, operators)"
    )
    async def financing_approval_stats(
        self,
        info: Ctx,
        from_month: Annotated[dt.date, strawberry.argument(description="起始月 / First month")],
        to_month: Annotated[dt.date, strawberry.argument(description="截止月 / Last month")],
        product_code: Annotated[
            str | None, strawberry.argument(description="产品代码；缺省为全部 / Product")
        ] = None,
    ) -> list[FinancingApprovalStats]:
        if not rules.may_read_approval_stats(_principal(info)):
            raise Forbidden("预审统计仅限监管工作人员和平台运营方")
        since, last = from_month.replace(day=1), to_month.replace(day=1)
        months = (last.year - since.year) * 12 + last.month - since.month + 1
        if not 1 <= months <= MAX_STATS_MONTHS:
            raise InvalidPrecheckRequest(f"统计区间应为1至{MAX_STATS_MONTHS}个月")
        # December 9999 has no month after it (a client's date, not ours to fail on).
        until = add_months(last, 1) if last.year < dt.MAXYEAR or last.month < 12 else dt.date.max
        found = await _service(info).approval_stats(product_code, since, until)
        return [FinancingApprovalStats.from_domain(s) for s in found]


@strawberry.type(description="信易贷融资预审的操作 / Financing pre-check operations")
class FinancingMutations:
    @strawberry.mutation(
        description="融资预审（银行，须有企业对本行、本用途的有效授权） / Pre-check one enterprise"
    )
    async def precheck_financing(
        self,
        info: Ctx,
        input: Annotated[PrecheckFinancingInput, strawberry.argument(description="请求 / Input")],
    ) -> FinancingPrecheck:
        principal = _bank(info, ClientScope.PRECHECK)
        assert principal.bank_id is not None
        purpose = Purpose[input.purpose.name].value
        request = PrecheckRequest.of(
            uscc=input.uscc, product_code=input.product_code, amount=input.amount, purpose=purpose
        )
        key = check_idempotency_key(input.idempotency_key)
        stored = await _prechecks(info).precheck(
            principal.bank_id, request, key, path=path_key(info)
        )
        return FinancingPrecheck.from_stored(stored)

    @strawberry.mutation(
        description="批量融资预审：一个产品、最多100家企业，每个部门只调用一次 / Portfolio "
        "screening: one product, up to 100 firms, one call per bureau"
    )
    async def precheck_financing_batch(
        self,
        info: Ctx,
        input: Annotated[
            PrecheckFinancingBatchInput, strawberry.argument(description="请求 / Input")
        ],
    ) -> list[PrecheckBatchItem]:
        principal = _bank(info, ClientScope.PRECHECK)
        assert principal.bank_id is not None
        maximum = info.context.limits.max_batch_subjects
        if not 1 <= len(input.items) <= maximum:
            raise InvalidPrecheckRequest(f"一次批量预审1至{maximum}家企业")
        key = check_idempotency_key(input.idempotency_key)
        batch = BatchRequest(
            product_code=input.product_code,
            purpose=Purpose[input.purpose.name].value,
            items=[(i.uscc, i.amount) for i in input.items],
        )
        found = await _prechecks(info).precheck_batch(
            principal.bank_id, batch, key, path=path_key(info)
        )
        result = []
        for index, (item, outcome) in enumerate(zip(input.items, found, strict=True)):
            if isinstance(outcome, DomainError):
                result.append(_item_error(index, item.uscc, outcome))
            else:
                node = FinancingPrecheck.from_stored(outcome)
                result.append(
                    PrecheckBatchItem(index=index, uscc=item.uscc, precheck=node, error=None)
                )
        return result

    @strawberry.mutation(
        description="报告贷款结果（以信获贷、以贷促信），仅限发起预审的银行 / Report what the "
        "bank did after its pre-check"
    )
    async def report_loan_outcome(
        self,
        info: Ctx,
        precheck_id: Annotated[strawberry.ID, strawberry.argument(description="预审编号 / Id")],
        outcome: Annotated[LoanOutcome, strawberry.argument(description="结果 / Outcome")],
        amount: Annotated[
            Decimal | None, strawberry.argument(description="放款金额（元） / Amount lent")
        ] = None,
        rate: Annotated[
            Decimal | None, strawberry.argument(description="年利率（%） / Annual rate, %")
        ] = None,
        term_months: Annotated[
            int | None, strawberry.argument(description="期限（月） / Term, months")
        ] = None,
    ) -> FinancingPrecheck:
        _bank(info, ClientScope.OUTCOME_REPORT)
        report = LoanOutcomeReport(LoanOutcomeKind[outcome.name], amount, rate, term_months)
        return FinancingPrecheck.from_stored(
            await _service(info).report_outcome(str(precheck_id), report)
        )

    @strawberry.mutation(
        description="新建或修改产品，每次修改生成新版本（运营方） / Create or change a product; "
        "each change is a new version (operators)"
    )
    async def set_financing_product(
        self,
        info: Ctx,
        input: Annotated[FinancingProductInput, strawberry.argument(description="产品 / Product")],
    ) -> FinancingProduct:
        _operator(info)
        rules = (
            tuple(RuleSpec(RuleId[r.rule.name], r.hard) for r in input.rules)
            if input.rules is not None
            else None
        )
        change = ProductChange(
            code=input.code.strip(),
            name=input.name,
            bank_id=input.bank_id,
            bank_name=input.bank_name,
            parameters=input.parameters.changes() if input.parameters else {},
            rules=rules,
            active=input.active,
        )
        return FinancingProduct.from_domain(await _service(info).set_product(change))
