"""A bureau is data: a dummy bureau, declared in one module of its own (connector + simulator)
and registered, flows through the graph, consent, provenance, audit and call counting with no
other edit.  Its own interpreter is the point: the gateway derives its settings, schema enums
and loaders from the registry when it is imported, so the dummy must be registered first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gateway.database import Database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seen(seeded_database: Database) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": seeded_database.dsn,
        "GATEWAY_BUREAUS__DUMMY__TIMEOUT_S": "1.5",
        # a deciding bureau's own objection period (DOMAIN.md §4: a setting per bureau)
        "GATEWAY_RIGHTS__OBJECTION_WORKING_DAYS_BY_SOURCE": '{"dummy": 5}',
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.registry.run_dummy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("SEEN "))
    found: dict[str, Any] = json.loads(line[len("SEEN ") :])
    return found


def _provenance(answer: dict[str, Any]) -> list[str]:
    return [p["source"] for p in answer["extensions"]["provenance"]]


def test_settings_simulators_and_enums_know_it(seen: dict[str, Any]) -> None:
    assert seen["timeout_s"] == 1.5  # GATEWAY_BUREAUS__DUMMY__TIMEOUT_S
    assert "dummy" in seen["simulators"]
    enums = seen["enums"]["data"]
    assert "DUMMY" in [v["name"] for v in enums["s"]["enumValues"]]
    scopes = [v["name"] for v in enums["c"]["enumValues"]]
    assert scopes[-1] == "FULL_REPORT"
    assert "DUMMY" in scopes


def test_its_public_records_join_the_graph_in_one_call(seen: dict[str, Any]) -> None:
    data = seen["two"]["data"]
    ids = [e["node"]["id"] for alias in ("a", "b") for e in data[alias]["records"]["edges"]]
    assert len(ids) == 2
    assert all(i.startswith("DP-") for i in ids)
    assert seen["two_calls"] == {"public": 1}  # both enterprises, one bureau call
    assert "dummy" in _provenance(seen["two"])
    node = seen["public"]["data"]["e"]["records"]["edges"][0]["node"]
    assert node["source"] == "DUMMY"
    assert node["kind"] == "PERMIT"


def test_its_gated_records_need_a_consent_of_its_scope(seen: dict[str, Any]) -> None:
    refused = seen["refused"]
    assert refused["data"]["enterprise"]["consentedRecords"] is None
    (error,) = refused["errors"]
    assert error["extensions"]["code"] == "CONSENT_REQUIRED"
    assert error["extensions"]["scope"] == "DUMMY"
    assert "演示部门的授权数据" in error["message"]  # the scope's own label
    assert seen["refused_calls"] == {}  # never asked without a grant


def test_under_consent_the_bureau_accepts_the_minted_grant(seen: dict[str, Any]) -> None:
    consented = seen["consented"]
    assert "errors" not in consented
    records = consented["data"]["enterprise"]["consentedRecords"]
    assert [r["source"] for r in records] == ["DUMMY"]
    assert records[0]["id"].startswith("DX-")  # served only with a valid subject token
    assert seen["consented_calls"] == {"private": 1}
    assert "dummy" in _provenance(consented)
    assert {"scopes": ["dummy"], "consent": seen["consent_id"]} in seen["audit"]


def test_its_rights_desk_takes_objections_by_its_own_period(seen: dict[str, Any]) -> None:
    filed = seen["rights"]["filed"]
    assert "errors" not in filed, filed
    case = filed["data"]["fileObjection"]
    assert case["status"] == "OPEN"
    # Filed on 2025-07-01 (a Tuesday): five working days, its own setting, not the default 15.
    assert case["deadline"] == "2025-07-08"
    assert case["deadlineBasis"] == "未见法定时限，按本平台配置：5个工作日内处理"


def test_its_officer_decides_and_the_decision_reaches_its_simulator(seen: dict[str, Any]) -> None:
    decided = seen["rights"]["decided"]
    assert "errors" not in decided, decided  # an officer scoped bureau:dummy may decide
    assert decided["data"]["decideCase"]["decision"]["correction"] == "WITHDRAW"
    case_id = seen["rights"]["filed"]["data"]["fileObjection"]["id"]
    assert seen["rights_calls"].get("rights.decisions") == 1  # the outbox knows its desk
    assert seen["received"] == [case_id]
    after = seen["rights"]["after"]["data"]["e"]["records"]["edges"]
    assert after == []  # the withdrawn permit is no longer shown
