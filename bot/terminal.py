"""``creditgw chat``: talk to the bot from a terminal, through the demo's fake Bot API server.

Speaks only the fake server's small control API (``POST /_fake/send``, long-polled
``GET /_fake/events``), so it runs in another process than the demo.  Type a message and press
Enter; ``#2`` presses button 2 of the bot's latest message; ``/quit`` leaves.

    code = await chat("http://127.0.0.1:8081", user_id=10001, name="演示用户",
                      read_line=..., write=print)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

__all__ = ["DEMO_USER_ID", "chat", "render_event"]

DEMO_USER_ID = 10001
LineReader = Callable[[], Awaitable[str | None]]


def render_event(event: dict[str, Any]) -> str:
    if event["method"] == "deleteMessage":
        return f"🗑  （消息 #{event['message_id']} 已从对话中删除）"
    lines = [f"🤖 {event['text']}"]
    buttons = event.get("buttons") or []
    if buttons:
        lines.append("   " + "  ".join(f"[#{i}] {text}" for i, (text, _) in enumerate(buttons, 1)))
    return "\n".join(lines)


class _Lines:
    """The person's typed lines; a read still pending survives a reconnection."""

    def __init__(self, read_line: LineReader) -> None:
        self._read_line = read_line
        self._pending: asyncio.Task[str | None] | None = None

    def next(self) -> asyncio.Task[str | None]:
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._read_line())
        return self._pending

    def take(self) -> str | None:
        assert self._pending is not None
        assert self._pending.done()
        line, self._pending = self._pending.result(), None
        return line

    def close(self) -> None:
        if self._pending is not None:
            self._pending.cancel()


async def chat(
    url: str,
    *,
    user_id: int = DEMO_USER_ID,
    name: str = "演示用户",
    read_line: LineReader,
    write: Callable[[str], None],
    locate: Callable[[], str | None] | None = None,
    patience_s: float = 30.0,
) -> int:
    """Relay lines to the bot and print what it says, until ``/quit`` or end of input.

    When the demo goes away mid-chat, ``locate`` (the CLI reads the running demo's chat file)
    is asked for the server again for up to ``patience_s`` seconds: a restarted demo is
    reconnected to; otherwise the chat says plainly that the demo is gone and returns 1.
    """
    lines = _Lines(read_line)
    current: str | None = url
    connected_once = False
    try:
        while current is not None:
            outcome = await _session(current, user_id, name, lines, write, connected_once)
            if outcome == "quit":
                return 0
            if outcome == "unreachable" and not connected_once:
                write(f"连不上 {current}：请先运行 `make demo`（或 creditgw demo）。")
                return 1
            connected_once = True
            write("演示已断开，正在等它重新启动…（Ctrl-C 退出）")
            current = await _find_again(locate, patience_s)
        write("演示已停止，聊天结束：请重新运行 `make demo`，再运行 `.venv/bin/creditgw chat`。")
        return 1
    finally:
        lines.close()


async def _find_again(locate: Callable[[], str | None] | None, patience_s: float) -> str | None:
    """The restarted demo's server, once it answers; None when it is not back in time."""
    if locate is None:
        return None
    async with httpx.AsyncClient(timeout=2) as http:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + patience_s
        while True:
            found = locate()
            if found is not None:
                with contextlib.suppress(httpx.HTTPError):
                    await http.get(f"{found}/_fake/events", params={"chat_id": 0, "timeout": 0})
                    return found
            if loop.time() >= deadline:
                return None
            await asyncio.sleep(1)  # a person waiting at a terminal: polling is fine here


async def _session(
    url: str,
    user_id: int,
    name: str,
    lines: _Lines,
    write: Callable[[str], None],
    again: bool,
) -> str:
    """One connection to the fake server: ``quit``, ``gone`` (it went away) or
    ``unreachable`` (it never answered)."""
    latest: dict[str, Any] = {}
    async with httpx.AsyncClient(base_url=url, timeout=90) as http:
        try:
            first = await http.get("/_fake/events", params={"chat_id": user_id, "timeout": 0})
        except httpx.HTTPError:
            return "unreachable"
        after = int(first.json()["last"])

        async def listen() -> None:
            nonlocal after
            while True:
                params = {"chat_id": user_id, "after": after, "timeout": 30}
                body = (await http.get("/_fake/events", params=params)).json()
                for event in body["events"]:
                    after = max(after, int(event["seq"]))
                    if event.get("buttons"):
                        latest.update(message_id=event["message_id"], buttons=event["buttons"])
                    write(render_event(event))

        listener = asyncio.create_task(listen())
        write(
            "已重新连接信用查询助手（演示已重启，请重新 /start）。"
            if again
            else "已连接信用查询助手（演示）。输入消息并回车；#数字 按下按钮；/quit 退出。"
        )
        try:
            while True:
                reading = lines.next()
                await asyncio.wait({reading, listener}, return_when=asyncio.FIRST_COMPLETED)
                if listener.done():
                    return "gone" if _went_away(listener) else "quit"
                line = lines.take()
                if line is None:
                    return "quit"
                line = line.strip()
                if line in ("/quit", "/exit"):
                    return "quit"
                if not line:
                    continue
                payload: dict[str, Any] = {"user_id": user_id, "first_name": name}
                if line.startswith("#") and line[1:].isdigit() and latest:
                    index = int(line[1:]) - 1
                    if not 0 <= index < len(latest["buttons"]):
                        write("没有这个按钮。")
                        continue
                    payload.update(
                        message_id=latest["message_id"], data=latest["buttons"][index][1]
                    )
                else:
                    payload["text"] = line
                try:
                    await http.post("/_fake/send", json=payload)
                except httpx.HTTPError:
                    return "gone"
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError, ValueError):
                await listener


def _went_away(listener: asyncio.Task[None]) -> bool:
    """The listener ends only when the server stops answering (or answers garbage)."""
    error = listener.exception()
    if error is None or isinstance(error, httpx.HTTPError | ValueError | KeyError):
        return True
    raise error
