"""The public page and GraphiQL in a real browser (Debian's chromium, driven by Playwright),
offline: every request that would leave 127.0.0.1 is blocked and counted, and must be none.

Screenshots go to ``test-artifacts/web/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import functools
import re
import secrets
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Route,
    ViewportSize,
    async_playwright,
    expect,
)
from starlette.applications import Starlette

from credit.records import OperatingStatus
from gateway.app import create_app
from gateway.database import Database
from gateway.settings import RateLimits, Settings
from gateway.web import page_documents
from simulators.behaviour import Behaviour
from simulators.customs import customs_file
from simulators.ip import ip_rights
from simulators.runner import RunningBureau
from simulators.world import World
from tests.conftest import TEST_WORLD
from tests.fakes.node_tools import TOOLS
from tests.fakes.servers import serve_app

CHROMIUM = "/usr/bin/chromium"  # Debian's; `make test` installs it (Playwright's own cannot)
AXE = TOOLS / "node_modules" / "axe-core" / "axe.min.js"  # from tools/node (npm ci)
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def web_app(settings: Settings, seeded_database: Database) -> Starlette:
    # Its own gateway: a browser session is a burst of anonymous requests from one address.
    tuned = settings.model_copy(update={"rate_limits": RateLimits(public=10_000)})
    return create_app(tuned, database=seeded_database, today=lambda: TEST_WORLD.today)


@pytest.fixture(scope="module")
async def web_url(web_app: Starlette) -> AsyncIterator[str]:
    async with serve_app(web_app) as url:
        yield url


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    assert shutil.which(CHROMIUM), "chromium is missing: `make test` installs it (apt-get)"
    async with async_playwright() as driver:
        launched = await driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        await launched.close()


class Offline:
    """A browser context whose requests may go to the gateway only; the rest are counted."""

    def __init__(self, context: BrowserContext, gateway: str) -> None:
        self.context = context
        self.origin = urlsplit(gateway).netloc
        self.blocked: list[str] = []
        self.served: list[str] = []

    async def route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == self.origin:
            self.served.append(url)
            await route.continue_()
        else:
            self.blocked.append(url)
            await route.abort("internetdisconnected")


@pytest.fixture
async def offline(browser: Browser, web_url: str) -> AsyncIterator[Offline]:
    context = await browser.new_context(viewport=PHONE, locale="zh-CN")
    guard = Offline(context, web_url)
    await context.route("**/*", guard.route)
    yield guard
    await context.close()
    assert guard.blocked == [], "the page tried to reach outside the gateway"


async def shot(page: Page, name: str) -> None:
    """The whole page, and the screen a phone shows (readable at a glance)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    await page.screenshot(path=ARTIFACTS / f"{name}-screen.png")


@functools.cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


async def accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings (WCAG 2 A/AA: labels, contrast, names, ...).

    Evaluated through the driver, which the page's Content-Security-Policy does not govern
    (a <script> tag would rightly be refused)."""
    await page.evaluate(axe_source())
    found = await page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"""
    )
    return list(found)


async def report_numbers(database: Database) -> list[str]:
    """The report numbers issued so far (each one a row of ``credit_reports``)."""
    async with database.pool.acquire() as conn:
        rows = await conn.fetch("SELECT number FROM credit_reports ORDER BY number")
    return [r["number"] for r in rows]


async def public_report(web_url: str, uscc: str) -> dict[str, object]:
    """The same firm's report as the graph gives it to the public (what the page must show)."""
    query = """query($u: String!) { enterprise(uscc: $u) { name creditReport {
      classification { creditClass } sections { key count unavailableSources } } } }"""
    async with httpx.AsyncClient(base_url=web_url) as http:
        body = (await http.post("/graphql", json={"query": query, "variables": {"u": uscc}})).json()
    found: dict[str, object] = body["data"]["enterprise"]
    return found


async def test_search_open_a_firm_and_read_its_report(
    offline: Offline, web_url: str, world: World, seeded_database: Database
) -> None:
    uscc = world.boundary["every_kind"]
    expected = await public_report(web_url, uscc)
    before = await report_numbers(seeded_database)
    page = await offline.context.new_page()
    await page.goto(web_url + "/")
    await expect(page.get_by_label("企业名称")).to_be_visible()
    await page.get_by_label("企业名称").fill(str(expected["name"]))
    await page.keyboard.press("Enter")  # the form works from the keyboard
    result = page.get_by_role("link", name=str(expected["name"]))
    await expect(result).to_be_visible()
    assert await accessibility_violations(page) == []
    await shot(page, "1-search")
    await result.focus()
    await page.keyboard.press("Enter")  # and so does opening a firm
    await expect(page.locator("#firm-name")).to_have_text(str(expected["name"]))
    await expect(page.locator("#firm-name")).to_be_focused()  # a screen reader hears the firm
    await expect(page.locator(".firm")).to_contain_text(uscc)

    report = expected["creditReport"]
    assert isinstance(report, dict)
    labels = {"TRUSTWORTHY": "守信", "WARNING": "警示", "DISHONEST": "失信"}
    labels["SERIOUSLY_DISHONEST"] = "严重失信"
    shown_class = labels[report["classification"]["creditClass"]]
    await expect(page.locator(".class")).to_have_text(shown_class)
    sections = page.locator("section.sec[data-key]")
    await expect(sections).to_have_count(len(report["sections"]))
    for section in report["sections"]:
        shown = page.locator(f'section[data-key="{section["key"]}"] .count')
        await expect(shown).to_have_text(f"{section['count']} 条")
        assert section["unavailableSources"] == []
    await expect(page.locator(".down")).to_have_count(0)
    records = page.locator("ol.records > li")
    assert await records.count() > 0
    await expect(records.first).to_contain_text("公示期")
    await expect(records.first).to_contain_text("修复状态")
    await expect(page.locator(".prov").first).to_contain_text("数据来源")
    await expect(page.locator(".advice")).to_be_visible()
    assert await accessibility_violations(page) == []
    # Readable on a phone: nothing wider than its screen (no sideways scrolling).
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    await shot(page, "2-report")
    assert any("/graphql" in url for url in offline.served)
    # A view of the page takes none of the day's report numbers: the seal is asked for only by
    # its button.
    await expect(page.get_by_role("button", name="出具带编号的信用报告")).to_be_visible()
    await expect(page.locator(".seal-number")).to_have_count(0)
    assert await report_numbers(seeded_database) == before


async def public_notes(web_url: str, uscc: str) -> dict[str, object]:
    """The report's 报告说明 as the graph gives it to the public (no seal: nothing issued)."""
    query = """query($u: String!) { enterprise(uscc: $u) { creditReport { notes {
      sections { key bureaus } objections { source bureau instrument } } } } }"""
    async with httpx.AsyncClient(base_url=web_url) as http:
        body = (await http.post("/graphql", json={"query": query, "variables": {"u": uscc}})).json()
    found: dict[str, object] = body["data"]["enterprise"]["creditReport"]["notes"]
    return found


async def test_a_report_is_numbered_on_request_and_the_page_verifies_its_number_and_digest(
    offline: Offline, web_url: str, world: World, seeded_database: Database
) -> None:
    uscc = world.boundary["every_kind"]
    notes = await public_notes(web_url, uscc)
    before = await report_numbers(seeded_database)
    page = await offline.context.new_page()
    await page.goto(f"{web_url}/#/e/{uscc}")
    await expect(page.locator("#firm-name")).to_be_focused()
    issue = page.get_by_role("button", name="出具带编号的信用报告")
    await expect(issue).to_be_visible()
    await expect(page.locator("section.seal")).to_contain_text("未编号")
    assert await accessibility_violations(page) == []
    assert await report_numbers(seeded_database) == before  # the report, shown: no number taken
    await issue.scroll_into_view_if_needed()
    await shot(page, "5-report-unsealed")
    await issue.focus()
    await page.keyboard.press("Enter")  # one press from the keyboard: one number
    number = page.locator(".seal-number")
    await expect(number).to_have_text(re.compile(rf"^XYBG{TEST_WORLD.today:%Y%m%d}\d{{6}}$"))
    await expect(page.locator("#seal-title")).to_be_focused()  # read next: the number
    await expect(page.locator("#status")).to_contain_text("已出具带编号的信用报告")
    await expect(page.get_by_role("button", name="出具带编号的信用报告")).to_have_count(0)
    shown_number = await number.inner_text()
    assert await report_numbers(seeded_database) == sorted([*before, shown_number])
    shown_digest = await page.locator(".seal-digest").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", shown_digest)
    issued = await page.locator(".seal-issued").inner_text()

    # 报告说明: the cut-off, every section's bureaus, every bureau's channel with its instrument.
    shown = page.locator("section.notes")
    await expect(shown.get_by_role("heading", name="报告说明")).to_be_visible()
    await expect(shown).to_contain_text("数据截止时间")
    assert isinstance(notes["sections"], list)
    assert isinstance(notes["objections"], list)
    await expect(shown.locator(".sources li")).to_have_count(len(notes["sections"]))
    for section in notes["sections"]:
        line = shown.locator(f'.sources li[data-key="{section["key"]}"]')
        await expect(line).to_contain_text("、".join(section["bureaus"]))
    await expect(shown.locator(".objections li")).to_have_count(len(notes["objections"]))
    for objection in notes["objections"]:
        channel = shown.locator(f'.objections li[data-source="{objection["source"]}"]')
        await expect(channel).to_contain_text(objection["bureau"])
        await expect(channel).to_contain_text(objection["instrument"])
    await expect(shown.locator('.objections li[data-source="COURT"]')).to_contain_text("执行法院")
    assert await accessibility_violations(page) == []
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    await shot(page, "5-report-seal")

    # 核验报告: what was read off the page, typed into the form, is genuine ...
    result = page.locator("#verify-result")
    number_field = page.get_by_role("textbox", name="报告编号", exact=True)
    digest_field = page.get_by_role("textbox", name="数字摘要", exact=True)
    await number_field.fill(shown_number)
    await digest_field.fill(shown_digest)
    await page.get_by_role("button", name="核验", exact=True).click()
    await expect(result).to_have_attribute("data-verdict", "VALID")
    await expect(result).to_contain_text("核验通过")
    await expect(result).to_contain_text(issued)  # the moment the report itself printed
    await result.scroll_into_view_if_needed()
    await shot(page, "6-verify-valid")
    # ... one character changed is not ...
    altered = shown_digest[:-1] + ("0" if shown_digest[-1] != "0" else "1")
    await digest_field.fill(altered)
    await digest_field.press("Enter")  # the form works from the keyboard
    await expect(result).to_have_attribute("data-verdict", "INVALID")
    await expect(result).to_contain_text("核验不符")
    await expect(result).not_to_contain_text("出具时间")
    # ... a number never issued is unknown, a malformed one is refused with the format.
    await number_field.fill("XYBG19990101000001")
    await number_field.press("Enter")
    await expect(result).to_have_attribute("data-verdict", "UNKNOWN")
    await expect(result).to_contain_text("本平台没有出具过这个编号的报告")
    assert await accessibility_violations(page) == []
    await number_field.fill("XYBG-1")
    await number_field.press("Enter")
    await expect(result).to_have_attribute("data-verdict", "MALFORMED")
    await expect(result).to_contain_text("报告编号格式不正确")
    await expect(result).to_contain_text("8位日期")  # the gateway's INVALID_REPORT_NUMBER message
    await expect(number_field).to_have_attribute("aria-invalid", "true")
    await expect(number_field).to_be_focused()
    assert await accessibility_violations(page) == []
    await shot(page, "7-verify-malformed")


@pytest.fixture(scope="module")
async def one_seal_a_day_url(settings: Settings, seeded_database: Database) -> AsyncIterator[str]:
    """A gateway whose anonymous callers may number one report a day."""
    tuned = settings.model_copy(
        update={"rate_limits": RateLimits(public=10_000), "public_seals_per_day": 1}
    )
    app = create_app(tuned, database=seeded_database, today=lambda: TEST_WORLD.today)
    async with serve_app(app) as url:
        yield url


async def test_a_reader_past_the_days_numbered_reports_is_told_when_and_keeps_the_report(
    browser: Browser, one_seal_a_day_url: str, world: World, seeded_database: Database
) -> None:
    """SEAL_BUDGET_EXHAUSTED on the page: the gateway's message (how many a day, when it
    starts again) where the number would be, the report itself shown as before."""
    url = one_seal_a_day_url
    # The reader's own address, as a proxy forwards it: no other test's seal counts against it.
    address = f"2001:db8::{secrets.token_hex(2)}"
    context = await browser.new_context(
        viewport=PHONE, locale="zh-CN", extra_http_headers={"X-Forwarded-For": address}
    )
    guard = Offline(context, url)
    await context.route("**/*", guard.route)
    try:
        uscc = world.boundary["every_kind"]
        page = await context.new_page()
        await page.goto(f"{url}/#/e/{uscc}")
        await page.get_by_role("button", name="出具带编号的信用报告").click()
        await expect(page.locator(".seal-number")).to_have_count(1)  # the day's one
        numbers = await report_numbers(seeded_database)

        await page.reload()  # the report again, unnumbered, and the button again
        await page.get_by_role("button", name="出具带编号的信用报告").click()
        seal = page.locator("section.seal")
        await expect(seal).to_contain_text("本报告暂未编号")
        await expect(seal).to_contain_text("每天最多出具 1 份带编号的信用报告")
        await expect(seal).to_contain_text("次日0时（北京时间）")
        await expect(page.locator("#status")).to_contain_text("每天最多出具 1 份")
        await expect(page.locator("#seal-title")).to_be_focused()
        await expect(page.locator(".seal-number")).to_have_count(0)
        # The report stands: its class, its sections, its notes.
        await expect(page.locator(".class")).to_be_visible()
        assert await page.locator("section.sec[data-key]").count() > 0
        await expect(page.locator("section.notes")).to_contain_text("数据截止时间")
        assert await report_numbers(seeded_database) == numbers  # no number taken
        assert await accessibility_violations(page) == []
        await seal.scroll_into_view_if_needed()
        await shot(page, "5-report-seal-budget")
    finally:
        await context.close()
    assert guard.blocked == [], "the page tried to reach outside the gateway"


async def firm_with_customs_and_ip_records(
    http: httpx.AsyncClient, world: World
) -> tuple[str, list[dict[str, Any]]]:
    """An active firm whose public report shows a customs record and a patent or trademark,
    and those records, as the page's own document fetches them (an ad hoc query of every
    record costs more than the public's budget)."""
    candidates = (
        r.uscc
        for r in sorted(world.registrations.values(), key=lambda r: r.uscc)
        if r.status is OperatingStatus.ACTIVE
        and (f := customs_file(world, r.uscc)) is not None
        and f.rating != "一般信用"
        and any(right.type in ("patents", "trademarks") for right in ip_rights(world, r.uscc) or ())
    )
    for uscc, _ in zip(candidates, range(30), strict=False):
        ask = {"documentId": page_documents()["EnterpriseReport"], "variables": {"uscc": uscc}}
        body = (await http.post("/graphql", json=ask)).json()
        assert "errors" not in body, body
        sections = body["data"]["enterprise"]["creditReport"]["sections"]
        records = [r for section in sections for r in section["records"]]
        kinds = {r["kind"] for r in records}
        if any(k.startswith("CUSTOMS_") for k in kinds) and kinds & {"PATENT", "TRADEMARK"}:
            return uscc, records
    raise AssertionError("the test world has no firm with public customs and IP records")


async def test_records_of_the_newer_bureaus_show_the_names_the_graph_gives_their_kinds(
    offline: Offline, web_url: str, world: World
) -> None:
    """The page keeps no table of bureaus or kinds: a customs or IP record (kinds the page
    never listed) is named as ``recordKinds`` and ``sources`` name it, and only a kind that
    counts against its subject (polarity NEGATIVE) offers a repair."""
    names = "{ sources { source name } recordKinds { kind name polarity } }"
    async with httpx.AsyncClient(base_url=web_url) as http:
        vocabulary = (await http.post("/graphql", json={"query": names})).json()["data"]
        uscc, records = await firm_with_customs_and_ip_records(http, world)
    sources = {s["source"]: s["name"] for s in vocabulary["sources"]}
    kinds = {k["kind"]: k for k in vocabulary["recordKinds"]}
    shown = {r["kind"]: r["source"] for r in records}

    page = await offline.context.new_page()
    await page.goto(f"{web_url}/#/e/{uscc}")
    await expect(page.locator("ol.records > li")).to_have_count(len(records))
    for kind, source in shown.items():
        first = page.locator(f'ol.records > li[data-kind="{kind}"]').first
        await expect(first.locator(".tag.kind")).to_have_text(kinds[kind]["name"])
        await expect(first).to_contain_text(sources[source])
        repair = first.locator(".repair")
        await expect(repair).to_have_count(1 if kinds[kind]["polarity"] == "NEGATIVE" else 0)
        # A window without a last day is said so; what ends it is the rule shown with it.
        await expect(first).not_to_contain_text("履行义务为止")
    windows = {r["kind"]: r["publicity"] for r in records}
    [undated, *_] = [k for k, p in windows.items() if not (p["visibleUntil"] or p["maxUntil"])]
    undated_shown = page.locator(f'ol.records > li[data-kind="{undated}"]').first
    await expect(undated_shown).to_contain_text("无固定截止日期")
    customs = page.locator('ol.records > li[data-kind^="CUSTOMS_"]').first
    await expect(customs.locator(".tag.kind")).to_have_text(re.compile("^海关"))
    await expect(customs).to_contain_text("海关")
    patent = page.locator(
        'ol.records > li[data-kind="PATENT"], ol.records > li[data-kind="TRADEMARK"]'
    )
    await expect(patent.first.locator(".tag.kind")).to_have_text(
        re.compile("^(专利权|注册商标专用权)$")
    )
    await expect(patent.first).to_contain_text("知识产权")
    tags = await page.locator("ol.records .tag").all_inner_texts()
    assert not [t for t in tags if re.fullmatch(r"[A-Z_]+", t)], tags  # no code shown raw
    assert await accessibility_violations(page) == []
    await page.locator('ol.records > li[data-kind^="CUSTOMS_"]').first.scroll_into_view_if_needed()
    await shot(page, "8-newer-bureaus")


async def test_a_bureau_that_is_down_is_shown_for_its_sections_only(
    offline: Offline, web_url: str, world: World, bureaus: dict[str, RunningBureau]
) -> None:
    uscc = next(
        r.uscc
        for r in world.registrations.values()
        if r.status is OperatingStatus.ACTIVE and r.uscc != world.boundary["every_kind"]
    )
    bureaus["court"].service.state.behaviour = Behaviour(down=True)
    page = await offline.context.new_page()
    await page.goto(f"{web_url}/#/e/{uscc}")
    await expect(page.locator("#firm-name")).to_be_visible()
    down = page.locator("section.sec[data-key] .down")
    await expect(down).to_have_count(2)  # 严重失信主体名单 and 司法判决: the court feeds both
    for key in ("SERIOUS_LISTS", "JUDICIAL"):
        await expect(page.locator(f'section[data-key="{key}"] .down')).to_contain_text("法院")
    await expect(page.locator('section[data-key="ADMINISTRATIVE"] .count')).to_be_visible()
    await expect(page.get_by_text("综合评价暂不可得")).to_be_visible()
    await page.locator('section[data-key="SERIOUS_LISTS"]').scroll_into_view_if_needed()
    await shot(page, "3-court-down")


async def test_graphiql_loads_offline_and_runs_the_sample_query(
    offline: Offline, web_url: str
) -> None:
    page = await offline.context.new_page()
    await page.set_viewport_size({"width": 1280, "height": 800})
    await page.goto(web_url + "/graphql")
    await expect(page.locator(".graphiql-container")).to_be_visible()
    await expect(page.locator(".graphiql-tab")).to_have_count(4)  # the demo's sample queries
    await page.locator(".graphiql-execute-button").click()
    response = page.locator(".graphiql-response")
    await expect(response).to_contain_text("totalCount", timeout=15_000)
    await expect(response).to_contain_text("searchEnterprises")
    await shot(page, "4-graphiql")
    assert any(url.endswith("graphiql.min.js") for url in offline.served)


async def test_the_page_sends_only_its_trusted_documents(web_url: str) -> None:
    async with httpx.AsyncClient(base_url=web_url) as http:
        manifest = (await http.get("/page/documents.json")).json()
        page = await http.get("/")
    assert manifest == page_documents()
    assert set(manifest) == {"Names", "SearchEnterprises", "EnterpriseReport", "VerifyCreditReport"}
    assert "default-src 'self'" in page.headers["content-security-policy"]
