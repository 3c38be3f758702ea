"""The gateway as an ASGI factory for granian (``bench.stack`` with ``server="granian"``):

    granian --interface asgi --factory --loop uvloop bench.granian_app:app

A benchmark's entry point only: the product serves with uvicorn (``creditgw serve``).
"""

from __future__ import annotations

from starlette.applications import Starlette

from gateway.app import create_app
from gateway.logs import configure_logging
from gateway.settings import load_settings


def app() -> Starlette:
    settings = load_settings()
    configure_logging(settings.log_level)
    return create_app(settings, serving=True)
