"""The embedded server's listening socket says it is TCP, so asyncio turns Nagle off."""

from __future__ import annotations

import socket

from byteit_server.server import _bind


def test_the_listening_socket_is_declared_tcp_so_answers_are_not_delayed() -> None:
    """asyncio sets TCP_NODELAY only on sockets whose proto is IPPROTO_TCP; without it a
    keep-alive answer waits ~40 ms for the client's delayed ACK."""
    sock = _bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
