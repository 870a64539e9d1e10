"""The async client checks documents on the event loop when that cannot wait on the
network (memory, local disk), and in a worker thread otherwise (S3, user connectors)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from byteit import (
    AsyncByteITClient,
    BytesInputConnector,
    LocalFileInputConnector,
    LocalFileOutputConnector,
    S3InputConnector,
)
from byteit._jobs._plan import checked_locally
from byteit.connectors import ByteITStorageOutputConnector

from .conftest import API_KEY, BASE_URL, FakeClock, FakeServer, serve_documents


class RemoteBytes(BytesInputConnector):
    """A user's connector: its check might ask anything, so it may block."""

    def __init__(self, data: bytes, filename: str) -> None:
        super().__init__(data, filename=filename)
        self.checked_in: int | None = None

    def validate(self) -> None:
        self.checked_in = threading.get_ident()
        super().validate()


class RemoteOutput(LocalFileOutputConnector):
    """A user's output connector."""


def memory(name: str = "a.txt") -> BytesInputConnector:
    return BytesInputConnector(b"some text", filename=name)


@pytest.mark.parametrize(
    ("inputs", "output"),
    [
        (lambda tmp: memory(), None),
        (lambda tmp: str(tmp / "a.txt"), None),
        (lambda tmp: tmp / "a.txt", lambda folder: ByteITStorageOutputConnector()),
        (lambda tmp: LocalFileInputConnector(tmp / "a.txt"), None),
        (lambda tmp: [memory(), tmp / "a.txt"], LocalFileOutputConnector),
    ],
)
def test_memory_and_local_documents_are_checked_locally(
    tmp_path: Path, inputs: Any, output: Any
) -> None:
    """`inputs` and `output` build the arguments in the test's folder."""
    (tmp_path / "a.txt").write_text("x")
    assert checked_locally(inputs(tmp_path), output and output(str(tmp_path)))


@pytest.mark.parametrize(
    ("inputs", "output"),
    [
        (lambda tmp: S3InputConnector("bucket", "a.pdf"), None),
        (lambda tmp: [memory(), S3InputConnector("bucket", "a.pdf")], None),
        (lambda tmp: RemoteBytes(b"x", "a.txt"), None),
        (lambda tmp: memory(), RemoteOutput),
    ],
)
def test_s3_and_user_connectors_are_not(tmp_path: Path, inputs: Any, output: Any) -> None:
    assert not checked_locally(inputs(tmp_path), output and output(str(tmp_path)))


def run_process_document(document: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """process_document on `document` against a fake server; the names of the functions
    sent to worker threads."""
    server = FakeServer()
    serve_documents(server, {"a.txt": b"text of a"})
    offloaded: list[str] = []
    real = asyncio.to_thread

    async def recording(function: Any, /, *args: Any, **kwargs: Any) -> Any:
        offloaded.append(function.__name__)
        return await real(function, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", recording)

    async def main() -> bytes:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server.handle))
        async with (
            http,
            AsyncByteITClient(
                API_KEY, base_url=BASE_URL, http_client=http, clock=FakeClock()
            ) as client,
        ):
            return await client.process_document(document)  # type: ignore[no-any-return]

    assert asyncio.run(main()) == b"text of a"
    return offloaded


def test_a_document_in_memory_is_planned_on_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "make_plan" not in run_process_document(memory(), monkeypatch)


def test_a_user_connector_is_checked_in_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    document = RemoteBytes(b"x", "a.txt")
    assert "make_plan" in run_process_document(document, monkeypatch)
    assert document.checked_in not in (None, threading.get_ident())
