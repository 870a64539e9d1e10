"""Large documents and results stream through the client in bounded memory.

These tests run their own moto server in a separate process: an in-process one
would hold the 200 MB object in this process's memory and blur the measurement.
"""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest

from byteit import ByteITClient
from byteit.connectors.s3 import S3InputConnector, S3OutputConnector

from .conftest import REGION, FakeByteIT, result_response, s3_client

pytestmark = pytest.mark.s3

MiB = 1 << 20
PART = 8 * MiB
LIMIT = 30 * MiB
T = TypeVar("T")


@pytest.fixture(scope="module")
def isolated_endpoint() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_listening(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_until_listening(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as attempt:
            if attempt.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"the moto server did not start on 127.0.0.1:{port}")


@pytest.fixture(scope="module")
def big_object(isolated_endpoint: str) -> tuple[str, str, int, str]:
    """A 200 MB object, sent as 25 parts of 8 MiB so that this process never holds it."""
    s3 = s3_client(isolated_endpoint)
    s3.create_bucket(Bucket="big")
    upload = s3.create_multipart_upload(Bucket="big", Key="scans/huge.pdf")["UploadId"]
    digest, parts, base = hashlib.sha256(), [], bytes(range(256)) * (PART // 256)
    for number in range(1, 26):
        body = f"part {number:04d}".encode() + base[9:]
        digest.update(body)
        etag = s3.upload_part(
            Bucket="big", Key="scans/huge.pdf", UploadId=upload, PartNumber=number, Body=body
        )["ETag"]
        parts.append({"PartNumber": number, "ETag": etag})
    s3.complete_multipart_upload(
        Bucket="big", Key="scans/huge.pdf", UploadId=upload, MultipartUpload={"Parts": parts}
    )
    return "big", "scans/huge.pdf", 25 * PART, digest.hexdigest()


def peak_memory(action: Callable[[], T]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        value = action()
        return value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_200_mb_object_streams_into_the_upload_in_little_memory(
    big_object: tuple[str, str, int, str],
    isolated_endpoint: str,
    client: ByteITClient,
    byteit: FakeByteIT,
) -> None:
    bucket, key, size, sha256 = big_object
    source = S3InputConnector(bucket, key, endpoint_url=isolated_endpoint, region=REGION)
    source.validate()  # builds the S3 client before measuring

    _job, peak = peak_memory(lambda: client.create_job(source))

    print(f"\npeak traced memory while uploading {size / MiB:.0f} MiB: {peak / MiB:.1f} MiB")
    upload = byteit.uploads[0]
    assert (upload.file_size, upload.file_sha256) == (size, sha256)
    assert peak < LIMIT


class LargeResult(httpx.SyncByteStream):
    """A result of `size` bytes, produced 64 KiB at a time."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.chunk = bytes(range(256)) * 256

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.size // len(self.chunk)):
            yield self.chunk


def test_a_64_mb_result_streams_up_to_s3_in_little_memory(
    isolated_endpoint: str, client: ByteITClient, byteit: FakeByteIT
) -> None:
    s3: Any = s3_client(isolated_endpoint)
    s3.create_bucket(Bucket="results")
    s3.put_object(Bucket="results", Key="in/a.pdf", Body=b"%PDF-1.4")
    byteit.result_for = lambda _job: result_response(LargeResult(64 * MiB))
    conn: dict[str, Any] = {"endpoint_url": isolated_endpoint, "region": REGION}
    source = S3InputConnector("results", "in/a.pdf", **conn)
    output = S3OutputConnector("results", key="out/a.txt", **conn)
    output._access = source._access  # one client, built before measuring
    source.validate()

    location, peak = peak_memory(lambda: client.process_document(source, output))

    print(f"\npeak traced memory while delivering 64 MiB: {peak / MiB:.1f} MiB")
    assert location == "s3://results/out/a.txt"
    assert s3.head_object(Bucket="results", Key="out/a.txt")["ContentLength"] == 64 * MiB
    assert peak < LIMIT
