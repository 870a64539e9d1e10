"""Client-side S3: the client streams documents from S3 and results up to it."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from byteit import ByteITClient
from byteit.connectors import _s3_access as s3_access
from byteit.connectors.local import result_filename
from byteit.connectors.s3 import (
    S3InputConnector,
    S3OutputConnector,
    mirror_output,
    s3_prefix_inputs,
)
from byteit.exceptions import NetworkError
from byteit.models import Job, JobMetadata

from .conftest import BASE_URL, FakeByteIT, FakeClock, StreamingMockTransport, result_response

pytestmark = pytest.mark.s3

DOCUMENT = b"%PDF-1.4 " + bytes(range(256)) * 40


SCAN = JobMetadata(original_filename="scan.png")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_uploaded_bytes_are_the_s3_objects(
    s3: Any, bucket: str, conn: dict[str, Any], client: ByteITClient, byteit: FakeByteIT
) -> None:
    s3.put_object(Bucket=bucket, Key="inbox/invoice.pdf", Body=DOCUMENT)

    client.create_job(S3InputConnector(bucket, "inbox/invoice.pdf", **conn))

    upload = byteit.uploads[0]
    assert (upload.file_size, upload.file_sha256) == (len(DOCUMENT), sha256(DOCUMENT))
    assert 'filename="invoice.pdf"' in upload.file_headers
    assert "application/pdf" in upload.file_headers
    assert upload.field("input_connector") == "localfile"


def test_the_upload_has_a_content_length_not_a_chunked_body(
    s3: Any, bucket: str, conn: dict[str, Any], client: ByteITClient, byteit: FakeByteIT
) -> None:
    s3.put_object(Bucket=bucket, Key="a.pdf", Body=DOCUMENT)

    client.create_job(S3InputConnector(bucket, "a.pdf", **conn))

    upload = byteit.uploads[0]
    assert "transfer-encoding" not in upload.headers
    assert int(upload.headers["content-length"]) == upload.size


def test_a_retried_creation_uploads_the_whole_object_again(
    s3: Any, bucket: str, conn: dict[str, Any], byteit: FakeByteIT
) -> None:
    s3.put_object(Bucket=bucket, Key="a.pdf", Body=DOCUMENT)
    byteit.refuse_creations.append(httpx.Response(503, json={"detail": "busy"}))
    http = httpx.Client(transport=StreamingMockTransport(byteit.handler))
    retrying = ByteITClient(
        api_key="dev.key", base_url=BASE_URL, http_client=http, clock=FakeClock()
    )

    retrying.create_job(S3InputConnector(bucket, "a.pdf", **conn))

    assert [u.file_sha256 for u in byteit.uploads] == [sha256(DOCUMENT)] * 2


def test_the_result_lands_in_s3_under_the_key(
    s3: Any, bucket: str, conn: dict[str, Any], client: ByteITClient
) -> None:
    s3.put_object(Bucket=bucket, Key="in/report.pdf", Body=DOCUMENT)
    output = S3OutputConnector(bucket, key="out/report.txt", **conn)

    location = client.process_document(S3InputConnector(bucket, "in/report.pdf", **conn), output)

    assert location == f"s3://{bucket}/out/report.txt"
    stored = s3.get_object(Bucket=bucket, Key="out/report.txt")
    assert stored["Body"].read() == b"text of report.pdf"
    assert stored["ContentType"] == "text/plain"


def test_with_a_prefix_the_result_is_named_after_the_document(
    s3: Any, bucket: str, conn: dict[str, Any], client: ByteITClient
) -> None:
    s3.put_object(Bucket=bucket, Key="in/scan.png", Body=b"\x89PNG....")
    output = S3OutputConnector(bucket, prefix="results/", **conn)

    location = client.process_document(
        S3InputConnector(bucket, "in/scan.png", **conn), output, {"output_format": "md"}
    )

    name = result_filename(Job(id="j", processing_status="completed", metadata=SCAN), "md")
    assert location == f"s3://{bucket}/results/{name}"  # the name a local folder would get
    assert s3.get_object(Bucket=bucket, Key=f"results/{name}")["Body"].read() == b"text of scan.png"


def test_a_large_result_is_sent_in_parts(
    s3: Any, bucket: str, conn: dict[str, Any], client: ByteITClient, byteit: FakeByteIT
) -> None:
    big = bytes(range(256)) * (12 * 4096)  # 12 MiB: two parts
    byteit.result_for = lambda _job: result_response(big)
    s3.put_object(Bucket=bucket, Key="a.pdf", Body=DOCUMENT)

    client.process_document(
        S3InputConnector(bucket, "a.pdf", **conn), S3OutputConnector(bucket, key="a.txt", **conn)
    )

    stored = s3.get_object(Bucket=bucket, Key="a.txt")
    assert stored["ETag"].strip('"').endswith("-2")
    assert sha256(stored["Body"].read()) == sha256(big)


class BreaksMidway(httpx.SyncByteStream):
    """A download that delivers 10 MiB, then loses the connection."""

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(160):
            yield b"r" * 65536
        raise httpx.ReadError("connection reset by peer")


def test_a_failed_download_leaves_no_object_and_no_pending_upload(
    s3: Any, bucket: str, conn: dict[str, Any], client: ByteITClient, byteit: FakeByteIT
) -> None:
    byteit.result_for = lambda _job: result_response(BreaksMidway())
    s3.put_object(Bucket=bucket, Key="a.pdf", Body=DOCUMENT)
    output = S3OutputConnector(bucket, key="out/a.txt", **conn)

    with pytest.raises(NetworkError):
        client.process_document(S3InputConnector(bucket, "a.pdf", **conn), output)

    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="out/")
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


def test_a_prefix_is_listed_sorted_without_folders(
    s3: Any, bucket: str, conn: dict[str, Any]
) -> None:
    for key in ["in/b.pdf", "in/a/c.docx", "in/a/", "in/a.txt", "other/x.pdf"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")

    inputs = s3_prefix_inputs(bucket, "in/", **conn)

    assert [i.key for i in inputs] == ["in/a.txt", "in/a/c.docx", "in/b.pdf"]
    assert [i.relative_key for i in inputs] == ["a.txt", "a/c.docx", "b.pdf"]


def test_listing_follows_pages(
    s3: Any, bucket: str, conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(s3_access, "LIST_PAGE_SIZE", 2)  # five keys: three pages
    keys = [f"p/{n}.txt" for n in range(5)]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")

    assert [i.key for i in s3_prefix_inputs(bucket, "p/", **conn)] == keys


def test_a_prefix_is_processed_as_one_batch_into_mirrored_keys(
    s3: Any, bucket: str, conn: dict[str, Any], client: ByteITClient
) -> None:
    for key in ["in/a/b.pdf", "in/c.docx"]:
        s3.put_object(Bucket=bucket, Key=key, Body=DOCUMENT)
    inputs = s3_prefix_inputs(bucket, "in/", **conn)

    outputs = [mirror_output("out/", source) for source in inputs]

    results = client.process_documents(inputs, outputs, {"output_format": "md"})

    locations = [result.value for result in results]
    assert locations == [f"s3://{bucket}/out/a/b.pdf.md", f"s3://{bucket}/out/c.docx.md"]
    assert s3.get_object(Bucket=bucket, Key="out/a/b.pdf.md")["Body"].read() == b"text of b.pdf"


def test_mirror_output_may_name_another_bucket(s3: Any, bucket: str, conn: dict[str, Any]) -> None:
    s3.put_object(Bucket=bucket, Key="in/x/y.pdf", Body=b"x")
    source = s3_prefix_inputs(bucket, "in/", **conn)[0]

    output = mirror_output("s3://results/out", source)

    assert (output.bucket, output.prefix) == ("results", "out/x/")
    job = Job(id="j", processing_status="completed", metadata=JobMetadata("y.pdf"))
    assert output.object_key(job, "txt") == "out/x/y.pdf.txt"


def test_a_seek_reopens_the_object_at_the_offset(
    s3: Any, bucket: str, conn: dict[str, Any]
) -> None:
    s3.put_object(Bucket=bucket, Key="a.pdf", Body=DOCUMENT)
    connector = S3InputConnector(bucket, "a.pdf", **conn)

    with connector.open_upload() as upload:
        assert upload is not None
        stream = upload.stream
        assert stream.seek(0, io.SEEK_END) == len(DOCUMENT)
        stream.seek(1000)
        assert stream.read(50) == DOCUMENT[1000:1050]
        stream.seek(0)
        assert stream.read() == DOCUMENT
