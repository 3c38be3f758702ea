"""Consents and the 信易贷 pre-check through the bot, checked from the bank's side: a consent
granted in the chat lets the demo bank read the firm's tax data, revoking it stops that at
once; a pre-check the bank ran shows in the chat with why it did not pass and what to fix."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from credit.records import Person
from simulators.world import World
from tests.bot.chat import Chat

TAX = "{ enterprise(uscc: $uscc) { taxPayments { month } } }"


@pytest.fixture
def person(world: World, people: Iterator[Person]) -> Person:
    for candidate in people:
        if len(world.represented_by(candidate.id_number)) == 1:
            return candidate
    raise AssertionError("no person with one firm left")


async def bank_reads_tax(bank: httpx.AsyncClient, uscc: str) -> dict[str, Any]:
    response = await bank.post(
        "/graphql",
        json={"query": "query($uscc: String!) " + TAX, "variables": {"uscc": uscc}},
        headers={"X-Purpose": "LOAN_PRECHECK"},
    )
    body: dict[str, Any] = response.json()
    return body


def refused(body: dict[str, Any]) -> bool:
    return any(e["extensions"].get("code") == "CONSENT_REQUIRED" for e in body.get("errors", []))


async def choose_consent(chat: Chat, bank_name: str) -> None:
    offered = [t for t, _ in chat.last.buttons] if chat.last is not None else []
    # the scopes are the gateway's bureaus': the added consent-gated ones are offered too
    assert {"纳税信息", "不动产登记信息", "海关进出口申报信息", "完整信用报告"} <= set(offered)
    scopes = await chat.tap("纳税信息")
    assert "✅ 纳税信息" in [t for t, _ in scopes.buttons]
    await chat.tap("下一步")
    await chat.tap("信易贷贷前审查")
    summary = await chat.tap("30 天")
    assert f"机构：{bank_name}" in summary.text
    done = await chat.tap("确认授权")
    assert "授权成功" in done.text


async def test_grant_and_revoke_a_consent_for_my_firm(
    chat: Chat, person: Person, world: World, bank: httpx.AsyncClient
) -> None:
    firm = world.registrations[world.represented_by(person.id_number)[0]]
    assert refused(await bank_reads_tax(bank, firm.uscc))
    await chat.bind(person)
    assert "还没有给出任何授权" in (await chat.say("我的授权")).text
    picker = await chat.tap("新增授权")
    assert firm.name in [t for t, _ in picker.buttons]
    await chat.tap(firm.name)
    await chat.tap("演示银行")
    await choose_consent(chat, "演示银行（合成数据）")
    listed = chat.last
    assert listed is not None
    assert f"1. {firm.name} → demo-bank：纳税信息；用途：信易贷贷前审查" in listed.text
    assert "（有效）" in listed.text
    allowed = await bank_reads_tax(bank, firm.uscc)
    assert not refused(allowed), allowed
    assert allowed["data"]["enterprise"]["taxPayments"] is not None

    revoked = await chat.tap("撤销 1")
    assert "已撤销该授权" in revoked.text
    assert "（已撤销）" in revoked.text
    assert refused(await bank_reads_tax(bank, firm.uscc))


async def test_precheck_for_my_firm(
    chat: Chat, person: Person, world: World, bank: httpx.AsyncClient
) -> None:
    firm = world.registrations[world.represented_by(person.id_number)[0]]
    await chat.bind(person)
    products = await chat.say("能贷款吗")
    assert "请选择贷款产品" in products.text
    none_yet = await chat.tap("银税贷")
    assert "还没有银行用这个产品为贵企业做过预审" in none_yet.text
    assert "产品要求：纳税信用等级" in none_yet.text

    await chat.tap("授权演示银行")
    await choose_consent(chat, "演示银行（合成数据）")
    ran = await bank.post(
        "/graphql",
        json={
            "query": """mutation($input: PrecheckFinancingInput!) {
                precheckFinancing(input: $input) { id outcome } }""",
            "variables": {
                "input": {
                    "uscc": firm.uscc,
                    "productCode": "BANK_TAX_LOAN",
                    "amount": "100000",
                    "purpose": "LOAN_PRECHECK",
                    "idempotencyKey": secrets.token_hex(8),
                }
            },
        },
    )
    outcome = ran.json()["data"]["precheckFinancing"]["outcome"]

    await chat.say("能贷款吗")
    decided = await chat.tap("银税贷")
    assert "结论：" in decided.text
    assert "演示银行（合成数据）预审" in decided.text
    if outcome != "PASS":
        assert "怎么改进" in decided.text or "为什么没有通过" in decided.text
    # Leave no live consent behind for other tests' firms: revoke it in the chat.
    await chat.say("我的授权")
    assert "已撤销该授权" in (await chat.tap("撤销 1")).text
