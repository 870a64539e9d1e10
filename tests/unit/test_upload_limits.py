"""The service's upload limits, checked before anything is uploaded (issue 13, goal 8)."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import pytest

from byteit import ByteITClient, ValidationError
from byteit._batch._grouping import GroupLimits, take_group
from byteit._contract import MEGABYTE, UPLOAD_LIMITS, UploadLimits
from byteit._jobs._create import prepare_create
from byteit._jobs._limits import (
    FORM_ALLOWANCE,
    PART_ALLOWANCE,
    check_file_size,
    check_request_size,
    request_bytes,
)
from byteit.connectors import ByteITStorageOutputConnector, BytesInputConnector, S3InputConnector
from byteit.options import ProcessingOptions

from .conftest import FakeServer, serve_documents, uploaded_files

OVER = 300 * MEGABYTE


def sparse_file(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no room on disk."""
    with path.open("wb") as stream:
        stream.truncate(size)
    return path


def test_a_local_file_over_the_file_limit_is_refused_before_upload(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    big = sparse_file(tmp_path / "big.pdf", OVER)
    with pytest.raises(ValidationError) as refused:
        client.process_document(big)
    assert "big.pdf: 300 MB is over the service's limit of 200 MB a file" in str(refused.value)
    assert not server.requests


def test_a_file_of_exactly_the_limit_is_sent(tmp_path: Path) -> None:
    at_limit = sparse_file(tmp_path / "edge.pdf", UPLOAD_LIMITS.max_file_bytes)
    request = prepare_create(
        at_limit, ByteITStorageOutputConnector(), ProcessingOptions(), nickname=None,
        idempotency_key=None,
    )  # fmt: skip
    assert request.source.size == UPLOAD_LIMITS.max_file_bytes


def test_bytes_over_the_limit_are_refused_with_their_size(
    client: ByteITClient, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BytesInputConnector, "size", property(lambda self: OVER + 5))
    with pytest.raises(ValidationError, match=r"scan\.png: 300\.0 MB \(314572805 bytes\)"):
        client.create_job(BytesInputConnector(b"x", filename="scan.png"))
    assert not server.requests


def test_an_s3_object_over_the_limit_is_refused_from_its_head(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Client-side S3 uploads the object: its HEAD gives the size, before any GET."""
    calls: list[str] = []

    def answer(self: Any, action: str, permission: str, method: str, **params: Any) -> Any:
        calls.append(method)
        return {"ContentLength": OVER}

    monkeypatch.setattr(S3InputConnector, "_call", answer)
    source = S3InputConnector("docs", "inbox/huge.pdf", region="eu-west-1")
    with pytest.raises(ValidationError, match=r"huge\.pdf: 300 MB is over .* 200 MB a file"):
        prepare_create(
            source, ByteITStorageOutputConnector(), ProcessingOptions(), nickname=None,
            idempotency_key=None,
        )  # fmt: skip
    assert calls == ["head_object"]


def test_a_server_side_s3_object_is_left_to_the_service() -> None:
    source = S3InputConnector("docs", "inbox/huge.pdf", server_side=True)
    source.validate()
    check_file_size(source, UploadLimits(max_file_bytes=1))  # no size known: nothing to refuse


def test_a_stream_of_unknown_size_is_not_refused(tmp_path: Path) -> None:
    with sparse_file(tmp_path / "big.pdf", OVER).open("rb") as stream:
        check_file_size(BytesInputConnector(stream, filename="big.pdf"))


def test_a_batch_reports_the_oversized_file_and_sends_the_others(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    small = tmp_path / "small.txt"
    small.write_text("hello")
    big = sparse_file(tmp_path / "big.pdf", OVER)
    serve_documents(server, {"small.txt": b"result"})
    results = client.process_documents([small, big], on_error="return")
    assert results[0].value == b"result"
    assert isinstance(results[1].error, ValidationError)
    assert "300 MB is over the service's limit of 200 MB a file" in str(results[1].error)
    sent = [part.filename for r in server.sent("POST") for part in uploaded_files(r)]
    assert sent == ["small.txt"]


def test_a_request_counts_its_part_headers_and_form_fields() -> None:
    assert request_bytes([10, 20]) == 30 + 2 * PART_ALLOWANCE + FORM_ALLOWANCE


def test_a_group_is_packed_within_the_request_limit_headers_included() -> None:
    """Files whose bytes alone fit exactly would overflow once encoded: the group stops short."""

    class Doc:
        def __init__(self, name: str, size: int) -> None:
            self.size = size
            self.request = prepare_create(
                BytesInputConnector(b"x", filename=name), ByteITStorageOutputConnector(),
                ProcessingOptions(), nickname=None, idempotency_key=None,
            )  # fmt: skip

    size = 50 * MEGABYTE
    pending = collections.deque(Doc(f"d{i}.pdf", size) for i in range(8))
    group = take_group(pending, 25, GroupLimits())  # type: ignore[arg-type]
    assert len(group) == 4  # 5 x 50 MB is exactly 250 MB of files: over, with the headers
    assert request_bytes([size] * len(group)) <= UPLOAD_LIMITS.max_request_bytes


def test_a_request_over_the_request_limit_is_refused_naming_both_sizes() -> None:
    with pytest.raises(ValidationError) as refused:
        check_request_size("custom job", [150 * MEGABYTE, 150 * MEGABYTE])
    message = str(refused.value)
    assert message.startswith("custom job: 300.1 MB")
    assert "over the service's limit of 250 MB a request" in message
    check_request_size("custom job", [100 * MEGABYTE, 100 * MEGABYTE])
