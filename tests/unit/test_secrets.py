"""The API key never leaks: not in logs, reprs, errors or error bodies."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from byteit import BatchError, ByteITClient, ByteITError, JobProcessingError, NetworkError
from byteit._http._settings import resolve_settings

from .conftest import API_KEY, CREATE_PATH, FakeServer, job_json, json_reply, result_reply

JOB = r"/v1/jobs/parse-jobs/job-1/"


def shown(error: BaseException) -> list[str]:
    """Everything a user may print of an error."""
    texts = [str(error), repr(error), repr(getattr(error, "body", None))]
    texts += [repr(a) for a in error.args]
    return texts


def test_key_never_reaches_logs_reprs_or_errors(
    client: ByteITClient,
    server: FakeServer,
    pdf_file: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    echo = f"key {API_KEY} is not allowed"
    server.add("POST", CREATE_PATH, json_reply({"parse_job": job_json("job-1", "pending")}))
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1")}))
    server.add("GET", r"/v1/jobs/parse-jobs/job-1/result/", result_reply(b"text"))
    server.add("GET", r"/v1/jobs/parse-jobs/job-2/", httpx.Response(403, json={"detail": echo}))
    server.add("GET", r"/v1/jobs/parse-jobs/job-3/", httpx.Response(400, json={"error": echo}))
    server.add(
        "GET",
        r"/v1/jobs/parse-jobs/job-4/",
        httpx.Response(502, text=f"<html><title>{API_KEY}</title></html>"),
    )
    errors: list[ByteITError] = []
    with caplog.at_level(logging.DEBUG):
        client.create_job(pdf_file)
        client.get_job("job-1")
        client.get_job_result("job-1", tmp_path / "r.txt")
        for job_id in ("job-2", "job-3", "job-4"):
            try:
                client.get_job(job_id)
            except ByteITError as exc:
                errors.append(exc)
    assert len(errors) == 3
    assert len(server.requests) >= 6
    for record in caplog.records:
        assert API_KEY not in record.getMessage()
        assert API_KEY not in repr(record.args)
    assert API_KEY not in caplog.text
    assert API_KEY not in repr(client)
    for error in errors:
        for text in shown(error):
            assert API_KEY not in text


def test_settings_repr_hides_the_key() -> None:
    assert API_KEY not in repr(resolve_settings(API_KEY, "https://byteit.ai"))


def test_transport_error_quoting_the_key_does_not_leak_it(
    client: ByteITClient, server: FakeServer
) -> None:
    """HTTP libraries quote bad header values in their errors (h11: "Illegal header value")."""
    failure = httpx.LocalProtocolError(f"Illegal header value b'{API_KEY}'")
    server.add("GET", JOB, failure)
    with pytest.raises(NetworkError) as caught:
        client.get_job("job-1")
    for text in shown(caught.value):
        assert API_KEY not in text


def test_key_quoted_in_a_failed_jobs_reason_is_redacted(
    client: ByteITClient, server: FakeServer
) -> None:
    # Conformance scenario redact-key-echoed-in-failed-job: the reason went out verbatim.
    failed = job_json("job-1", "failed", processing_error=f"bad key {API_KEY}")
    server.add("GET", r"/v1/jobs/job-1/status/", json_reply({"processing_status": "failed"}))
    server.add("GET", JOB, json_reply({"parse_job": failed}))
    with pytest.raises(JobProcessingError) as caught:
        client.wait_for_job("job-1")
    assert all(API_KEY not in text for text in shown(caught.value))
    assert caught.value.processing_error == "bad key ***"


def test_key_quoted_in_a_refused_files_reason_is_redacted(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    files = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for file in files:
        file.write_text("text")
    answer = {
        "parse_jobs": [job_json("job-a", "pending", metadata={"original_filename": "a.txt"})],
        "failed_files": [{"file_name": "b.txt", "error": f"refused for {API_KEY}"}],
    }
    server.add("POST", CREATE_PATH, json_reply(answer, status=201))
    with pytest.raises(BatchError) as caught:
        client.create_job([str(f) for f in files])
    failure = caught.value.failures[0].error
    assert failure is not None
    assert all(API_KEY not in text for text in shown(failure))
