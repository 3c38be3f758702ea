"""Consent-gated connectors (tax, hrss, utilities): per-subject tokens, refusals, revocation."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from pydantic import SecretStr

from connectors.config import BureauConfig
from connectors.errors import ConsentRejected
from connectors.http import HttpBureau
from connectors.protocol import Grant, settle
from credit.authorisation import sign_subject_token
from simulators.runner import RunningBureau
from simulators.world import World
from tests.connectors.cases import GATED_CASES, ConnectorCase, mint, unknown_uscc
from tests.connectors.fake_clock import FakeClock

pytestmark = pytest.mark.parametrize("case", GATED_CASES, ids=str)


@pytest.fixture
async def connector(
    case: ConnectorCase,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    http: httpx.AsyncClient,
    clock: FakeClock,
) -> AsyncIterator[HttpBureau]:
    config = BureauConfig(url=bureaus[case.bureau].url, api_key=SecretStr(bureau_keys[case.bureau]))
    made = case.build(http, config, clock)
    yield made
    await made.aclose()


@pytest.fixture
def grants(
    case: ConnectorCase, bureau_secrets: dict[str, bytes]
) -> Callable[..., dict[str, Grant]]:
    def make(codes: list[str], consent_id: str = "consent-1") -> dict[str, Grant]:
        assert case.scope is not None
        return mint(bureau_secrets[case.bureau], case.scope, codes, consent_id)

    return make


async def test_a_refused_token_fails_that_subject_alone(
    case: ConnectorCase,
    connector: HttpBureau,
    grants: Callable[..., dict[str, Grant]],
    world: World,
    bureaus: dict[str, RunningBureau],
) -> None:
    good, refused, other = case.known(world)[:3]
    asked = grants([good, refused, other])
    asked[refused] = Grant("consent-1", asked[other].token)  # another subject's token
    with pytest.raises(ConsentRejected) as caught:
        await case.call(connector, asked)
    error = caught.value
    assert error.code == "CONSENT_REQUIRED"
    assert set(error.partial) == {good, other}
    assert error.partial[good].value == case.expected(world, good)
    assert set(error.failed) == {refused}
    assert refused not in str(error)
    answers = await settle([good, refused, other], case.call(connector, asked))
    assert isinstance(answers[1], ConsentRejected)
    assert answers[0] is not None
    assert not isinstance(answers[0], Exception)
    assert answers[0].provenance.cached  # the good ones were kept; the refusal was not
    assert bureaus[case.bureau].service.state.total_calls == 2


async def test_a_token_for_another_scope_is_refused(
    case: ConnectorCase, connector: HttpBureau, world: World
) -> None:
    [code] = case.known(world)[:1]
    wrong_scope = next(s for s in ("tax", "hrss", "utilities") if s != case.scope)
    token = sign_subject_token(
        b"whatever-secret",
        subject=code,
        scope=wrong_scope,
        consent_id="c",
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
    )
    with pytest.raises(ConsentRejected):
        await case.call(connector, {code: Grant("c", token)})


async def test_cache_is_per_consent(
    case: ConnectorCase,
    connector: HttpBureau,
    grants: Callable[..., dict[str, Grant]],
    world: World,
    bureaus: dict[str, RunningBureau],
) -> None:
    [code] = case.known(world)[:1]
    await case.call(connector, grants([code], "consent-A"))
    again = await case.call(connector, grants([code], "consent-A"))
    assert again[code].provenance.cached
    other = await case.call(connector, grants([code], "consent-B"))
    assert not other[code].provenance.cached
    assert bureaus[case.bureau].service.state.total_calls == 2


async def test_revocation_drops_the_consents_entries_at_once(
    case: ConnectorCase,
    connector: HttpBureau,
    grants: Callable[..., dict[str, Grant]],
    world: World,
    bureaus: dict[str, RunningBureau],
) -> None:
    a, b = case.known(world)[:2]
    await case.call(connector, grants([a, b], "consent-A"))
    await case.call(connector, grants([a], "consent-B"))
    assert connector.drop_consent("consent-A") == 2
    assert connector.drop_consent("consent-A") == 0
    kept = await case.call(connector, grants([a], "consent-B"))
    assert kept[a].provenance.cached
    refetched = await case.call(connector, grants([a], "consent-A"))
    assert not refetched[a].provenance.cached
    assert bureaus[case.bureau].service.state.total_calls == 3


async def test_unknown_subject_with_a_valid_token_is_absent(
    case: ConnectorCase,
    connector: HttpBureau,
    grants: Callable[..., dict[str, Grant]],
    world: World,
) -> None:
    [unknown] = unknown_uscc(world)
    assert await case.call(connector, grants([unknown])) == {}


async def test_a_gated_kind_keeps_at_most_consent_cache_max_entries(
    case: ConnectorCase,
    grants: Callable[..., dict[str, Grant]],
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    http: httpx.AsyncClient,
    clock: FakeClock,
) -> None:
    # Its entries weigh several KB each (a year of monthly figures): its own, smaller bound.
    config = BureauConfig(
        url=bureaus[case.bureau].url,
        api_key=SecretStr(bureau_keys[case.bureau]),
        cache_max_entries=100,
        consent_cache_max_entries=1,
    )
    connector = case.build(http, config, clock)
    try:
        a, b = case.known(world)[:2]
        await case.call(connector, grants([a]))
        await case.call(connector, grants([b]))  # the only entry now
        assert (await case.call(connector, grants([b])))[b].provenance.cached
        assert not (await case.call(connector, grants([a])))[a].provenance.cached
        assert bureaus[case.bureau].service.state.total_calls == 3
    finally:
        await connector.aclose()
