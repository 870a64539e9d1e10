"""How the server types an upload: by its part's Content-Type when that names a document
type, else by its filename's extension; the filename itself is kept as sent."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from byteit_server.samples import invoice_pdf

from .helpers import wait_for

CREATE = "/v1/jobs/parse-jobs/"


def post(api: httpx.Client, name: str, content: bytes, content_type: str | None) -> httpx.Response:
    part = (name, content) if content_type is None else (name, content, content_type)
    return api.post(CREATE, files={"file": part})


def metadata(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()["parse_job"]["metadata"]
    return found


def test_a_pdf_content_type_types_an_xyz_upload_as_pdf(api: httpx.Client) -> None:
    answer = post(api, "document.xyz", invoice_pdf(), "application/pdf")
    assert metadata(answer)["document_type"] == "pdf"
    assert metadata(answer)["original_filename"] == "document.xyz"

    job_id = answer.json()["parse_job"]["id"]
    assert wait_for(api, job_id)["processing_status"] == "completed"
    assert "Invoice number" in api.get(f"{CREATE}{job_id}/result/").text


@pytest.mark.parametrize(
    ("name", "content_type", "kind"),
    [
        ("scan", "text/plain", "txt"),
        ("notes.pdf", "text/plain; charset=utf-8", "txt"),
        ("notes.txt", "application/octet-stream", "txt"),
        ("page.htm", "text/html", "html"),
        ("photo.jpg", "image/jpeg", "jpg"),
    ],
)
def test_a_known_content_type_decides_and_any_other_leaves_it_to_the_name(
    api: httpx.Client, name: str, content_type: str, kind: str
) -> None:
    answer = post(api, name, b"hello", content_type)
    assert (metadata(answer)["document_type"], metadata(answer)["original_filename"]) == (
        kind,
        name,
    )


@pytest.mark.parametrize("content_type", ["application/octet-stream", "application/zip"])
def test_neither_a_known_content_type_nor_extension_is_a_400_naming_both(
    api: httpx.Client, content_type: str
) -> None:
    answer = post(api, "document.xyz", b"hello", content_type)
    assert answer.status_code == 400
    detail = answer.json()["detail"]
    assert "'.xyz'" in detail
    assert repr(content_type) in detail
    assert "Content-Type" in detail


def test_each_part_of_a_several_file_request_is_typed_by_its_own_content_type(
    api: httpx.Client,
) -> None:
    files = [
        ("files", ("a.xyz", invoice_pdf(), "application/pdf")),
        ("files", ("b", b"plain words", "text/plain")),
        ("files", ("c.xyz", b"?", "application/octet-stream")),
    ]
    answer = api.post(CREATE, files=files)
    assert answer.status_code == 201
    body = answer.json()
    typed = [
        (j["metadata"]["original_filename"], j["metadata"]["document_type"])
        for j in body["parse_jobs"]
    ]
    assert typed == [("a.xyz", "pdf"), ("b", "txt")]
    assert [failure["file_name"] for failure in body["failed_files"]] == ["c.xyz"]
