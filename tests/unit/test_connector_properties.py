"""The local connector's documented properties, and how a `file_type` override travels:
as the upload part's Content-Type, under the file's own name."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from byteit import ByteITClient, LocalFileInputConnector, ValidationError
from byteit._contract import DOCUMENT_TYPES, TYPE_ALIASES, upload_type

from .conftest import CREATE_PATH, FakeServer, job_json, json_reply, multipart, uploaded_files

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "byteit.yaml"
CREATED = json_reply({"parse_job": job_json("job-1", "pending")}, status=201)


# --- LocalFileInputConnector properties ------------------------------------------------


def test_file_path_is_the_path_as_a_str(tmp_path: Path) -> None:
    connector = LocalFileInputConnector(tmp_path / "a.pdf")
    assert connector.file_path == str(tmp_path / "a.pdf")
    assert isinstance(connector.file_path, str)


def test_file_type_is_none_when_the_extension_decides() -> None:
    connector = LocalFileInputConnector("report.pdf")
    assert connector.file_type is None
    assert connector.document_type == "pdf"


@pytest.mark.parametrize(
    ("given", "shown"), [("pdf", "pdf"), (".PDF", "pdf"), (" htm ", "html"), ("TIF", "tiff")]
)
def test_file_type_is_the_override_as_the_service_names_it(given: str, shown: str) -> None:
    connector = LocalFileInputConnector("document.xyz", file_type=given)
    assert (connector.file_type, connector.document_type) == (shown, shown)


def test_file_type_is_the_override_even_when_the_extension_says_the_same() -> None:
    assert LocalFileInputConnector("a.pdf", file_type="pdf").file_type == "pdf"


@pytest.mark.parametrize("name", ["file_path", "file_type"])
def test_the_properties_are_read_only(name: str) -> None:
    connector = LocalFileInputConnector("a.pdf")
    with pytest.raises(AttributeError):
        setattr(connector, name, "b.pdf")


def test_a_file_type_that_is_not_a_string_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError, match=r"file_type must be a type such as 'pdf', not int 7"):
        LocalFileInputConnector("a.pdf", file_type=7)  # type: ignore[arg-type]


def test_a_file_path_that_is_not_a_path_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError, match=r"file_path must be a path .* not int 42"):
        LocalFileInputConnector(42)  # type: ignore[arg-type]


def test_a_local_connector_pickles_with_its_override(tmp_path: Path) -> None:
    restored = pickle.loads(pickle.dumps(LocalFileInputConnector(tmp_path / "scan", "txt")))
    assert (restored.file_path, restored.file_type) == (str(tmp_path / "scan"), "txt")


# --- the part an override sends ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "file_type", "content_type"),
    [("document.xyz", "pdf", "application/pdf"), ("scan", "txt", "text/plain")],
)
def test_an_override_is_sent_as_the_content_type_under_the_files_own_name(
    client: ByteITClient,
    server: FakeServer,
    tmp_path: Path,
    name: str,
    file_type: str,
    content_type: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(b"document bytes")
    server.add("POST", CREATE_PATH, CREATED)
    client.create_job(LocalFileInputConnector(path, file_type=file_type))
    part = multipart(server.requests[0])["file"]
    assert (part.filename, part.content_type, part.data) == (name, content_type, b"document bytes")


def test_overrides_travel_per_file_in_a_several_file_request(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    (tmp_path / "a.xyz").write_bytes(b"a")
    (tmp_path / "b").write_bytes(b"b")

    def created(request: httpx.Request) -> httpx.Response:
        jobs = [
            job_json(f"job-{n}", "pending", metadata={"original_filename": part.filename})
            for n, part in enumerate(uploaded_files(request))
        ]
        return httpx.Response(201, json={"parse_jobs": jobs, "failed_files": []})

    server.add("POST", CREATE_PATH, created)
    client.create_job(
        [
            LocalFileInputConnector(tmp_path / "a.xyz", file_type="docx"),
            LocalFileInputConnector(tmp_path / "b", file_type="png"),
        ]
    )
    sent = {(p.filename, p.content_type) for r in server.requests for p in uploaded_files(r)}
    assert sent == {("a.xyz", DOCUMENT_TYPES["docx"]), ("b", "image/png")}


@pytest.mark.parametrize("file_type", sorted({*DOCUMENT_TYPES, *TYPE_ALIASES}))
@pytest.mark.parametrize("name", ["document.xyz", "scan", "report.pdf"])
def test_the_contract_reads_every_override_back_from_the_part_it_sends(
    tmp_path: Path, name: str, file_type: str
) -> None:
    """What the client sends for any override, the server's rule types as that override."""
    path = tmp_path / name
    path.write_bytes(b"x")
    connector = LocalFileInputConnector(path, file_type=file_type)
    with connector.open_upload() as upload:
        assert upload is not None
        typed = upload_type(upload.filename, upload.content_type)
    assert upload.filename == name
    assert typed is not None
    assert DOCUMENT_TYPES[typed] == DOCUMENT_TYPES[connector.document_type]


# --- the contract's rule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content_type", "expected"),
    [
        ("document.xyz", "application/pdf", "pdf"),
        ("scan", "text/plain", "txt"),
        ("notes.md", "TEXT/PLAIN; charset=utf-8", "txt"),
        ("report.pdf", "application/octet-stream", "pdf"),
        ("report.pdf", None, "pdf"),
        ("page.htm", "", "html"),
        ("photo.jpg", "image/jpeg", "jpg"),
        ("photo.jpeg", "image/jpeg", "jpeg"),
        ("photo", "image/jpeg", "jpeg"),
        ("a\\b\\scan.TIF", None, "tiff"),
        ("setup.exe", "application/octet-stream", None),
        ("scan", None, None),
        ("scan", "application/zip", None),
    ],
)
def test_an_upload_is_typed_by_a_known_content_type_else_by_its_extension(
    filename: str, content_type: str | None, expected: str | None
) -> None:
    assert upload_type(filename, content_type) == expected


def test_every_document_type_is_named_by_its_content_type() -> None:
    for kind, content_type in DOCUMENT_TYPES.items():
        typed = upload_type("document.xyz", content_type)
        assert typed is not None
        assert DOCUMENT_TYPES[typed] == DOCUMENT_TYPES[kind]


def test_the_spec_lists_every_content_type_that_names_a_type(spec_text: str) -> None:
    for content_type in set(DOCUMENT_TYPES.values()):
        assert f"`{content_type}`" in spec_text


@pytest.fixture
def spec_text() -> str:
    """The spec's description of the create form's ``file`` part."""
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    description: str = spec["components"]["schemas"]["CreateParseJobForm"]["properties"]["file"][
        "description"
    ]
    return description
