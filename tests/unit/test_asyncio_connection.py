"""HTTP/1.1 through `AsyncioPool` and `AsyncioConnection` (`byteit._http._asyncio_connection`),
the async client's own connections, against small servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
import types
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import httpcore
import httpx
import pytest
import respx

from byteit import AsyncByteITClient, ByteITClient
from byteit._http import _asyncio_connection
from byteit._http._asyncio_connection import AsyncioConnection, AsyncioPool, asyncio_http_client

from .local_servers import Handler, answering, http_answer, port_of, serving, tls_contexts, until

Requester = Callable[[httpx.AsyncClient, str], Awaitable[None]]


def run(handler: Handler, requests: Requester, **client: Any) -> None:
    """Serve `handler` and run `requests(client, url)` with an asyncio_http_client."""

    async def main() -> None:
        async with serving(handler, client.pop("server_ssl", None)) as server:
            scheme = "https" if "verify" in client else "http"
            async with asyncio_http_client(**client) as http:
                await requests(http, f"{scheme}://127.0.0.1:{port_of(server)}/")

    asyncio.run(main())


def pool_of(http: httpx.AsyncClient) -> AsyncioPool:
    pool = http._transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool, AsyncioPool)
    return pool


def test_requests_share_one_kept_alive_connection() -> None:
    handler = http_answer(b"ok")

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        for size in (0, 10, 200_000):
            response = await http.post(url, content=b"x" * size)
            assert (response.status_code, response.content) == (200, b"ok")
        (connection,) = pool_of(http).connections
        assert isinstance(connection, AsyncioConnection)
        assert connection.is_idle()
        assert connection.is_available()
        assert "Request Count: 3" in connection.info()

    run(handler, requests)
    assert len(handler.connections) == 1  # type: ignore[attr-defined]


def test_https_with_a_kept_alive_connection(tmp_path: Path) -> None:
    server_context, client_context = tls_contexts(tmp_path)
    handler = http_answer(b"secure")

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        for _ in range(3):
            response = await http.post(url, content=b"x" * 100_000)
            assert response.content == b"secure"
        assert response.extensions["network_stream"].get_extra_info("ssl_object") is not None

    run(handler, requests, verify=client_context, server_ssl=server_context)
    assert len(handler.connections) == 1  # type: ignore[attr-defined]


def test_a_certificate_not_trusted_fails_to_connect(tmp_path: Path) -> None:
    server_context, _ = tls_contexts(tmp_path)

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        with pytest.raises(httpx.ConnectError):
            await http.get(url)
        assert not pool_of(http).connections

    run(http_answer(b"x"), requests, verify=True, server_ssl=server_context)


def test_a_connection_the_server_closed_while_idle_is_replaced() -> None:
    hang_up = asyncio.Event()
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        if len(connections) > 1:
            await http_answer(b"again")(reader, writer)
            return
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        await hang_up.wait()
        writer.close()

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        assert (await http.get(url)).content == b"ok"
        (first,) = pool_of(http).connections
        assert first.is_idle()
        assert not first.has_expired()
        hang_up.set()
        await until(first.has_expired)  # the server's close is seen while idle
        assert (await http.get(url)).content == b"again"
        assert first.is_closed()

    run(handler, requests)
    assert len(connections) == 2


def test_connection_close_from_the_server_is_honoured() -> None:
    handler = http_answer(b"bye", extra_headers=b"Connection: close\r\n")

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        for _ in range(2):
            assert (await http.get(url)).content == b"bye"
            assert not pool_of(http).connections  # closed, not kept

    run(handler, requests)
    assert len(handler.connections) == 2  # type: ignore[attr-defined]


def test_a_body_read_until_the_server_closes() -> None:
    handler = answering(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nno length given", close=True)

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        assert (await http.get(url)).content == b"no length given"

    run(handler, requests)


def test_informational_answers_are_skipped() -> None:
    handler = answering(
        b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n",
        b"HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone",
    )

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        response = await http.get(url)
        assert (response.status_code, response.content) == (201, b"done")
        assert response.reason_phrase == "Created"
        assert response.http_version == "HTTP/1.1"

    run(handler, requests)


def test_a_server_that_hangs_up_without_answering() -> None:
    handler = answering(close=True)

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            await http.get(url)
        assert not pool_of(http).connections

    run(handler, requests)


def test_a_malformed_answer_is_a_protocol_error() -> None:
    handler = answering(b"NOT HTTP AT ALL\r\n\r\n")

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get(url)

    run(handler, requests)


def test_a_bad_request_header_is_a_local_protocol_error() -> None:
    async def requests(http: httpx.AsyncClient, url: str) -> None:
        request = http.build_request("GET", url)
        request.headers["Content-Length"] = "5"  # but no body follows
        with pytest.raises(httpx.LocalProtocolError):
            await http.send(request)

    run(http_answer(b"x"), requests)


def test_a_request_h11_refuses_is_a_local_protocol_error() -> None:
    async def requests(http: httpx.AsyncClient, url: str) -> None:
        with pytest.raises(httpcore.LocalProtocolError, match="Host"):
            await pool_of(http).handle_async_request(httpcore.Request("GET", url))

    run(http_answer(b"x"), requests)


def test_an_early_answer_wins_over_the_broken_upload() -> None:
    """The server refuses the upload before reading it and hangs up: the client reports
    the server's answer (a 413), not the write that broke."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 413 Content Too Large\r\nContent-Length: 3\r\n\r\nbig")
        await writer.drain()
        await asyncio.sleep(0)
        writer.transport.abort()  # unread data left: the client's next writes fail

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        response = await http.post(url, content=b"x" * (32 * 1024 * 1024))
        assert (response.status_code, response.content) == (413, b"big")

    run(handler, requests)


def test_a_read_timeout_is_httpx_read_timeout() -> None:
    async def requests(http: httpx.AsyncClient, url: str) -> None:
        with pytest.raises(httpx.ReadTimeout):
            await http.get(url)  # a timeout of 0 never waits: the answer is not there yet
        assert not pool_of(http).connections

    run(http_answer(b"late"), requests, timeout=httpx.Timeout(5.0, read=0))


def cancellable(stage: bytes) -> tuple[Handler, asyncio.Event]:
    """A server that, for a request to /stuck, gets to `stage` and then stops: b"head"
    (never answers), b"upload" (never reads the body) or b"body" (sends half of it).
    Any other request gets "ok". The event is set once it is stuck."""
    stuck = asyncio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if b"/stuck" not in head:
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
                continue
            if stage == b"body":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf ")
                await writer.drain()
            stuck.set()
            await asyncio.Event().wait()  # until the test's server closes

    return handler, stuck


@pytest.mark.parametrize("stage", [b"head", b"upload", b"body"])
def test_a_request_cancelled_midway_closes_its_connection(stage: bytes) -> None:
    handler, stuck = cancellable(stage)

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        async def stuck_request() -> None:
            if stage == b"body":
                async with http.stream("GET", url + "stuck") as response:
                    async for _ in response.aiter_raw():
                        pass
            else:
                body = b"x" * (32 * 1024 * 1024) if stage == b"upload" else b""
                await http.post(url + "stuck", content=body)

        task = asyncio.ensure_future(stuck_request())
        await stuck.wait()
        (connection,) = pool_of(http).connections
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert connection.is_closed()
        assert not pool_of(http).connections
        assert (await http.get(url)).content == b"ok"  # on a new connection

    run(handler, requests)


def test_a_response_dropped_unread_closes_its_connection() -> None:
    async def requests(http: httpx.AsyncClient, url: str) -> None:
        async with http.stream("GET", url) as response:
            assert response.status_code == 200  # body left unread
        assert not pool_of(http).connections
        assert (await http.get(url)).content == b"x" * 300_000

    handler = http_answer(b"x" * 300_000)
    run(handler, requests)
    assert len(handler.connections) == 2  # type: ignore[attr-defined]


def test_a_busy_connection_refuses_a_second_request() -> None:
    handler, stuck = cancellable(b"head")

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        task = asyncio.ensure_future(http.get(url + "stuck"))
        await stuck.wait()
        (connection,) = pool_of(http).connections
        assert not connection.is_available()
        assert not connection.has_expired()
        with pytest.raises(httpcore.ConnectionNotAvailable):
            await connection.handle_async_request(httpcore.Request("GET", url))
        with pytest.raises(RuntimeError, match="on a connection to"):
            await connection.handle_async_request(httpcore.Request("GET", "http://other:9/"))
        assert "ACTIVE" in repr(connection)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(handler, requests)


def test_answers_without_a_body_keep_the_connection() -> None:
    answers = [
        b"HTTP/1.1 204 No Content\r\n\r\n",
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n",  # to a HEAD
        b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlast",
    ]
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        for answer in answers:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(answer)
            await writer.drain()

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        assert (await http.get(url)).status_code == 204
        assert (await http.get(url)).status_code == 304
        head = await http.head(url)
        assert (head.status_code, head.content) == (200, b"")
        assert (await http.get(url)).content == b"last"

    run(handler, requests)
    assert len(connections) == 1


def test_an_http_1_0_answer_closes_the_connection() -> None:
    handler = answering(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold")

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        response = await http.get(url)
        assert (response.http_version, response.content) == ("HTTP/1.0", b"old")
        assert not pool_of(http).connections

    run(handler, requests)


def test_a_kept_alive_connection_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    handler = http_answer(b"ok")

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        await http.get(url)
        (first,) = pool_of(http).connections
        assert not first.has_expired()
        later = time.monotonic() + 6  # past the 5 s keep-alive of httpx's Limits()
        clock = types.SimpleNamespace(monotonic=lambda: later)
        monkeypatch.setattr(_asyncio_connection, "time", clock)
        assert first.has_expired()
        await http.get(url)
        assert first.is_closed()

    run(handler, requests)
    assert len(handler.connections) == 2  # type: ignore[attr-defined]


def test_a_response_closed_after_the_pool_is_left_closed() -> None:
    async def requests(http: httpx.AsyncClient, url: str) -> None:
        pool = pool_of(http)
        request = httpcore.Request("GET", url, headers=[(b"Host", b"127.0.0.1")])
        response = await pool.handle_async_request(request)
        assert b"".join([chunk async for chunk in response.stream]) == b"ok"  # type: ignore[union-attr]
        (connection,) = pool.connections
        await pool.aclose()
        await response.aclose()
        assert connection.is_closed()  # not brought back to idle by the response's close

    run(http_answer(b"ok"), requests)


# How the clients use it.


def test_the_async_client_makes_its_http_client_on_this_pool() -> None:
    client = AsyncByteITClient("kid_1.secret", base_url="http://127.0.0.1:9")
    assert isinstance(pool_of(client._http), AsyncioPool)
    asyncio.run(client.aclose())


def test_an_http_client_given_by_the_user_is_left_as_it_is() -> None:
    async def main() -> None:
        async with httpx.AsyncClient() as http:
            client = AsyncByteITClient(
                "kid_1.secret", base_url="http://127.0.0.1:9", http_client=http
            )
            assert not isinstance(http._transport._pool, AsyncioPool)  # type: ignore[attr-defined]
            await client.aclose()

    asyncio.run(main())


def test_the_sync_client_keeps_httpx_sync_stack() -> None:
    with ByteITClient("kid_1.secret", base_url="http://127.0.0.1:9") as client:
        assert type(client._http) is httpx.Client


def test_an_httpx_with_another_transport_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should httpx change how it builds its transport, the client keeps httpx's own."""
    mock = httpx.MockTransport(lambda request: httpx.Response(204))
    real = httpx.AsyncClient

    def elsewhere(**kwargs: Any) -> httpx.AsyncClient:
        kwargs.pop("limits")
        return real(transport=mock, **kwargs)

    monkeypatch.setattr(httpx, "AsyncClient", elsewhere)
    http = asyncio_http_client()  # nothing to replace, nothing raised
    assert http._transport is mock  # type: ignore[attr-defined]
    assert asyncio.run(http.get("http://127.0.0.1:9/")).status_code == 204


def test_respx_still_mocks_the_async_client() -> None:
    """Users mock the client with respx, which patches httpcore's pool: ours is one."""

    async def main() -> str:
        async with AsyncByteITClient("kid_1.secret", base_url="http://127.0.0.1:9") as client:
            with respx.mock(assert_all_called=True) as mock:
                mock.get("http://127.0.0.1:9/v1/jobs/parse-jobs/job_1/").respond(
                    json={"parse_job": {"id": "job_1", "processing_status": "completed"}}
                )
                return (await client.get_job("job_1")).id

    assert asyncio.run(main()) == "job_1"


def test_switching_protocols_is_refused() -> None:
    handler = answering(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get(url)
        with pytest.raises(httpx.RemoteProtocolError, match="expected a response"):
            await http.get(url, headers={"Connection": "upgrade", "Upgrade": "websocket"})

    run(handler, requests)


def test_only_http_1_1_is_offered_even_where_h2_is_preferred(tmp_path: Path) -> None:
    server_context, client_context = tls_contexts(tmp_path)
    server_context.set_alpn_protocols(["h2", "http/1.1"])
    client_context.set_alpn_protocols(["h2", "http/1.1"])

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        response = await http.get(url)
        ssl_object = response.extensions["network_stream"].get_extra_info("ssl_object")
        assert ssl_object.selected_alpn_protocol() == "http/1.1"

    run(http_answer(b"x"), requests, verify=client_context, server_ssl=server_context)


def test_no_anyio_lock_or_timeout_scope_on_the_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the pool's connections save: anyio's locks (a loop round trip each) and its
    per-read and per-write timeout scopes; closing connections needs no shield."""

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("anyio on the asyncio pool's path")

    monkeypatch.setattr(anyio.Lock, "acquire", forbidden)
    monkeypatch.setattr(anyio, "fail_after", forbidden)
    handler = http_answer(b"ok", extra_headers=b"Connection: close\r\n")

    async def requests(http: httpx.AsyncClient, url: str) -> None:
        for _ in range(2):
            assert (await http.post(url, content=b"x" * 1000)).content == b"ok"
        pool = pool_of(http)
        monkeypatch.setattr(httpcore._async.connection_pool, "AsyncShieldCancellation", forbidden)
        connection = pool.create_connection(httpcore.Origin(b"http", b"127.0.0.1", 9))
        await pool._close_connections([connection])
        assert connection.is_closed()

    run(handler, requests)
