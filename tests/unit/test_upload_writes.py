"""Upload bodies go out in few, large writes (`byteit._http._body`), with the same bytes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from byteit import AsyncByteITClient, ByteITClient
from byteit._http._body import WRITE_SIZE, CoalescedBody

from .conftest import API_KEY, BASE_URL, CREATE_PATH, FakeServer, job_json, json_reply, multipart

SMALL = [b"--boundary\r\n", b'Content-Disposition: form-data; name="a"\r\n\r\n', b"1", b"\r\n"]


class Pieces(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body made of the given pieces, in both flavours; it records whether it was closed."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.pieces

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            yield piece

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def written(body: CoalescedBody, flavour: str) -> list[bytes]:
    if flavour == "sync":
        return list(body)

    async def collect() -> list[bytes]:
        return [piece async for piece in body]

    return asyncio.run(collect())


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_small_pieces_go_out_as_one_write(flavour: str) -> None:
    assert written(CoalescedBody(Pieces(SMALL * 5)), flavour) == [b"".join(SMALL * 5)]


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_large_file_goes_out_in_writes_of_at_least_the_write_size(flavour: str) -> None:
    file_reads = [bytes([n]) * WRITE_SIZE for n in range(4)] + [b"tail"]
    pieces = [*SMALL, *file_reads, *SMALL]
    writes = written(CoalescedBody(Pieces(pieces)), flavour)
    assert b"".join(writes) == b"".join(pieces)
    assert all(len(write) >= WRITE_SIZE for write in writes[:-1])
    assert len(writes) == 5  # never more writes than the file's reads, plus the rest
    assert max(len(write) for write in writes) < 2 * WRITE_SIZE  # memory stays bounded


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_empty_pieces_and_an_empty_body_write_nothing(flavour: str) -> None:
    assert written(CoalescedBody(Pieces([b"", b""])), flavour) == []
    assert written(CoalescedBody(Pieces([b"", b"x", b""])), flavour) == [b"x"]


def test_closing_the_body_closes_the_stream_it_wraps() -> None:
    stream = Pieces(SMALL)
    CoalescedBody(stream).close()
    assert stream.closed
    stream = Pieces(SMALL)
    asyncio.run(CoalescedBody(stream).aclose())
    assert stream.closed


class RecordingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Records the writes of each request body, then answers from a `FakeServer`."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.writes: list[list[bytes]] = []

    def _answer(self, request: httpx.Request, writes: list[bytes]) -> httpx.Response:
        self.writes.append(writes)
        request.stream = httpx.ByteStream(b"".join(writes))
        request.read()
        return self.server.handle(request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        return self._answer(request, list(request.stream))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        return self._answer(request, [piece async for piece in request.stream])


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_small_documents_creation_is_one_write_after_its_headers(
    flavour: str, server: FakeServer, tmp_path: Path
) -> None:
    """A multipart creation is some twenty pieces as httpx renders it: one write here."""
    server.add("POST", CREATE_PATH, json_reply({"parse_job": job_json(status="pending")}, 201))
    document = tmp_path / "memo.txt"
    document.write_bytes(b"quarterly figures\n")
    transport = RecordingTransport(server)
    if flavour == "sync":
        with ByteITClient(
            API_KEY, base_url=BASE_URL, http_client=httpx.Client(transport=transport)
        ) as client:
            assert client.create_job(document).id == "job-1"
    else:

        async def create() -> str:
            http = httpx.AsyncClient(transport=transport)
            async with (
                http,
                AsyncByteITClient(API_KEY, base_url=BASE_URL, http_client=http) as client,
            ):
                return (await client.create_job(document)).id

        assert asyncio.run(create()) == "job-1"
    [writes] = transport.writes
    assert len(writes) == 1
    sent = server.requests[0]
    assert multipart(sent)["file"].data == b"quarterly figures\n"
    assert int(sent.headers["Content-Length"]) == len(writes[0])
