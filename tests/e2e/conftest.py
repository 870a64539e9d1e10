"""Shared fixtures for the end-to-end tests: one scenario, run against both clients.

A test asks for `client` (or `open_client`, to connect elsewhere or with other
settings) and passes whatever a client method returns through `run`. With
`ByteITClient` that is the value itself; with `AsyncByteITClient` `run` awaits
it (or collects an async iterator) on the test's event loop, the one the async
client is built, used and closed on.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from byteit import AsyncByteITClient, ByteITClient

if TYPE_CHECKING:
    from byteit_server import EmbeddedServer

T = TypeVar("T")

Client = ByteITClient | AsyncByteITClient
Run = Callable[[Any], Any]
OpenClient = Callable[..., contextlib.AbstractContextManager[Client]]


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Which client the scenario runs against: ByteITClient or AsyncByteITClient."""
    return str(request.param)


@pytest.fixture
def runner() -> Iterator[asyncio.Runner]:
    """The test's event loop; it outlives every client the test opens."""
    with asyncio.Runner() as runner:
        yield runner


@pytest.fixture
def run(runner: asyncio.Runner) -> Run:
    """Settle a client call: await an awaitable, collect an async iterator into a list."""

    async def settle(value: Awaitable[T]) -> T:
        return await value

    async def collect(items: AsyncIterator[T]) -> list[T]:
        return [item async for item in items]

    def resolve(value: Any) -> Any:
        if inspect.isawaitable(value):
            return runner.run(settle(value))
        if isinstance(value, AsyncIterator):
            return runner.run(collect(value))
        return value

    return resolve


@pytest.fixture
def open_client(flavour: str, runner: asyncio.Runner) -> OpenClient:
    """Connect a client (sync or async, per `flavour`) to a local server; closed on exit.

    The key and address default to the server's; other keyword arguments go to
    the client as they are.
    """

    @contextlib.contextmanager
    def connect(server: EmbeddedServer, **kwargs: Any) -> Iterator[Client]:
        kwargs.setdefault("api_key", server.api_key)
        kwargs.setdefault("base_url", server.base_url)
        if flavour == "sync":
            with ByteITClient(**kwargs) as client:
                yield client
            return

        async def build() -> AsyncByteITClient:
            return AsyncByteITClient(**kwargs)

        aclient = runner.run(build())
        try:
            yield aclient
        finally:
            runner.run(aclient.aclose())

    return connect


@pytest.fixture
def client(open_client: OpenClient, byteit_server: EmbeddedServer) -> Iterator[Client]:
    """A client (sync or async, per `flavour`) talking to the session's `byteit_server`."""
    with open_client(byteit_server) as client:
        yield client
