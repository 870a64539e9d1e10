"""Parse jobs over real HTTP: create, list, get, result and status."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from .helpers import create_job, upload, wait_for

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
PARSE_JOB_FIELDS = {
    "id", "processing_status", "result_format", "nickname", "processing_error",
    "processing_time_seconds", "credits_cost", "input_connector", "output_connector",
    "processing_options", "created_at", "updated_at", "started_processing_at",
    "finished_processing_at", "metadata",
}  # fmt: skip


def test_create_answers_201_with_the_whole_parse_job(api: httpx.Client) -> None:
    answer = upload(api, "report.txt", b"hello", nickname="first", output_format="md")
    assert answer.status_code == 201
    job = answer.json()["parse_job"]
    assert set(job) >= PARSE_JOB_FIELDS
    assert job["processing_status"] == "pending"
    assert (job["nickname"], job["result_format"]) == ("first", "md")
    assert ISO_Z.match(job["created_at"])
    assert job["metadata"]["original_filename"] == "report.txt"
    assert job["metadata"]["document_type"] == "txt"
    assert job["processing_options"]["languages"] == ["en"]


def test_completed_job_records_timing_cost_and_metadata(api: httpx.Client) -> None:
    job_id = create_job(api, "a.txt", "Grüße\n".encode())
    assert wait_for(api, job_id) == {
        "processing_status": "completed",
        "progress": 100,
        "message": "done",
    }
    job = api.get(f"/v1/jobs/parse-jobs/{job_id}/").json()["parse_job"]
    assert job["processing_time_seconds"] >= 0
    assert job["credits_cost"] == 1
    assert job["metadata"]["page_count"] == 1
    assert job["metadata"]["encoding"] == "utf-8"
    assert ISO_Z.match(job["finished_processing_at"])


@pytest.mark.parametrize(
    ("output_format", "content_type"),
    [
        ("txt", "text/plain; charset=utf-8"),
        ("md", "text/markdown; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        ("json", "application/json"),
    ],
)
def test_result_is_the_raw_bytes_as_an_attachment(
    api: httpx.Client, output_format: str, content_type: str
) -> None:
    job_id = create_job(api, "My Report.txt", b"line one\nline two\n")
    wait_for(api, job_id)
    answer = api.get(
        f"/v1/jobs/parse-jobs/{job_id}/result/", params={"output_format": output_format}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == content_type
    assert (
        answer.headers["content-disposition"] == f'attachment; filename="My Report.{output_format}"'
    )
    assert "line two" in answer.text


def test_result_defaults_to_the_format_named_at_creation(api: httpx.Client) -> None:
    job_id = create_job(api, output_format="json")
    wait_for(api, job_id)
    answer = api.get(f"/v1/jobs/parse-jobs/{job_id}/result/")
    assert answer.headers["content-type"] == "application/json"
    assert json.loads(answer.content)["pages"][0]["text"].startswith("hello")


def test_zip_without_tables_is_a_400_with_the_engine_message(api: httpx.Client) -> None:
    job_id = create_job(api)
    wait_for(api, job_id)
    answer = api.get(f"/v1/jobs/parse-jobs/{job_id}/result/", params={"output_format": "zip"})
    assert answer.status_code == 400
    assert "table" in answer.json()["detail"]


def test_unknown_output_format_of_a_result_is_a_400(api: httpx.Client) -> None:
    job_id = create_job(api)
    answer = api.get(f"/v1/jobs/parse-jobs/{job_id}/result/", params={"output_format": "pdf"})
    assert answer.status_code == 400
    assert "output_format" in answer.json()["detail"]


def test_result_of_an_unfinished_job_says_not_ready(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory(processing_delay=30))
    job_id = create_job(client)
    answer = client.get(f"/v1/jobs/parse-jobs/{job_id}/result/")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert "content-disposition" not in answer.headers
    assert answer.json()["ready"] is False
    assert answer.json()["processing_status"] in ("pending", "processing")


def test_list_is_newest_first_with_a_count(api: httpx.Client) -> None:
    first, second = create_job(api), create_job(api)
    answer = api.get("/v1/jobs/parse-jobs/").json()
    ids = [job["id"] for job in answer["parse_jobs"]]
    assert ids.index(second) < ids.index(first)
    assert answer["count"] == len(ids)
    assert isinstance(answer["detail"], str)


def test_paths_without_trailing_slash_are_answered_directly(api: httpx.Client) -> None:
    job_id = create_job(api)
    for path in (
        "/v1/jobs/parse-jobs",
        f"/v1/jobs/parse-jobs/{job_id}",
        f"/v1/jobs/{job_id}/status",
    ):
        assert api.get(path).status_code == 200
    assert upload_without_slash(api).status_code == 201


def upload_without_slash(client: httpx.Client) -> httpx.Response:
    return client.post("/v1/jobs/parse-jobs", files={"file": ("x.txt", b"x")})


@pytest.mark.parametrize(
    "path",
    ["/v1/jobs/parse-jobs/nope/", "/v1/jobs/parse-jobs/nope/result/", "/v1/jobs/nope/status/"],
)
def test_unknown_job_is_a_404_with_detail(api: httpx.Client, path: str) -> None:
    answer = api.get(path)
    assert answer.status_code == 404
    assert "nope" in answer.json()["detail"]


def test_another_owners_job_is_a_404(byteit_server_factory, connect) -> None:
    server = byteit_server_factory(api_keys=("alice.key", "bob.key"))
    alice, bob = connect(server, "alice.key"), connect(server, "bob.key")
    job_id = create_job(alice)
    assert bob.get(f"/v1/jobs/parse-jobs/{job_id}/").status_code == 404
    assert bob.get(f"/v1/jobs/{job_id}/status/").status_code == 404
    assert bob.get("/v1/jobs/parse-jobs/").json()["count"] == 0


def test_several_files_answer_parse_jobs_and_failed_files(api: httpx.Client) -> None:
    files = [
        ("files", ("a.txt", b"alpha")),
        ("files", ("b.exe", b"binary")),
        ("files", ("c.md", b"# gamma")),
        ("files", ("d.txt", b"")),
    ]
    answer = api.post("/v1/jobs/parse-jobs/", files=files)
    assert answer.status_code == 201
    body = answer.json()
    assert [job["metadata"]["original_filename"] for job in body["parse_jobs"]] == ["a.txt", "c.md"]
    assert [failure["file_name"] for failure in body["failed_files"]] == ["b.exe", "d.txt"]
    assert "'.exe'" in body["failed_files"][0]["error"]
    assert "empty" in body["failed_files"][1]["error"]


@pytest.mark.parametrize(("name", "kind"), [("notes.text", "txt"), ("page.HTM", "html")])
def test_an_alias_is_accepted_as_the_type_it_names(api: httpx.Client, name: str, kind: str) -> None:
    answer = upload(api, name, b"hello")
    assert answer.status_code == 201
    assert answer.json()["parse_job"]["metadata"]["document_type"] == kind


def test_unsupported_type_names_the_type_and_the_accepted_ones(api: httpx.Client) -> None:
    answer = upload(api, "setup.exe", b"MZ")
    assert answer.status_code == 400
    detail = answer.json()["detail"]
    assert "'.exe'" in detail
    assert "pdf, docx" in detail


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"processing_options": "{not json"}, "not valid JSON"),
        ({"processing_options": "[1]"}, "JSON object"),
        ({"processing_options": '{"languages": "x", "page_range": 5}'}, "page_range"),
        ({"processing_options": '{"table_enrichment": "yes"}'}, "table_enrichment"),
        ({"processing_options": '{"parse_type": "magic"}'}, "parse_type"),
        ({"processing_options": '{"page_range": "3-1"}'}, "page_range"),
        ({"processing_options": '{"page_range": "one"}'}, "page_range"),
        ({"output_format": "pdf"}, "output_format"),
        ({"input_connector": "ftp"}, "input_connector"),
        ({"input_connector": "s3"}, "S3"),
        ({"output_connector": "s3"}, "S3"),
        ({"queue_for_batch": "maybe"}, "queue_for_batch"),
    ],
)
def test_bad_form_fields_are_a_400_naming_them(
    api: httpx.Client, data: dict[str, str], expected: str
) -> None:
    answer = upload(api, **data)
    assert answer.status_code == 400
    assert expected in answer.json()["detail"]


def test_unknown_processing_options_are_ignored(api: httpx.Client) -> None:
    options = '{"languages": ["de"], "page_range": "1,3-4", "shiny": true}'
    job = upload(api, processing_options=options, queue_for_batch="true").json()["parse_job"]
    assert job["processing_options"]["languages"] == ["de"]
    assert job["processing_options"]["page_range"] == "1,3-4"
    assert "shiny" not in job["processing_options"]


def test_a_request_without_a_file_is_a_400(api: httpx.Client) -> None:
    answer = api.post(
        "/v1/jobs/parse-jobs/", data={"nickname": "x"}, files={"other": ("a.txt", b"a")}
    )
    assert answer.status_code == 400
    assert "'file'" in answer.json()["detail"]


def test_a_body_that_is_not_multipart_is_a_400(api: httpx.Client) -> None:
    answer = api.post("/v1/jobs/parse-jobs/", json={"file": "a.txt"})
    assert answer.status_code == 400
    assert "multipart" in answer.json()["detail"]


def test_status_reports_progress_while_processing(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory(processing_delay=30))
    job_id = create_job(client)
    status = wait_for(client, job_id, ("processing",))
    assert status == {
        "processing_status": "processing",
        "progress": 10,
        "message": "extracting text",
    }


def test_the_spec_is_served(api: httpx.Client) -> None:
    answer = api.get("/openapi.yaml")
    assert answer.status_code == 200
    assert answer.text.startswith("openapi: 3.1")
