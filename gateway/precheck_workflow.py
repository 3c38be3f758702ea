"""The 信易贷 pre-check workflow, one bank's request at a time, with no HTTP in sight:

    replay → offer checks → facts → evaluation → storage (with its audit rows)

    workflow = PrecheckWorkflow(financing, sources, today=day, policy=policy)
    stored = await workflow.precheck("bank-a", request, idempotency_key, path="precheckFinancing")
    batch = BatchRequest(product_code, purpose, [(uscc, amount), ...])
    items = await workflow.precheck_batch("bank-a", batch, idempotency_key, path=...)
    # items[i]: the StoredPrecheck of firm i, or the DomainError refusing that firm alone

The same idempotency key (per bank) with the same request returns the stored decision; with
another request, IDEMPOTENCY_CONFLICT (:class:`~credit.financing.errors.IdempotencyConflict`).
The resolvers (:mod:`resolvers.financing`) check who may ask and shape the answer; the gateway
builds one workflow per request (``GraphContext.prechecks``), and tests drive it directly.
"""

from __future__ import annotations

import datetime as dt

from credit.errors import DomainError
from credit.financing import (
    EnterpriseNotFound,
    InvalidPrecheckRequest,
    PrecheckRequest,
    Product,
    UnknownProduct,
    check_offer,
    evaluate,
)
from credit.financing.requests import fingerprint
from credit.identifiers import InvalidCreditCode
from credit.policy import PublicityPolicy
from resolvers.context import GraphContext
from resolvers.financing_facts import Gathered, Sources, UnknownEnterprise, gather_facts
from resolvers.financing_service import (
    BatchRequest,
    FinancingService,
    NewPrecheck,
    StoredPrecheck,
)

__all__ = ["PrecheckWorkflow"]


class PrecheckWorkflow:
    def __init__(
        self,
        financing: FinancingService,
        sources: Sources,
        *,
        today: dt.date,
        policy: PublicityPolicy,
    ) -> None:
        self._financing = financing
        self._sources = sources
        self._today = today
        self._policy = policy

    @classmethod
    def for_context(cls, ctx: GraphContext) -> PrecheckWorkflow:
        """The workflow of one GraphQL request: its loaders, consents, provenance and day."""
        if ctx.financing is None:
            raise RuntimeError("the gateway did not provide the financing service")
        sources = Sources(ctx.data, ctx.financing, ctx.provenance, ctx.access.person_key)
        return cls(ctx.financing, sources, today=ctx.today, policy=ctx.policy)

    def _new(
        self,
        request: PrecheckRequest,
        gathered: Gathered,
        product: Product,
        *,
        idempotency_key: str | None = None,
        position: int | None = None,
    ) -> NewPrecheck:
        decision = evaluate(
            product,
            gathered.facts,
            amount_yuan=request.amount_yuan,
            day=self._today,
            policy=self._policy,
        )
        return NewPrecheck(
            uscc=request.uscc,
            purpose=request.purpose,
            fingerprint=request.fingerprint(),
            decision=decision,
            consent_ids=gathered.consent_ids,
            reads=gathered.reads,
            idempotency_key=idempotency_key,
            position=position,
        )

    async def _product(self, code: str) -> Product:
        product = await self._financing.product(code)
        if product is None:
            raise UnknownProduct(code)
        return product

    async def precheck(
        self, bank_id: str, request: PrecheckRequest, key: str, *, path: str
    ) -> StoredPrecheck:
        """One firm: the stored decision (a replay's, or a new one)."""
        replay = await self._financing.replay(key, request.fingerprint())
        if replay is not None:
            return replay
        product = await self._product(request.product_code)
        check_offer(product, bank_id=bank_id, amount=request.amount_yuan)
        found = await gather_facts(
            self._sources, product, request.purpose, [request.uscc], path=path
        )
        gathered = found[request.uscc]
        if isinstance(gathered, UnknownEnterprise):
            raise EnterpriseNotFound
        new = self._new(request, gathered, product, idempotency_key=key)
        return await self._financing.store(new)

    async def precheck_batch(
        self, bank_id: str, batch: BatchRequest, key: str, *, path: str
    ) -> list[StoredPrecheck | DomainError]:
        """Every firm's decision or refusal, in the order asked; one call per bureau."""
        code = batch.product_code.strip()
        batch_print = fingerprint(
            code, batch.purpose, [[uscc, str(amount)] for uscc, amount in batch.items]
        )
        errors: dict[int, DomainError] = {}
        requests: dict[int, PrecheckRequest] = {}
        for index, (uscc, amount) in enumerate(batch.items):
            try:
                requests[index] = PrecheckRequest.of(
                    uscc=uscc, product_code=code, amount=amount, purpose=batch.purpose
                )
            except (InvalidCreditCode, InvalidPrecheckRequest) as error:
                errors[index] = error
        stored = await self._financing.replay_batch(key, batch_print)
        if stored is None:
            product = await self._product(code)
            # off or another bank's: the whole batch; an amount out of range: that firm
            check_offer(product, bank_id=bank_id, amount=product.parameters.min_amount_yuan)
            for index, request in list(requests.items()):
                try:
                    check_offer(product, bank_id=bank_id, amount=request.amount_yuan)
                except DomainError as refused:
                    errors[index] = refused
                    del requests[index]
            usccs = [r.uscc for r in requests.values()]
            found = await gather_facts(self._sources, product, batch.purpose, usccs, path=path)
            items: list[NewPrecheck] = []
            for index, request in requests.items():
                gathered = found[request.uscc]
                if isinstance(gathered, UnknownEnterprise):
                    errors[index] = EnterpriseNotFound()
                else:
                    items.append(self._new(request, gathered, product, position=index))
            stored = await self._financing.store_batch(key, batch_print, items)
        by_position = {s.position: s for s in stored}
        # not stored: refused here, or (on a replay) unknown to the bureaus then
        return [
            by_position.get(index) or errors.get(index, EnterpriseNotFound())
            for index in range(len(batch.items))
        ]
