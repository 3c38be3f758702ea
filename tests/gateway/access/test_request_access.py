"""One request's grants: decided (and signed) once per subject and scope, however many fields
ask, and each refused field gets an error of its own."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from credit.access import ConsentScope, Principal, PrincipalKind
from gateway.consents import RevocationBus
from gateway.database import Database
from gateway.request_access import GatewayAccess
from gateway.settings import Settings
from resolvers.access import ConsentRequired

NOW = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
FIRM = "91640104MA0K3P7W64"


def access(principal: Principal, migrated: Database, settings: Settings) -> GatewayAccess:
    return GatewayAccess(
        principal=principal,
        purpose=None,
        pool=migrated.pool,
        settings=settings,
        person_secret=b"p" * 32,
        revocations=RevocationBus(),
        request_id="req-grants",
        clock=lambda: NOW,
    )


async def test_a_grant_is_decided_once_per_subject_and_scope(
    migrated: Database, settings: Settings
) -> None:
    owner = Principal(PrincipalKind.CITIZEN, subject_key="ck-1", represents=frozenset({FIRM}))
    mine = access(owner, migrated, settings)
    first, second = await asyncio.gather(
        mine.grant(FIRM, FIRM, ConsentScope.TAX), mine.grant(FIRM, FIRM, ConsentScope.TAX)
    )
    assert second is first
    assert await mine.grant(FIRM, FIRM, ConsentScope.TAX) is first
    other = await mine.grant(FIRM, FIRM, ConsentScope.HRSS)
    assert other is not first
    assert other.consent_id == first.consent_id == f"self:{FIRM}"


async def test_each_refused_field_gets_its_own_error(
    migrated: Database, settings: Settings
) -> None:
    bank = Principal(PrincipalKind.BANK, client_id="b1", bank_id="bank-a")
    theirs = access(bank, migrated, settings)  # no X-Purpose stated
    refusals = []
    for _ in range(2):
        with pytest.raises(ConsentRequired) as refused:
            await theirs.grant(FIRM, FIRM, ConsentScope.TAX)
        refusals.append(refused.value)
    assert refusals[0] is not refusals[1]
    assert all(r.purpose_missing and r.scope is ConsentScope.TAX for r in refusals)
