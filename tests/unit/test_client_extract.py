"""extract and the extract-job calls, on both clients, against a fake server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from byteit import (
    ByteITClient,
    Extraction,
    ExtractionValidationError,
    ExtractJob,
    Job,
    JobProcessingError,
    JobTimeoutError,
    ResourceNotFoundError,
    ResultNotReadyError,
    UnexpectedResponseError,
    ValidationError,
)

from .conftest import FakeClock, FakeServer, job_json, json_reply, multipart

EXTRACT = "/v1/jobs/extract-jobs/"


class Total(BaseModel):
    total: int


def extract_job(job_id: str = "x-1", status: str = "completed", **fields: Any) -> dict[str, Any]:
    return {"id": job_id, "processing_status": status, "input_job_id": "p-1", **fields}


def serve_extract(
    server: FakeServer,
    result: Any = None,
    *,
    parse: dict[str, Any] | None = None,
    extract: dict[str, Any] | None = None,
) -> None:
    """A parse job p-1 (created by a POST too) and an extract job x-1 with `result`."""
    parse = parse or job_json("p-1", credits_cost=2)
    extract = extract or extract_job(credits_cost=1.5)
    server.add(
        "POST",
        "/v1/jobs/parse-jobs/",
        json_reply({"parse_job": {**parse, "processing_status": "pending"}}, 201),
    )
    server.add("GET", "/v1/jobs/parse-jobs/p-1/", json_reply({"parse_job": parse}))
    server.add("GET", r"/v1/jobs/[^/]+/status/", json_reply({"processing_status": "completed"}))
    server.add(
        "POST",
        EXTRACT,
        json_reply({"extract_job": {**extract, "processing_status": "pending"}}, 201),
    )
    server.add("GET", EXTRACT + "x-1/", json_reply({"extract_job": extract}))
    body = {"ready": True, "processing_status": "completed", "result": result}
    server.add("GET", EXTRACT + "x-1/result/", json_reply(body))


def test_extract_from_a_document_parses_to_text_then_extracts(
    client: ByteITClient, server: FakeServer, txt_file: Path
) -> None:
    serve_extract(server, {"total": 12})
    extraction = client.extract(str(txt_file), Total)
    assert isinstance(extraction, Extraction)
    assert extraction.data == Total(total=12)
    assert extraction.raw == {"total": 12}
    assert isinstance(extraction.job, ExtractJob)
    assert (extraction.job.id, extraction.parse_job_id) == ("x-1", "p-1")
    assert extraction.credits == 3.5  # the parse this call created, plus the extraction
    assert multipart(server.sent("POST", "/v1/jobs/parse-jobs/")[0])["output_format"].data == b"txt"
    body = json.loads(server.sent("POST", EXTRACT)[0].content)
    assert body["parse_job_id"] == "p-1"
    assert body["extraction_complexity"] == "medium"
    assert body["schema"]["properties"] == {"total": {"type": "integer"}}


def test_extract_from_a_job_id_reuses_the_parse_and_counts_only_the_extraction(
    client: ByteITClient, server: FakeServer
) -> None:
    serve_extract(server, {"total": 1})
    extraction = client.extract(
        "p-1", {"type": "object", "properties": {"total": {"type": "integer"}}}
    )
    assert extraction.data == {"total": 1}
    assert extraction.credits == 1.5
    assert server.sent("POST", "/v1/jobs/parse-jobs/") == []


def test_extract_from_a_completed_job_sends_no_request_about_it(
    client: ByteITClient, server: FakeServer
) -> None:
    serve_extract(server, {"total": 1})
    client.extract(Job(id="p-1", processing_status="completed"), Total)
    assert server.sent("GET", "/v1/jobs/parse-jobs/.*") == []


def test_a_failed_parse_job_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer
) -> None:
    failed = Job(id="p-1", processing_status="failed", processing_error="unreadable scan")
    with pytest.raises(JobProcessingError, match="unreadable scan"):
        client.extract(failed, Total)
    assert server.requests == []


def test_a_parse_job_id_that_has_failed_raises_its_reason(
    client: ByteITClient, server: FakeServer
) -> None:
    serve_extract(server, parse=job_json("p-1", "failed", processing_error="bad pdf"))
    with pytest.raises(JobProcessingError, match="bad pdf"):
        client.extract("p-1", Total)
    assert server.sent("POST", EXTRACT) == []


def test_an_unknown_parse_job_id_is_not_found_and_says_how_it_was_read(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", "/v1/jobs/parse-jobs/nope/", json_reply({"detail": "no such job"}, 404))
    with pytest.raises(ResourceNotFoundError, match=r"No parse job 'nope'.*parse job id"):
        client.extract("nope", Total)


def test_a_missing_document_path_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match=r"missing\.pdf"):
        client.extract(str(tmp_path / "missing.pdf"), Total)
    assert server.requests == []


def test_a_failed_extract_job_raises_the_servers_reason(
    client: ByteITClient, server: FakeServer
) -> None:
    serve_extract(server, extract=extract_job(status="failed", processing_error="schema too deep"))
    with pytest.raises(JobProcessingError, match="schema too deep") as caught:
        client.extract("p-1", Total)
    assert caught.value.job_id == "x-1"


def test_an_extract_job_that_runs_too_long_times_out(
    client: ByteITClient, server: FakeServer, clock: FakeClock
) -> None:
    serve_extract(server, extract=extract_job(status="processing"))
    server.add(
        "GET", r"/v1/jobs/x-1/status/", json_reply({"processing_status": "processing"}), first=True
    )
    with pytest.raises(JobTimeoutError) as caught:
        client.extract("p-1", Total, max_wait_time=30)
    assert caught.value.job_id == "x-1"
    assert sum(clock.sleeps) <= 30


def test_data_that_fails_validation_raises_with_the_raw_data(
    client: ByteITClient, server: FakeServer
) -> None:
    serve_extract(server, {"total": "twelve"})
    with pytest.raises(ExtractionValidationError) as caught:
        client.extract("p-1", Total)
    assert caught.value.raw == {"total": "twelve"}
    assert caught.value.job_id == "x-1"


def test_validate_false_returns_the_dict_unchecked(
    client: ByteITClient, server: FakeServer
) -> None:
    serve_extract(server, {"total": "twelve"})
    assert client.extract("p-1", Total, validate=False).data == {"total": "twelve"}


@pytest.mark.parametrize("result", [None, ["a"], "text"])
def test_a_result_missing_or_not_an_object_is_unexpected(
    client: ByteITClient, server: FakeServer, result: Any
) -> None:
    serve_extract(server, result)
    with pytest.raises(UnexpectedResponseError, match="not a JSON object"):
        client.extract("p-1", Total)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schema": 42}, "schema must be a pydantic model class"),
        ({"schema": {"type": "object", "properties": 1}}, "not a valid JSON Schema"),
        ({"schema": ""}, "non-empty string"),
        ({"schema": Total, "complexity": "max"}, "complexity 'max'"),
        ({"schema": Total, "max_wait_time": 0}, "max_wait_time"),
        ({"schema": Total, "validate": "yes"}, "validate must be True or False"),
        ({"schema": Total, "nickname": 3}, "nickname must be a string"),
    ],
)
def test_bad_input_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        client.extract("p-1", **kwargs)
    assert server.requests == []


def test_a_saved_schema_name_is_read_and_its_data_checked_as_json_schema(
    client: ByteITClient, server: FakeServer
) -> None:
    serve_extract(server, {"total": 4})
    saved = {
        "name": "a/b",
        "schema_json": {"type": "object", "properties": {"total": {"type": "integer"}}},
    }
    server.add("GET", "/v1/schemas/a/b/", json_reply(saved))
    assert client.extract("p-1", "a/b").data == {"total": 4}
    assert server.sent("GET", "/v1/schemas/a/b/")[0].url.raw_path == b"/v1/schemas/a%2Fb/"
    assert json.loads(server.sent("POST", EXTRACT)[0].content)["schema"] == saved["schema_json"]


def test_the_idempotency_key_is_sent_with_a_suffix_per_job(
    client: ByteITClient, server: FakeServer, txt_file: Path
) -> None:
    serve_extract(server, {"total": 1})
    client.extract(str(txt_file), Total, idempotency_key="k-1")
    assert server.sent("POST", "/v1/jobs/parse-jobs/")[0].headers["Idempotency-Key"] == "k-1:parse"
    assert server.sent("POST", EXTRACT)[0].headers["Idempotency-Key"] == "k-1:extract"


def test_a_retried_extract_creation_keeps_its_idempotency_key(
    client: ByteITClient, server: FakeServer
) -> None:
    serve_extract(server, {"total": 1})
    created = json_reply({"extract_job": extract_job()}, 201)
    server.add("POST", EXTRACT, json_reply({"detail": "busy"}, 503), created, first=True)
    client.extract("p-1", Total)
    keys = {request.headers["Idempotency-Key"] for request in server.sent("POST", EXTRACT)}
    assert len(server.sent("POST", EXTRACT)) == 2
    assert len(keys) == 1


def test_the_lower_level_calls(client: ByteITClient, server: FakeServer) -> None:
    serve_extract(server, {"total": 7})
    server.add("GET", EXTRACT, json_reply({"extract_jobs": [extract_job()], "count": 1}))
    job = client.create_extract_job("p-1", Total, complexity="high", nickname="n")
    body = json.loads(server.sent("POST", EXTRACT)[0].content)
    assert (body["extraction_complexity"], body["nickname"]) == ("high", "n")
    assert client.wait_for_extract_job(job.id).is_completed
    assert client.get_extract_job("x-1").input_job_id == "p-1"
    assert [j.id for j in client.list_extract_jobs()] == ["x-1"]
    assert client.get_extract_result("x-1") == {"total": 7}


def test_an_unfinished_extract_result_is_not_ready(
    client: ByteITClient, server: FakeServer
) -> None:
    body = {"ready": False, "processing_status": "processing", "result": None}
    server.add("GET", EXTRACT + "x-1/result/", json_reply(body))
    with pytest.raises(ResultNotReadyError, match="wait_for_extract_job"):
        client.get_extract_result("x-1")


def test_a_failed_extract_result_says_why(client: ByteITClient, server: FakeServer) -> None:
    body = {"ready": False, "processing_status": "failed", "result": None}
    server.add("GET", EXTRACT + "x-1/result/", json_reply(body))
    failed = extract_job(status="failed", processing_error="no text")
    server.add("GET", EXTRACT + "x-1/", json_reply({"extract_job": failed}))
    with pytest.raises(JobProcessingError, match="no text"):
        client.get_extract_result("x-1")


def test_an_extract_job_keeps_unknown_fields_in_extra(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", EXTRACT + "x-1/", json_reply({"extract_job": extract_job(queue="fast")}))
    assert client.get_extract_job("x-1").extra == {"queue": "fast"}


def test_an_answer_without_an_extract_job_is_unexpected(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", EXTRACT + "x-1/", json_reply({"job": {}}))
    with pytest.raises(UnexpectedResponseError):
        client.get_extract_job("x-1")


def test_a_status_endpoint_missing_falls_back_to_reading_the_extract_job(
    client: ByteITClient, server: FakeServer
) -> None:
    serve_extract(server, {"total": 1})
    server.add(
        "GET", r"/v1/jobs/x-1/status/", httpx.Response(404, json={"detail": "no"}), first=True
    )
    server.add(
        "POST", EXTRACT, json_reply({"extract_job": extract_job(status="pending")}, 201), first=True
    )
    assert client.extract("p-1", Total).data == Total(total=1)
    assert len(server.sent("GET", EXTRACT + "x-1/")) >= 1


def test_extract_from_a_running_parse_job_waits_for_it(
    client: ByteITClient, server: FakeServer, clock: Any
) -> None:
    serve_extract(server, {"total": 2})
    processing = json_reply({"parse_job": job_json("p-1", "processing")})
    done = json_reply({"parse_job": job_json("p-1")})
    server.add("GET", "/v1/jobs/parse-jobs/p-1/", processing, done, first=True)
    server.add(
        "GET",
        r"/v1/jobs/p-1/status/",
        json_reply({"processing_status": "processing"}),
        json_reply({"processing_status": "completed"}),
        first=True,
    )
    running = Job(id="p-1", processing_status="processing")
    assert client.extract(running, Total).data == Total(total=2)
    assert len(server.sent("GET", r"/v1/jobs/p-1/status/")) == 2
    assert clock.sleeps  # it waited (on the fake clock) between the polls
