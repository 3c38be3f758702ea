"""Run the Node tools of ``tools/node`` (installed by ``make test`` with ``npm ci``)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

__all__ = ["run_node_tool"]

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "node"


async def run_node_tool(script: str, *args: str, stdin: str | None = None) -> Any:
    """The JSON a tool prints; a missing install or a failing tool fails the test, loudly."""
    node = shutil.which("node")
    assert node is not None, "node is not on PATH"
    assert (TOOLS / "node_modules").is_dir(), "run `make test` (it runs npm ci in tools/node)"
    # asyncio's subprocess: the gateway under test serves from this same event loop meanwhile.
    process = await asyncio.create_subprocess_exec(
        node,
        str(TOOLS / script),
        *args,
        cwd=TOOLS,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate(stdin.encode() if stdin is not None else None)
    assert process.returncode == 0, err.decode()
    return json.loads(out)
