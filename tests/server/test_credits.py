"""Credits: each job's ``credits_cost`` follows the rule of ``byteit_server.credits``."""

from __future__ import annotations

import json

import httpx

from byteit_server.samples import invoice_pdf

from .helpers import create_job, wait_for
from .test_custom_jobs import run


def cost_of_parse(client: httpx.Client, name: str, content: bytes, **data: str) -> object:
    job_id = create_job(client, name, content, **data)
    wait_for(client, job_id)
    return client.get(f"/v1/jobs/parse-jobs/{job_id}/").json()["parse_job"]["credits_cost"]


def test_a_parse_job_costs_a_credit_a_page_read(api: httpx.Client) -> None:
    assert cost_of_parse(api, "invoice.pdf", invoice_pdf()) == 3
    only_two = json.dumps({"page_range": "1-2"})
    assert cost_of_parse(api, "invoice.pdf", invoice_pdf(), processing_options=only_two) == 2
    assert cost_of_parse(api, "note.txt", b"one page") == 1


def test_a_failed_parse_job_costs_nothing(api: httpx.Client) -> None:
    assert cost_of_parse(api, "broken.pdf", b"%PDF-1.7 not a pdf") is None


def test_an_extract_job_costs_one_credit(api: httpx.Client) -> None:
    parse_job_id = create_job(api, "invoice.pdf", invoice_pdf())
    schema = {"type": "object", "properties": {"total": {"type": "string"}}}
    body = {"parse_job_id": parse_job_id, "schema": schema}
    job_id = api.post("/v1/jobs/extract-jobs/", json=body).json()["extract_job"]["id"]
    wait_for(api, job_id)
    job = api.get(f"/v1/jobs/extract-jobs/{job_id}/").json()["extract_job"]
    assert job["credits_cost"] == 1


def test_a_custom_job_costs_a_credit_a_page_of_each_document(api: httpx.Client) -> None:
    files = [("files", ("invoice.pdf", invoice_pdf())), ("files", ("note.txt", b"one page"))]
    job = run(api, files=files, schema=json.dumps({"type": "object", "properties": {}}))
    assert (job["total_page_count"], job["credits_cost"]) == (4, 4)
