"""Uploads stream to disk: the server's memory does not grow with the file."""

from __future__ import annotations

import gc
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import anyio
import psutil
from starlette.datastructures import FormData, UploadFile

from byteit._contract import MEGABYTE
from byteit_server.uploads import close_form

SIZE = 96 * MEGABYTE
BOUNDARY = "streaming-boundary"


def multipart_body(filename: str, size: int) -> Iterator[bytes]:
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    chunk = b"streamed line of text\n" * (MEGABYTE // 22)
    sent = 0
    while sent < size:
        piece = chunk[: size - sent]
        sent += len(piece)
        yield piece
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


class PeakMemory:
    """Samples this process's resident memory in a thread; ``growth`` is peak minus start."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._start = self._peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self._peak = max(self._peak, self._process.memory_info().rss)

    def __enter__(self) -> PeakMemory:  # noqa: PYI034 (typing.Self needs 3.11)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        return self._peak - self._start


def test_a_large_upload_streams_to_disk(byteit_server_factory, connect, tmp_path: Path) -> None:
    server = byteit_server_factory(data_dir=tmp_path / "data", processing_delay=60)
    client = connect(server)
    with PeakMemory() as memory:
        answer = client.post(
            "/v1/jobs/parse-jobs/",
            content=multipart_body("big.txt", SIZE),
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            timeout=60,
        )
    assert answer.status_code == 201, answer.text
    job_id = answer.json()["parse_job"]["id"]
    assert (tmp_path / "data" / "uploads" / job_id / "big.txt").stat().st_size == SIZE
    assert memory.growth < SIZE // 3, f"memory grew by {memory.growth // MEGABYTE} MB"


def test_closing_a_form_in_a_cancelled_request_closes_every_file() -> None:
    """A client that goes away cancels its request; every upload is still closed."""
    files = [tempfile.SpooledTemporaryFile(max_size=1) for _ in range(3)]  # noqa: SIM115
    for file in files:
        file.write(b"rolled over to disk")

    async def scenario() -> None:
        form = FormData(
            [("files", UploadFile(f, filename=f"{i}.txt")) for i, f in enumerate(files)]
        )
        with anyio.CancelScope() as scope:
            scope.cancel()
            close_form(form)

    anyio.run(scenario)
    assert all(file.closed for file in files)


def test_an_upload_cut_off_by_the_client_creates_no_job(byteit_server_factory, connect) -> None:
    """The client goes away mid-body: no job from a truncated document, no file left open."""
    byteit_server = byteit_server_factory()
    host, port = byteit_server.base_url.removeprefix("http://").rstrip("/").split(":")
    body = (
        b'--cut\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + b"the first half of a document " * 4000
    )
    head = (
        "POST /v1/jobs/parse-jobs/ HTTP/1.1\r\n"
        f"Host: {host}\r\nX-API-Key: {byteit_server.api_key}\r\n"
        "Content-Type: multipart/form-data; boundary=cut\r\n"
        f"Content-Length: {len(body) * 2}\r\n\r\n"
    )
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(head.encode() + body)
        sock.shutdown(socket.SHUT_WR)  # the body ends early: the server sees the client leave
        answer = b"".join(iter(lambda: sock.recv(1 << 16), b""))  # until the server is done
    assert not answer.startswith(b"HTTP/1.1 2")
    gc.collect()  # an upload left open would warn here (warnings are errors)
    with connect(byteit_server) as api:
        listing = api.get("/v1/jobs/parse-jobs/").json()
    assert listing["count"] == 0
