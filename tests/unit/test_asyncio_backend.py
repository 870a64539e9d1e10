"""The async client's network backend on asyncio's transports (`byteit._http._asyncio_backend`).

Each test runs a small asyncio server on 127.0.0.1 in the test's own event loop.
Timeouts are driven without waiting: a timeout of 0, or a loop whose timers fire
on its next turn.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import struct
from pathlib import Path

import httpcore
import pytest

from byteit._http import _asyncio_backend
from byteit._http._asyncio_backend import AsyncioBackend, AsyncioStream

from .local_servers import Handler, port_of, serving, tls_contexts, turns, until


async def connect(server: asyncio.Server) -> AsyncioStream:
    stream = await AsyncioBackend().connect_tcp("127.0.0.1", port_of(server), timeout=5)
    assert isinstance(stream, AsyncioStream)
    return stream


def echo_then_close(payload: bytes) -> Handler:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readexactly(len(payload))
        writer.write(payload.upper())
        await writer.drain()
        writer.close()

    return handle


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read()  # never answers; returns when the client goes
    writer.close()


def test_a_round_trip_then_eof() -> None:
    async def main() -> None:
        async with serving(echo_then_close(b"hello")) as server:
            stream = await connect(server)
            await stream.write(b"hello", timeout=5)
            received = b""
            while chunk := await stream.read(65536, timeout=5):
                received += chunk
            assert received == b"HELLO"
            assert await stream.read(65536, timeout=5) == b""  # EOF stays EOF
            await stream.aclose()

    asyncio.run(main())


def test_data_already_received_is_read_without_waiting() -> None:
    async def main() -> None:
        async with serving(echo_then_close(b"ping")) as server:
            stream = await connect(server)
            await stream.write(b"ping")
            await until(lambda: bool(stream._protocol.buffer))
            # a timeout of 0 would raise if the read had to wait for the loop
            assert await stream.read(2, timeout=0) == b"PI"
            assert await stream.read(65536, timeout=0) == b"NG"
            await stream.aclose()

    asyncio.run(main())


def test_a_read_with_nothing_coming_times_out() -> None:
    async def main() -> None:
        async with serving(silent) as server:
            stream = await connect(server)
            with pytest.raises(httpcore.ReadTimeout):
                await stream.read(65536, timeout=0)
            # with a timer armed: this loop fires timers on its next turn
            loop = asyncio.get_running_loop()
            loop.call_later = lambda delay, callback, *args: loop.call_soon(callback, *args)  # type: ignore[method-assign,assignment,misc]
            with pytest.raises(httpcore.ReadTimeout):
                await stream.read(65536, timeout=30)
            assert stream._protocol.waiter is None
            await stream.aclose()

    asyncio.run(main())


def test_a_read_waits_for_data_under_its_timeout() -> None:
    async def main() -> None:
        async def late(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readexactly(2)
            writer.write(b"late")
            await writer.drain()

        async with serving(late) as server:
            stream = await connect(server)
            reading = asyncio.ensure_future(stream.read(65536, timeout=30))
            await turns(5)
            assert not reading.done()
            await stream.write(b"go")
            assert await reading == b"late"
            await stream.aclose()

    asyncio.run(main())


def test_a_reset_connection_is_a_read_error() -> None:
    async def main() -> None:
        async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readexactly(1)
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()  # RST, not FIN

        async with serving(reset) as server:
            stream = await connect(server)
            await stream.write(b"x")
            with pytest.raises(httpcore.ReadError):
                await stream.read(65536, timeout=5)

    asyncio.run(main())


def test_a_write_on_a_closed_connection_is_a_write_error() -> None:
    async def main() -> None:
        async with serving(silent) as server:
            stream = await connect(server)
            await stream.aclose()
            with pytest.raises(httpcore.WriteError):
                await stream.write(b"too late", timeout=5)

    asyncio.run(main())


def test_a_write_into_a_full_buffer_waits_and_times_out() -> None:
    async def main() -> None:
        held = asyncio.Event()

        async def not_reading(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await held.wait()
            writer.close()

        async with serving(not_reading) as server:
            stream = await connect(server)
            # far more than the kernel's buffers hold: the transport pauses the writer
            with pytest.raises(httpcore.WriteTimeout):
                await stream.write(b"x" * (64 * 1024 * 1024), timeout=0)
            # closing drops what is still buffered: the server never reads, yet the
            # connection goes at once (a graceful close would wait for the buffer)
            await stream.aclose()
            await until(lambda: stream._protocol.closed, limit=50)
            held.set()

    asyncio.run(main())


def test_a_tls_handshake_out_of_time_is_a_connect_timeout(tmp_path: Path) -> None:
    _, client_context = tls_contexts(tmp_path)

    async def main() -> None:
        async with serving(silent) as server:  # accepts, but never answers the hello
            plain = await connect(server)
            with pytest.raises(httpcore.ConnectTimeout):
                await plain.start_tls(client_context, "127.0.0.1", timeout=0)
            assert plain._transport.is_closing()

    asyncio.run(main())


def test_a_big_answer_is_buffered_only_up_to_the_high_mark() -> None:
    size = 4 * 1024 * 1024

    async def main() -> None:
        async def big(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(bytes(size))
            await writer.drain()
            writer.close()

        async with serving(big) as server:
            stream = await connect(server)
            protocol = stream._protocol
            await until(lambda: not protocol.reading)
            await turns(200)  # the socket has more, but nothing more is taken from it
            held = len(protocol.buffer)
            assert held <= _asyncio_backend._READ_HIGH + 256 * 1024
            total = 0
            while chunk := await stream.read(65536, timeout=5):
                total += len(chunk)
            assert total == size
            await stream.aclose()

    asyncio.run(main())


def test_is_readable_tells_an_idle_connection_the_server_closed() -> None:
    async def main() -> None:
        go = asyncio.Event()

        async def close_when_told(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter
        ) -> None:
            await go.wait()
            writer.close()

        async with serving(close_when_told) as server:
            stream = await connect(server)
            assert stream.get_extra_info("is_readable") is False
            go.set()
            await until(lambda: stream.get_extra_info("is_readable"))
            assert stream.get_extra_info("server_addr")[1] == port_of(server)
            assert stream.get_extra_info("client_addr")[0] == "127.0.0.1"
            assert stream.get_extra_info("socket") is not None
            assert stream.get_extra_info("ssl_object") is None
            assert stream.get_extra_info("something else") is None
            await stream.aclose()

    asyncio.run(main())


def test_connect_errors_are_httpcore_errors() -> None:
    async def main() -> None:
        with socket.socket() as sock:  # a port nobody listens on
            sock.bind(("127.0.0.1", 0))
            closed_port = sock.getsockname()[1]
        with pytest.raises(httpcore.ConnectError):
            await AsyncioBackend().connect_tcp("127.0.0.1", closed_port, timeout=5)
        async with serving(silent) as server:
            with pytest.raises(httpcore.ConnectTimeout):
                await AsyncioBackend().connect_tcp("127.0.0.1", port_of(server), timeout=0)

    asyncio.run(main())


def test_socket_options_are_applied() -> None:
    async def main() -> None:
        async with serving(silent) as server:
            option = (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            stream = await AsyncioBackend().connect_tcp(
                "127.0.0.1", port_of(server), timeout=5, socket_options=[option]
            )
            sock = stream.get_extra_info("socket")
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
            await stream.aclose()

    asyncio.run(main())


def test_a_unix_socket(tmp_path: Path) -> None:
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no unix sockets here")

    async def main() -> None:
        path = str(tmp_path / "s")
        server = await asyncio.start_unix_server(echo_then_close(b"unix"), path)
        async with server:
            stream = await AsyncioBackend().connect_unix_socket(path, timeout=5)
            await stream.write(b"unix")
            assert await stream.read(65536, timeout=5) == b"UNIX"
            await stream.aclose()

    asyncio.run(main())


@pytest.fixture
def tls(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    return tls_contexts(tmp_path)


def test_tls_round_trip(tls: tuple[ssl.SSLContext, ssl.SSLContext]) -> None:
    server_context, client_context = tls

    async def main() -> None:
        async with serving(echo_then_close(b"secret"), server_context) as server:
            plain = await connect(server)
            stream = await plain.start_tls(client_context, server_hostname="127.0.0.1", timeout=5)
            assert stream.get_extra_info("ssl_object") is not None
            await stream.write(b"secret", timeout=5)
            assert await stream.read(65536, timeout=5) == b"SECRET"
            await stream.aclose()

    asyncio.run(main())


def test_a_certificate_not_trusted_is_a_connect_error(
    tls: tuple[ssl.SSLContext, ssl.SSLContext],
) -> None:
    server_context, _ = tls

    async def main() -> None:
        async with serving(silent, server_context) as server:
            plain = await connect(server)
            with pytest.raises(httpcore.ConnectError):
                await plain.start_tls(ssl.create_default_context(), "127.0.0.1", timeout=5)

    asyncio.run(main())
