"""Uploads stream to disk: the server's memory does not grow with the file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psutil

from byteit_server.config import MEGABYTE

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
