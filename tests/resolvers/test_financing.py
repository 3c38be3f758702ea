"""The financing pre-check through the graph, against the seven simulators and PostgreSQL.

Most tests use a bank of their own (a fresh client and bank id) with its own copy of a seeded
product, so that consents given to the demo bank by other tests never leak in.
"""

from __future__ import annotations

import dataclasses
import itertools
import secrets
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from credit.access import person_subject_key
from credit.financing import Outcome, Product, ProductChange, evaluate
from credit.records import EntityType
from gateway.auth.clients import ClientKind, add_client
from gateway.auth.demo import DEMO_BANK_ID
from gateway.database import Database
from gateway.products import get_product, set_product
from gateway.settings import DEMO_SUBJECT_KEY_SECRET
from simulators.behaviour import Behaviour
from simulators.runner import RunningBureau
from simulators.world import World
from tests.credit.financing.builders import FULL, world_facts
from tests.resolvers.conftest import ADMIN_KEY, CitizenFactory, consent_end

PRECHECK = """mutation($input: PrecheckFinancingInput!) { precheckFinancing(input: $input) {
  id uscc bankName productCode productVersion outcome score purpose consentIds
  suggestedLimit { yuan } amount { yuan }
  reasons { rule verdict hard observed threshold message advice sources
            provenance { source cached stale } }
  explanation { summary whyNot toFix }
} }"""
BATCH = """mutation($input: PrecheckFinancingBatchInput!) { precheckFinancingBatch(input: $input) {
  index uscc precheck { id outcome } error { code message }
} }"""
REPORT = """mutation($id: ID!, $outcome: LoanOutcome!, $amount: Decimal, $rate: Decimal,
  $term: Int) { reportLoanOutcome(precheckId: $id, outcome: $outcome, amount: $amount,
  rate: $rate, termMonths: $term) { id loanOutcome { outcome amount { yuan } termMonths } } }"""
GRANT = "mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }"


async def gql(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def error_code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


@dataclasses.dataclass
class Bank:
    http: httpx.AsyncClient
    bank_id: str
    product: Product


@pytest.fixture
async def own_bank(
    seeded_database: Database, as_client: Callable[..., httpx.AsyncClient]
) -> AsyncIterator[Bank]:
    """A bank of its own with a copy of RURAL_CREDIT_LOAN (it reads every bureau)."""
    bank_id = f"fin-test-{secrets.token_hex(4)}"
    async with seeded_database.pool.acquire() as conn:
        _, key = await add_client(
            conn,
            kind=ClientKind.BANK,
            name="测试银行（合成数据）",
            scopes=["precheck", "outcome:report"],
            expires_at=None,
            bank_id=bank_id,
        )
        rural = await get_product(conn, "RURAL_CREDIT_LOAN", 1)
        assert rural is not None
        product = await set_product(
            conn,
            ProductChange(
                code=f"T_{secrets.token_hex(4).upper()}",
                name=rural.name,
                bank_id=bank_id,
                bank_name="测试银行（合成数据）",
                parameters=rural.parameters.to_json(),
                rules=rural.rules,
            ),
            by="test",
        )
    async with as_client(key) as http:
        yield Bank(http, bank_id, product)


async def client_of(
    database: Database,
    as_client: Callable[..., httpx.AsyncClient],
    kind: ClientKind,
    bank_id: str | None = None,
) -> httpx.AsyncClient:
    """A client of our own (the session's demo keys may be re-issued by other tests)."""
    async with database.pool.acquire() as conn:
        _, key = await add_client(
            conn,
            kind=kind,
            name="演示银行（合成数据）" if bank_id == DEMO_BANK_ID else "测试客户端",
            scopes=["precheck", "outcome:report"] if kind is ClientKind.BANK else [],
            expires_at=None,
            bank_id=bank_id,
        )
    return as_client(key)


@pytest.fixture
async def bank(
    seeded_database: Database, as_client: Callable[..., httpx.AsyncClient]
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the demo bank (the seeded products' bank)."""
    async with await client_of(seeded_database, as_client, ClientKind.BANK, DEMO_BANK_ID) as http:
        yield http


@pytest.fixture
async def officer(
    seeded_database: Database, as_client: Callable[..., httpx.AsyncClient]
) -> AsyncIterator[httpx.AsyncClient]:
    async with await client_of(seeded_database, as_client, ClientKind.OFFICER) as http:
        yield http


async def grant(
    citizen: CitizenFactory, world: World, uscc: str, bank_id: str, *, for_rep: bool = False
) -> str:
    rep = world.registrations[uscc].legal_rep_id
    subject: dict[str, Any] = {} if for_rep else {"subjectCode": uscc}
    scopes = ["FULL_REPORT"] if for_rep else ["TAX", "HRSS", "UTILITIES"]
    async with citizen(rep, (uscc,)) as http:
        body = await gql(
            http,
            GRANT,
            input={
                "bankId": bank_id,
                "scopes": scopes,
                "purpose": "LOAN_PRECHECK",
                "endsOn": consent_end(),
                **subject,
            },
        )
    assert "errors" not in body, body
    consent: str = body["data"]["grantConsent"]["id"]
    return consent


def request(
    uscc: str, product: str, amount: int = 100_000, key: str | None = None
) -> dict[str, Any]:
    return {
        "uscc": uscc,
        "productCode": product,
        "amount": str(amount),
        "purpose": "LOAN_PRECHECK",
        "idempotencyKey": key or secrets.token_hex(8),
    }


def passing_firm(world: World, product: Product, skip: int = 0) -> str:
    """A firm whose facts pass ``product`` (all consents given), by the engine on the world."""
    passing = (
        code
        for code in world.organisation_codes(EntityType.ENTERPRISE)
        if evaluate(
            product,
            world_facts(world, code, consents=FULL),
            amount_yuan=product.parameters.min_amount_yuan,
            day=world.config.today,
            policy=world.config.policy,
        ).outcome
        is Outcome.PASS
    )
    return next(itertools.islice(passing, skip, None))


def calls(bureaus: dict[str, RunningBureau]) -> dict[str, int]:
    return {name: b.service.state.total_calls for name, b in bureaus.items()}


# --- products ------------------------------------------------------------------------------


async def test_products_are_public(client: httpx.AsyncClient) -> None:
    # Every page: other tests add products to the session's table (an OP_… code sorts before
    # RURAL_CREDIT_LOAN), so the seeded four need not be the first four.
    page = """query($after: String) { financingProducts(first: 4, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { code version bankId name active
                     parameters { limitsByGrade { grade limit { yuan } } } } } } }"""
    products: dict[str, Any] = {}
    after: str | None = None
    while True:
        body = await gql(client, page, after=after)
        assert "errors" not in body, body
        listed = body["data"]["financingProducts"]
        products.update({e["node"]["code"]: e["node"] for e in listed["edges"]})
        if not listed["pageInfo"]["hasNextPage"]:
            break
        after = listed["pageInfo"]["endCursor"]
    assert len(products) == listed["totalCount"] >= 4
    assert {"BANK_TAX_LOAN", "RURAL_CREDIT_LOAN", "INCLUSIVE_LOAN", "PURE_CREDIT_LOAN"} <= set(
        products
    )
    limits = products["BANK_TAX_LOAN"]["parameters"]["limitsByGrade"]
    found: list[tuple[str, Decimal | int]] = [
        (x["grade"], Decimal(x["limit"]["yuan"])) for x in limits
    ]
    assert found == [
        ("A", 1_000_000),
        ("B", 800_000),
        ("C", 300_000),
    ]
    refused = await gql(client, "{ financingProducts(includeInactive: true) { totalCount } }")
    assert error_code(refused) == "FORBIDDEN"


async def test_operators_change_products_by_new_versions(
    as_client: Callable[..., httpx.AsyncClient],
) -> None:
    code = f"OP_{secrets.token_hex(3).upper()}"
    create = """mutation($input: FinancingProductInput!) { setFinancingProduct(input: $input) {
      code version active parameters { minTaxPaid { yuan } acceptedTaxGrades } } }"""
    new = {
        "code": code,
        "name": "运营测试贷",
        "bankId": "op-bank",
        "bankName": "运营测试银行",
        "rules": [{"rule": "TAX_GRADE", "hard": True}, {"rule": "TAX_PAID", "hard": False}],
        "parameters": {
            "minAmountYuan": "10000",
            "maxAmountYuan": "500000",
            "minTermMonths": 1,
            "maxTermMonths": 12,
            "acceptedTaxGrades": ["A", "B"],
            "minOperatingMonths": 12,
            "minTaxPaidYuan": "20000",
            "limitByGradeYuan": [{"grade": "B", "limitYuan": "300000"}],
        },
    }
    async with as_client(ADMIN_KEY) as operator, as_client(None) as public:
        first = await gql(operator, create, input=new)
        assert first["data"]["setFinancingProduct"]["version"] == 1, first
        second = await gql(
            operator, create, input={"code": code, "parameters": {"minTaxPaidYuan": "25000"}}
        )
        bad = await gql(
            operator, create, input={"code": code, "parameters": {"acceptedTaxGrades": ["D"]}}
        )
        denied = await gql(public, create, input={"code": code, "active": False})
        versions = await gql(
            public, "query($c:String!){financingProductVersions(code:$c){version}}", c=code
        )
    assert second["data"]["setFinancingProduct"]["version"] == 2
    assert (
        Decimal(second["data"]["setFinancingProduct"]["parameters"]["minTaxPaid"]["yuan"]) == 25000
    )
    assert error_code(bad) == "INVALID_PRODUCT"
    assert error_code(denied) == "FORBIDDEN"
    assert [v["version"] for v in versions["data"]["financingProductVersions"]] == [2, 1]


# --- pre-checks ------------------------------------------------------------------------------


async def test_a_consented_precheck_matches_the_engine_on_the_worlds_facts(
    own_bank: Bank,
    citizen: CitizenFactory,
    world: World,
    bureaus: dict[str, RunningBureau],
    seeded_database: Database,
) -> None:
    uscc = passing_firm(world, own_bank.product)
    consent = await grant(citizen, world, uscc, own_bank.bank_id)
    rep_consent = await grant(citizen, world, uscc, own_bank.bank_id, for_rep=True)
    for b in bureaus.values():
        b.service.state.reset()
    body = await gql(own_bank.http, PRECHECK, input=request(uscc, own_bank.product.code))
    assert "errors" not in body, body
    got = body["data"]["precheckFinancing"]
    expected = evaluate(
        own_bank.product,
        world_facts(world, uscc, consents=FULL),
        amount_yuan=Decimal(100_000),
        day=world.config.today,
        policy=world.config.policy,
    )
    assert got["outcome"] == "PASS" == expected.outcome.value
    assert got["score"] == expected.score
    assert Decimal(got["suggestedLimit"]["yuan"]) == expected.suggested_limit_yuan
    observed = {r["rule"]: r["observed"] for r in got["reasons"]}
    assert observed.pop("CONSENT") == f"授权编号 {consent}"
    assert observed == {
        r.rule.value: r.observed for r in expected.reasons if r.rule.value != "CONSENT"
    }
    assert set(got["consentIds"]) == {consent, rep_consent}
    assert got["productVersion"] == 1
    tax = next(r for r in got["reasons"] if r["rule"] == "TAX_PAID")
    assert tax["sources"] == ["TAX"]
    assert tax["provenance"] == [{"source": "TAX", "cached": False, "stale": False}]
    assert got["explanation"]["whyNot"] == []
    assert calls(bureaus) == {
        "court": 1,
        "market": 1,
        "tax": 1,
        "hrss": 1,
        "utilities": 1,
        "national": 1,
        "identity": 0,
        "customs": 1,  # public records: part of every firm's records
        "ip": 1,
        "realestate": 0,
    }
    rows = await seeded_database.pool.fetch(
        "SELECT subject_key, consent_id, purpose, scopes, fields FROM audit_log "
        "WHERE request_id = $1 AND subject_key = ANY($2::text[])",
        body["extensions"]["requestId"],
        [uscc, person_subject_key(world.registrations[uscc].legal_rep_id, DEMO_SUBJECT_KEY_SECRET)],
    )
    by_subject = {r["subject_key"]: r for r in rows}
    firm = by_subject[uscc]
    assert (firm["consent_id"], firm["purpose"]) == (consent, "信易贷贷前审查")
    assert set(firm["scopes"]) == {"tax", "hrss", "utilities"}
    assert "precheckFinancing.tax_payments" in firm["fields"]
    assert len(rows) == 2  # the firm and its legal representative, each once


async def test_without_consent_it_refers_and_never_asks_the_gated_bureaus(
    own_bank: Bank, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    uscc = passing_firm(world, own_bank.product, skip=1)
    body = await gql(own_bank.http, PRECHECK, input=request(uscc, own_bank.product.code))
    got = body["data"]["precheckFinancing"]
    assert got["outcome"] == "REFER"
    verdicts = {r["rule"]: r["verdict"] for r in got["reasons"]}
    assert verdicts["CONSENT"] == "MISSING"
    assert verdicts["TAX_GRADE"] == verdicts["SOCIAL_INSURANCE"] == "MISSING"
    assert verdicts["LEGAL_REP_AGE"] == "MISSING"
    consent = next(r for r in got["reasons"] if r["rule"] == "CONSENT")
    assert "纳税信息" in consent["message"]
    assert got["suggestedLimit"] is None
    assert got["consentIds"] == []
    assert {n: calls(bureaus)[n] for n in ("tax", "hrss", "utilities")} == {
        "tax": 0,
        "hrss": 0,
        "utilities": 0,
    }


async def test_the_same_key_returns_the_stored_decision(
    own_bank: Bank, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    uscc = world.boundary["defaulter_ground1_unperformed"]
    first = await gql(
        own_bank.http, PRECHECK, input=request(uscc, own_bank.product.code, key="k-1")
    )
    assert first["data"]["precheckFinancing"]["outcome"] == "DECLINE", first
    for b in bureaus.values():
        b.service.state.reset()
    again = await gql(
        own_bank.http, PRECHECK, input=request(uscc, own_bank.product.code, key="k-1")
    )
    assert again["data"] == first["data"]
    assert sum(calls(bureaus).values()) == 0
    other = await gql(
        own_bank.http, PRECHECK, input=request(uscc, own_bank.product.code, 200_000, key="k-1")
    )
    assert error_code(other) == "IDEMPOTENCY_CONFLICT"


async def test_a_bureau_down_refers_with_the_missing_fact(
    own_bank: Bank, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    bureaus["court"].service.state.behaviour = Behaviour(down=True)
    uscc = world.boundary["clean_a_grade"]
    body = await gql(own_bank.http, PRECHECK, input=request(uscc, own_bank.product.code))
    got = body["data"]["precheckFinancing"]
    assert got["outcome"] in ("REFER", "DECLINE")
    missing = {r["rule"] for r in got["reasons"] if r["verdict"] == "MISSING"}
    assert {"NOT_DEFAULTER", "LEGAL_REP_NOT_DEFAULTER"} <= missing
    court = next(r for r in got["reasons"] if r["rule"] == "NOT_DEFAULTER")
    assert "数据来源部门暂时无法提供" in court["message"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"productCode": "NO_SUCH_LOAN"}, "UNKNOWN_PRODUCT"),
        ({"amount": "1"}, "AMOUNT_OUT_OF_RANGE"),
        ({"uscc": "91350100M000100Y4Z"}, "INVALID_CREDIT_CODE"),
        ({"uscc": "91350100M000100Y43"}, "ENTERPRISE_NOT_FOUND"),
        ({"idempotencyKey": "has space"}, "INVALID_PRECHECK_REQUEST"),
    ],
)
async def test_refusals(own_bank: Bank, world: World, change: dict[str, str], code: str) -> None:
    uscc = world.boundary["clean_a_grade"]
    body = await gql(
        own_bank.http, PRECHECK, input={**request(uscc, own_bank.product.code), **change}
    )
    assert error_code(body) == code, body


async def test_only_banks_with_the_scope_and_only_their_products(
    bank: httpx.AsyncClient, officer: httpx.AsyncClient, client: httpx.AsyncClient, world: World
) -> None:
    uscc = world.boundary["clean_a_grade"]
    light = "mutation($input: PrecheckFinancingInput!){precheckFinancing(input: $input){id}}"
    for caller in (officer, client):
        assert error_code(await gql(caller, light, input=request(uscc, "BANK_TAX_LOAN"))) == (
            "FORBIDDEN"
        )
    rural = await gql(bank, PRECHECK, input=request(uscc, "RURAL_CREDIT_LOAN"))
    assert error_code(rural) == "FORBIDDEN"  # another bank's product
    own = await gql(bank, PRECHECK, input=request(uscc, "BANK_TAX_LOAN"))
    assert own["data"]["precheckFinancing"]["bankName"] == "演示银行（合成数据）"


# --- batch ---------------------------------------------------------------------------------


async def test_a_batch_of_100_makes_one_call_per_bureau(
    own_bank: Bank, citizen: CitizenFactory, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    firms = list(itertools.islice(world.organisation_codes(EntityType.ENTERPRISE), 99))
    for uscc in firms[:3]:
        await grant(citizen, world, uscc, own_bank.bank_id)
    await grant(citizen, world, firms[0], own_bank.bank_id, for_rep=True)
    items = [{"uscc": u, "amount": "50000"} for u in firms] + [
        {"uscc": "91350100M000100Y4Z", "amount": "50000"}
    ]
    for b in bureaus.values():
        b.service.state.reset()
    batch = {
        "productCode": own_bank.product.code,
        "purpose": "LOAN_PRECHECK",
        "idempotencyKey": "batch-1",
        "items": items,
    }
    body = await gql(own_bank.http, BATCH, input=batch)
    assert "errors" not in body, body
    result = body["data"]["precheckFinancingBatch"]
    assert len(result) == 100
    # The court is asked about each firm and its legal representative: 198 subjects, and it
    # takes at most 100 per call.  Every other bureau: one call for the whole batch.
    assert calls(bureaus) == {
        "court": 2,
        "market": 1,
        "tax": 1,
        "hrss": 1,
        "utilities": 1,
        "national": 1,
        "identity": 0,
        "customs": 1,  # public records: part of every firm's records
        "ip": 1,
        "realestate": 0,
    }
    assert (
        bureaus["court"].service.state.calls == {"subjects.batchGet": 2}
        or len(bureaus["court"].service.state.calls) == 1
    )
    assert all(r["precheck"] for r in result[:99])
    assert result[99]["error"]["code"] == "INVALID_CREDIT_CODE"
    assert result[99]["precheck"] is None
    outcomes = [r["precheck"]["outcome"] for r in result[3:99]]
    assert "PASS" not in outcomes  # no consent: referred at best
    for b in bureaus.values():
        b.service.state.reset()
    again = await gql(own_bank.http, BATCH, input=batch)
    assert again["data"] == body["data"]
    assert sum(calls(bureaus).values()) == 0
    changed = await gql(own_bank.http, BATCH, input={**batch, "items": items[:5]})
    assert error_code(changed) == "IDEMPOTENCY_CONFLICT"
    too_many = await gql(
        own_bank.http, BATCH, input={**batch, "idempotencyKey": "b-2", "items": items * 2}
    )
    assert error_code(too_many) == "INVALID_PRECHECK_REQUEST"


async def test_a_batch_of_50_makes_exactly_one_call_per_bureau(
    own_bank: Bank, citizen: CitizenFactory, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    firms = list(itertools.islice(world.organisation_codes(EntityType.ENTERPRISE), 100, 150))
    await grant(citizen, world, firms[0], own_bank.bank_id)
    for b in bureaus.values():
        b.service.state.reset()
    batch = {
        "productCode": own_bank.product.code,
        "purpose": "LOAN_PRECHECK",
        "idempotencyKey": "batch-50",
        "items": [{"uscc": u, "amount": "50000"} for u in firms],
    }
    body = await gql(own_bank.http, BATCH, input=batch)
    assert len(body["data"]["precheckFinancingBatch"]) == 50
    assert calls(bureaus) == {
        "court": 1,
        "market": 1,
        "tax": 1,
        "hrss": 1,
        "utilities": 1,
        "national": 1,
        "identity": 0,
        "customs": 1,  # public records: part of every firm's records
        "ip": 1,
        "realestate": 0,
    }


# --- outcomes, statistics, the enterprise's view ---------------------------------------------


async def test_outcomes_are_reported_once_and_counted_by_month(
    own_bank: Bank, bank: httpx.AsyncClient, officer: httpx.AsyncClient, world: World
) -> None:
    uscc = world.boundary["clean_a_grade"]
    made = await gql(own_bank.http, PRECHECK, input=request(uscc, own_bank.product.code))
    precheck_id = made["data"]["precheckFinancing"]["id"]
    approved = {
        "id": precheck_id,
        "outcome": "APPROVED",
        "amount": "80000",
        "rate": "3.65",
        "term": 12,
    }
    first = await gql(own_bank.http, REPORT, **approved)
    assert first["data"]["reportLoanOutcome"]["loanOutcome"]["outcome"] == "APPROVED", first
    assert (await gql(own_bank.http, REPORT, **approved))["data"] == first["data"]
    assert error_code(await gql(own_bank.http, REPORT, id=precheck_id, outcome="DECLINED")) == (
        "OUTCOME_CONFLICT"
    )
    assert error_code(await gql(bank, REPORT, id=precheck_id, outcome="DECLINED")) == (
        "PRECHECK_NOT_FOUND"
    )
    assert error_code(await gql(own_bank.http, REPORT, id=precheck_id, outcome="APPROVED")) == (
        "INVALID_PRECHECK_REQUEST"
    )
    month = world.config.today.replace(day=1).isoformat()
    stats = await gql(
        officer,
        """query($p: String, $m: Date!) { financingApprovalStats(productCode: $p, fromMonth: $m,
           toMonth: $m) { productCode month prechecks reported approved approvedAmount { yuan }
           approvalRate } }""",
        p=own_bank.product.code,
        m=month,
    )
    [row] = stats["data"]["financingApprovalStats"]
    assert (row["month"], row["prechecks"], row["reported"], row["approved"]) == (month, 1, 1, 1)
    assert Decimal(row["approvedAmount"]["yuan"]) == 80_000
    assert row["approvalRate"] == 1.0
    denied = await gql(
        own_bank.http,
        "query($m: Date!){financingApprovalStats(fromMonth:$m, toMonth:$m){month}}",
        m=month,
    )
    assert error_code(denied) == "FORBIDDEN"


async def test_the_enterprise_sees_who_prechecked_it_and_why_not(
    own_bank: Bank, citizen: CitizenFactory, world: World
) -> None:
    uscc = world.boundary["abnormal_listed_3_years_ago"]
    made = await gql(own_bank.http, PRECHECK, input=request(uscc, own_bank.product.code))
    precheck_id = made["data"]["precheckFinancing"]["id"]
    rep = world.registrations[uscc].legal_rep_id
    query = """query($u: String) { myEnterprisePrechecks(uscc: $u, first: 5) { totalCount
      edges { cursor node { id bankName outcome outcomeText
        explanation { summary whyNot toFix } } } } }"""
    async with citizen(rep, (uscc,)) as http:
        mine = await gql(http, query, u=uscc)
        one = await gql(
            http, "query($i: ID!){financingPrecheck(id: $i){id outcome}}", i=precheck_id
        )
    nodes = [e["node"] for e in mine["data"]["myEnterprisePrechecks"]["edges"]]
    seen = next(n for n in nodes if n["id"] == precheck_id)
    assert seen["bankName"] == "测试银行（合成数据）"
    assert seen["outcome"] == "DECLINE"
    assert seen["explanation"]["summary"].startswith("测试银行（合成数据）于")
    assert any(w.startswith("经营异常名录：") for w in seen["explanation"]["whyNot"])
    assert any("移出经营异常名录" in f for f in seen["explanation"]["toFix"])
    assert one["data"]["financingPrecheck"]["id"] == precheck_id
    stranger = world.registrations[world.boundary["clean_a_grade"]].legal_rep_id
    async with citizen(stranger, (world.boundary["clean_a_grade"],)) as http:
        other = await gql(http, "query($i: ID!){financingPrecheck(id: $i){id}}", i=precheck_id)
        theirs = await gql(http, query, u=uscc)
    assert error_code(other) == "PRECHECK_NOT_FOUND"
    assert error_code(theirs) == "FORBIDDEN"


async def test_a_bank_reading_its_precheck_again_is_audited(
    own_bank: Bank, bank: httpx.AsyncClient, world: World, seeded_database: Database
) -> None:
    uscc = world.boundary["young_enterprise"]
    made = await gql(own_bank.http, PRECHECK, input=request(uscc, own_bank.product.code))
    precheck_id = made["data"]["precheckFinancing"]["id"]
    query = "query($i: ID!){financingPrecheck(id: $i){id reasons { rule }}}"
    read = await gql(own_bank.http, query, i=precheck_id)
    rows = await seeded_database.pool.fetch(
        "SELECT fields FROM audit_log WHERE subject_key = $1 AND request_id = $2",
        uscc,
        read["extensions"]["requestId"],
    )
    assert [list(r["fields"]) for r in rows] == [["financingPrecheck"]]
    assert error_code(await gql(bank, query, i=precheck_id)) == "PRECHECK_NOT_FOUND"


async def test_no_audit_row_no_decision(
    own_bank: Bank, world: World, seeded_database: Database
) -> None:
    uscc = world.boundary["penalty_repaired"]
    await seeded_database.pool.execute(
        """CREATE FUNCTION test_refuse_audit_fin() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN RAISE EXCEPTION 'audit store unavailable (test)'; END $$;
           CREATE TRIGGER test_refuse_audit_fin BEFORE INSERT ON audit_log
           FOR EACH ROW EXECUTE FUNCTION test_refuse_audit_fin();"""
    )
    try:
        body = await gql(own_bank.http, PRECHECK, input=request(uscc, own_bank.product.code))
    finally:
        await seeded_database.pool.execute(
            "DROP TRIGGER test_refuse_audit_fin ON audit_log;DROP FUNCTION test_refuse_audit_fin();"
        )
    assert body["data"] is None
    assert error_code(body) == "AUDIT_UNAVAILABLE"
    stored = await seeded_database.pool.fetchval(
        "SELECT count(*) FROM financing_prechecks WHERE bank_id = $1", own_bank.bank_id
    )
    assert stored == 0
