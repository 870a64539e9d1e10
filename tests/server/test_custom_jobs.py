"""Custom jobs over real HTTP: create from several documents, get, result, status."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from .helpers import wait_for

ORDER = b"Order number: 77\nCustomer: Ada Lovelace\n"
DELIVERY = b"Delivery date: 2024-05-01\nPaid: yes\n"
SCHEMA = {
    "type": "object",
    "properties": {
        "order_number": {"type": "integer"},
        "customer": {"type": "string"},
        "delivery_date": {"type": "string"},
        "paid": {"type": "boolean"},
        "carrier": {"type": "string"},
    },
}
Files = list[tuple[str, tuple[str, bytes]]]
TWO_DOCUMENTS: Files = [("files", ("order.txt", ORDER)), ("files", ("delivery.txt", DELIVERY))]


def create(
    client: httpx.Client, files: Files = TWO_DOCUMENTS, headers: dict[str, str] | None = None,
    **data: str,
) -> httpx.Response:  # fmt: skip
    return client.post("/v1/jobs/custom-jobs/", files=files, data=data, headers=headers)


def run(client: httpx.Client, files: Files = TWO_DOCUMENTS, **data: str) -> dict[str, Any]:
    """Create a custom job, wait for it, and return it as the API shows it."""
    answer = create(client, files, **data)
    assert answer.status_code == 201, answer.text
    job_id = answer.json()["custom_job"]["id"]
    wait_for(client, job_id)
    job: dict[str, Any] = client.get(f"/v1/jobs/custom-jobs/{job_id}/").json()["custom_job"]
    return job


def test_with_a_schema_the_result_fills_it_from_every_document(api: httpx.Client) -> None:
    job = run(api, schema=json.dumps(SCHEMA), user_prompt="Read the order", nickname="o")
    assert job["processing_status"] == "completed"
    assert (job["file_names"], job["document_types"]) == (
        ["order.txt", "delivery.txt"],
        ["txt"] * 2,
    )
    assert (job["extraction_schema"], job["user_prompt"], job["nickname"]) == (
        SCHEMA, "Read the order", "o",
    )  # fmt: skip
    assert (job["total_page_count"], job["credits_cost"]) == (2, 2.0)
    answer = api.get(f"/v1/jobs/custom-jobs/{job['id']}/result/")
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    assert answer.json() == {
        "order_number": 77, "customer": "Ada Lovelace", "delivery_date": "2024-05-01",
        "paid": True, "carrier": None,
    }  # fmt: skip


def test_without_a_schema_the_result_is_the_documents_markdown_under_the_prompt(
    api: httpx.Client,
) -> None:
    job = run(api, user_prompt="Summarise\nthe order")
    answer = api.get(f"/v1/jobs/custom-jobs/{job['id']}/result/")
    assert answer.headers["content-type"].startswith("text/markdown")
    assert "attachment" in answer.headers["content-disposition"]
    assert answer.text == (
        "# Summarise the order\n\n"
        "## order.txt\n\nOrder number: 77\nCustomer: Ada Lovelace\n\n"
        "## delivery.txt\n\nDelivery date: 2024-05-01\nPaid: yes\n"
    )


def test_without_a_prompt_there_is_no_prompt_heading(api: httpx.Client) -> None:
    job = run(api, files=[("files", ("order.txt", ORDER))])
    text = api.get(f"/v1/jobs/custom-jobs/{job['id']}/result/").text
    assert text.startswith("## order.txt\n\n")


def test_a_job_not_finished_answers_not_ready(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory(processing_delay=5))
    job_id = create(client).json()["custom_job"]["id"]
    assert client.get(f"/v1/jobs/{job_id}/status/").json()["processing_status"] in (
        "pending", "processing",
    )  # fmt: skip
    answer = client.get(f"/v1/jobs/custom-jobs/{job_id}/result/")
    assert answer.json()["ready"] is False
    assert "content-disposition" not in answer.headers


def test_a_document_that_cannot_be_read_fails_the_job_naming_it(api: httpx.Client) -> None:
    files: Files = [("files", ("order.txt", ORDER)), ("files", ("broken.pdf", b"%PDF-1.7 no"))]
    job = run(api, files=files)
    assert job["processing_status"] == "failed"
    assert "'broken.pdf'" in job["processing_error"]
    assert job["credits_cost"] is None
    answer = api.get(f"/v1/jobs/custom-jobs/{job['id']}/result/")
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("job failed: 'broken.pdf'")


def test_a_repeated_create_with_one_key_makes_one_job(api: httpx.Client) -> None:
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    first, again = create(api, headers=headers), create(api, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["custom_job"]["id"] == first.json()["custom_job"]["id"]


def test_an_unknown_job_is_a_404(api: httpx.Client) -> None:
    for path in ("/v1/jobs/custom-jobs/nope/", "/v1/jobs/custom-jobs/nope/result/"):
        answer = api.get(path)
        assert answer.status_code == 404
        assert "'nope'" in answer.json()["detail"]


def test_another_owners_job_is_a_404(byteit_server_factory, connect) -> None:
    server = byteit_server_factory(api_keys=("alice.key", "bob.key"))
    alice, bob = connect(server, "alice.key"), connect(server, "bob.key")
    job_id = create(alice).json()["custom_job"]["id"]
    assert bob.get(f"/v1/jobs/custom-jobs/{job_id}/").status_code == 404
    assert bob.get("/v1/jobs/custom-jobs/").json()["custom_jobs"] == []


def test_a_job_interrupted_by_a_restart_completes_after_it(
    byteit_server_factory, connect, tmp_path
) -> None:
    data_dir = tmp_path / "data"
    first = byteit_server_factory(data_dir=data_dir, processing_delay=60)
    job_id = create(connect(first), schema=json.dumps(SCHEMA)).json()["custom_job"]["id"]
    wait_for(connect(first), job_id, ("processing",))
    first.stop()
    second = connect(byteit_server_factory(data_dir=data_dir))
    assert wait_for(second, job_id)["processing_status"] == "completed"
    assert second.get(f"/v1/jobs/custom-jobs/{job_id}/result/").json()["order_number"] == 77
