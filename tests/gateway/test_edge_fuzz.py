"""A seeded fuzz of the HTTP edge against the real gateway, over one keep-alive connection.

1,500 requests of every malformed kind a client can send — bodies that are not JSON
objects, invalid UTF-8, deep JSON, batched arrays, huge and mistyped variables, NUL and lone
surrogates, odd GETs, odd methods, headers and content types — must give no 5xx, no error
without ``extensions.code``, no ``INTERNAL``, no ERROR log line, no dropped connection, and
no ID number in any form in what the logs would write.
"""

from __future__ import annotations

import json
import logging
import random
import re

import pytest

from credit.identifiers import normalise_code
from gateway.logs import JsonFormatter
from simulators.world import World
from tests.fakes.edge_fuzzer import Case, Fuzzer
from tests.fakes.raw_http import RawAnswer, RawConnection
from tests.resolvers.test_access import gated_enterprise

SEED = 20261202
REQUESTS = 1500


def _problems(case: Case, answer: RawAnswer) -> list[str]:
    where = f"{case.method} {case.target[:60]} {case.body[:60]!r}"
    if answer.status >= 500:
        return [f"{answer.status} for {where}"]
    if case.method == "HEAD":
        return []
    media = answer.headers.get("content-type", "")
    if media.startswith("text/html") and "text/html" in case.headers.get("Accept", ""):
        return []  # GraphiQL, for a browser (demo mode)
    if not media.startswith(("application/json", "application/graphql-response+json")):
        return [f"{media or 'no content type'} for {where}"]
    body = json.loads(answer.body)
    errors = body.get("errors") or []
    if answer.status >= 400 and not errors:
        return [f"{answer.status} without errors for {where}"]
    found = []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        if code is None or code == "INTERNAL":
            found.append(f"{code} {error.get('message')!r} for {where}")
    return found


_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"Ｘ": "X", "ｘ": "x"})
_GAPS = re.compile(r"[\s\-－–—()]")


async def test_fuzzed_requests_get_coded_4xx_answers_on_a_kept_connection(
    edge_url: str, world: World, demo_keys: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="gateway")
    rng = random.Random(SEED)
    firms = [gated_enterprise(world, i) for i in range(3)]
    people = sorted(
        {world.registrations[f].legal_rep_id for f in firms} | set(list(world.persons)[:5])
    )
    problems: list[str] = []
    statuses: dict[int, int] = {}
    async with RawConnection.open(edge_url) as conn:
        for case in Fuzzer(rng, people, firms, list(demo_keys.values())).cases(REQUESTS):
            answer = await conn.send(case.method, case.target, case.body, case.headers)
            statuses[answer.status] = statuses.get(answer.status, 0) + 1
            problems += _problems(case, answer)
            if answer.headers.get("connection") == "close":
                break
    assert problems == []
    assert sum(statuses.values()) == REQUESTS, "the server closed the connection"
    assert {200, 400, 401, 405, 415} <= set(statuses), statuses  # every kind was exercised
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage()[:200] for r in errors]
    assert caplog.records, "nothing was logged: the last check would prove nothing"
    for text in (
        "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records),  # as logged
        "\n".join(JsonFormatter().format(r) for r in caplog.records),  # as written
    ):
        flat = _GAPS.sub("", text.translate(_DIGITS)).upper()
        assert [p for p in people if normalise_code(p) in flat] == []
