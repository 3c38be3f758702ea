"""``python -m simulators serve`` — run the bureau simulators in their own process.

Keys come from the environment (``SIM_KEY_<BUREAU>``, e.g. ``SIM_KEY_MARKET``), never from the
command line; so do the subject-token secrets of the consent-gated bureaus
(``SIM_TOKEN_SECRET_TAX``, ``…_HRSS``, ``…_UTILITIES``, used as UTF-8 bytes; unset: the public
demo secrets of :func:`simulators.runner.demo_secrets`).  Once every bureau listens, one line
is printed to stdout:
``READY {"market": "http://127.0.0.1:PORT", ...}``; the process runs until SIGINT/SIGTERM.

Ports: free ones by default; ``SIM_PORT_<BUREAU>`` (e.g. ``SIM_PORT_MARKET=9102``) fixes one, so
a compose file or a proxy can name the bureaus' URLs in advance.  ``SIM_LOG_LEVEL=INFO`` writes
one JSON line per bureau call to stderr, with the caller's W3C ``traceparent``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Mapping

from simulators.runner import BUREAUS, CONSENT_GATED, demo_secrets, run_bureaus
from simulators.world import World, WorldConfig


class _JsonLines(logging.Formatter):
    """One JSON object per line, with the call log's fields (never personal data)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"level": record.levelname, "logger": record.name, "msg": record.getMessage()}
        for name in ("bureau", "route", "traceparent"):
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = str(value)
        return json.dumps(entry, ensure_ascii=False)


def _configure_logging(level: str) -> None:
    """``SIM_LOG_LEVEL=INFO`` logs every call with its ``traceparent``; default: warnings."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level if level in ("DEBUG", "INFO", "WARNING", "ERROR") else "WARNING")


async def _serve(args: argparse.Namespace) -> None:
    _configure_logging(os.environ.get("SIM_LOG_LEVEL", "WARNING").upper())
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
    ports = fixed_ports(os.environ)
    async with run_bureaus(world, keys, host=args.host, ports=ports, secrets=secrets) as bureaus:
        urls = {name: b.url for name, b in bureaus.items()}
        sys.stdout.write("READY " + json.dumps(urls) + "\n")
        sys.stdout.flush()
        await stop.wait()


def fixed_ports(environ: Mapping[str, str]) -> dict[str, int]:
    """``SIM_PORT_<BUREAU>`` values, checked: a bad one stops start-up naming the variable."""
    ports: dict[str, int] = {}
    for name in BUREAUS:
        variable = f"SIM_PORT_{name.upper()}"
        raw = environ.get(variable, "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 0 < int(raw) < 65536:
            raise SystemExit(f"python -m simulators: {variable}={raw!r} is not a port (1-65535)")
        ports[name] = int(raw)
    return ports


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
