"""The record detail names what the bureaus' own reports print: the deciding authority's code,
the case or decision number, the executing court and the performance (bot.render)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.names import Names
from bot.render import record_detail_text

TODAY = dt.date(2026, 11, 22)


def _node(**fields: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": "JD-1",
        "kind": "JUDGMENT_DEFAULTER",
        "title": "(2025)宁0105执173号",
        "decidedOn": "2025-06-01",
        "authority": "银川市西夏区人民法院",
        "authorityCode": "11640105079761485E",
        "caseNumber": "(2025)宁0105执173号",
        "executingCourt": "银川市西夏区人民法院",
        "performance": "PARTIAL",
        "legalBasis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第（一）项",
        "severity": "SERIOUS",
        "repairStatus": "NONE",
        "publicity": {"published": True, "visibleNow": True, "legalBasis": "第十条"},
    }
    node.update(fields)
    return node


def test_a_court_record_shows_case_number_court_code_and_performance() -> None:
    text = record_detail_text(_node(), None, Names(), today=TODAY)
    assert "决定：银川市西夏区人民法院（统一社会信用代码 11640105079761485E），2025-06-01" in text
    assert "案号：(2025)宁0105执173号；执行法院：银川市西夏区人民法院" in text
    assert "履行情况：部分履行" in text


def test_a_penalty_shows_its_decision_number_and_nothing_a_bureau_did_not_state() -> None:
    penalty = _node(
        kind="MARKET_PENALTY",
        title="虚假宣传",
        authority="银川市兴庆区市场监督管理局",
        authorityCode=None,
        caseNumber="兴市监处罚〔2025〕12号",
        executingCourt=None,
        performance=None,
    )
    text = record_detail_text(penalty, None, Names(), today=TODAY)
    assert "决定：银川市兴庆区市场监督管理局，2025-06-01" in text
    assert "决定书文号：兴市监处罚〔2025〕12号" in text
    assert "执行法院" not in text
    assert "履行情况" not in text


def test_whether_a_record_needs_repair_follows_its_kinds_polarity() -> None:
    names = Names(polarities={"CUSTOMS_REGISTRATION": "NEUTRAL", "CUSTOMS_CERTIFIED": "POSITIVE"})
    registration = _node(kind="CUSTOMS_REGISTRATION", severity=None)
    certified = _node(kind="CUSTOMS_CERTIFIED", severity=None)
    negative = _node(publicity={"published": True, "visibleNow": True, "legalBasis": "第十条"})
    assert "登记、申报类信息，不是失信记录" in record_detail_text(
        registration, None, names, today=TODAY
    )
    assert "守信、许可或评价类信息" in record_detail_text(certified, None, names, today=TODAY)
    assert "不是失信记录" not in record_detail_text(negative, None, names, today=TODAY)
