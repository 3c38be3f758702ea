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


async def chat(
    url: str,
    *,
    user_id: int = DEMO_USER_ID,
    name: str = "演示用户",
    read_line: LineReader,
    write: Callable[[str], None],
) -> int:
    """Relay lines to the bot and print what it says, until ``/quit`` or end of input."""
    latest: dict[str, Any] = {}
    async with httpx.AsyncClient(base_url=url, timeout=90) as http:
        try:
            first = await http.get("/_fake/events", params={"chat_id": user_id, "timeout": 0})
        except httpx.HTTPError:
            write(f"连不上 {url}：请先运行 `make demo`（或 creditgw demo）。")
            return 1
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
        write("已连接信用查询助手（演示）。输入消息并回车；#数字 按下按钮；/quit 退出。")
        try:
            while (line := await read_line()) is not None:
                line = line.strip()
                if line in ("/quit", "/exit"):
                    break
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
                await http.post("/_fake/send", json=payload)
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await listener
    return 0
