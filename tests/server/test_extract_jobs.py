"""Extract jobs over real HTTP: create, list, get and result."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from .helpers import DEADLINE, POLL_INTERVAL, create_job, wait_for

INVOICE = b"Invoice number: 1,042\nCustomer name: Ada Lovelace\nPaid: yes\n"
SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "integer"},
        "customer": {"type": "string", "description": "Customer name"},
        "paid": {"type": "boolean"},
        "due_date": {"type": "string"},
    },
}


def extract(client: httpx.Client, parse_job_id: str, **extra: Any) -> httpx.Response:
    return client.post(
        "/v1/jobs/extract-jobs/", json={"parse_job_id": parse_job_id, "schema": SCHEMA, **extra}
    )


def wait_for_result(client: httpx.Client, extract_job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE
    while True:
        result: dict[str, Any] = client.get(
            f"/v1/jobs/extract-jobs/{extract_job_id}/result/"
        ).json()
        if result["processing_status"] in ("completed", "failed"):
            return result
        assert time.monotonic() < deadline
        time.sleep(POLL_INTERVAL)


def test_extract_job_fills_the_schema_from_label_lines(api: httpx.Client) -> None:
    parse_job_id = create_job(api, "invoice.txt", INVOICE)
    answer = extract(api, parse_job_id, extraction_complexity="low", nickname="inv")
    assert answer.status_code == 201
    job = answer.json()["extract_job"]
    assert (job["input_job_id"], job["extraction_complexity"], job["nickname"]) == (
        parse_job_id, "low", "inv",
    )  # fmt: skip
    assert job["extraction_schema"] == SCHEMA
    result = wait_for_result(api, job["id"])
    assert result["ready"] is True
    assert result["result"] == {
        "invoice_number": 1042, "customer": "Ada Lovelace", "paid": True, "due_date": None,
    }  # fmt: skip


def test_extract_job_waits_for_its_parse_job(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory(processing_delay=0.3))
    job_id = extract(client, create_job(client, "invoice.txt", INVOICE)).json()["extract_job"]["id"]
    assert client.get(f"/v1/jobs/extract-jobs/{job_id}/result/").json()["ready"] is False
    assert wait_for_result(client, job_id)["result"]["invoice_number"] == 1042


def test_extract_job_of_a_failed_parse_job_fails(api: httpx.Client) -> None:
    parse_job_id = create_job(api, "broken.pdf", b"%PDF-1.7 not really")
    wait_for(api, parse_job_id)
    result = wait_for_result(api, extract(api, parse_job_id).json()["extract_job"]["id"])
    assert result["ready"] is False
    assert result["processing_status"] == "failed"
    assert parse_job_id in result["processing_error"]


def test_unknown_parse_job_is_a_404(api: httpx.Client) -> None:
    answer = extract(api, "no-such-job")
    assert answer.status_code == 404
    assert "no-such-job" in answer.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"schema": SCHEMA},
        {"parse_job_id": "", "schema": SCHEMA},
        {"parse_job_id": "x", "schema": "not an object"},
        {"parse_job_id": "x", "schema": SCHEMA, "extraction_complexity": "extreme"},
        {"parse_job_id": "x", "schema": SCHEMA, "nickname": 7},
        ["not", "an", "object"],
    ],
)
def test_bad_body_is_a_400(api: httpx.Client, body: Any) -> None:
    job_id = create_job(api)
    if isinstance(body, dict) and body.get("parse_job_id") == "x":
        body = {**body, "parse_job_id": job_id}
    answer = api.post("/v1/jobs/extract-jobs/", json=body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["detail"]


def test_invalid_json_is_a_400(api: httpx.Client) -> None:
    answer = api.post(
        "/v1/jobs/extract-jobs/", content=b"{oops", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400


def test_list_and_get_extract_jobs(api: httpx.Client) -> None:
    job_id = extract(api, create_job(api, "invoice.txt", INVOICE)).json()["extract_job"]["id"]
    listed = api.get("/v1/jobs/extract-jobs/").json()
    assert listed["extract_jobs"][0]["id"] == job_id
    assert listed["count"] == len(listed["extract_jobs"])
    assert api.get(f"/v1/jobs/extract-jobs/{job_id}/").json()["extract_job"]["id"] == job_id
    wait_for_result(api, job_id)
    assert api.get(f"/v1/jobs/{job_id}/status/").json()["processing_status"] == "completed"


@pytest.mark.parametrize("suffix", ["", "result/"])
def test_unknown_extract_job_is_a_404(api: httpx.Client, suffix: str) -> None:
    assert api.get(f"/v1/jobs/extract-jobs/nope/{suffix}").status_code == 404
