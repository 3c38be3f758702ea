"""What every bureau simulator does, over real HTTP: keys, batches, faults and call counters."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from simulators.runner import BUREAUS, RunningBureau
from simulators.service import MAX_BATCH
from simulators.world import World
from tests.simulators.calls import BUREAU_CALLS, BureauCall, Tokens, token_for

pytestmark = pytest.mark.parametrize("name", BUREAUS)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


def _subject(world: World, name: str) -> str:
    return world.boundary["defaulter_legal_rep" if name == "identity" else "every_kind"]


def _tokens(call: BureauCall, secrets: dict[str, bytes]) -> Tokens:
    scope = call.scope
    if scope is None:
        return lambda _: None
    return lambda code: token_for(secrets[scope], code, scope)


async def _single(
    http: httpx.AsyncClient,
    name: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    keys: dict[str, str],
    secrets: dict[str, bytes],
    *,
    key: str | None = None,
) -> httpx.Response:
    call = BUREAU_CALLS[name]
    request = call.single(_subject(world, name), _tokens(call, secrets))
    auth = call.auth(keys[name] if key is None else key) if key != "" else {}
    return await request.send(http, bureaus[name].url, auth)


async def _control(
    http: httpx.AsyncClient, bureau: RunningBureau, key: str, **behaviour: object
) -> None:
    response = await http.post(
        f"{bureau.url}/_control/behaviour", json=behaviour, headers={"X-Api-Key": key}
    )
    assert response.status_code == 200


async def test_refuses_a_missing_or_wrong_key_and_does_not_count_it(
    http: httpx.AsyncClient,
    name: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    bureau_secrets: dict[str, bytes],
) -> None:
    args = (http, name, world, bureaus, bureau_keys, bureau_secrets)
    assert (await _single(*args, key="")).status_code == 401
    assert (await _single(*args, key="wrong-key")).status_code == 401
    assert (await _single(*args, key=bureau_keys[name] + "x")).status_code == 401
    assert bureaus[name].service.state.total_calls == 0
    assert (await _single(*args)).status_code == 200
    assert bureaus[name].service.state.total_calls == 1


async def test_control_routes_need_the_key(
    http: httpx.AsyncClient, name: str, bureaus: dict[str, RunningBureau]
) -> None:
    url = bureaus[name].url
    assert (await http.get(f"{url}/_control/stats")).status_code == 401
    refused = await http.post(f"{url}/_control/behaviour", json={"down": True})
    assert refused.status_code == 401
    assert not bureaus[name].service.state.behaviour.down


async def test_batches_take_up_to_a_hundred_subjects(
    http: httpx.AsyncClient,
    name: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    bureau_secrets: dict[str, bytes],
) -> None:
    call = BUREAU_CALLS[name]
    auth = call.auth(bureau_keys[name])
    tokens = _tokens(call, bureau_secrets)
    if call.batch is None:  # identity verifies one person per call and refuses lists
        subject = _subject(world, name)
        listed = await http.post(
            f"{bureaus[name].url}/identity/v1/verify",
            json=[{"name": "某", "idNumber": subject}] * 2,
            headers=auth,
        )
        assert listed.status_code == 400
        return
    codes = list(world.organisation_codes())
    hundred = [_subject(world, name), *codes[: MAX_BATCH - 1]]
    answered = await call.batch(hundred, tokens).send(http, bureaus[name].url, auth)
    assert answered.status_code == 200
    too_many = [*hundred, codes[MAX_BATCH]]
    refused = await call.batch(too_many, tokens).send(http, bureaus[name].url, auth)
    assert refused.status_code == 400
    assert str(MAX_BATCH) in refused.text


async def test_latency_is_injected(
    http: httpx.AsyncClient,
    name: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    bureau_secrets: dict[str, bytes],
) -> None:
    await _control(http, bureaus[name], bureau_keys[name], latency_ms=[120, 120])
    started = time.perf_counter()
    response = await _single(http, name, world, bureaus, bureau_keys, bureau_secrets)
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.11


@pytest.mark.parametrize(
    ("behaviour", "status"),
    [({"error_rate": 1.0}, 500), ({"down": True}, 503), ({"fail_next": 5}, 503)],
)
async def test_server_errors_are_injected(
    http: httpx.AsyncClient,
    name: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    bureau_secrets: dict[str, bytes],
    behaviour: dict[str, object],
    status: int,
) -> None:
    await _control(http, bureaus[name], bureau_keys[name], **behaviour)
    args = (http, name, world, bureaus, bureau_keys, bureau_secrets)
    assert (await _single(*args)).status_code == status


async def test_fail_next_then_success(
    http: httpx.AsyncClient,
    name: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    bureau_secrets: dict[str, bytes],
) -> None:
    await _control(http, bureaus[name], bureau_keys[name], fail_next=2)
    args = (http, name, world, bureaus, bureau_keys, bureau_secrets)
    assert [(await _single(*args)).status_code for _ in range(3)] == [503, 503, 200]


async def test_throttling_says_when_to_retry(
    http: httpx.AsyncClient,
    name: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    bureau_secrets: dict[str, bytes],
) -> None:
    await _control(http, bureaus[name], bureau_keys[name], throttle_next=1, retry_after_s=7)
    args = (http, name, world, bureaus, bureau_keys, bureau_secrets)
    throttled = await _single(*args)
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "7"
    assert (await _single(*args)).status_code == 200


async def test_malformed_answers_are_injected(
    http: httpx.AsyncClient,
    name: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    bureau_secrets: dict[str, bytes],
) -> None:
    await _control(http, bureaus[name], bureau_keys[name], malformed=True)
    response = await _single(http, name, world, bureaus, bureau_keys, bureau_secrets)
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_calls_are_counted_per_route(
    http: httpx.AsyncClient,
    name: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    bureau_secrets: dict[str, bytes],
) -> None:
    for _ in range(3):
        await _single(http, name, world, bureaus, bureau_keys, bureau_secrets)
    stats = await http.get(
        f"{bureaus[name].url}/_control/stats", headers={"X-Api-Key": bureau_keys[name]}
    )
    body = stats.json()
    assert body["calls"] == 3
    assert list(body["by_route"].values()) == [3]
    reset = await http.post(
        f"{bureaus[name].url}/_control/reset", headers=BUREAU_CALLS[name].auth(bureau_keys[name])
    )
    assert reset.status_code == 200
    assert bureaus[name].service.state.total_calls == 0


async def test_after_a_reset_faults_are_drawn_as_after_start_up(
    http: httpx.AsyncClient,
    name: str,
    world: World,
    bureaus: dict[str, RunningBureau],
    bureau_keys: dict[str, str],
    bureau_secrets: dict[str, bytes],
) -> None:
    args = (http, name, world, bureaus, bureau_keys, bureau_secrets)

    async def drawn() -> list[int]:
        await _control(http, bureaus[name], bureau_keys[name], error_rate=0.5)
        return [(await _single(*args)).status_code for _ in range(8)]

    first = await drawn()
    assert set(first) == {200, 500}
    reset = await http.post(
        f"{bureaus[name].url}/_control/reset", headers=BUREAU_CALLS[name].auth(bureau_keys[name])
    )
    assert reset.status_code == 200
    assert await drawn() == first  # whatever tests or benchmarks drew before the reset
