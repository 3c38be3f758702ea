"""``creditgw …`` run in process: ``gateway.cli.main(argv)`` in a worker thread (it runs its own
event loop), with the database URL in the environment, its output captured and its exit code
returned — what a person at the terminal sees, without starting an interpreter per command."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os

from gateway.cli import main

__all__ = ["creditgw"]


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    return code, out.getvalue(), err.getvalue()


async def creditgw(dsn: str, *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``creditgw argv…`` against the database ``dsn``."""
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = dsn
    try:
        return await asyncio.to_thread(_run, list(argv))
    finally:
        if before is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = before
