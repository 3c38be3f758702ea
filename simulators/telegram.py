"""A local fake of the Telegram Bot API: enough of it for a bot to be driven end to end (the
demo runs its bot against it; the tests drive theirs).

The bot side (``POST /bot<token>/<method>``, multipart, form or JSON, as aiogram sends it):
getMe, getUpdates (offsets, ``limit``, long-poll ``timeout``; 409 while a webhook is set),
sendMessage, editMessageText, deleteMessage, answerCallbackQuery, setWebhook, deleteWebhook,
setMyCommands.  Every call is recorded (:attr:`FakeTelegram.calls`) with its decoded parameters
and result — getUpdates on arrival (result ``None``), so "the bot is polling" can be waited on.

The person side, in process:

    async with FakeTelegram.running() as tg:          # tg.url → TelegramAPIServer.from_base
        mark = tg.mark()
        await tg.send_text(user, "/start")
        reply = await tg.wait_for(lambda c: c.method == "sendMessage", after=mark)
        await tg.press(user, reply.result["message_id"], "menu:status")

and over HTTP, for ``creditgw chat`` (another process): ``POST /_fake/send`` ``{"user_id",
"first_name", "text"}`` or ``{"user_id", "first_name", "message_id", "data"}``, and
``GET /_fake/events?chat_id=&after=&timeout=`` (long poll) for what the bot sent to a chat.
With a webhook set, a new update is POSTed to it with ``X-Telegram-Bot-Api-Secret-Token``
instead of being queued.  Waiting is always on a condition, never on a timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson
from aiohttp import web

__all__ = ["ApiCall", "FakeTelegram", "FakeUser"]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
_INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id"}
_REPLIES = {"sendMessage", "editMessageText"}


@dataclass(frozen=True, slots=True)
class FakeUser:
    id: int
    first_name: str = "测试用户"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": False, "first_name": self.first_name}


@dataclass(frozen=True, slots=True)
class ApiCall:
    seq: int
    method: str
    params: dict[str, Any]
    result: Any

    @property
    def chat_id(self) -> int | None:
        chat = self.params.get("chat_id")
        return chat if isinstance(chat, int) else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(text, callback data) of every inline button, row by row."""
        markup = self.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def _decode(key: str, value: str) -> Any:
    if key in _INT_PARAMS and value.lstrip("-").isdigit():
        return int(value)
    if value[:1] in "{[":
        return orjson.loads(value)
    return {"true": True, "false": False}.get(value, value)


@dataclass
class FakeTelegram:
    token: str = "123456789:FAKE-token-for-tests"  # noqa: S105 (a fake, for a fake)
    username: str = "creditgw_demo_bot"
    calls: list[ApiCall] = field(default_factory=list)
    deleted: list[tuple[int, int]] = field(default_factory=list)
    webhook: dict[str, Any] | None = None
    url: str = ""

    def __post_init__(self) -> None:
        self.bot_id = int(self.token.split(":")[0])
        self._seq = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._callbacks: set[str] = set()
        self._pending: list[dict[str, Any]] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self._closing = False

    # --- running ------------------------------------------------------------------------------

    @classmethod
    @contextlib.asynccontextmanager
    async def running(
        cls, host: str = "127.0.0.1", port: int = 0, **kw: Any
    ) -> AsyncIterator[FakeTelegram]:
        server = cls(**kw)
        await server.start(host, port)
        try:
            yield server
        finally:
            await server.aclose()

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_post("/_fake/send", self._control_send)
        app.router.add_get("/_fake/events", self._control_events)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0]
        self.url = f"http://{bound[0]}:{bound[1]}"
        self._http = aiohttp.ClientSession()
        return self.url

    async def aclose(self) -> None:
        async with self._changed:  # long polls still waiting answer at once
            self._closing = True
            self._changed.notify_all()
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- the bot's side -----------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            body = await request.json()
            return dict(body) if isinstance(body, dict) else {}
        form = await request.post()
        return {k: _decode(k, v) for k, v in form.items() if isinstance(v, str)}

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        handler = getattr(self, "_m_" + method, None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        if method == "getUpdates":  # recorded on arrival: "the bot is polling" is the news
            await self._record(method, params, None)
        try:
            result = await handler(params)
        except _ApiError as exc:
            if method != "getUpdates":
                await self._record(method, params, None)
            return _error(exc.status, exc.description)
        if method != "getUpdates":
            await self._record(method, params, result)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    async def _record(self, method: str, params: dict[str, Any], result: Any) -> None:
        async with self._changed:
            self.calls.append(ApiCall(next(self._seq), method, params, result))
            self._changed.notify_all()

    def _me(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "信用查询助手",
            "username": self.username,
        }

    async def _m_getMe(self, p: dict[str, Any]) -> Any:
        return self._me()

    async def _m_getUpdates(self, p: dict[str, Any]) -> Any:
        if self.webhook is not None:
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset, limit = int(p.get("offset", 0)), int(p.get("limit", 100))
        deadline = time.monotonic() + int(p.get("timeout", 0))
        async with self._changed:
            while True:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
                if self._pending or self._closing or time.monotonic() >= deadline:
                    return self._pending[:limit]
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())

    def _message(
        self, chat_id: int, sender: dict[str, Any], text: str, markup: Any = None
    ) -> dict[str, Any]:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        message: dict[str, Any] = {
            "message_id": next(counter),
            "date": int(time.time()),
            "text": text,
            "chat": {"id": chat_id, "type": "private"},
            "from": sender,
        }
        if markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        return message

    async def _m_sendMessage(self, p: dict[str, Any]) -> Any:
        return self._message(p["chat_id"], self._me(), p["text"], p.get("reply_markup"))

    async def _m_editMessageText(self, p: dict[str, Any]) -> Any:
        message = self._messages.get((p.get("chat_id"), p.get("message_id")))  # type: ignore[arg-type]
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        message["text"] = p["text"]
        message.pop("reply_markup", None)
        if p.get("reply_markup"):
            message["reply_markup"] = p["reply_markup"]
        return message

    async def _m_deleteMessage(self, p: dict[str, Any]) -> Any:
        key = (p.get("chat_id"), p.get("message_id"))
        if self._messages.pop(key, None) is None:  # type: ignore[arg-type]
            raise _ApiError(400, "Bad Request: message to delete not found")
        self.deleted.append((p["chat_id"], p["message_id"]))
        return True

    async def _m_answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        if p.get("callback_query_id") not in self._callbacks:
            raise _ApiError(400, "Bad Request: query is too old or query ID is invalid")
        return True

    async def _m_setWebhook(self, p: dict[str, Any]) -> Any:
        self.webhook = {"url": p["url"], "secret_token": p.get("secret_token")}
        if p.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _m_deleteWebhook(self, p: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _m_setMyCommands(self, p: dict[str, Any]) -> Any:
        return True

    # --- the person's side --------------------------------------------------------------------

    def mark(self) -> int:
        """The last call's sequence number: wait for calls ``after`` it."""
        return self.calls[-1].seq if self.calls else 0

    async def send_text(self, user: FakeUser, text: str) -> int:
        """The person types ``text``; returns the message id."""
        message = self._message(user.id, user.as_json(), text)
        message["chat"]["first_name"] = user.first_name
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        await self._deliver({"message": message})
        return int(message["message_id"])

    async def press(self, user: FakeUser, message_id: int, data: str) -> str:
        """The person taps a button carrying ``data`` under the bot's message ``message_id``."""
        callback_id = f"cb{next(self._update_ids)}"
        self._callbacks.add(callback_id)
        message = self._messages.get((user.id, message_id)) or {
            "message_id": message_id,
            "date": 0,
            "chat": {"id": user.id, "type": "private"},
        }
        await self._deliver(
            {
                "callback_query": {
                    "id": callback_id,
                    "from": user.as_json(),
                    "chat_instance": str(user.id),
                    "message": message,
                    "data": data,
                }
            }
        )
        return callback_id

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The message as it stands now (None once deleted)."""
        return self._messages.get((chat_id, message_id))

    async def _deliver(self, body: dict[str, Any]) -> None:
        update = {"update_id": next(self._update_ids), **body}
        if self.webhook is not None:
            assert self._http is not None
            headers = {SECRET_HEADER: self.webhook["secret_token"] or ""}
            async with self._http.post(self.webhook["url"], json=update, headers=headers) as resp:
                await self._record("_webhook", {"update_id": update["update_id"]}, resp.status)
            return
        async with self._changed:
            self._pending.append(update)
            self._changed.notify_all()

    async def wait_for(
        self, predicate: Callable[[ApiCall], bool], *, after: int = 0, within: float = 15
    ) -> ApiCall:
        """The first call after sequence ``after`` that matches; TimeoutError after ``within`` s."""

        def found() -> ApiCall | None:
            return next((c for c in self.calls if c.seq > after and predicate(c)), None)

        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: found() is not None)
        hit = found()
        assert hit is not None
        return hit

    async def next_reply(self, chat_id: int, *, after: int, within: float = 15) -> ApiCall:
        """The bot's next message to (or edit in) ``chat_id`` after sequence ``after``."""
        return await self.wait_for(
            lambda c: c.method in _REPLIES and c.chat_id == chat_id, after=after, within=within
        )

    # --- over HTTP, for `creditgw chat` -------------------------------------------------------

    async def _control_send(self, request: web.Request) -> web.Response:
        body = await request.json()
        user = FakeUser(int(body["user_id"]), str(body.get("first_name") or "演示用户"))
        if "data" in body:
            sent = await self.press(user, int(body["message_id"]), str(body["data"]))
        else:
            sent = str(await self.send_text(user, str(body["text"])))
        return web.json_response({"ok": True, "id": sent})

    async def _control_events(self, request: web.Request) -> web.Response:
        chat_id = int(request.query["chat_id"])
        after = int(request.query.get("after", 0))
        timeout = min(float(request.query.get("timeout", 0)), 60)

        def mine(c: ApiCall) -> bool:
            return c.chat_id == chat_id and c.method in {*_REPLIES, "deleteMessage"}

        with contextlib.suppress(TimeoutError):
            await self.wait_for(mine, after=after, within=timeout)
        events = [
            {
                "seq": c.seq,
                "method": c.method,
                "message_id": (c.result or {}).get("message_id")
                if isinstance(c.result, dict)
                else c.params.get("message_id"),
                "text": c.text,
                "buttons": c.buttons,
            }
            for c in self.calls
            if c.seq > after and mine(c)
        ]
        return web.json_response({"events": events, "last": self.mark()}, dumps=_dumps)


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        self.status, self.description = status, description


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _error(status: int, description: str) -> web.Response:
    body = {"ok": False, "error_code": status, "description": description}
    return web.json_response(body, status=status, dumps=_dumps)
