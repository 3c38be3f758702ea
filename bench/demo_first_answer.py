"""How long after `creditgw demo` says it is up does it answer its first query?

Starts ``python -m gateway demo`` as a newcomer would (its own process; ``DATABASE_URL`` or the
embedded PostgreSQL), reads its stdout, and the moment the "demo is up" line appears sends the
banner's own sample query; prints start → up, up → first answer, and start → chatbot ready.

    .venv/bin/python -m bench.demo_first_answer [--enterprises 5000] [--port 8765]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import time

import httpx

UP = "demo is up"


async def measure(enterprises: int, port: int) -> dict[str, float]:
    env = {**os.environ, "GATEWAY_PORT": str(port), "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "gateway",
        "demo",
        "--enterprises",
        str(enterprises),
        stdout=asyncio.subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    figures: dict[str, float] = {}
    try:
        banner: list[str] = []
        while UP not in "".join(banner):
            line = (await proc.stdout.readline()).decode()
            if not line:
                raise RuntimeError("the demo stopped before it was up")
            banner.append(line)
        up = time.perf_counter()
        figures["start_to_up_s"] = up - started
        text = "".join(banner) + (await proc.stdout.readuntil(b"Press Ctrl-C")).decode()
        query = re.search(r"-d '(\{\"query\".*?)'\n", text)
        assert query, text
        async with httpx.AsyncClient(timeout=60) as http:
            response = await http.post(
                f"http://127.0.0.1:{port}/graphql", json=json.loads(query[1])
            )
        answered = time.perf_counter()
        assert response.status_code == 200, response.text
        assert "errors" not in response.json(), response.text
        figures["up_to_first_answer_s"] = answered - up
        while b"Chatbot:" not in (line_bytes := await proc.stdout.readline()):
            if not line_bytes:
                break
        figures["start_to_chatbot_s"] = time.perf_counter() - started
    finally:
        if proc.returncode is None:
            proc.terminate()
            await proc.wait()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.demo_first_answer")
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    figures = asyncio.run(measure(args.enterprises, args.port))
    for name, value in figures.items():
        print(f"{name:<24} {value:7.2f}")


if __name__ == "__main__":
    main()
