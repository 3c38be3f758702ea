"""``python -m gateway.demo_bot``: the demo's chatbot in a process of its own.

A fake Telegram Bot API server (:mod:`simulators.telegram`) and the bot long-polling it.  The
bot's import (aiogram builds its models for seconds) and its work never run on the gateway's
event loop, so the demo answers queries as soon as it says it is up.

The bot reads its ``BOT_*`` settings from the environment (``BOT_GATEWAY_KEY``,
``BOT_GATEWAY_URL``, optionally ``BOT_REDIS_URL``); the token and API URL are the fake
server's.  Once the bot polls, one line goes to stdout::

    READY {"url": "http://127.0.0.1:PORT"}

and it runs until SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys

from simulators.telegram import FakeTelegram

__all__ = ["main", "run"]


async def run(host: str) -> None:
    from bot.app import bot_app, run_polling
    from bot.settings import load_bot_settings

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with FakeTelegram.running(host) as telegram:
        settings = load_bot_settings(token=telegram.token, api_url=telegram.url)
        async with bot_app(settings) as app:
            polling = asyncio.create_task(run_polling(app))
            sys.stdout.write("READY " + json.dumps({"url": telegram.url}) + "\n")
            sys.stdout.flush()
            try:
                await stop.wait()
            finally:
                await app.dispatcher.stop_polling()
                await polling


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway.demo_bot")
    parser.add_argument("--host", default="127.0.0.1")
    asyncio.run(run(parser.parse_args().host))


if __name__ == "__main__":
    main()
