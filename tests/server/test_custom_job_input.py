"""Custom jobs: bad input is a 400 (or 413) naming what is wrong, and creates nothing."""

from __future__ import annotations

import httpx
import pytest

from byteit_server.custom_routes import MAX_PROMPT_CHARACTERS

from .test_custom_jobs import ORDER, TWO_DOCUMENTS, Files, create


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        ({"schema": "{not json"}, "schema is not valid JSON"),
        ({"schema": "[1, 2]"}, "schema must be a JSON object"),
        ({"schema": '{"type": "array"}'}, "schema must describe a JSON object"),
        ({"user_prompt": "x" * (MAX_PROMPT_CHARACTERS + 1)}, "user_prompt has 10001 characters"),
        ({"nickname": "n" * 256}, "nickname has 256 characters"),
    ],
)
def test_bad_fields_are_refused(api: httpx.Client, data: dict[str, str], detail: str) -> None:
    answer = create(api, **data)
    assert answer.status_code == 400
    assert detail in answer.json()["detail"]


@pytest.mark.parametrize(
    ("files", "detail"),
    [
        ([("file", ("order.txt", ORDER))], "add one or more 'files' parts"),
        ([("files", ("order.txt", ORDER)), ("files", ("tool.exe", b"MZ"))], "'tool.exe'"),
        ([("files", ("empty.txt", b""))], "'empty.txt' is empty"),
    ],
)
def test_bad_documents_are_refused(api: httpx.Client, files: Files, detail: str) -> None:
    answer = create(api, files=files)
    assert answer.status_code == 400
    assert detail in answer.json()["detail"]


def test_a_body_that_is_not_multipart_is_refused(api: httpx.Client) -> None:
    answer = api.post("/v1/jobs/custom-jobs/", json={"files": []})
    assert answer.status_code == 400
    assert "multipart/form-data" in answer.json()["detail"]


def test_too_many_documents_is_a_413(byteit_server_factory, connect) -> None:
    client = connect(byteit_server_factory(max_files_per_request=1))
    answer = create(client, files=TWO_DOCUMENTS)
    assert answer.status_code == 413
    assert client.get("/v1/jobs/custom-jobs/").json()["count"] == 0


def test_an_empty_schema_field_means_no_schema(api: httpx.Client) -> None:
    answer = create(api, schema=" ")
    assert answer.json()["custom_job"]["extraction_schema"] is None
