"""The pre-check workflow as a gateway service, driven without HTTP: real PostgreSQL, real
bureau simulators, the connectors the gateway builds — no GraphQL, no server."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

from connectors.registry import ConnectorSet, build_connector_set
from credit.access import Principal, PrincipalKind
from credit.errors import DomainError
from credit.financing import (
    EnterpriseNotFound,
    IdempotencyConflict,
    PrecheckRequest,
    ProductChange,
    RuleId,
    RuleSpec,
    Verdict,
)
from credit.financing.products import EXAMPLE_PARAMETERS
from credit.identifiers import InvalidCreditCode
from credit.records import OperatingStatus
from gateway.database import Database
from gateway.financing import GatewayFinancing
from gateway.precheck_workflow import PrecheckWorkflow
from gateway.settings import Settings
from resolvers.data import ProvenanceLog, SubjectData
from resolvers.financing_facts import Sources
from resolvers.financing_service import BatchRequest, StoredPrecheck
from resolvers.source_loader import Deadline
from simulators.customs import customs_file
from simulators.ip import ip_rights
from simulators.runner import RunningBureau
from simulators.world import World
from tests.conftest import TEST_WORLD
from tests.connectors.cases import unknown_uscc

PRODUCT, BANK_ID, PURPOSE = "BANK_TAX_LOAN", "demo-bank", "信易贷贷前审查"
AMOUNT = Decimal("200000")


@pytest.fixture
async def connectors(settings: Settings, seeded_database: Database) -> AsyncIterator[ConnectorSet]:
    async with httpx.AsyncClient() as http:
        built = build_connector_set(settings.bureaus, http, seeded_database.pool)
        yield built
        await built.aclose()


@pytest.fixture
async def workflow(
    connectors: ConnectorSet, settings: Settings, seeded_database: Database
) -> PrecheckWorkflow:
    bank = Principal(
        PrincipalKind.BANK, client_id="wf-client", display_name="工作流测试银行", bank_id=BANK_ID
    )
    financing = GatewayFinancing(seeded_database.pool, settings, bank, "wf-request")
    provenance = ProvenanceLog()
    data = SubjectData(connectors, Deadline(settings.request_deadline_s), provenance)
    sources = Sources(data, financing, provenance, lambda id_number: f"p:{id_number}")
    return PrecheckWorkflow(financing, sources, today=TEST_WORLD.today, policy=settings.publicity)


def _firms(world: World, n: int) -> list[str]:
    active = (r for r in world.registrations.values() if r.status is OperatingStatus.ACTIVE)
    return [r.uscc for _, r in zip(range(n), active, strict=False)]


def _request(uscc: str, amount: Decimal = AMOUNT) -> PrecheckRequest:
    return PrecheckRequest.of(uscc=uscc, product_code=PRODUCT, amount=amount, purpose=PURPOSE)


async def test_one_precheck_is_stored_and_replayed_without_asking_again(
    workflow: PrecheckWorkflow, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    (firm,) = _firms(world, 1)
    key = secrets.token_hex(8)
    stored = await workflow.precheck(BANK_ID, _request(firm), key, path="wf")
    assert stored.uscc == firm
    assert stored.bank_id == BANK_ID
    assert bureaus["market"].service.state.total_calls == 1
    bureaus["market"].service.state.reset()
    again = await workflow.precheck(BANK_ID, _request(firm), key, path="wf")
    assert again.id == stored.id
    assert bureaus["market"].service.state.total_calls == 0  # a replay asks no bureau
    with pytest.raises(IdempotencyConflict):
        await workflow.precheck(BANK_ID, _request(firm, AMOUNT + 1), key, path="wf")


async def test_a_firm_no_bureau_knows_is_not_prechecked(
    workflow: PrecheckWorkflow, world: World
) -> None:
    (unknown,) = unknown_uscc(world)
    with pytest.raises(EnterpriseNotFound):
        await workflow.precheck(BANK_ID, _request(unknown), secrets.token_hex(8), path="wf")


async def test_a_batch_answers_each_firm_in_order_with_one_call_per_bureau(
    workflow: PrecheckWorkflow, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    first, second = _firms(world, 2)
    (unknown,) = unknown_uscc(world)
    items = [(first, AMOUNT), ("not-a-code", AMOUNT), (unknown, AMOUNT), (second, AMOUNT)]
    batch = BatchRequest(PRODUCT, PURPOSE, items)
    found = await workflow.precheck_batch(BANK_ID, batch, secrets.token_hex(8), path="wf")
    assert [type(f) for f in found] == [
        StoredPrecheck,
        InvalidCreditCode,
        EnterpriseNotFound,
        StoredPrecheck,
    ]
    stored = [f for f in found if isinstance(f, StoredPrecheck)]
    assert [s.uscc for s in stored] == [first, second]
    assert all(isinstance(f, DomainError | StoredPrecheck) for f in found)
    for name in ("market", "court", "national"):
        assert all(n == 1 for n in bureaus[name].service.state.calls.values()), name


async def test_golden_world_prechecks_on_the_added_bureaus_rules(
    workflow: PrecheckWorkflow, world: World, seeded_database: Database, settings: Settings
) -> None:
    """On the world's own firms, through the simulators: a firm the customs rate 失信 is
    declined by a product applying the customs rule; a firm holding a patent or trademark in
    force passes an IP pledge product's rule."""
    operator = Principal(PrincipalKind.OPERATOR, client_id="wf-operator")
    products = GatewayFinancing(seeded_database.pool, settings, operator, "wf-products")
    suffix = secrets.token_hex(3).upper()
    for code, rule in (
        ("CUSTOMS", RuleId.CUSTOMS_NOT_DISHONEST),
        ("IPPLEDGE", RuleId.IP_PLEDGEABLE),
    ):
        await products.set_product(
            ProductChange(
                code=f"WF_{code}_{suffix}",
                name="工作流测试贷",
                bank_id=BANK_ID,
                bank_name="演示银行（合成数据）",
                parameters=EXAMPLE_PARAMETERS,
                rules=(RuleSpec(rule, True),),
            )
        )
    active = {r.uscc for r in world.registrations.values() if r.status is OperatingStatus.ACTIVE}
    dishonest = next(
        c for c in sorted(active) if (f := customs_file(world, c)) and f.rating == "失信"
    )
    holder = next(
        c
        for c in sorted(active)
        if any(r.type in ("patents", "trademarks") for r in ip_rights(world, c) or ())
    )

    async def decide(code: str, uscc: str) -> dict[RuleId, Verdict]:
        request = PrecheckRequest.of(
            uscc=uscc, product_code=f"WF_{code}_{suffix}", amount=AMOUNT, purpose=PURPOSE
        )
        stored = await workflow.precheck(BANK_ID, request, secrets.token_hex(8), path="wf")
        return {r.rule: r.verdict for r in stored.decision.reasons}

    assert (await decide("CUSTOMS", dishonest))[RuleId.CUSTOMS_NOT_DISHONEST] is Verdict.FAIL
    assert (await decide("IPPLEDGE", holder))[RuleId.IP_PLEDGEABLE] is Verdict.PASS
