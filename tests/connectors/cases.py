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
from decimal import Decimal
from typing import Any

import httpx

from connectors.clock import Clock
from connectors.config import BureauConfig
from connectors.court import CourtConnector
from connectors.customs import CustomsConnector
from connectors.hrss import HrssConnector
from connectors.http import HttpBureau
from connectors.identity import IdentityConnector, IdentityVerdict
from connectors.ip import IpConnector
from connectors.market import MarketConnector
from connectors.national import NationalConnector
from connectors.protocol import Grant
from connectors.provenance import Sourced
from connectors.realestate import RealEstateConnector
from connectors.tax import TaxConnector, TaxLedger
from connectors.utilities import UtilitiesConnector
from credit.authorisation import sign_subject_token
from credit.money import yuan
from credit.publicity import never_published
from credit.records import CreditRecord, RecordKind, Severity, Source
from simulators.customs import customs_file
from simulators.facts import SubjectFacts
from simulators.ip import ip_rights
from simulators.realestate import real_estate_file
from simulators.world import World, make_uscc

__all__ = [
    "BATCH_CASES",
    "CASES",
    "GATED_CASES",
    "ConnectorCase",
    "added_public_records",
    "mint",
    "unknown_uscc",
]

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
    _gated(
        "tax.ledgers",
        TaxConnector,
        "ledgers",
        "ledger",
        lambda f: TaxLedger(f.tax.grades, f.tax.payments) if f.tax else None,
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


# --- the bureaus added as data (connectors/customs.py, ip.py, realestate.py) ------------------
# Each answer is what the bureau's file says, mapped by hand here from the simulator's own rows.


def _wan(text: str | Decimal) -> Decimal:
    return yuan(Decimal(text) * 10_000)


def _customs_credit(world: World, code: str) -> tuple[CreditRecord, ...]:
    found = customs_file(world, code)
    if found is None:
        return ()
    cc = found.customs_code
    records = [
        CreditRecord(
            id=f"CR-{cc}",
            kind=RecordKind("CUSTOMS_REGISTRATION"),
            source=Source("customs"),
            subject_code=code,
            title=f"进出口货物收发货人备案（海关编码 {cc}）",
            decided_on=found.registered_on,
            authority="海关",
            details={"customs_code": cc, "rating": found.rating},
        )
    ]
    listed = {"高级认证": ("CA", "CUSTOMS_CERTIFIED", "海关高级认证企业", None),
              "失信": ("CD", "CUSTOMS_DISHONEST", "海关失信企业", Severity.SERIOUS)}  # fmt: skip
    if found.rating in listed:
        prefix, kind, title, severity = listed[found.rating]
        records.append(
            CreditRecord(
                id=f"{prefix}-{cc}",
                kind=RecordKind(kind),
                source=Source("customs"),
                subject_code=code,
                title=title,
                decided_on=found.rated_on,
                authority="海关",
                legal_basis="《海关注册登记和备案企业信用管理办法》",
                severity=severity,
                list_name=f"{title}名单",
            )
        )
    return tuple(records)


def _customs_declarations(world: World, code: str) -> tuple[CreditRecord, ...] | None:
    found = customs_file(world, code)
    if found is None:
        return None
    return tuple(
        CreditRecord(
            id=f"CM-{code}-{month:%Y-%m}",
            kind=RecordKind("CUSTOMS_DECLARATION"),
            source=Source("customs"),
            subject_code=code,
            title=f"{month.year}年{month.month}月进出口申报",
            decided_on=month,
            authority="海关",
            amount_yuan=_wan(imports) + _wan(exports),
            details={"imports_yuan": str(_wan(imports)), "exports_yuan": str(_wan(exports))},
        )
        for month, imports, exports in found.months
    )


def _day(stamp: str | None) -> dt.date | None:
    return dt.date.fromisoformat(stamp[:10]) if stamp else None


def _on(stamp: str) -> dt.date:
    return dt.date.fromisoformat(stamp[:10])


def _ip(world: World, code: str) -> tuple[CreditRecord, ...] | None:
    rights = ip_rights(world, code)
    if rights is None:
        return None
    found: list[CreditRecord] = []
    for r in rights:
        a = r.attributes
        common: dict[str, Any] = {"id": r.id, "source": Source("ip"), "subject_code": code}
        common["authority"] = "国家知识产权局"
        if r.type == "patents":
            title = f"{a['category']}专利 {a['number']}：{a['title']}"
            details = {"number": a["number"], "category": a["category"]}
            found.append(CreditRecord(kind=RecordKind("PATENT"), title=title,
                                      decided_on=_on(a["grantedAt"]), ended_on=_day(a["lapsedAt"]),
                                      details=details, **common))  # fmt: skip
        elif r.type == "trademarks":
            title = f"注册商标「{a['mark']}」第{a['niceClass']}类（注册号 {a['regNo']}）"
            details = {"reg_no": a["regNo"], "expires_on": a["expiresAt"][:10]}
            found.append(CreditRecord(kind=RecordKind("TRADEMARK"), title=title,
                                      decided_on=_on(a["registeredAt"]), details=details,
                                      **common))  # fmt: skip
        else:
            title = f"知识产权质押登记 {a['regNo']}（质权人：{a['pledgee']}）"
            found.append(CreditRecord(kind=RecordKind("IP_PLEDGE"), title=title,
                                      decided_on=_on(a["registeredAt"]),
                                      ended_on=_day(a["releasedAt"]),
                                      amount_yuan=yuan(Decimal(a["amountCents"]) / 100),
                                      details={"pledgee": a["pledgee"]}, **common))  # fmt: skip
    return tuple(found)


def _cn(text: str | None) -> dt.date | None:
    return _cn_on(text) if text is not None else None


def _cn_on(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))


def _real_estate(world: World, code: str) -> tuple[CreditRecord, ...] | None:
    found = real_estate_file(world, code)
    if found is None:
        return None
    source, authority = Source("realestate"), "不动产登记机构"
    held = [
        CreditRecord(
            id=r["bdcqzh"],
            kind=RecordKind("REAL_ESTATE"),
            source=source,
            subject_code=code,
            title=f"{r['yt']}用途不动产 {r['zl']}（{r['mj']}平方米）",
            decided_on=_cn_on(r["djrq"]),
            authority=authority,
            details={"area_m2": str(Decimal(r["mj"])), "use": r["yt"]},
        )
        for r in found["qlxx"]
    ]
    mortgages = [
        CreditRecord(
            id=m["dyzmh"],
            kind=RecordKind("MORTGAGE"),
            source=source,
            subject_code=code,
            title=f"抵押权登记（抵押权人：{m['dyqr']}）",
            decided_on=_cn_on(m["djrq"]),
            authority=authority,
            ended_on=_cn(m["zxrq"]),
            amount_yuan=_wan(m["bdbzzqse"]),
            details={"mortgagee": m["dyqr"]},
        )
        for m in found["dyxx"]
    ]
    seizures = [
        CreditRecord(
            id=s["cfwh"],
            kind=RecordKind("SEIZURE"),
            source=source,
            subject_code=code,
            title=f"查封登记 {s['cfwh']}",
            decided_on=_cn_on(s["djrq"]),
            authority=s["cfjg"],
            ended_on=_cn(s["jfrq"]),
        )
        for s in found["cfxx"]
    ]
    return (*held, *mortgages, *seizures)


def _first(pick: Callable[[World, str], Any]) -> Callable[[World], list[str]]:
    """Organisations, those ``pick`` gives something for first (each group sorted)."""
    return lambda world: sorted(sorted(world.registrations), key=lambda c: not pick(world, c))


CUSTOMS_CREDIT = ConnectorCase(
    name="customs.credit",
    bureau="customs",
    build=_builder(CustomsConnector),
    call=lambda c, codes: c.credit(codes),
    known=_first(_customs_credit),
    expected=_customs_credit,
    kind="credit",
    unknown_is_empty=True,
)
IP_RIGHTS = ConnectorCase(
    name="ip.rights",
    bureau="ip",
    build=_builder(IpConnector),
    call=lambda c, codes: c.rights(codes),
    known=_first(_ip),
    expected=_ip,
    kind="rights",
)
NEW_GATED_CASES = [
    ConnectorCase(
        name="customs.declarations",
        bureau="customs",
        build=_builder(CustomsConnector),
        call=lambda c, grants: c.declarations(grants),
        known=_first(_customs_declarations),
        expected=_customs_declarations,
        kind="declarations",
        scope="customs",
    ),
    ConnectorCase(
        name="realestate.holdings",
        bureau="realestate",
        build=_builder(RealEstateConnector),
        call=lambda c, grants: c.holdings(grants),
        known=_first(_real_estate),
        expected=_real_estate,
        kind="holdings",
        scope="realestate",
    ),
]
GATED_CASES.extend(NEW_GATED_CASES)
BATCH_CASES.extend([CUSTOMS_CREDIT, IP_RIGHTS, *NEW_GATED_CASES])
CASES = [*BATCH_CASES, IDENTITY]


def added_public_records(world: World, code: str) -> tuple[CreditRecord, ...]:
    """The public records the added bureaus (customs, IP office) hold on ``code``."""
    return (*_customs_credit(world, code), *(_ip(world, code) or ()))
