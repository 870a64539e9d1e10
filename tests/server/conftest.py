"""Fixtures of the server tests: httpx clients of embedded servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from byteit_server.server import EmbeddedServer

Connect = Callable[..., httpx.Client]


@pytest.fixture
def connect() -> Iterator[Connect]:
    """Open httpx clients on servers, authenticated with their key; closed after the test."""
    clients: list[httpx.Client] = []

    def open_client(server: EmbeddedServer, api_key: str | None = None) -> httpx.Client:
        key = server.api_key if api_key is None else api_key
        client = httpx.Client(base_url=server.base_url, headers={"X-API-Key": key}, timeout=10)
        clients.append(client)
        return client

    yield open_client
    for client in clients:
        client.close()


@pytest.fixture
def api(byteit_server: EmbeddedServer, connect: Connect) -> httpx.Client:
    """A client of the session's server."""
    return connect(byteit_server)
