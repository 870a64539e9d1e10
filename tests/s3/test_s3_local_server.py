"""Server-side S3 in the local server: the real client, the real server, a moto bucket.

The server reaches moto with its own key pair (the stand-in for the IAM role a
customer registers with ByteIT); the client sends only buckets and keys.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import (  # type: ignore[import-untyped]
    ClientError,
    EndpointConnectionError,
)

from byteit import ByteITClient, JobProcessingError, PollSchedule, ValidationError
from byteit.connectors.s3 import S3InputConnector, S3OutputConnector
from byteit.models import Job, JobMetadata
from byteit_server.config import S3Settings
from byteit_server.records import ParseJobRecord
from byteit_server.s3_bridge import S3Bridge, S3TransferError, output_key
from byteit_server.samples import invoice_pdf, notes_txt
from byteit_server.server import EmbeddedServer
from byteit_server.storage import Storage

from .conftest import REGION

pytestmark = pytest.mark.s3

SERVER_KEY_ID = "AKIASERVERROLE000001"
SERVER_SECRET = "server-r0le/Secret+ThatMustNeverLeak9876543210"
QUICK = PollSchedule(initial=0.05, maximum=0.2)
LOGGERS = ["", "boto3", "botocore", "urllib3", "byteit", "byteit_server", "uvicorn"]
NOTES = notes_txt().encode()

StartServer = Callable[..., EmbeddedServer]


@pytest.fixture
def s3_server(byteit_server_factory: StartServer, moto_endpoint: str) -> EmbeddedServer:
    """A local server whose S3 settings point at the moto server."""
    return byteit_server_factory(
        s3_endpoint_url=moto_endpoint,
        s3_access_key_id=SERVER_KEY_ID,
        s3_secret_access_key=SERVER_SECRET,
        s3_region=REGION,
    )


@pytest.fixture
def local(s3_server: EmbeddedServer) -> Iterator[ByteITClient]:
    with ByteITClient(s3_server.api_key, base_url=s3_server.base_url, poll_schedule=QUICK) as c:
        yield c


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_bytes(NOTES)
    return path


def body_of(s3: Any, bucket: str, key: str) -> bytes:
    data: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return data


def only_job(client: ByteITClient) -> Job:
    jobs = client.list_jobs().jobs
    assert len(jobs) == 1
    return jobs[0]


# --- input from S3 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "content", "expected"),
    [
        ("inbox/notes.txt", NOTES, "Meeting notes"),
        ("inbox/2024/invoice.pdf", invoice_pdf(), "Invoice number"),
    ],
)
def test_a_document_read_from_s3_is_extracted(
    local: ByteITClient, s3: Any, bucket: str, key: str, content: bytes, expected: str
) -> None:
    s3.put_object(Bucket=bucket, Key=key, Body=content)

    text = local.process_document(S3InputConnector(bucket, key, server_side=True))

    assert isinstance(text, bytes)
    assert expected in text.decode()
    job = only_job(local)
    assert job.input_connector == "s3"
    assert job.metadata is not None
    assert job.metadata.original_filename == key.rpartition("/")[2]


# --- output to S3 -------------------------------------------------------------------


def test_a_result_is_written_under_the_prefix_the_client_names(
    local: ByteITClient, s3: Any, bucket: str, notes: Path
) -> None:
    output = S3OutputConnector(bucket, prefix="results/", server_side=True)

    location = local.process_document(notes, output, {"output_format": "md"})

    assert location == f"s3://{bucket}/results/notes.txt.md"
    job = only_job(local)
    key = S3OutputConnector(bucket, prefix="results/").object_key(job, "md")
    assert key == "results/notes.txt.md"
    assert "Meeting notes" in body_of(s3, bucket, key).decode()
    assert s3.head_object(Bucket=bucket, Key=key)["ContentType"].startswith("text/markdown")
    assert job.output_connector == "s3"
    assert local.get_job_result(job.id, output_format="md") == body_of(s3, bucket, key)


def test_a_result_is_written_to_the_exact_key_the_client_names(
    local: ByteITClient, s3: Any, bucket: str, notes: Path
) -> None:
    output = S3OutputConnector(bucket, key="out/the-notes.txt", server_side=True)

    location = local.process_document(notes, output)

    assert location == f"s3://{bucket}/out/the-notes.txt"
    assert "Meeting notes" in body_of(s3, bucket, "out/the-notes.txt").decode()
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert [item["Key"] for item in listed] == ["out/the-notes.txt"]


def test_both_ends_in_s3(local: ByteITClient, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="in/invoice.pdf", Body=invoice_pdf())
    source = S3InputConnector(bucket, "in/invoice.pdf", server_side=True)
    output = S3OutputConnector(bucket, prefix="out/", server_side=True)

    location = local.process_document(source, output)

    assert location == f"s3://{bucket}/out/invoice.pdf.txt"
    assert "Invoice number" in body_of(s3, bucket, "out/invoice.pdf.txt").decode()
    job = only_job(local)
    assert (job.input_connector, job.output_connector) == ("s3", "s3")


@pytest.mark.parametrize(
    "name", ["notes.txt", "my report (v2).pdf", "über.docx", "a\\b.txt", "...", ""]
)
def test_the_output_key_is_the_one_the_client_writes_under_a_prefix(name: str) -> None:
    job = Job(id="job-1", processing_status="completed", metadata=JobMetadata(name or None))
    expected = S3OutputConnector("b", prefix="out/").object_key(job, "txt")
    assert output_key("out/", name, "job-1", "txt") == expected
    assert output_key("out/exact.txt", name, "job-1", "md") == "out/exact.txt"


# --- failures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "cause"),
    [("missing key", "no such key"), ("missing bucket", "no such bucket")],
)
def test_an_unreadable_object_fails_the_job_naming_it(
    local: ByteITClient, bucket: str, where: str, cause: str
) -> None:
    target = bucket if where == "missing key" else f"{bucket}-gone"
    source = S3InputConnector(target, "inbox/absent.pdf", server_side=True)

    with pytest.raises(JobProcessingError) as caught:
        local.process_document(source, max_wait_time=60)

    message = str(caught.value)
    assert f"s3://{target}/inbox/absent.pdf" in message
    assert cause in message
    assert SERVER_SECRET not in message + repr(caught.value)
    assert SERVER_KEY_ID not in message


def test_an_unwritable_destination_fails_the_job_naming_it(
    local: ByteITClient, bucket: str, notes: Path
) -> None:
    output = S3OutputConnector(f"{bucket}-gone", prefix="out/", server_side=True)

    with pytest.raises(JobProcessingError) as caught:
        local.process_document(notes, output, max_wait_time=60)

    message = str(caught.value)
    assert f"cannot write s3://{bucket}-gone/out/notes.txt.txt: no such bucket" in message
    assert SERVER_SECRET not in message


def test_an_empty_object_fails_the_job(local: ByteITClient, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="empty.txt", Body=b"")

    with pytest.raises(JobProcessingError, match="empty"):
        local.process_document(S3InputConnector(bucket, "empty.txt", server_side=True))


class RefusingS3:
    """An S3 client whose every read fails with ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def get_object(self, **params: Any) -> Any:
        raise self.error


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": f"{code}: {SERVER_SECRET}"}}, "x")


def s3_job(tmp_path: Path) -> ParseJobRecord:
    source = {"source_bucket": "docs", "source_path_inside_bucket": "in/a.pdf"}
    return ParseJobRecord(
        id="job-1", owner="o", status="processing", progress=10, message=None, nickname=None,
        result_format="txt", processing_error=None, processing_options={},
        input_connector="s3", output_connector="localfile", metadata={}, created_at="",
        updated_at="", started_processing_at=None, finished_processing_at=None,
        processing_time_seconds=None, credits_cost=None, file_path=str(tmp_path / "a.pdf"),
        original_filename="a.pdf", document_type="pdf", input_connection_data=source,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (client_error("AccessDenied"), "access denied (the server's S3 role lacks s3:GetObject)"),
        (client_error("SlowDown"), "S3 answered SlowDown"),
        (
            EndpointConnectionError(endpoint_url=f"http://{SERVER_SECRET}@127.0.0.1:9"),
            'Could not connect to the endpoint URL: "http://***@127.0.0.1:9"',
        ),
    ],
)
def test_a_refused_read_says_why_and_never_shows_the_secret(
    tmp_path: Path, error: Exception, expected: str
) -> None:
    settings = S3Settings(None, SERVER_KEY_ID, SERVER_SECRET, REGION)
    bridge = S3Bridge(settings, max_object_bytes=1024)
    bridge._client = RefusingS3(error)

    with pytest.raises(S3TransferError) as caught:
        asyncio.run(bridge.fetch_input(s3_job(tmp_path)))

    assert str(caught.value) == f"cannot read s3://docs/in/a.pdf: {expected}"
    assert caught.value.__cause__ is None
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize(
    "connectors",
    [
        {"input_connector": S3InputConnector("docs", "a.pdf", server_side=True)},
        {"output_connector": S3OutputConnector("docs", prefix="out/", server_side=True)},
    ],
    ids=["input", "output"],
)
def test_a_server_without_s3_settings_refuses_s3_jobs(
    byteit_server_factory: StartServer, notes: Path, connectors: dict[str, Any]
) -> None:
    server = byteit_server_factory()
    connectors.setdefault("input_connector", notes)
    with ByteITClient(server.api_key, base_url=server.base_url) as client:
        with pytest.raises(ValidationError, match="server-side S3 is not configured"):
            client.process_document(**connectors)
        assert client.list_jobs().jobs == []


S3_IN = {"input_connector": "s3"}
FILE = {"file": ("a.txt", b"text")}


def source(key: str) -> dict[str, str]:
    data = {"source_bucket": "b", "source_path_inside_bucket": key}
    return {**S3_IN, "input_connection_data": json.dumps(data)}


@pytest.mark.parametrize(
    ("data", "files", "expected"),
    [
        (S3_IN, None, "needs input_connection_data"),
        ({**S3_IN, "input_connection_data": '{"source_bucket": "b"}'}, None, "'source_path_in"),
        (source("a.pdf"), FILE, "send no file part"),
        (source("a.exe"), None, "unsupported document type '.exe'"),
        (source("in/"), None, "names a folder"),
        ({"output_connector": "s3"}, FILE, "needs output_connection_data"),
        ({"output_connection_data": '{"type": "s3", "bucket": "b"}'}, FILE, "make them agree"),
        ({"output_connector": "s3", "output_connection_data": "{}"}, FILE, "needs output_conn"),
    ],
)
def test_bad_s3_connection_data_is_a_400_naming_it(
    s3_server: EmbeddedServer,
    data: dict[str, str],
    files: dict[str, tuple[str | None, bytes]] | None,
    expected: str,
) -> None:
    headers = {"X-API-Key": s3_server.api_key}
    # A dummy part keeps the body multipart when no file is sent.
    parts = files or {"nickname": (None, b"x")}
    with httpx.Client(base_url=s3_server.base_url, headers=headers) as http:
        answer = http.post("/v1/jobs/parse-jobs/", data=data, files=parts)
    assert answer.status_code == 400
    assert expected in answer.json()["detail"]


# --- secrets ------------------------------------------------------------------------


def test_the_server_logs_no_s3_secret_at_debug(
    local: ByteITClient,
    s3_server: EmbeddedServer,
    s3: Any,
    bucket: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    s3.put_object(Bucket=bucket, Key="in/notes.txt", Body=NOTES)
    source = S3InputConnector(bucket, "in/notes.txt", server_side=True)
    local.process_document(source, S3OutputConnector(bucket, prefix="out/", server_side=True))
    with pytest.raises(JobProcessingError):
        local.process_document(S3InputConnector(bucket, "absent.txt", server_side=True))

    # The transfers ran in the server's threads, and botocore logged them at DEBUG there.
    assert any(
        r.name.startswith("botocore") and r.threadName != "MainThread" for r in caplog.records
    )
    logged = caplog.text + "\n".join(repr(r.args) for r in caplog.records)
    assert SERVER_SECRET not in logged
    assert SERVER_SECRET not in repr(s3_server.config)
    assert SERVER_KEY_ID in repr(s3_server.config)


# --- storage ------------------------------------------------------------------------


def test_a_data_directory_from_before_server_side_s3_gains_its_columns(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "byteit.sqlite3") as db:
        db.execute("CREATE TABLE parse_jobs (id TEXT PRIMARY KEY, owner TEXT NOT NULL)")
    db.close()

    Storage(tmp_path).close()

    with sqlite3.connect(tmp_path / "byteit.sqlite3") as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(parse_jobs)")}
    db.close()
    assert {"input_connection_data", "output_connection_data"} <= columns
