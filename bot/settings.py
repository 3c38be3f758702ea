"""The bot's own settings (prefix ``BOT_``), read once at start-up; the bot shares nothing with
the gateway's settings — it is a separate program that speaks HTTP.

    BOT_TOKEN=123:abc BOT_GATEWAY_KEY=cgw_live_… creditgw bot
    BOT_API_URL=http://127.0.0.1:8081     # a local Bot API server (the demo's fake)
    BOT_MODE=webhook BOT_WEBHOOK_URL=https://bot.example/telegram/webhook BOT_WEBHOOK_SECRET=…

``REDIS_URL`` (or ``BOT_REDIS_URL``) keeps conversation state in Redis, shared by replicas and
kept across restarts; unset, state lives in this process.  Secrets print as ``**********``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["BotSettings", "BotSettingsError", "load_bot_settings"]

_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as secret_token


class BotSettingsError(Exception):
    """A bot setting is invalid; the message names the environment variable."""


class BotSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BOT_", frozen=True, populate_by_name=True, extra="ignore"
    )

    token: SecretStr = Field(description="Telegram bot token (from @BotFather)")
    gateway_key: SecretStr = Field(
        description="The bot's service key at the gateway (a bot client)"
    )
    gateway_url: str = Field("http://127.0.0.1:8000", description="Base URL of the gateway")
    api_url: str = Field(
        "https://api.telegram.org", description="Bot API server (a local one for the demo)"
    )
    redis_url: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("BOT_REDIS_URL", "REDIS_URL"),
        description="Redis for conversation state; unset: in this process",
    )
    mode: Literal["polling", "webhook"] = Field("polling", description="How updates arrive")
    polling_timeout_s: int = Field(10, ge=0, le=50, description="Long-poll wait of getUpdates, s")
    webhook_url: str | None = Field(None, description="Public URL Telegram posts updates to")
    webhook_secret: SecretStr | None = Field(
        None, description="Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token"
    )
    webhook_host: str = Field("127.0.0.1", description="Address the webhook server listens on")
    webhook_port: int = Field(
        8081, ge=1, le=65535, description="Port the webhook server listens on"
    )
    state_ttl_s: int = Field(
        3600, ge=60, le=30 * 86_400, description="Conversation state is forgotten after this, s"
    )
    gateway_timeout_s: float = Field(15.0, gt=0, le=120, description="Timeout of a gateway call, s")
    notice_poll_s: float = Field(
        10.0, gt=0, le=3600, description="How often decisions to tell citizens are asked for, s"
    )

    @model_validator(mode="after")
    def _webhook_complete(self) -> BotSettings:
        if self.mode == "webhook":
            if not self.webhook_url:
                raise ValueError("BOT_WEBHOOK_URL is required in webhook mode")
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if not _SECRET_TOKEN.match(secret):
                raise ValueError("BOT_WEBHOOK_SECRET: 1-256 characters of A-Z a-z 0-9 _ -")
        return self


def load_bot_settings(**overrides: object) -> BotSettings:
    """Read the environment once (plus explicit overrides)."""
    try:
        return BotSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"BOT_{'__'.join(str(p).upper() for p in e['loc']) or '?'}: {e['msg']}"
            for e in exc.errors()
        )
        raise BotSettingsError(f"invalid bot setting — {problems}") from None
