"""``creditgw bot``: run the bot as configured (``BOT_*``), by long polling or as a webhook.

    await serve(load_bot_settings())      # until SIGINT/SIGTERM

Logging is configured by the caller (the CLI installs the gateway's redacting JSON logs).
"""

from __future__ import annotations

import uvicorn

from bot.app import bot_app, run_polling
from bot.settings import BotSettings

__all__ = ["serve"]


async def serve(settings: BotSettings) -> None:
    async with bot_app(settings) as app:
        if settings.mode == "polling":
            await run_polling(app, handle_signals=True)
            return
        from bot.webhook import webhook_app

        assert settings.webhook_url is not None
        assert settings.webhook_secret is not None
        web = webhook_app(
            app, secret=settings.webhook_secret.get_secret_value(), url=settings.webhook_url
        )
        config = uvicorn.Config(
            web, host=settings.webhook_host, port=settings.webhook_port, log_level="warning"
        )
        await uvicorn.Server(config).serve()
