"""The batch's fallbacks are logged at DEBUG on the `byteit` logger, with their reason."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from byteit import ByteITClient

from .conftest import (
    API_KEY,
    CREATE_PATH,
    FakeClock,
    FakeServer,
    json_reply,
    multipart,
    serve_documents,
)
from .test_batch import STATUS, make_docs, results_for


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("byteit")]


def test_a_list_that_leaves_jobs_out_is_logged_as_a_fallback_to_status_polls(
    client: ByteITClient, server: FakeServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = make_docs(tmp_path / "in", 3)
    serve_documents(server, results_for(paths))
    server.add("GET", CREATE_PATH, json_reply({"parse_jobs": [], "count": 3}), first=True)
    with caplog.at_level(logging.DEBUG, logger="byteit"):
        client.process_documents(paths)
    fallbacks = [m for m in _messages(caplog) if "polling each job's status instead" in m]
    assert fallbacks == [
        "the job list leaves jobs out (paged, say): polling each job's status instead"
    ]


def test_a_refused_multi_file_creation_is_logged_as_one_document_per_request(
    client: ByteITClient, server: FakeServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = make_docs(tmp_path / "in", 4)
    serve_documents(server, results_for(paths))
    refuse = httpx.Response(400, json={"detail": "one 'file' only"})
    create = next(r for r in server._routes if r[0] == "POST")[2][0]
    server.add(
        "POST", CREATE_PATH, lambda r: create(r) if "file" in multipart(r) else refuse, first=True
    )
    with caplog.at_level(logging.DEBUG, logger="byteit"):
        client.process_documents(paths)
    assert any("files in one request" in m and "one document per request" in m
               for m in _messages(caplog))  # fmt: skip


def test_wait_for_job_logs_each_poll_wait_and_never_the_key(
    client: ByteITClient, server: FakeServer, tmp_path: Path, clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    paths = make_docs(tmp_path / "in", 1)
    serve_documents(server, results_for(paths))
    processing = json_reply({"processing_status": "processing"})
    done = json_reply({"processing_status": "completed"})
    server.add("GET", STATUS[1], processing, processing, done, first=True)
    with caplog.at_level(logging.DEBUG, logger="byteit"):
        job = client.create_job(paths[0])
        assert not isinstance(job, list)
        client.wait_for_job(job.id)
    waits = [m for m in _messages(caplog) if m.startswith(f"job {job.id} is processing")]
    assert len(waits) == 2
    assert all("next poll in" in m for m in waits)
    assert all(API_KEY not in r.getMessage() for r in caplog.records)
