"""Input and output connectors: types, checks before any request, streaming uploads."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from byteit import (
    ByteITClient,
    ByteITStorageOutputConnector,
    BytesInputConnector,
    LocalFileInputConnector,
    LocalFileOutputConnector,
    ValidationError,
)
from byteit.models import Job, JobMetadata

from .conftest import (
    API_KEY,
    BASE_URL,
    CREATE_PATH,
    PIPE_DATA,
    FakeServer,
    job_json,
    json_reply,
    multipart,
    serve_documents,
)

CREATED = json_reply({"parse_job": job_json("job-1", "pending")}, status=201)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.pdf", "pdf"),
        ("a.PDF", "pdf"),
        ("a.docx", "docx"),
        ("a.jpeg", "jpeg"),
        ("a.jpg", "jpg"),
        ("a.htm", "html"),
        ("a.tif", "tiff"),
        ("a.xlsx", "xlsx"),
        ("a.md", "md"),
    ],
)
def test_local_file_type_comes_from_the_extension(name: str, kind: str) -> None:
    assert LocalFileInputConnector(name).document_type == kind


def test_file_type_overrides_the_extension() -> None:
    assert LocalFileInputConnector("scan.bin", file_type="png").document_type == "png"
    assert LocalFileInputConnector("scan", file_type=".PDF").document_type == "pdf"


@pytest.mark.parametrize("name", ["setup.exe", "archive.zip", "noextension"])
def test_unsupported_type_is_refused_naming_it(name: str) -> None:
    with pytest.raises(ValidationError, match="unsupported document type"):
        LocalFileInputConnector(name)


def test_unsupported_file_type_override_is_refused() -> None:
    with pytest.raises(ValidationError, match="'exe'"):
        LocalFileInputConnector("a.pdf", file_type="exe")


def test_unsupported_type_through_the_client_sends_nothing(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ")
    with pytest.raises(ValidationError, match=r"setup\.exe"):
        client.create_job(program)
    assert server.requests == []


def test_missing_file_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="no such file"):
        client.create_job(tmp_path / "missing.pdf")
    assert server.requests == []


def test_directory_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    with pytest.raises(ValidationError, match="not a regular file"):
        client.create_job(LocalFileInputConnector(folder))
    assert server.requests == []


def test_empty_file_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.touch()
    with pytest.raises(ValidationError, match="empty"):
        client.create_job(empty)
    assert server.requests == []


def test_path_string_is_accepted_as_a_local_file(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, CREATED)
    client.create_job(str(pdf_file))
    assert multipart(server.requests[0])["file"].filename == "report.pdf"


def test_input_that_is_neither_connector_nor_path_is_refused(
    client: ByteITClient, server: FakeServer
) -> None:
    with pytest.raises(ValidationError, match="input_connector"):
        client.create_job(b"raw bytes")  # type: ignore[arg-type]
    assert server.requests == []


def test_file_type_override_sets_the_part_content_type(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.bin"
    scan.write_bytes(b"\x89PNG....")
    server.add("POST", CREATE_PATH, CREATED)
    client.create_job(LocalFileInputConnector(scan, file_type="png"))
    part = multipart(server.requests[0])["file"]
    assert (part.filename, part.content_type) == ("scan.bin", "image/png")


# --- bytes and file objects -------------------------------------------------------------


def test_bytes_input_uploads_the_bytes_under_its_filename(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("POST", CREATE_PATH, CREATED)
    client.create_job(BytesInputConnector(b"%PDF-1.7 body", filename="invoice.pdf"))
    part = multipart(server.requests[0])["file"]
    assert (part.filename, part.content_type, part.data) == (
        "invoice.pdf",
        "application/pdf",
        b"%PDF-1.7 body",
    )


def test_bytes_input_type_comes_from_filename_or_file_type() -> None:
    assert BytesInputConnector(b"x", filename="a.docx").document_type == "docx"
    assert BytesInputConnector(b"x", filename="upload", file_type="txt").document_type == "txt"


def test_bytes_input_with_unsupported_name_is_refused() -> None:
    with pytest.raises(ValidationError, match="unsupported"):
        BytesInputConnector(b"x", filename="tool.exe")


def test_empty_bytes_are_refused_before_any_request(
    client: ByteITClient, server: FakeServer
) -> None:
    with pytest.raises(ValidationError, match="empty"):
        client.create_job(BytesInputConnector(b"", filename="a.txt"))
    assert server.requests == []


def test_non_bytes_data_is_refused() -> None:
    with pytest.raises(ValidationError, match="bytes"):
        BytesInputConnector("text, not bytes", filename="a.txt")  # type: ignore[arg-type]


def test_closed_file_object_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer
) -> None:
    stream = io.BytesIO(b"data")
    stream.close()
    with pytest.raises(ValidationError, match="closed"):
        client.create_job(BytesInputConnector(stream, filename="a.txt"))
    assert server.requests == []


def test_file_object_is_uploaded_whole(client: ByteITClient, server: FakeServer) -> None:
    server.add("POST", CREATE_PATH, CREATED)
    client.create_job(BytesInputConnector(io.BytesIO(b"all of it"), filename="a.txt"))
    assert multipart(server.requests[0])["file"].data == b"all of it"


def test_file_object_is_read_from_its_current_position(
    client: ByteITClient, server: FakeServer
) -> None:
    stream = io.BytesIO(b"HEADER|the document")
    stream.seek(7)
    server.add("POST", CREATE_PATH, CREATED)
    client.create_job(BytesInputConnector(stream, filename="a.txt"))
    assert multipart(server.requests[0])["file"].data == b"the document"


def test_pipe_is_uploaded_whole(
    client: ByteITClient, server: FakeServer, pipe_stream: io.BufferedReader
) -> None:
    server.add("POST", CREATE_PATH, CREATED)
    client.create_job(BytesInputConnector(pipe_stream, filename="piped.txt"))
    assert multipart(server.requests[0])["file"].data == PIPE_DATA


def test_pipe_upload_never_declares_a_wrong_content_length(
    client: ByteITClient, server: FakeServer, pipe_stream: io.BufferedReader
) -> None:
    """A pipe's size is unknown: a real HTTP connection would refuse a body longer than declared."""
    server.add("POST", CREATE_PATH, CREATED)
    client.create_job(BytesInputConnector(pipe_stream, filename="piped.txt"))
    request = server.requests[0]
    declared = request.headers.get("Content-Length")
    assert declared is None or int(declared) == len(request.content)


def test_file_upload_declares_its_true_content_length(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, CREATED)
    client.create_job(pdf_file)
    request = server.requests[0]
    assert int(request.headers["Content-Length"]) == len(request.content)


# --- streaming from disk ------------------------------------------------------------------


class DrainingTransport(httpx.BaseTransport):
    """Reads each request body chunk by chunk, keeping only its size, as a socket would."""

    def __init__(self) -> None:
        self.body_size = 0
        self.largest_chunk = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for chunk in request.stream:  # type: ignore[union-attr]
            self.body_size += len(chunk)
            self.largest_chunk = max(self.largest_chunk, len(chunk))
        return httpx.Response(201, json={"parse_job": job_json("job-big", "pending")})


def test_upload_streams_from_disk_without_loading_the_file(tmp_path: Path) -> None:
    size = 50 * 1024 * 1024
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(size)
    transport = DrainingTransport()
    with (
        httpx.Client(transport=transport) as http,
        ByteITClient(API_KEY, base_url=BASE_URL, http_client=http) as client,
    ):
        tracemalloc.start()
        try:
            job = client.create_job(big)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert job.id == "job-big"  # type: ignore[union-attr]
    assert transport.body_size > size
    assert transport.largest_chunk <= 1024 * 1024
    assert peak < 5 * 1024 * 1024


# --- output connectors ---------------------------------------------------------------------


def job_named(original: str | None, job_id: str = "job-7") -> Job:
    return Job(
        id=job_id,
        processing_status="completed",
        metadata=JobMetadata(original_filename=original) if original else None,
    )


def test_storage_output_connector_keeps_results_with_byteit() -> None:
    connector = ByteITStorageOutputConnector()
    assert connector.sink(job_named("a.pdf"), "txt") is None
    assert connector.wire_fields() == ("localfile", '{"type":"localfile"}')


def test_local_output_to_a_file_writes_that_file(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    sink = LocalFileOutputConnector(target).sink(job_named("a.pdf"), "md")
    with sink.open() as handle:
        handle.write(b"# done")
    assert sink.location == target
    assert target.read_bytes() == b"# done"


def test_local_output_to_a_folder_names_the_file_after_the_document(tmp_path: Path) -> None:
    sink = LocalFileOutputConnector(tmp_path).sink(job_named("Quarterly Report.pdf"), "md")
    assert sink.location == tmp_path / "Quarterly Report.pdf.md"


def test_local_output_to_a_new_folder_given_with_a_slash(tmp_path: Path) -> None:
    connector = LocalFileOutputConnector(f"{tmp_path}/new/")
    sink = connector.sink(job_named("a.pdf"), "txt")
    with sink.open() as handle:
        handle.write(b"x")
    assert (tmp_path / "new" / "a.pdf.txt").read_bytes() == b"x"


def test_local_output_without_a_document_name_uses_the_job_id(tmp_path: Path) -> None:
    assert LocalFileOutputConnector(tmp_path).sink(job_named(None), "html").location == (
        tmp_path / "job-7.html"
    )


def test_local_output_under_a_file_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    with pytest.raises(ValidationError, match="not a folder"):
        client.process_document(pdf_file, LocalFileOutputConnector(pdf_file / "out.txt"))
    assert server.requests == []


def test_local_output_sink_leaves_no_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    sink = LocalFileOutputConnector(target).sink(job_named("a.pdf"), "txt")

    def write_half_then_break() -> None:
        with sink.open() as handle:
            handle.write(b"half")
            raise RuntimeError("download broke")

    with pytest.raises(RuntimeError):
        write_half_then_break()
    assert list(tmp_path.iterdir()) == []


def test_output_connectors_are_usable_through_process_document(
    make_client: Callable[..., ByteITClient], server: FakeServer, pdf_file: Path, tmp_path: Path
) -> None:
    serve_documents(server, {"report.pdf": b"text"})
    client = make_client()
    assert client.process_document(pdf_file, ByteITStorageOutputConnector()) == b"text"
    target = tmp_path / "r.txt"
    assert client.process_document(pdf_file, LocalFileOutputConnector(target)) == str(target)
