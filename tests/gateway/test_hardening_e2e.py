"""Hardening against the real gateway and simulators: hostile documents never reach a bureau,
and no log line of a full run carries an ID number."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from credit.identifiers import InvalidCreditCode, validate_citizen_id
from simulators.behaviour import Behaviour
from simulators.runner import RunningBureau
from simulators.world import World
from tests.conftest import CitizenFactory
from tests.resolvers.test_access import GATED, gated_enterprise, gql, grant

SUBJECT = 'subject(code: "{code}") {{ records(first: 100) {{ edges {{ node {{ id }} }} }} }}'


def hostile_documents(code: str) -> dict[str, str]:
    deep = f'subject(code: "{code}") {{ __typename }}'
    for _ in range(100):
        deep = "subjects(codes: []) { ... on Enterprise { " + deep + " } }"  # nesting depth
    aliases = " ".join(f"a{i}: " + SUBJECT.format(code=code) for i in range(10_000))
    cost_bomb = (
        '{ searchEnterprises(name: "宁夏", first: 50) { edges { node { '
        + (
            "records(first: 100) { edges { node { id } } } "
            "creditReport { sections { records { id } } } "
        )
        + "} } } }"
    )
    return {
        "depth 100": "{ " + deep + " }",
        "10,000 aliases": "{ " + aliases + " }",
        "cost bomb": cost_bomb,
    }


@pytest.mark.parametrize("name", ["depth 100", "10,000 aliases", "cost bomb"])
async def test_hostile_documents_are_refused_before_any_bureau_call(
    client: httpx.AsyncClient, world: World, bureaus: dict[str, RunningBureau], name: str
) -> None:
    code = gated_enterprise(world, 0)
    response = await client.post("/graphql", json={"query": hostile_documents(code)[name]})
    body = response.json()
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] in {
        "QUERY_TOO_DEEP",
        "TOO_MANY_ALIASES",
        "TOO_MANY_TOKENS",
        "QUERY_TOO_COSTLY",
    }
    assert sum(b.service.state.total_calls for b in bureaus.values()) == 0


async def test_a_5_mb_body_is_refused_before_any_bureau_call(
    gateway_url: str, bureaus: dict[str, RunningBureau]
) -> None:
    # A raw socket: the request head announces 5 MB and the body starts; the gateway must
    # answer 413 from the head alone (httpx would report the early answer as a broken pipe).
    host, port = gateway_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    size = 5 * 1024 * 1024
    writer.write(
        (
            f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\n\r\n"
        ).encode()
        + b'{"query": "'
        + b"x" * 65536
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head, re.I)[1])  # type: ignore[index]
    body = json.loads(await reader.readexactly(length))
    writer.close()
    assert head.startswith(b"HTTP/1.1 413")
    assert body["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert sum(b.service.state.total_calls for b in bureaus.values()) == 0


_ID_SHAPED = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def _real_ids(text: str) -> list[str]:
    found = []
    for candidate in _ID_SHAPED.findall(text):
        try:
            found.append(validate_citizen_id(candidate))
        except InvalidCreditCode:
            continue
    return found


async def test_no_log_line_of_a_full_run_has_an_id_number(
    caplog: pytest.LogCaptureFixture,
    as_client: Callable[..., httpx.AsyncClient],
    citizen: CitizenFactory,
    demo_keys: dict[str, str],
    world: World,
    bureaus: dict[str, RunningBureau],
) -> None:
    caplog.set_level(logging.DEBUG)
    uscc = gated_enterprise(world, 50)
    rep = world.registrations[uscc].legal_rep_id
    person = world.boundary["defaulter_legal_rep"]
    touched = {rep, person}
    await grant(citizen, world, uscc)
    query = "query($c:String!){subject(code:$c){code displayName records(first:5){totalCount}}}"
    async with as_client(demo_keys["bank"], purpose="LOAN_PRECHECK") as bank:
        await gql(bank, GATED, c=uscc)
        await gql(bank, query, c=person)
        await gql(bank, query, c=person[:17] + ("0" if person[17] != "0" else "1"))  # invalid
    async with citizen(rep, (uscc,)) as http:
        await gql(http, query, c=rep)
        await gql(http, GATED, c=uscc)
    bureaus["court"].service.state.behaviour = Behaviour(error_rate=1.0)
    async with as_client(demo_keys["officer"]) as officer:
        uncached = world.boundary["defaulter_performed_2_working_days"]
        body: dict[str, Any] = await gql(officer, query, c=uncached)
    assert body["errors"], "the failing court must have been exercised"
    assert caplog.records, "the run logged nothing: the test would prove nothing"
    logged = "\n".join(
        f"{r.getMessage()} {r.__dict__}" + (str(r.exc_info[1]) if r.exc_info else "")
        for r in caplog.records
    )
    assert not touched & set(_real_ids(logged))
    assert _real_ids(logged) == []
