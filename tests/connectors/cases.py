"""One entry per HTTP connector method under contract: how to build the connector, call the
method with a list of codes, and what the test world says it should answer.

``CASES`` holds every HTTP connector (the identity verifier included); ``BATCH_CASES`` the
cached batch methods; ``GATED_CASES`` those that need a per-subject authorisation token.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from connectors.clock import Clock
from connectors.config import BureauConfig
from connectors.court import CourtConnector
from connectors.hrss import HrssConnector
from connectors.http import HttpBureau
from connectors.identity import IdentityConnector, IdentityVerdict
from connectors.market import MarketConnector
from connectors.national import NationalConnector
from connectors.protocol import Grant
from connectors.provenance import Sourced
from connectors.tax import TaxConnector
from connectors.utilities import UtilitiesConnector
from credit.authorisation import sign_subject_token
from credit.publicity import never_published
from credit.records import CreditRecord
from simulators.facts import SubjectFacts
from simulators.world import World, make_uscc

__all__ = ["BATCH_CASES", "CASES", "GATED_CASES", "ConnectorCase", "mint", "unknown_uscc"]

Call = Callable[[Any, Any], Awaitable[Mapping[str, Sourced[Any]]]]
Build = Callable[[httpx.AsyncClient, BureauConfig, Clock], HttpBureau]


@dataclass(frozen=True)
class ConnectorCase:
    name: str  # test id, e.g. "market.penalties"
    bureau: str
    build: Build
    call: Call  # (connector, codes — or, when gated, {code: Grant}) → answers by code
    known: Callable[[World], list[str]]  # codes to ask for, the interesting ones first
    expected: Callable[[World, str], Any]  # what the answer's value must equal
    kind: str = ""  # the cached data kind ("" for the uncached verifier)
    scope: str | None = None  # authorisation scope of a consent-gated method
    unknown_is_empty: bool = False  # the bureau cannot tell "unknown" from "nothing on record"

    def __str__(self) -> str:
        return self.name


def unknown_uscc(world: World, n: int = 1) -> list[str]:
    """Valid codes that no bureau in ``world`` knows."""
    rng = random.Random(99)
    codes: list[str] = []
    while len(codes) < n:
        code = make_uscc(rng, "91", "640500")
        if code not in world.registrations:
            codes.append(code)
    return codes


def mint(secret: bytes, scope: str, codes: Sequence[str], consent_id: str) -> dict[str, Grant]:
    """What the gateway will do from a live consent: one signed token per subject."""
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    return {
        code: Grant(
            consent_id,
            sign_subject_token(
                secret, subject=code, scope=scope, consent_id=consent_id, expires_at=expires
            ),
        )
        for code in codes
    }


def _facts(world: World, code: str) -> SubjectFacts:
    facts = world.facts(code)
    assert facts is not None
    return facts


def _orgs_with(pick: Callable[[SubjectFacts], Any]) -> Callable[[World], list[str]]:
    """Organisations, those for which ``pick`` is truthy first (each group sorted)."""

    def known(world: World) -> list[str]:
        orgs = sorted(world.registrations)
        return sorted(orgs, key=lambda code: not pick(_facts(world, code)))

    return known


def _by_id(records: Sequence[CreditRecord]) -> list[CreditRecord]:
    return sorted(records, key=lambda r: r.id)


def _published(penalties: Sequence[CreditRecord]) -> tuple[CreditRecord, ...]:
    """What the market connector passes on: the world's feed marks a market warning alone and a
    简易程序 decision, which SAMR Order 45 Art. 2 never publishes, and the connector drops them."""
    return tuple(p for p in penalties if not never_published(p))


def _records(pick: Callable[[SubjectFacts], Sequence[CreditRecord]]) -> Callable[..., Any]:
    return lambda world, code: tuple(pick(_facts(world, code)))


# --- builders --------------------------------------------------------------------------------


def _builder(cls: type[HttpBureau]) -> Build:
    return lambda client, config, clock: cls(client, config, clock=clock)


async def _court_call(connector: CourtConnector, codes: Sequence[str]) -> dict[str, Any]:
    found = await connector.records(codes)
    # the court lists a subject's entries by kind; the world by case: compare in id order
    return {c: Sourced(tuple(_by_id(s.value)), s.provenance) for c, s in found.items()}


async def _verify_call(connector: IdentityConnector, people: Sequence[str]) -> dict[str, Any]:
    """The verifier has no batch: one verdict per ``name|phone|id`` (or a bare id: a made-up
    name and phone)."""
    answers = {}
    for entry in people:
        name, phone, id_number = entry.split("|") if "|" in entry else ("测试某", "", entry)
        answers[entry] = await connector.verify(name, id_number, phone or "13900000000")
    return answers


def _people(world: World) -> list[str]:
    return [
        f"{world.persons[code].name}|{world.persons[code].phone}|{code}"
        for code in sorted(world.persons)
    ]


def _market(method: str, kind: str, pick: Callable[[SubjectFacts], Any]) -> ConnectorCase:
    return ConnectorCase(
        name=f"market.{method}",
        bureau="market",
        build=_builder(MarketConnector),
        call=lambda c, codes: getattr(c, method)(codes),
        known=_orgs_with(pick),
        expected=_records(pick),
        kind=kind,
        unknown_is_empty=True,
    )


def _gated(
    name: str, cls: type[HttpBureau], method: str, kind: str, pick: Callable[[SubjectFacts], Any]
) -> ConnectorCase:
    bureau = name.split(".")[0]
    return ConnectorCase(
        name=name,
        bureau=bureau,
        build=_builder(cls),
        call=lambda c, grants: getattr(c, method)(grants),
        known=_orgs_with(lambda f: pick(f) is not None),
        expected=lambda world, code: pick(_facts(world, code)),
        kind=kind,
        scope=bureau,
    )


REGISTRATIONS = ConnectorCase(
    name="market.registrations",
    bureau="market",
    build=_builder(MarketConnector),
    call=lambda c, codes: c.registrations(codes),
    known=lambda world: sorted(world.registrations),
    expected=lambda world, code: world.registrations[code],
    kind="registration",
)
COURT = ConnectorCase(
    name="court.records",
    bureau="court",
    build=_builder(CourtConnector),
    call=_court_call,
    known=lambda world: sorted(
        [*world.registrations, *world.persons],
        key=lambda code: (not _facts(world, code).court, code in world.persons, code),
    ),
    expected=lambda world, code: tuple(_by_id(_facts(world, code).court)),
    kind="records",
    unknown_is_empty=True,
)
NATIONAL = ConnectorCase(
    name="national.entries",
    bureau="national",
    build=_builder(NationalConnector),
    call=lambda c, codes: c.entries(codes),
    known=_orgs_with(lambda f: f.national),
    expected=_records(lambda f: f.national),
    kind="entries",
    unknown_is_empty=True,
)
IDENTITY = ConnectorCase(
    name="identity.verify",
    bureau="identity",
    build=_builder(IdentityConnector),
    call=_verify_call,
    known=_people,
    expected=lambda world, entry: IdentityVerdict.MATCH,
)

GATED_CASES = [
    _gated("tax.grades", TaxConnector, "grades", "grades", lambda f: f.tax and f.tax.grades),
    _gated(
        "tax.payments", TaxConnector, "payments", "payments", lambda f: f.tax and f.tax.payments
    ),
    _gated(
        "hrss.contributions",
        HrssConnector,
        "contributions",
        "contributions",
        lambda f: f.social_insurance,
    ),
    _gated("utilities.bills", UtilitiesConnector, "bills", "bills", lambda f: f.utilities),
]
BATCH_CASES = [
    REGISTRATIONS,
    _market("penalties", "penalties", lambda f: _published(f.penalties)),
    _market("permits", "permits", lambda f: f.permits),
    _market("abnormal_operations", "abnormal-operations", lambda f: f.abnormal),
    _market("serious_violations", "serious-violations", lambda f: f.serious_violations),
    COURT,
    NATIONAL,
    *GATED_CASES,
]
CASES = [*BATCH_CASES, IDENTITY]
