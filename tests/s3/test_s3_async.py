"""Client-side S3 through the async client: every S3 call off the event loop."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from byteit import AsyncByteITClient
from byteit.connectors import _s3_access, _s3_streams
from byteit.connectors.s3 import mirror_output, s3_prefix_inputs
from byteit_server.server import EmbeddedServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def loop_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the threads that made each S3 call, read or write."""
    seen: list[str] = []

    def spy(cls: Any, name: str) -> None:
        original = getattr(cls, name)

        def recorded(self: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(threading.current_thread().name)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, recorded)

    spy(_s3_access.S3Access, "call")
    spy(_s3_streams.ObjectReader, "readinto")
    spy(_s3_streams.PartUpload, "write")
    return seen


def test_a_prefix_batch_reads_and_writes_s3_in_worker_threads(
    byteit_server: EmbeddedServer,
    s3: Any,
    bucket: str,
    conn: dict[str, Any],
    loop_threads: list[str],
) -> None:
    for key in ("in/a/b.txt", "in/c.md"):
        s3.put_object(Bucket=bucket, Key=key, Body=f"contents of {key}\n".encode())
    inputs = s3_prefix_inputs(bucket, "in/", **conn)
    outputs = [mirror_output("out/", source) for source in inputs]
    loop_threads.clear()  # the listing above ran here, outside any event loop

    async def run() -> list[Any]:
        async with AsyncByteITClient(
            byteit_server.api_key, base_url=byteit_server.base_url
        ) as client:
            return await client.process_documents(inputs, outputs)

    results = asyncio.run(run())

    assert [r.value for r in results] == [
        f"s3://{bucket}/out/a/b.txt.txt",
        f"s3://{bucket}/out/c.md.txt",
    ]
    written = s3.get_object(Bucket=bucket, Key="out/a/b.txt.txt")["Body"].read()
    assert written.strip() == b"contents of in/a/b.txt"
    assert loop_threads  # the spies saw the S3 traffic...
    assert "MainThread" not in loop_threads  # ...and none of it on the event loop's thread
