"""The earlier client's call options against the local server: a failed job's result,
per-call timeouts and with_options, on both clients."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from byteit import JobProcessingError, ValidationError

from .conftest import Client, Run


def test_the_result_of_a_failed_job_says_why_it_failed(
    client: Client, run: Run, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 this is not really a PDF")
    job = run(client.create_job(broken))
    with pytest.raises(JobProcessingError):
        run(client.wait_for_job(job.id, max_wait_time=30))
    with pytest.raises(JobProcessingError) as caught:
        run(client.get_job_result(job.id))
    assert caught.value.job_id == job.id
    assert caught.value.processing_error


def test_per_call_timeouts_and_with_options_work_against_the_server(
    client: Client, run: Run, tmp_path: Path
) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("hello timeouts")
    patient = client.with_options(timeout=httpx.Timeout(30.0), max_retries=1)
    text = run(patient.process_document(doc, timeout=20, poll_interval=0.05, max_wait_time=30))
    assert text == b"hello timeouts\n"
    assert run(client.list_jobs(timeout=httpx.Timeout(None))).count >= 1
    with pytest.raises(ValidationError, match="timeout"):
        run(client.get_job("x", timeout=0))
