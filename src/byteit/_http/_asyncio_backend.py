"""An httpcore network backend on asyncio's own transports, for the async client.

httpcore's default async backend goes through anyio: each read and each write opens
a cancel scope with its own deadline timer, asks sniffio which event loop runs it,
and yields to the loop once even when the data is already there. Per request that is
most of what the async client spends beyond the sync one. This backend keeps the
same contract (`httpcore.AsyncNetworkBackend`, httpcore's exceptions, timeouts per
operation) on an `asyncio.Protocol`: a read returns data already received without a
loop round trip, a write hands the bytes to the transport and waits only when its
buffer is full, and a timer is armed only when the caller really waits.

Reads are flow-controlled: the transport stops reading once `_READ_HIGH` bytes sit
unread, so a slow consumer of a big download holds a bounded buffer, as with anyio.
"""

from __future__ import annotations

import asyncio
import select
import socket
import ssl
import sys
from collections.abc import Coroutine, Iterable
from typing import Any, TypeVar

import httpcore

_NO_LIMIT = 24 * 3600.0  # seconds: what "no timeout" gives asyncio where it wants one
_READ_HIGH = 256 * 1024  # stop reading from the socket above this many unread bytes
_READ_LOW = 64 * 1024  # and start again below this

T = TypeVar("T")
SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class _Protocol(asyncio.Protocol):
    """Collects what the socket receives and wakes the one reader or writer waiting."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.lost: BaseException | None = None
        self.closed = False
        self.reading = True
        self.waiter: asyncio.Future[None] | None = None
        self.drained: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # The socket's own transport. After start_tls it stays this one (asyncio does
        # not call connection_made again): pausing it pauses the TLS layer's reads too.
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _READ_HIGH and self.reading and self.transport is not None:
            self.reading = False
            self.transport.pause_reading()
        self._wake_reader()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake_reader()
        return False  # close our side too: HTTP/1.1 does not half-close

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.lost = exc
        self._wake_reader()
        if self.drained is not None and not self.drained.done():
            self.drained.set_result(None)

    def pause_writing(self) -> None:
        if self.drained is None or self.drained.done():
            self.drained = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self.drained is not None and not self.drained.done():
            self.drained.set_result(None)

    def take(self, max_bytes: int) -> bytes:
        data = bytes(self.buffer[:max_bytes])
        del self.buffer[:max_bytes]
        if not self.reading and len(self.buffer) < _READ_LOW and self.transport is not None:
            self.reading = True
            self.transport.resume_reading()
        return data

    def _wake_reader(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)


async def _wait(future: asyncio.Future[None], timeout: float | None) -> bool:
    """Wait for `future`; False if `timeout` ran out first."""
    if timeout is None:
        await future
        return True
    if timeout <= 0:
        return future.done()
    loop = asyncio.get_running_loop()
    timer = loop.call_later(timeout, _expire, future)
    try:
        await future
    except _DeadlineError:
        return False
    finally:
        timer.cancel()
    return True


class _DeadlineError(Exception):
    """The wait's time ran out (turned into httpcore's timeout of the operation)."""


def _expire(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_exception(_DeadlineError())


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection: httpcore's stream interface over an `asyncio.Transport`."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        while not protocol.buffer:
            if protocol.lost is not None:
                raise httpcore.ReadError(str(protocol.lost) or repr(protocol.lost))
            if protocol.eof or protocol.closed:
                return b""
            protocol.waiter = asyncio.get_running_loop().create_future()
            try:
                if not await _wait(protocol.waiter, timeout):
                    raise httpcore.ReadTimeout("timed out reading from the server")
            finally:
                protocol.waiter = None
        return protocol.take(max_bytes)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        protocol = self._protocol
        if protocol.closed or self._transport.is_closing():
            raise httpcore.WriteError(_lost_reason(protocol))
        self._transport.write(buffer)
        drained = protocol.drained
        if drained is not None and not drained.done():
            if not await _wait(drained, timeout):
                raise httpcore.WriteTimeout("timed out writing to the server")
            if protocol.closed:
                raise httpcore.WriteError(_lost_reason(protocol))

    async def aclose(self) -> None:
        self.close_now()

    def close_now(self) -> None:
        """Close the connection at once: what is still buffered to send is dropped, and
        nothing is awaited (so no cancellation stops it). `close` would wait for that
        buffer to drain, and on TLS for the server's close_notify, with no limit."""
        self._transport.abort()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> AsyncioStream:
        loop = asyncio.get_running_loop()
        # asyncio's own handshake limit raises ConnectionAbortedError, not a timeout,
        # and defaults to 60 s: the deadline is ours, asyncio's set past it.
        backstop = _NO_LIMIT if timeout is None else timeout + 1
        handshake = loop.start_tls(
            self._transport,
            self._protocol,
            ssl_context,
            server_hostname=server_hostname,
            ssl_handshake_timeout=backstop,
        )
        try:
            transport = await _within(handshake, timeout)
        except (TimeoutError, asyncio.TimeoutError) as exc:
            self._transport.abort()
            raise httpcore.ConnectTimeout("timed out in the TLS handshake") from exc
        except (OSError, ssl.SSLError) as exc:
            self._transport.abort()
            raise httpcore.ConnectError(str(exc) or repr(exc)) from exc
        if transport is None:  # the server closed the connection in the handshake
            raise httpcore.ConnectError("the server closed the connection during the TLS handshake")
        return AsyncioStream(transport, self._protocol)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            protocol = self._protocol
            if protocol.buffer or protocol.eof or protocol.closed:
                return True
            return _socket_readable(self._transport.get_extra_info("socket"))
        name = _TRANSPORT_INFO.get(info)
        return None if name is None else self._transport.get_extra_info(name)


# httpcore's names for what a stream can tell, and asyncio's names for them
_TRANSPORT_INFO = {
    "ssl_object": "ssl_object",
    "client_addr": "sockname",
    "server_addr": "peername",
    "socket": "socket",
}


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens `AsyncioStream`s; TCP_NODELAY is set, as asyncio does for its own streams."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> AsyncioStream:
        loop = asyncio.get_running_loop()
        local = (local_address, 0) if local_address else None
        return await _connect(
            loop.create_connection(_Protocol, host, port, local_addr=local),
            timeout,
            socket_options,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> AsyncioStream:
        loop = asyncio.get_running_loop()
        return await _connect(loop.create_unix_connection(_Protocol, path), timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        # httpcore's connect retries, which byteit's pools leave off (retries=0)
        await asyncio.sleep(seconds)  # noqa: TID251


async def _connect(
    opening: Any, timeout: float | None, socket_options: Iterable[SocketOption] | None
) -> AsyncioStream:
    try:
        transport, protocol = await _within(opening, timeout)
    except (TimeoutError, asyncio.TimeoutError) as exc:
        raise httpcore.ConnectTimeout("timed out connecting to the server") from exc
    except OSError as exc:
        raise httpcore.ConnectError(str(exc) or repr(exc)) from exc
    sock = transport.get_extra_info("socket")
    for option in socket_options or ():
        sock.setsockopt(*option)
    return AsyncioStream(transport, protocol)


async def _within(opening: Coroutine[Any, Any, T], timeout: float | None) -> T:
    """`opening`'s result, or TimeoutError once `timeout` seconds have passed (at once
    for 0 or less). On 3.11+ with `asyncio.timeout`, which, unlike 3.11's `wait_for`,
    never loses a cancellation that comes as the awaited call finishes."""
    if timeout is None:
        return await opening
    if timeout <= 0:
        opening.close()
        raise TimeoutError
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(timeout):
            return await opening
    return await asyncio.wait_for(opening, timeout)  # pragma: no cover (3.10)


def _socket_readable(sock: socket.socket | None) -> bool:
    """True when `sock` has data or EOF waiting (a keep-alive connection the server closed)."""
    if sock is None or sock.fileno() < 0:
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([sock], [], [], 0)[0])  # Windows


def _lost_reason(protocol: _Protocol) -> str:
    if protocol.lost is not None:
        return str(protocol.lost) or repr(protocol.lost)
    return "the connection is closed"
