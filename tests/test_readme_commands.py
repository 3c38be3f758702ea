"""Every command the README shows runs as printed.

The README is read for its commands (its ``sh`` blocks and every inline ``creditgw …``,
``make …``, ``curl …`` or ``docker compose …``); each must be listed below, either run here —
against ``creditgw demo`` started as ``make demo`` starts it, in its own process, on a fresh
database — or named with the test that runs it elsewhere.  A command added to the README and
to neither list fails the first test.

The demo is the point here, so it is a real process: its banner is read for the sample query,
the seeded consent's bank query and the CLI's path, and the README's own first query is sent
with ``curl`` the moment the demo says it is up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from simulators.telegram import FakeTelegram, FakeUser
from tests.conftest import fresh_database

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CREDITGW = str(Path(sys.executable).parent / "creditgw")

# Commands run elsewhere: command → the test (path::name) that runs it.
ELSEWHERE = {
    "make test": "the CI itself (.ci/run runs it)",
    "make schema": "tests/test_readme.py::test_configuration_table_is_generated_from_the_settings",
    "creditgw serve": "tests/gateway/test_replicas.py::gateway_process",
    "python -m gateway serve": "tests/gateway/test_replicas.py::gateway_process",
    "creditgw sms tail [-n N] [--follow]": "tests/test_readme_commands.py::test_the_cli_as_printed",
    "creditgw sms tail --follow": "tests/test_readme_commands.py::test_the_cli_as_printed",
    "creditgw products list|show|set": "tests/gateway/test_products.py::test_the_products_command",
    "creditgw clients add|list|revoke": (
        "tests/gateway/access/test_clients_cli.py::test_add_list_revoke"
    ),
    "docker compose -f docker/compose.yaml --env-file docker/.env up": (
        "tests/test_docker.py::test_every_interpolated_variable_is_in_the_example_env_file"
    ),
}
# Commands run here, in the tests below.
HERE = {
    "make demo",
    "creditgw demo",
    "creditgw chat",
    "creditgw bot",
    "creditgw migrate",
    "creditgw docs",
    "creditgw export-schema [--check]",
    "creditgw clients add --kind bot --name 机器人",
    "creditgw …",
    "source .venv/bin/activate",
    "curl -s http://127.0.0.1:8000/graphql -H 'Content-Type: application/json' -d "
    '\'{"query": "{ enterprise(uscc: \\"91640200MALHEMK556\\") { name status establishedOn } }"}\'',
}
_STARTS = ("creditgw ", "make ", "curl ", "docker compose ", "source ", "python -m ")


def readme_commands() -> set[str]:
    found: set[str] = set()
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL):
        for command in block.replace("\\\n", " ").splitlines():
            command = command.split("  #")[0].strip()
            if command:
                found.add(" ".join(command.split()))
    for span in re.findall(r"`([^`]+)`", README):
        command = " ".join(span.replace("\\|", "|").split())
        command = command.removeprefix(".venv/bin/")
        if command.startswith(_STARTS):
            found.add(command)
    return found


def test_every_readme_command_is_run_by_a_test() -> None:
    commands = readme_commands()
    unrun = commands - HERE - set(ELSEWHERE)
    assert not unrun, f"README commands no test runs: {sorted(unrun)}"
    for command, where in ELSEWHERE.items():
        path, _, name = where.partition("::")
        if name:
            text = (ROOT / path).read_text(encoding="utf-8")
            assert re.search(rf"def {name}\b", text), f"{command}: {where} does not exist"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "demo: $(STAMP)\n\t$(BIN)/python -m gateway demo\n" in makefile  # = creditgw demo


@dataclass
class Demo:
    url: str
    banner: str
    env: dict[str, str]
    first_answer: str


async def run(*args: str, env: dict[str, str], stdin: bytes = b"", cwd: Path = ROOT) -> str:
    proc = await asyncio.create_subprocess_exec(
        *args,
        env=env,
        cwd=cwd,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=120)
    assert proc.returncode == 0, f"{args}: {err.decode()[-2000:]}"
    return out.decode()


def the_first_query(port: int) -> list[str]:
    """The README's first query, as printed, on the demo's port: argv for curl."""
    block = re.search(r"```sh\n(curl -s http://127\.0\.0\.1:8000.*?)```", README, re.DOTALL)
    assert block is not None
    text = block[1].replace("\\\n", " ").replace(":8000/", f":{port}/")
    parts = re.findall(r"'[^']*'|\S+", text)
    return [p[1:-1] if p.startswith("'") else p for p in parts]


@pytest.fixture(scope="module")
async def demo(pg_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Demo]:
    """``creditgw demo`` on a fresh database; the README's curl sent the moment it is up."""
    assert shutil.which("curl"), "curl is missing (the README's first query uses it)"
    async with fresh_database(pg_dsn) as dsn:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "BOT_"))},
            "DATABASE_URL": dsn,
            # A free port, taken by the demo itself and named in its banner (a port found
            # free here and handed over could be taken by then, e.g. by its own simulators).
            "GATEWAY_PORT": "0",
            "GATEWAY_STATE_DIR": str(tmp_path_factory.mktemp("demo-state")),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("REDIS_URL", None)
        proc = await asyncio.create_subprocess_exec(
            CREDITGW, "demo", env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE
        )
        assert proc.stdout is not None
        try:
            lines: list[str] = []
            async with asyncio.timeout(180):
                up: re.Match[str] | None = None
                while up is None:  # until the banner names the port the demo took
                    line = (await proc.stdout.readline()).decode()
                    assert line, "the demo stopped before it was up:\n" + "".join(lines)
                    lines.append(line)
                    up = re.search(r"Web page: +http://127\.0\.0\.1:(\d+)/", line)
                port = int(up[1])
                assert "demo is up" in "".join(lines)
                # at once: the gateway answers while the bot is still starting elsewhere
                answer = await run(*the_first_query(port), env=env)
                while "Chatbot:" not in lines[-1]:
                    line = (await proc.stdout.readline()).decode()
                    assert line, "the demo stopped:\n" + "".join(lines)
                    lines.append(line)
                lines += [(await proc.stdout.readline()).decode() for _ in range(4)]
            yield Demo(f"http://127.0.0.1:{port}", "".join(lines), env, answer)
        finally:
            if proc.returncode is None:
                proc.terminate()
                await proc.wait()


async def test_the_first_query_answers_as_the_readme_shows(demo: Demo) -> None:
    shown = json.loads(re.search(r"```json\n(.*?)```", README, re.DOTALL)[1])  # type: ignore[index]
    got = json.loads(demo.first_answer)
    assert "errors" not in got
    assert got["data"] == shown["data"]  # the default seed's world, as the README says
    assert got["extensions"]["provenance"][0]["source"] == "market"


async def test_the_banner_says_how_to_use_the_cli_and_the_bank_query(demo: Demo) -> None:
    assert ".venv/bin/creditgw" in demo.banner
    assert "source .venv/bin/activate" in demo.banner
    assert "consented" in demo.banner
    # the bind-as line lists name, phone, ID number: the order the bot asks in
    bind = next(line for line in demo.banner.splitlines() if "bind as" in line)
    assert bind.index("姓名") < bind.index("手机号") < bind.index("身份证号")
    # the ready-made bank query runs as printed: the consent is there, nothing is refused
    start = demo.banner.index("As the bank")
    curl = demo.banner[demo.banner.index("curl", start) :].split("\n  The CLI")[0]
    argv = [
        p[1:-1] if p.startswith("'") else p
        for p in re.findall(r"'[^']*'|\S+", curl.split("(another firm")[0].replace("\\\n", " "))
    ]
    body = json.loads(await run(*argv, env=demo.env))
    assert "errors" not in body, body
    assert body["data"]["enterprise"]["taxGrades"] is not None


async def test_the_cli_as_printed(demo: Demo, tmp_path: Path) -> None:
    env = demo.env
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    activate = Path(sys.executable).parent / "activate"
    # independent commands, in parallel: each is its own process
    migrated, checked, _, added, products, _, activated, chatted = await asyncio.gather(
        run(CREDITGW, "migrate", env=env),
        run(CREDITGW, "export-schema", "--check", env=env),
        run(CREDITGW, "docs", env=env, cwd=tmp_path),
        run(CREDITGW, "clients", "add", "--kind", "bot", "--name", "机器人", env=env),
        run(CREDITGW, "products", "list", env=env),
        run(CREDITGW, "sms", "tail", "-n", "5", env=env),
        # `source .venv/bin/activate` puts creditgw on the PATH
        run("bash", "-c", f"source {activate} && command -v creditgw", env=env),
        run(CREDITGW, "chat", env=env, stdin=b"/quit\n"),
    )
    assert "applied: nothing" in migrated
    assert "up to date" in checked
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == README
    assert "store it safely" in added
    assert "机器人" in await run(CREDITGW, "clients", "list", env=env)
    assert "BANK_TAX_LOAN" in products
    assert activated.strip() == CREDITGW
    assert "已连接" in chatted


async def test_the_bot_runs_as_printed_with_its_key(demo: Demo) -> None:
    added = await run(CREDITGW, "clients", "add", "--kind", "bot", "--name", "机器人", env=demo.env)
    key = added.split("store it safely): ")[1].strip()
    async with FakeTelegram.running() as telegram:  # Telegram, as far as the bot can tell
        env = {
            **demo.env,
            "BOT_TOKEN": telegram.token,
            "BOT_GATEWAY_KEY": key,
            "BOT_GATEWAY_URL": demo.url,
            "BOT_API_URL": telegram.url,
        }
        proc = await asyncio.create_subprocess_exec(CREDITGW, "bot", env=env, cwd=ROOT)
        try:
            user = FakeUser(id=30_001, first_name="读者")
            await telegram.wait_for(lambda c: c.method == "getUpdates", within=60)
            mark = telegram.mark()
            await telegram.send_text(user, "/start")
            reply = await telegram.next_reply(user.id, after=mark, within=30)
            assert reply.params["text"]
        finally:
            proc.terminate()
            with contextlib.suppress(ProcessLookupError):
                await proc.wait()
