"""Pytest fixtures that run a local ByteIT server (registered as the ``byteit`` plugin).

Installed with ``byteit``; the fixtures need the ``server`` extra.

``byteit_server`` (session scope)
    One :class:`~byteit_server.EmbeddedServer` for the whole session, on a
    free 127.0.0.1 port with a temporary data directory. Use its
    ``base_url`` and ``api_key``::

        def test_lists_jobs(byteit_server):
            answer = httpx.get(f"{byteit_server.base_url}/v1/jobs/parse-jobs/",
                               headers={"X-API-Key": byteit_server.api_key})

``byteit_server_factory`` (function scope)
    Starts servers with custom :class:`~byteit_server.ServerConfig` fields
    (faults, rate limits, delays...), each stopped at the end of the test.
    ``data_dir`` defaults to a fresh folder; pass the same one twice to test a
    restart::

        def test_retries(byteit_server_factory):
            server = byteit_server_factory(fault_503=0.5, fault_seed=1)

``byteit_client``
    A ``byteit.ByteITClient`` connected to ``byteit_server``, closed afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from byteit import ByteITClient
    from byteit_server.server import EmbeddedServer

__all__ = ["byteit_client", "byteit_server", "byteit_server_factory"]

ServerFactory = Callable[..., "EmbeddedServer"]


@pytest.fixture(scope="session")
def byteit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    """A local ByteIT server shared by the session."""
    from byteit_server import EmbeddedServer, ServerConfig  # noqa: PLC0415 (optional extra)

    config = ServerConfig(data_dir=tmp_path_factory.mktemp("byteit-server"), port=0)
    with EmbeddedServer(config) as server:
        yield server


@pytest.fixture
def byteit_server_factory(tmp_path: Path) -> Iterator[ServerFactory]:
    """Start servers with custom ``ServerConfig`` fields; all stop after the test."""
    from byteit_server import EmbeddedServer, ServerConfig  # noqa: PLC0415 (optional extra)

    started: list[EmbeddedServer] = []
    numbers = itertools.count()

    def start(*, extract: Any = None, **fields: Any) -> EmbeddedServer:
        fields.setdefault("data_dir", tmp_path / f"byteit-server-{next(numbers)}")
        fields.setdefault("port", 0)
        server = EmbeddedServer(ServerConfig(**fields), extract=extract)
        server.start()
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


@pytest.fixture
def byteit_client(byteit_server: EmbeddedServer) -> Iterator[ByteITClient]:
    """A ``byteit.ByteITClient`` talking to ``byteit_server``."""
    from byteit import ByteITClient  # noqa: PLC0415 (keeps the plugin light)

    client = ByteITClient(api_key=byteit_server.api_key, base_url=byteit_server.base_url)
    try:
        yield client
    finally:
        client.close()
