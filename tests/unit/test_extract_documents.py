"""extract_documents on the batch engine, on both clients, against a fake server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from byteit import (
    BatchError,
    BatchStats,
    BudgetExceededError,
    ByteITClient,
    Extraction,
    ExtractionValidationError,
    JobProcessingError,
    ValidationError,
)
from byteit._batch._budget import Credits

from .conftest import CREATE_PATH, FakeServer, job_json, json_reply, serve_documents
from .test_batch import make_docs, results_for

EXTRACT = "/v1/jobs/extract-jobs/"


class Total(BaseModel):
    total: int


def serve_extractions(server: FakeServer, failing: frozenset[str] = frozenset()) -> list[str]:
    """Extract jobs ``x-<parse job id>`` whose result names the document; ``failing``
    parse job ids give failed extract jobs. Returns the parse job ids extracted, in order."""
    extracted: list[str] = []

    def job(job_id: str) -> dict[str, Any]:
        parse_id = job_id.removeprefix("x-")
        status = "failed" if parse_id in failing else "completed"
        return {"id": job_id, "processing_status": status, "input_job_id": parse_id,
                "credits_cost": 1, "processing_error": "no fields found"}  # fmt: skip

    def create(request: httpx.Request) -> httpx.Response:
        parse_id = json.loads(request.content)["parse_job_id"]
        extracted.append(parse_id)
        return json_reply(
            {"extract_job": {**job(f"x-{parse_id}"), "processing_status": "pending"}}, 201
        )

    def listing(_request: httpx.Request) -> httpx.Response:
        return json_reply(
            {"extract_jobs": [job(f"x-{p}") for p in extracted], "count": len(extracted)}
        )

    def get(request: httpx.Request) -> httpx.Response:
        return json_reply({"extract_job": job(request.url.path.split("/")[-2])})

    def result(request: httpx.Request) -> httpx.Response:
        parse_id = request.url.path.split("/")[-3].removeprefix("x-")
        number = int(parse_id.removeprefix("job-doc").removesuffix(".txt"))
        body = {"ready": True, "processing_status": "completed", "result": {"total": number}}
        return json_reply(body)

    server.add("POST", EXTRACT, create)
    server.add("GET", EXTRACT, listing)
    server.add("GET", EXTRACT + r"[^/]+/result/", result)
    server.add("GET", EXTRACT + r"[^/]+/", get)
    return extracted


@pytest.fixture
def docs(tmp_path: Path, server: FakeServer) -> list[Path]:
    paths = make_docs(tmp_path / "in", 5)
    serve_documents(server, results_for(paths))
    return paths


def test_each_document_is_parsed_then_extracted_in_input_order(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    extracted = serve_extractions(server)
    results = client.extract_documents(docs, Total)
    assert [r.index for r in results] == list(range(5))
    assert all(isinstance(r.value, Extraction) for r in results)
    assert [r.value.data for r in results] == [Total(total=i) for i in range(5)]
    assert [r.value.parse_job_id for r in results] == [f"job-{p.name}" for p in docs]
    assert sorted(extracted) == sorted(f"job-{p.name}" for p in docs)  # one extraction each


def test_the_extract_jobs_in_flight_are_polled_with_one_list(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_extractions(server)
    client.extract_documents(docs, Total)
    assert server.sent("GET", EXTRACT)  # the list of extract jobs
    assert len(server.sent("GET", EXTRACT + r"[^/]+/")) == 0  # no job read one by one


def test_each_documents_errors_stay_its_own(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_extractions(server, failing=frozenset({f"job-{docs[1].name}"}))
    results = client.extract_documents(docs, Total, on_error="return")
    assert [r.ok for r in results] == [True, False, True, True, True]
    assert isinstance(results[1].error, JobProcessingError)
    with pytest.raises(BatchError) as caught:
        client.extract_documents(docs, Total)
    assert len(caught.value.failures) == 1


def test_data_that_does_not_match_fails_only_its_document(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_extractions(server)
    schema = {"type": "object", "properties": {"total": {"type": "integer", "maximum": 2}}}
    results = client.extract_documents(docs, schema, on_error="return")
    assert [r.ok for r in results] == [True, True, True, False, False]
    assert isinstance(results[3].error, ExtractionValidationError)
    assert client.extract_documents(docs, schema, validate=False)[4].value.data == {"total": 4}


def test_results_are_written_beside_where_parse_results_would_go(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    serve_extractions(server)
    out = tmp_path / "out"
    results = client.extract_documents([docs[0].parent], Total, output_dir=out)
    assert [r.value for r in results] == [str(out / f"{p.name}.extract.json") for p in docs]
    assert json.loads((out / "doc003.txt.extract.json").read_text()) == {"total": 3}
    assert sorted(path.name for path in out.iterdir()) == sorted(
        f"{p.name}.extract.json" for p in docs
    )


def test_a_rerun_with_the_state_file_creates_no_job(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    serve_extractions(server)
    out, state = tmp_path / "out", tmp_path / "run.batch"
    client.extract_documents(docs, Total, output_dir=out, state_file=state)
    sent = (len(server.sent("POST", CREATE_PATH)), len(server.sent("POST", EXTRACT)))
    again = client.extract_documents(docs, Total, output_dir=out, state_file=state)
    assert all(r.ok for r in again)
    assert (len(server.sent("POST", CREATE_PATH)), len(server.sent("POST", EXTRACT))) == sent


def test_a_saved_schema_name_is_read_once_for_the_batch(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_extractions(server)
    saved = {
        "name": "t",
        "schema_json": {"type": "object", "properties": {"total": {"type": "integer"}}},
    }
    server.add("GET", "/v1/schemas/t/", json_reply(saved))
    results = client.extract_documents(docs, "t")
    assert [r.value.data for r in results] == [{"total": i} for i in range(5)]
    assert len(server.sent("GET", "/v1/schemas/t/")) == 1


def test_credits_count_parse_and_extract_apart_and_a_cap_stops_the_batch(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_extractions(server)
    server.add(
        "GET",
        r"/v1/jobs/parse-jobs/[^/]+/",
        lambda r: json_reply({"parse_job": job_json(r.url.path.split("/")[-2], credits_cost=1,
                              metadata={"original_filename": r.url.path.split("/")[-2][4:]})}),
        first=True,
    )  # fmt: skip
    seen: list[BatchStats] = []
    client.extract_documents(docs, Total, on_progress=seen.append)
    assert seen[-1].credits == Credits(parse=5.0, extract=5.0)
    results = client.extract_documents(docs, Total, max_credits=4, on_error="return")
    refused = [r for r in results if isinstance(r.error, BudgetExceededError)]
    assert refused
    assert all(r.ok or isinstance(r.error, BudgetExceededError) for r in results)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schema": 3}, "schema must be"),
        ({"schema": Total, "complexity": "x"}, "complexity 'x'"),
        ({"schema": Total, "max_credits": 0}, "max_credits"),
        ({"schema": Total, "max_concurrency": 0}, "max_concurrency"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(
    client: ByteITClient, server: FakeServer, docs: list[Path], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        client.extract_documents(docs, **kwargs)
    assert server.requests == []


def test_under_a_cap_documents_parsed_are_extracted_before_new_ones_start(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_extractions(server)
    server.add(
        "GET",
        r"/v1/jobs/parse-jobs/[^/]+/",
        lambda r: json_reply({"parse_job": job_json(r.url.path.split("/")[-2], credits_cost=1,
                              metadata={"original_filename": r.url.path.split("/")[-2][4:]})}),
        first=True,
    )  # fmt: skip
    results = client.extract_documents(docs, Total, max_credits=4, on_error="return")
    assert results[0].ok  # the first document parsed is extracted, not starved by new parses
