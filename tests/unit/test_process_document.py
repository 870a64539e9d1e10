"""process_document: create, wait and fetch in one call, for one document or a list."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from byteit import (
    BatchError,
    ByteITClient,
    JobProcessingError,
    JobStatus,
    LocalFileOutputConnector,
    OutputConnector,
    ValidationError,
)
from byteit.connectors import ResultSink
from byteit.models import Job

from .conftest import (
    CREATE_PATH,
    FakeClock,
    FakeServer,
    job_json,
    json_reply,
    result_reply,
    serve_documents,
)


class DeliveredByService(OutputConnector):
    """An output the service writes itself (as server-side S3 does)."""

    def delivered_by_service(self, job: Job, output_format: str) -> str | None:
        return f"delivered:{job.id}"

    def sink(self, job: Job, output_format: str) -> ResultSink | None:
        return None


@pytest.fixture
def docs(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = [folder / "a.pdf", folder / "b.docx", folder / "c.txt"]
    for path in paths:
        path.write_bytes(b"content of " + path.name.encode())
    return paths


RESULTS = {"a.pdf": b"text of a", "b.docx": b"text of b", "c.txt": b"text of c"}


def test_single_document_returns_the_result_bytes(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_documents(server, RESULTS)
    assert client.process_document(docs[0]) == b"text of a"
    assert server.requests[0].method == "POST"


def test_single_document_passes_the_output_format_to_the_download(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_documents(server, RESULTS)
    client.process_document(docs[0], processing_options={"output_format": "html"})
    assert server.sent("GET", r".*/result/")[0].url.params["output_format"] == "html"


def test_single_document_to_an_output_path(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    serve_documents(server, RESULTS)
    target = tmp_path / "out" / "a.txt"
    assert client.process_document(docs[0], output_path=target) == str(target)
    assert target.read_bytes() == b"text of a"


def test_list_returns_results_in_input_order(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_documents(server, RESULTS)
    assert client.process_document(docs) == [b"text of a", b"text of b", b"text of c"]


def test_list_with_output_paths_writes_each_in_order(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    serve_documents(server, RESULTS)
    targets = [tmp_path / "x.txt", tmp_path / "y.txt", tmp_path / "z.txt"]
    assert client.process_document(docs, output_path=targets) == [str(t) for t in targets]
    assert [t.read_bytes() for t in targets] == [b"text of a", b"text of b", b"text of c"]


def test_list_with_some_output_paths_missing_returns_bytes_for_those(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    serve_documents(server, RESULTS)
    target = tmp_path / "b.txt"
    assert client.process_document(docs, output_path=[None, target, None]) == [
        b"text of a",
        str(target),
        b"text of c",
    ]


def test_list_with_the_wrong_number_of_output_paths_sends_nothing(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="3 paths"):
        client.process_document(docs, output_path=[tmp_path / "one.txt"])
    assert server.requests == []


def test_local_file_output_connector_writes_the_file_and_returns_its_path(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    serve_documents(server, RESULTS)
    target = tmp_path / "result.txt"
    written = client.process_document(docs[0], output_connector=LocalFileOutputConnector(target))
    assert written == str(target)
    assert target.read_bytes() == b"text of a"


def test_local_file_output_connector_to_a_folder_names_files_after_the_documents(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    serve_documents(server, RESULTS)
    folder = tmp_path / "out"
    folder.mkdir()
    written = client.process_document(
        docs, LocalFileOutputConnector(folder), processing_options={"output_format": "md"}
    )
    assert written == [str(folder / name) for name in ("a.pdf.md", "b.docx.md", "c.txt.md")]
    assert [Path(p).read_bytes() for p in written] == [b"text of a", b"text of b", b"text of c"]  # type: ignore[arg-type]


def test_output_folder_keeps_results_of_documents_sharing_a_stem(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    """report.pdf and report.docx must not overwrite each other's result."""
    pdf, docx = tmp_path / "report.pdf", tmp_path / "report.docx"
    pdf.write_bytes(b"pdf")
    docx.write_bytes(b"docx")
    serve_documents(server, {"report.pdf": b"from pdf", "report.docx": b"from docx"})
    folder = tmp_path / "out"
    folder.mkdir()
    written = client.process_document([pdf, docx], LocalFileOutputConnector(folder))
    assert len(set(written)) == 2  # type: ignore[arg-type]
    assert sorted(Path(p).read_bytes() for p in written) == [b"from docx", b"from pdf"]  # type: ignore[arg-type]


def test_output_path_with_a_writing_output_connector_is_refused(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="output_path"):
        client.process_document(
            docs[0],
            output_connector=LocalFileOutputConnector(tmp_path / "a.txt"),
            output_path=tmp_path / "b.txt",
        )
    assert server.requests == []


def test_output_path_with_a_non_storage_output_connector_is_refused(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    class Elsewhere(OutputConnector):
        def sink(self, job: Job, output_format: str) -> ResultSink | None:
            return None

    with pytest.raises(ValidationError):
        client.process_document(docs[0], Elsewhere(), output_path=tmp_path / "b.txt")
    assert server.requests == []


def test_missing_document_in_a_list_sends_nothing(
    client: ByteITClient, server: FakeServer, docs: list[Path], tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match=r"nope\.pdf"):
        client.process_document([*docs, tmp_path / "nope.pdf"])
    assert server.requests == []


def test_on_progress_is_called_for_each_document(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_documents(server, RESULTS)
    seen: list[JobStatus] = []
    client.process_document(docs, on_progress=seen.append, max_workers=1)
    assert [s.job_id for s in seen] == ["job-a.pdf", "job-b.docx", "job-c.txt"]


@pytest.mark.parametrize(
    "result",
    [
        httpx.Response(400, json={"detail": "job failed: encrypted PDF"}),
        json_reply({"ready": False, "processing_status": "failed"}),
    ],
    ids=["result refused", "not ready: failed"],
)
def test_failed_job_raises_job_processing_error(
    client: ByteITClient, server: FakeServer, docs: list[Path], result: httpx.Response
) -> None:
    server.add("POST", CREATE_PATH, json_reply({"parse_job": job_json("job-1", "pending")}))
    server.add("GET", r"/v1/jobs/parse-jobs/job-1/result/", result)
    server.add(
        "GET",
        r"/v1/jobs/parse-jobs/job-1/",
        json_reply({"parse_job": job_json("job-1", "failed", processing_error="encrypted PDF")}),
    )
    with pytest.raises(JobProcessingError, match="encrypted PDF"):
        client.process_document(docs[0])


def test_a_fresh_job_is_polled_by_its_result_first_after_a_short_wait(
    client: ByteITClient, server: FakeServer, clock: FakeClock, docs: list[Path]
) -> None:
    """No poll at once, no status call, no GET of the job: the poll that finds the job
    done brings its result."""
    serve_documents(server, RESULTS)
    not_ready = json_reply({"ready": False, "processing_status": "processing"})
    result = result_reply(b"text of a", filename="a.txt")
    server.add("GET", r".*/result/", not_ready, not_ready, result, first=True)
    seen: list[JobStatus] = []
    assert client.process_document(docs[0], on_progress=seen.append) == b"text of a"
    assert clock.sleeps == pytest.approx([0.1, 0.05, 0.055])
    assert [r.method for r in server.requests] == ["POST", "GET", "GET", "GET"]
    assert not server.sent("GET", r".*/status/")
    assert [s.processing_status for s in seen] == ["processing", "processing", "completed"]


def test_a_job_done_in_its_creation_answer_is_fetched_at_once(
    client: ByteITClient, server: FakeServer, clock: FakeClock, docs: list[Path]
) -> None:
    serve_documents(server, RESULTS)
    done = job_json("job-a.pdf", "completed", metadata={"original_filename": "a.pdf"})
    server.add("POST", CREATE_PATH, json_reply({"parse_job": done}, status=201), first=True)
    assert client.process_document(docs[0]) == b"text of a"
    assert clock.sleeps == []
    assert len(server.requests) == 2


def test_a_result_the_service_delivers_is_waited_for_on_the_status_alone(
    client: ByteITClient, server: FakeServer, clock: FakeClock, docs: list[Path]
) -> None:
    serve_documents(server, RESULTS)
    processing = json_reply({"processing_status": "processing"})
    done = json_reply({"processing_status": "completed"})
    server.add("GET", r"/v1/jobs/[^/]+/status/", processing, done, first=True)
    output = DeliveredByService()
    assert client.process_document(docs[0], output) == "delivered:job-a.pdf"
    assert clock.sleeps == pytest.approx([0.1, 0.05])
    assert [r.method for r in server.requests] == ["POST", "GET", "GET"]
    assert not server.sent("GET", r"/v1/jobs/parse-jobs/[^/]+/")


def test_list_with_one_failed_document_raises_batch_error_in_order(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_documents(server, RESULTS)

    def result(request: httpx.Request) -> httpx.Response:
        if "b.docx" in request.url.path:
            return httpx.Response(400, json={"detail": "cannot convert b"})
        name = request.url.path.split("/")[-3].removeprefix("job-")
        return httpx.Response(200, content=RESULTS[name])

    server.add("GET", r"/v1/jobs/parse-jobs/[^/]+/result/", result, first=True)
    with pytest.raises(BatchError) as caught:
        client.process_document(docs)
    results = caught.value.results
    assert [r.ok for r in results] == [True, False, True]
    assert [r.value for r in results] == [b"text of a", None, b"text of c"]
    assert isinstance(results[1].error, ValidationError)
    assert [f.index for f in caught.value.failures] == [1]


def test_batch_error_keeps_each_document_as_given(
    client: ByteITClient, server: FakeServer, docs: list[Path]
) -> None:
    serve_documents(server, RESULTS)
    server.add(
        "GET",
        r"/v1/jobs/job-b.docx/status/",
        json_reply({"processing_status": "failed"}),
        first=True,
    )
    server.add(
        "GET",
        r"/v1/jobs/parse-jobs/job-b.docx/",
        json_reply({"parse_job": job_json("job-b.docx", "failed", processing_error="bad")}),
        first=True,
    )
    with pytest.raises(BatchError) as caught:
        client.process_document(docs)
    assert [r.input for r in caught.value.results] == docs
    assert isinstance(caught.value.failures[0].error, JobProcessingError)
