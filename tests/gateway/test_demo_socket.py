"""The demo gateway's socket, bound before the bot starts: GATEWAY_PORT=0 takes a free port
(which the banner and the bot's URL then name), and a port in use is said plainly."""

from __future__ import annotations

import socket

import pytest

from gateway.demo import gateway_socket
from gateway.settings import load_settings


def test_port_0_takes_a_free_port() -> None:
    sock = gateway_socket(load_settings(mode="demo", port=0))
    assert sock is not None
    try:
        host, port = sock.getsockname()
        assert (host, port > 0) == ("127.0.0.1", True)
    finally:
        sock.close()


def test_a_port_in_use_is_said_plainly(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert gateway_socket(load_settings(mode="demo", port=port)) is None
    said = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in said
    assert "GATEWAY_PORT" in said
