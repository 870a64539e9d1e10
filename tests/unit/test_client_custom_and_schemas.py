"""Custom jobs and saved schemas, on both clients, against a fake server."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from byteit import (
    ByteITClient,
    CustomJob,
    Extraction,
    ExtractionValidationError,
    JobProcessingError,
    ResourceNotFoundError,
    SavedSchema,
    ValidationError,
)

from .conftest import FakeServer, json_reply, multipart_parts, result_reply

CUSTOM = "/v1/jobs/custom-jobs/"
SCHEMA = {"type": "object", "properties": {"total": {"type": "integer"}}}


class Total(BaseModel):
    total: int


def custom_job(job_id: str = "c-1", status: str = "completed", **fields: Any) -> dict[str, Any]:
    return {"id": job_id, "processing_status": status, **fields}


def serve_custom(server: FakeServer, result: bytes, content_type: str = "application/json") -> None:
    server.add("POST", CUSTOM, json_reply({"custom_job": custom_job(status="pending")}, 201))
    server.add("GET", r"/v1/jobs/[^/]+/status/", json_reply({"processing_status": "completed"}))
    job = custom_job(credits_cost=4, file_names=["a.txt", "b.txt"], total_page_count=2)
    server.add("GET", CUSTOM + "c-1/", json_reply({"custom_job": job}))
    server.add(
        "GET",
        CUSTOM + "c-1/result/",
        result_reply(result, "result.json", **{"Content-Type": content_type}),
    )


@pytest.fixture
def two_files(tmp_path: Path) -> list[str]:
    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for path in paths:
        path.write_text(f"{path.name}\nTotal: 3\n")
    return [str(path) for path in paths]


def test_a_custom_job_with_a_model_sends_files_and_a_json_schema(
    client: ByteITClient, server: FakeServer, two_files: list[str]
) -> None:
    serve_custom(server, b'{"total": 3}')
    extraction = client.custom_job(two_files, Total, user_prompt="Sum it", nickname="n")
    assert isinstance(extraction, Extraction)
    assert extraction.data == Total(total=3)
    assert isinstance(extraction.job, CustomJob)
    assert extraction.job.file_names == ["a.txt", "b.txt"]
    assert (extraction.parse_job_id, extraction.credits) == (None, 4.0)
    parts = multipart_parts(server.sent("POST", CUSTOM)[0])
    assert [(p.name, p.filename) for p in parts if p.name == "files"] == [
        ("files", "a.txt"),
        ("files", "b.txt"),
    ]
    fields = {p.name: p.data for p in parts if p.name != "files"}
    assert json.loads(fields["schema"])["properties"] == {"total": {"type": "integer"}}
    assert (fields["user_prompt"], fields["nickname"]) == (b"Sum it", b"n")


def test_a_custom_job_without_a_schema_returns_the_text(
    client: ByteITClient, server: FakeServer, two_files: list[str]
) -> None:
    serve_custom(server, "# Sum it\n\nré".encode(), "text/markdown")
    assert client.custom_job(two_files[0], user_prompt="Sum it") == "# Sum it\n\nré"
    names = {p.name for p in multipart_parts(server.sent("POST", CUSTOM)[0])}
    assert names == {"files", "user_prompt"}


def test_a_custom_jobs_data_is_validated(
    client: ByteITClient, server: FakeServer, two_files: list[str]
) -> None:
    serve_custom(server, b'{"total": "many"}')
    with pytest.raises(ExtractionValidationError) as caught:
        client.custom_job(two_files, SCHEMA)
    assert caught.value.job_id == "c-1"
    assert client.custom_job(two_files, SCHEMA, validate=False).data == {"total": "many"}


def test_a_failed_custom_job_raises_its_reason(
    client: ByteITClient, server: FakeServer, two_files: list[str]
) -> None:
    server.add("POST", CUSTOM, json_reply({"custom_job": custom_job(status="pending")}, 201))
    server.add("GET", r"/v1/jobs/[^/]+/status/", json_reply({"processing_status": "failed"}))
    failed = custom_job(status="failed", processing_error="too many pages")
    server.add("GET", CUSTOM + "c-1/", json_reply({"custom_job": failed}))
    with pytest.raises(JobProcessingError, match="too many pages"):
        client.custom_job(two_files)


def test_the_result_of_a_failed_custom_job_says_why(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", CUSTOM + "c-1/result/", json_reply({"detail": "job failed"}, 400))
    failed = custom_job(status="failed", processing_error="bad scan")
    server.add("GET", CUSTOM + "c-1/", json_reply({"custom_job": failed}))
    with pytest.raises(JobProcessingError, match="bad scan"):
        client.get_custom_job_result("c-1")


def test_get_custom_job_result_returns_the_bytes(client: ByteITClient, server: FakeServer) -> None:
    serve_custom(server, b"plain")
    assert client.get_custom_job_result("c-1") == b"plain"
    assert client.get_custom_job("c-1").total_page_count == 2


@pytest.mark.parametrize(
    ("inputs", "kwargs", "message"),
    [
        ([], {}, "at least one document"),
        (["missing.txt"], {}, "missing.txt"),
        (["{a}"], {"schema": 3}, "schema must be"),
        (["{a}"], {"user_prompt": 3}, "user_prompt must be a string"),
    ],
)
def test_bad_custom_job_input_is_refused_before_any_request(
    client: ByteITClient,
    server: FakeServer,
    two_files: list[str],
    inputs: list[str],
    kwargs: dict[str, Any],
    message: str,
) -> None:
    inputs = [two_files[0] if item == "{a}" else item for item in inputs]
    with pytest.raises(ValidationError, match=message):
        client.custom_job(inputs, **kwargs)
    assert server.requests == []


def test_list_custom_jobs_pages_through_the_before_cursor(
    client: ByteITClient, server: FakeServer
) -> None:
    newer = custom_job("c-2", created_at="2026-01-02T00:00:00Z")
    older = custom_job("c-1", created_at="2026-01-01T00:00:00Z")

    def page(request: httpx.Request) -> httpx.Response:
        before = request.url.params.get("before")
        jobs = {None: [newer], "2026-01-02T00:00:00+00:00": [older]}.get(before, [])
        return json_reply({"custom_jobs": jobs, "count": len(jobs), "detail": "ok"})

    server.add("GET", CUSTOM, page)
    assert [job.id for job in client.list_custom_jobs()] == ["c-2", "c-1"]
    cursors = [r.url.params.get("before") for r in server.sent("GET", CUSTOM)]
    assert cursors == [None, "2026-01-02T00:00:00+00:00", "2026-01-01T00:00:00+00:00"]


def test_list_custom_jobs_stops_when_the_server_ignores_the_cursor(
    client: ByteITClient, server: FakeServer
) -> None:
    jobs = [custom_job("c-1", created_at="2026-01-01T00:00:00Z")]
    server.add("GET", CUSTOM, json_reply({"custom_jobs": jobs, "count": 1}))
    start = datetime(2027, 1, 1, tzinfo=timezone.utc)
    assert [job.id for job in client.list_custom_jobs(before=start)] == ["c-1"]
    assert len(server.sent("GET", CUSTOM)) == 2


# --- saved schemas ----------------------------------------------------------------------


def test_save_schema_sends_a_models_wire_schema(client: ByteITClient, server: FakeServer) -> None:
    server.add("POST", "/v1/schemas/", lambda r: json_reply(json.loads(r.content), 201))
    saved = client.save_schema("totals", Total)
    assert saved == SavedSchema(
        name="totals", schema_json=json.loads(server.requests[0].content)["schema_json"]
    )
    assert saved.schema_json["properties"] == {"total": {"type": "integer"}}


def test_saving_the_same_content_again_is_a_no_op(client: ByteITClient, server: FakeServer) -> None:
    server.add("POST", "/v1/schemas/", json_reply({"detail": "name in use"}, 400))
    server.add("GET", "/v1/schemas/totals/", json_reply({"name": "totals", "schema_json": SCHEMA}))
    assert client.save_schema("totals", SCHEMA).schema_json == SCHEMA


def test_saving_other_content_under_a_used_name_is_refused(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("POST", "/v1/schemas/", json_reply({"detail": "name in use"}, 400))
    other = {"type": "object", "properties": {"n": {"type": "string"}}}
    server.add("GET", "/v1/schemas/totals/", json_reply({"name": "totals", "schema_json": other}))
    with pytest.raises(ValidationError, match="already saved with other content"):
        client.save_schema("totals", SCHEMA)


def test_a_refused_save_of_a_new_name_keeps_the_servers_reason(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("POST", "/v1/schemas/", json_reply({"detail": "schema too large"}, 400))
    server.add("GET", "/v1/schemas/totals/", json_reply({"detail": "no"}, 404))
    with pytest.raises(ValidationError, match="schema too large"):
        client.save_schema("totals", SCHEMA)


@pytest.mark.parametrize(
    ("name", "schema", "message"),
    [("", SCHEMA, "non-empty"), ("a", "other", "save_schema takes"), ("a", [], "schema must be")],
)
def test_bad_save_schema_input_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, name: str, schema: Any, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        client.save_schema(name, schema)
    assert server.requests == []


def test_list_get_and_delete_schemas_percent_encode_names(
    client: ByteITClient, server: FakeServer
) -> None:
    entry = {"name": "a b/c", "schema_json": SCHEMA}
    server.add("GET", "/v1/schemas/", json_reply({"schemas": [entry], "count": 1}))
    server.add("GET", "/v1/schemas/a b/c/", json_reply(entry))
    server.add("DELETE", "/v1/schemas/a b/c/", httpx.Response(204))
    assert client.list_schemas() == [SavedSchema(name="a b/c", schema_json=SCHEMA)]
    assert client.get_schema("a b/c").name == "a b/c"
    assert client.delete_schema("a b/c") is None
    assert {r.url.raw_path for r in server.sent(path="/v1/schemas/a b/c/")} == {
        b"/v1/schemas/a%20b%2Fc/"
    }


def test_an_unknown_schema_name_is_not_found(client: ByteITClient, server: FakeServer) -> None:
    server.add("GET", "/v1/schemas/nope/", json_reply({"detail": "no schema"}, 404))
    server.add("DELETE", "/v1/schemas/nope/", json_reply({"detail": "no schema"}, 404))
    with pytest.raises(ResourceNotFoundError):
        client.get_schema("nope")
    with pytest.raises(ResourceNotFoundError):
        client.delete_schema("nope")


def test_a_custom_job_with_a_saved_schema_name_sends_the_saved_schema(
    client: ByteITClient, server: FakeServer, two_files: list[str]
) -> None:
    serve_custom(server, b'{"total": 3}')
    server.add("GET", "/v1/schemas/totals/", json_reply({"name": "totals", "schema_json": SCHEMA}))
    assert client.custom_job(two_files, "totals").data == {"total": 3}
    parts = multipart_parts(server.sent("POST", CUSTOM)[0])
    assert [json.loads(p.data) for p in parts if p.name == "schema"] == [SCHEMA]
