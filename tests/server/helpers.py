"""Helpers for the server tests: uploads and polling with a deadline."""

from __future__ import annotations

import os
import time
from typing import Any

import httpx

from byteit_server.engine import ExtractionSummary, ExtractionTask, extract_to_file

POLL_INTERVAL = 0.02
DEADLINE = 10.0


def upload(
    client: httpx.Client, name: str = "note.txt", content: bytes = b"hello", **data: str
) -> httpx.Response:
    """POST one document as the ``file`` part."""
    return client.post("/v1/jobs/parse-jobs/", files={"file": (name, content)}, data=data)


def create_job(
    client: httpx.Client, name: str = "note.txt", content: bytes = b"hello", **data: str
) -> str:
    """Create a parse job and return its id."""
    answer = upload(client, name, content, **data)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["parse_job"]["id"])


def wait_for(
    client: httpx.Client, job_id: str, statuses: tuple[str, ...] = ("completed", "failed")
) -> dict[str, Any]:
    """Poll the status endpoint until the job reaches one of ``statuses``."""
    deadline = time.monotonic() + DEADLINE
    while True:
        status: dict[str, Any] = client.get(f"/v1/jobs/{job_id}/status/").json()
        if status["processing_status"] in statuses:
            return status
        assert time.monotonic() < deadline, f"job {job_id} still {status} after {DEADLINE} s"
        time.sleep(POLL_INTERVAL)


def crash_worker(task: ExtractionTask) -> ExtractionSummary:
    """Extraction that kills its worker on files named ``crash*``, as a segfaulting parser would."""
    if os.path.basename(task.path).startswith("crash"):
        os._exit(70)
    return extract_to_file(task)
