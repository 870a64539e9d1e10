"""HTTP/1.1 connections for the async client, without anyio's locks and cancel scopes.

httpcore's async connection guards its state with anyio locks, each of which yields
to the event loop once when taken (three per request), and shields its clean-up
with anyio cancel scopes. On one asyncio loop none of that is needed: a state change
happens between two awaits, so nothing else can run in the middle. `AsyncioConnection`
is an HTTP/1.1 connection (h11, as httpcore's) on `AsyncioBackend` streams, whose
clean-up never awaits, so a cancellation cannot interrupt it.

`AsyncioPool` is httpcore's own connection pool (its queueing, limits and keep-alive
rules, and what respx patches to mock requests) with these connections in it.
`asyncio_http_client` makes an `httpx.AsyncClient` on such a pool.
"""

from __future__ import annotations

import contextlib
import enum
import ssl
import time
import types
from collections.abc import AsyncIterable
from typing import Any

import h11
import httpcore
import httpx

from byteit._http._asyncio_backend import AsyncioBackend, AsyncioStream
from byteit._http._body import WRITE_SIZE

_READ_SIZE = 64 * 1024
_MAX_HEAD = 100 * 1024  # a response's status line and headers, at most


class _State(enum.Enum):
    NEW = "new"  # not connected yet; its first request is on its way
    ACTIVE = "active"  # a request is being sent or its response read
    IDLE = "idle"  # between requests, kept alive
    CLOSED = "closed"


class AsyncioConnection(httpcore.AsyncConnectionInterface):
    """One HTTP/1.1 connection to one origin, one request at a time."""

    def __init__(
        self,
        origin: httpcore.Origin,
        *,
        ssl_context: ssl.SSLContext,
        keepalive_expiry: float | None,
        backend: AsyncioBackend,
    ) -> None:
        self._origin = origin
        self._ssl_context = ssl_context
        self._keepalive_expiry = keepalive_expiry
        self._backend = backend
        self._stream: AsyncioStream | None = None
        self._h11 = h11.Connection(our_role=h11.CLIENT, max_incomplete_event_size=_MAX_HEAD)
        self._state = _State.NEW
        self._expire_at: float | None = None
        self._requests = 0

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if not self.can_handle_request(request.url.origin):
            raise RuntimeError(
                f"a request to {request.url.origin} on a connection to {self._origin}"
            )
        if self._state not in (_State.NEW, _State.IDLE):
            raise httpcore.ConnectionNotAvailable()
        self._state, self._expire_at = _State.ACTIVE, None
        self._requests += 1
        timeouts = request.extensions.get("timeout", {})
        try:
            if self._stream is None:
                self._stream = await self._connect(request, timeouts.get("connect"))
            # The server may have stopped reading to answer early (a 413, say) and
            # closed: its answer, if any, says more than the broken write.
            with contextlib.suppress(httpcore.WriteError):
                await self._send(request, timeouts.get("write"))
            return await self._receive_head(request, timeouts.get("read"))
        except BaseException:
            self._close()
            raise

    async def _connect(self, request: httpcore.Request, timeout: float | None) -> AsyncioStream:
        host = self._origin.host.decode("ascii")
        stream = await self._backend.connect_tcp(host, self._origin.port, timeout=timeout)
        if self._origin.scheme != b"https":
            return stream
        sni = request.extensions.get("sni_hostname") or host
        try:
            secure = await stream.start_tls(self._ssl_context, server_hostname=sni, timeout=timeout)
        except BaseException:
            stream.close_now()
            raise
        return secure  # speaking HTTP/1.1: the pool's context offers nothing else (ALPN)

    async def _send(self, request: httpcore.Request, timeout: float | None) -> None:
        """Send the request, its head and body joined into writes of up to `WRITE_SIZE`
        (a small request goes out as one segment, not one per part). A body trickling
        in small pieces goes out a write size at a time: byteit's uploads are files
        and bytes, read as fast as they can be sent."""
        assert self._stream is not None
        with _ProtocolErrors(httpcore.LocalProtocolError):
            event = h11.Request(
                method=request.method, target=request.url.target, headers=request.headers
            )
            pending = self._h11.send(event) or b""
        assert isinstance(request.stream, AsyncIterable)  # an async client's body
        async for chunk in request.stream:
            with _ProtocolErrors(httpcore.LocalProtocolError):
                data = self._h11.send(h11.Data(data=chunk)) or b""
            if len(pending) + len(data) > WRITE_SIZE:
                await self._stream.write(pending, timeout=timeout)
                pending = b""
            pending += data
        with _ProtocolErrors(httpcore.LocalProtocolError):
            pending += self._h11.send(h11.EndOfMessage()) or b""
        await self._stream.write(pending, timeout=timeout)

    async def _receive_head(
        self, request: httpcore.Request, timeout: float | None
    ) -> httpcore.Response:
        while True:
            event = await self._next_event(timeout)
            if isinstance(event, h11.Response):
                break
            if not isinstance(event, h11.InformationalResponse) or event.status_code == 101:
                raise httpcore.RemoteProtocolError(f"expected a response, got {event!r}")
            # an informational answer (100 Continue, 103 Early Hints): read on
        return httpcore.Response(
            status=event.status_code,
            headers=event.headers.raw_items(),
            content=_Body(self, timeout),
            extensions={
                "http_version": b"HTTP/" + event.http_version,
                "reason_phrase": event.reason,
                "network_stream": self._stream,
            },
        )

    async def _next_event(self, timeout: float | None) -> Any:
        assert self._stream is not None
        while True:
            with _ProtocolErrors(httpcore.RemoteProtocolError):
                event = self._h11.next_event()
            if event is not h11.NEED_DATA:
                return event
            data = await self._stream.read(_READ_SIZE, timeout=timeout)
            if not data and self._h11.their_state == h11.SEND_RESPONSE:
                raise httpcore.RemoteProtocolError(
                    "Server disconnected without sending a response."
                )
            with _ProtocolErrors(httpcore.RemoteProtocolError):
                self._h11.receive_data(data)

    def _response_done(self) -> None:
        """The response was read to its end or dropped: keep the connection, or close it."""
        if self._state is not _State.ACTIVE:  # closed meanwhile (the pool, an error)
            return
        if self._h11.our_state is h11.DONE and self._h11.their_state is h11.DONE:
            self._h11.start_next_cycle()
            self._state = _State.IDLE
            if self._keepalive_expiry is not None:
                self._expire_at = time.monotonic() + self._keepalive_expiry
        else:
            self._close()

    def _close(self) -> None:
        self._state = _State.CLOSED
        if self._stream is not None:
            self._stream.close_now()

    async def aclose(self) -> None:
        self._close()

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return origin == self._origin

    def is_available(self) -> bool:
        # A new connection serves only the request that made it, never another.
        return self._state is _State.IDLE

    def has_expired(self) -> bool:
        if self._state is not _State.IDLE:
            return False
        if self._expire_at is not None and time.monotonic() > self._expire_at:
            return True
        # Idle and readable: the server has closed it (or broke protocol).
        assert self._stream is not None
        return bool(self._stream.get_extra_info("is_readable"))

    def is_idle(self) -> bool:
        return self._state is _State.IDLE

    def is_closed(self) -> bool:
        return self._state is _State.CLOSED

    def info(self) -> str:
        return (
            f"{str(self._origin)!r}, HTTP/1.1, {self._state.name}, Request Count: {self._requests}"
        )

    def __repr__(self) -> str:
        return f"<AsyncioConnection [{self.info()}]>"


class _Body:
    """A response's body as it arrives; closing it settles the connection.

    An iterator object rather than an async generator: the loop tracks every async
    generator it starts, and a response's body passes through enough of them.
    """

    def __init__(self, connection: AsyncioConnection, timeout: float | None) -> None:
        self._connection = connection
        self._timeout = timeout
        self._closed = False

    def __aiter__(self) -> _Body:
        return self

    async def __anext__(self) -> bytes:
        try:
            event = await self._connection._next_event(self._timeout)
            if isinstance(event, h11.Data):
                return bytes(event.data)
            if isinstance(event, h11.EndOfMessage):
                raise StopAsyncIteration
            raise httpcore.RemoteProtocolError(f"expected the body, got {event!r}")
        except StopAsyncIteration:
            raise
        except BaseException:
            self._connection._close()
            self._closed = True
            raise

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._connection._response_done()


class _ProtocolErrors:
    """h11's protocol errors as httpcore's `kind`."""

    def __init__(self, kind: type[Exception]) -> None:
        self._kind = kind

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        if isinstance(exc, h11.ProtocolError):
            raise self._kind(str(exc)) from exc


class AsyncioPool(httpcore.AsyncConnectionPool):
    """httpcore's connection pool, its connections `AsyncioConnection`s (what they are
    made with is kept under names of our own, not read back from httpcore's)."""

    def __init__(self, limits: httpx.Limits, ssl_context: ssl.SSLContext) -> None:
        ssl_context.set_alpn_protocols(["http/1.1"])  # as httpcore offers for HTTP/1.1
        self._asyncio_backend = AsyncioBackend()
        self._asyncio_keepalive = limits.keepalive_expiry
        super().__init__(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=self._asyncio_backend,
        )
        self._asyncio_ssl = ssl_context

    def create_connection(self, origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
        return AsyncioConnection(
            origin,
            ssl_context=self._asyncio_ssl,
            keepalive_expiry=self._asyncio_keepalive,
            backend=self._asyncio_backend,
        )

    async def _close_connections(self, closing: list[httpcore.AsyncConnectionInterface]) -> None:
        # httpcore shields this from cancellation with an anyio cancel scope, twice per
        # request; closing an AsyncioConnection never awaits, so there is nothing to
        # shield. (Should httpcore rename the method, its own runs instead: no harm.)
        for connection in closing:
            await connection.aclose()


_DEFAULT_TIMEOUT = httpx.Timeout(5.0)  # httpx's own defaults
_DEFAULT_LIMITS = httpx.Limits()


def asyncio_http_client(
    *,
    timeout: httpx.Timeout = _DEFAULT_TIMEOUT,
    limits: httpx.Limits = _DEFAULT_LIMITS,
    verify: ssl.SSLContext | bool = True,
) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` whose default transport sends through an `AsyncioPool`.

    httpx takes no pool or network backend, so this replaces its transport's pool;
    should a future httpx move it, the client simply keeps httpcore's own. Proxies
    from the environment get httpx's own transports, as usual.
    """
    client = httpx.AsyncClient(timeout=timeout, limits=limits, verify=verify)
    transport = getattr(client, "_transport", None)
    if isinstance(transport, httpx.AsyncHTTPTransport) and isinstance(
        getattr(transport, "_pool", None), httpcore.AsyncConnectionPool
    ):
        transport._pool = AsyncioPool(limits, httpx.create_ssl_context(verify=verify))
    return client
