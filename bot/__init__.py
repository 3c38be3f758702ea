"""The citizen chatbot (aiogram 3).  Talks to the gateway only through GraphQL over HTTP.

    app.py        the factory: Bot + Dispatcher + gateway client + state storage; polling
    webhook.py    webhook mode: a Starlette route checking Telegram's secret-token header
    run.py        ``creditgw bot``;  terminal.py  ``creditgw chat`` (the demo's fake server)
    graphql.py    the gateway client: bot/operations/*.graphql sent by hash
    names.py      the gateway's names for sources and record kinds, and the kinds' polarity
    handlers/     the flows, one router each (built by factories): binding, credit, consents,
                  pre-check, rights (objections, repairs, my cases), start (menu, free text)
    intents.py, render.py, texts.py, keyboards.py, state.py, settings.py

Importing this package stays cheap (the gateway reads ``bot/operations`` through it); aiogram
is imported only by the modules that run the bot.
"""

from __future__ import annotations

__all__: list[str] = []
