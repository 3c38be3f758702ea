"""``python -m simulators serve`` — run the bureau simulators in their own process.

Keys come from the environment (``SIM_KEY_<BUREAU>``, e.g. ``SIM_KEY_MARKET``), never from the
command line; so do the subject-token secrets of the consent-gated bureaus
(``SIM_TOKEN_SECRET_TAX``, ``…_HRSS``, ``…_UTILITIES``, used as UTF-8 bytes; unset: the public
demo secrets of :func:`simulators.runner.demo_secrets`).  Once every bureau listens, one line
is printed to stdout:
``READY {"market": "http://127.0.0.1:PORT", ...}``; the process runs until SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys

from simulators.runner import BUREAUS, CONSENT_GATED, demo_secrets, run_bureaus
from simulators.world import World, WorldConfig


async def _serve(args: argparse.Namespace) -> None:
    keys = {name: os.environ.get(f"SIM_KEY_{name.upper()}", f"demo-{name}-key") for name in BUREAUS}
    secrets = demo_secrets()
    for name in CONSENT_GATED:
        configured = os.environ.get(f"SIM_TOKEN_SECRET_{name.upper()}")
        if configured:
            secrets[name] = configured.encode()
    world = World.generate(WorldConfig(seed=args.seed, enterprises=args.enterprises))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with run_bureaus(world, keys, host=args.host, secrets=secrets) as bureaus:
        urls = {name: b.url for name, b in bureaus.items()}
        sys.stdout.write("READY " + json.dumps(urls) + "\n")
        sys.stdout.flush()
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m simulators")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run every bureau simulator on free loopback ports")
    serve.add_argument("--seed", type=int, default=WorldConfig().seed)
    serve.add_argument("--enterprises", type=int, default=WorldConfig().enterprises)
    serve.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
