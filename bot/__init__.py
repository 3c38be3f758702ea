"""The citizen chatbot (aiogram 3).  Talks to the gateway only through GraphQL over HTTP."""

from __future__ import annotations

__all__: list[str] = []
