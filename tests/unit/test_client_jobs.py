"""ByteITClient's job calls: creating, reading, listing, status; the Job model; lifecycle."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

import byteit._clients._async_client
import byteit._clients._sync_client
from byteit import (
    AsyncByteITClient,
    BatchError,
    ByteITClient,
    ByteITStorageOutputConnector,
    Job,
    JobList,
    JobMetadata,
    JobStatus,
    OutputConnector,
    UnexpectedResponseError,
    ValidationError,
)
from byteit.connectors import ResultSink

from .conftest import (
    API_KEY,
    BASE_URL,
    CREATE_PATH,
    FakeClock,
    FakeServer,
    job_json,
    json_reply,
    multipart,
    serve_documents,
    uploaded_filename,
    uploaded_files,
)

JOB = r"/v1/jobs/parse-jobs/job-1/"


def created(job_id: str = "job-1", **fields: object) -> httpx.Response:
    return json_reply({"parse_job": job_json(job_id, "pending", **fields)}, status=201)


# --- create_job -----------------------------------------------------------------------------


def test_create_job_returns_the_created_job(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, created("job-9", nickname="q3"))
    job = client.create_job(pdf_file)
    assert isinstance(job, Job)
    assert (job.id, job.processing_status, job.nickname) == ("job-9", "pending", "q3")
    assert len(server.requests) == 1


def test_create_job_reads_the_job_when_the_server_answers_only_its_id(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, json_reply({"job_id": "job-1"}))
    server.add("GET", JOB, json_reply({"parse_job": job_json("job-1", "processing")}))
    job = client.create_job(pdf_file)
    assert isinstance(job, Job)
    assert (job.id, job.processing_status) == ("job-1", "processing")
    assert [r.method for r in server.requests] == ["POST", "GET"]


def test_create_job_answer_without_a_job_is_unexpected(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, json_reply({"detail": "ok"}))
    with pytest.raises(UnexpectedResponseError):
        client.create_job(pdf_file)


def test_create_job_sends_the_whole_form(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, created())
    client.create_job(
        pdf_file,
        processing_options={"languages": ["deu"], "output_format": "md", "page_range": "1-2"},
        nickname="quarterly",
    )
    request = server.requests[0]
    assert request.url.path == CREATE_PATH
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    form = multipart(request)
    assert form["file"].filename == "report.pdf"
    assert form["file"].data == pdf_file.read_bytes()
    assert form["file"].content_type == "application/pdf"
    assert json.loads(form["processing_options"].data) == {
        "languages": ["de"],
        "page_range": "1-2",
        "parse_type": "auto",
        "image_annotations": False,
        "force_image_annotations": False,
        "table_enrichment": False,
    }
    assert form["output_format"].data == b"md"
    assert form["input_connector"].data == b"localfile"
    assert form["output_connector"].data == b"localfile"
    assert json.loads(form["output_connection_data"].data) == {"type": "localfile"}
    assert form["nickname"].data == b"quarterly"
    assert "input_connection_data" not in form


def test_create_job_without_nickname_sends_none(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, created())
    client.create_job(pdf_file)
    assert "nickname" not in multipart(server.requests[0])


def test_zip_format_is_not_sent_at_creation(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    """Creation accepts txt/md/json/html only; zip is asked for at download time."""
    server.add("POST", CREATE_PATH, created())
    client.create_job(pdf_file, processing_options={"output_format": "zip"})
    assert "output_format" not in multipart(server.requests[0])


def test_create_job_sends_an_idempotency_key(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, created())
    client.create_job(pdf_file)
    client.create_job(pdf_file)
    keys = [r.headers.get("Idempotency-Key") for r in server.requests]
    assert all(keys)
    assert keys[0] != keys[1]


def test_every_request_carries_the_api_key(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    serve_documents(server, {"report.pdf": b"text"})
    server.add("GET", CREATE_PATH, json_reply({"parse_jobs": [], "count": 0}))
    client.process_document(pdf_file)
    client.list_jobs()
    client.get_job_status("job-report.pdf")
    assert len(server.requests) >= 4  # create, result, list, status
    assert {r.headers.get("X-API-Key") for r in server.requests} == {API_KEY}


def test_requests_go_to_the_base_url(
    make_client: Callable[..., ByteITClient], server: FakeServer
) -> None:
    server.add("GET", JOB, json_reply({"parse_job": job_json()}))
    make_client(base_url="http://localhost:8123/").get_job("job-1")
    assert str(server.requests[0].url) == "http://localhost:8123/v1/jobs/parse-jobs/job-1/"


def test_create_job_for_a_list_keeps_input_order_when_answers_come_out_of_order(
    client: ByteITClient, server: FakeServer, tmp_path: Path, flavour: str
) -> None:
    """A server without several-file creation: one request per document, sent
    concurrently; the first document's answer comes only after the second one's."""
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("one")
    second.write_text("two")
    refuse_several = httpx.Response(400, json={"detail": "send one 'file'"})

    if flavour == "sync":
        second_answered = threading.Event()

        def create(request: httpx.Request) -> httpx.Response:
            if "file" not in multipart(request):
                return refuse_several
            name = uploaded_filename(request)
            if name == "first.txt":
                assert second_answered.wait(timeout=5), "the documents were not sent concurrently"
            else:
                second_answered.set()
            return created(f"job-{name}")

        server.add("POST", CREATE_PATH, create)
    else:
        second_seen = asyncio.Event()

        async def acreate(request: httpx.Request) -> httpx.Response:
            if "file" not in multipart(request):
                return refuse_several
            name = uploaded_filename(request)
            if name == "first.txt":
                await asyncio.wait_for(second_seen.wait(), timeout=5)
            else:
                second_seen.set()
            return created(f"job-{name}")

        server.add("POST", CREATE_PATH, acreate)
    jobs = client.create_job([first, second])
    assert isinstance(jobs, list)
    assert [job.id for job in jobs] == ["job-first.txt", "job-second.txt"]
    assert len(server.sent("POST")) == 3  # the refused pair, then one each


def test_create_job_for_a_list_sends_documents_together_one_key_per_request(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = [tmp_path / f"doc{i}.txt" for i in range(4)]
    for path in paths:
        path.write_text(path.name)
    serve_documents(server, {})
    jobs = client.create_job(paths, max_workers=2)
    assert [job.id for job in jobs] == [f"job-doc{i}.txt" for i in range(4)]  # type: ignore[union-attr]
    posts = server.sent("POST")
    assert [[p.filename for p in uploaded_files(r)] for r in posts] == [
        ["doc0.txt", "doc1.txt"],
        ["doc2.txt", "doc3.txt"],
    ]
    assert all(p.name == "files" for r in posts for p in uploaded_files(r))
    assert len({r.headers["Idempotency-Key"] for r in posts}) == 2


def test_a_several_file_creation_retried_keeps_its_key(
    client: ByteITClient, server: FakeServer, tmp_path: Path, clock: FakeClock
) -> None:
    paths = [tmp_path / f"doc{i}.txt" for i in range(3)]
    for path in paths:
        path.write_text(path.name)
    serve_documents(server, {})
    answers = iter([httpx.Response(503)])
    server.add(
        "POST", CREATE_PATH, lambda r: next(answers, None) or _refusing("none")(r), first=True
    )
    jobs = client.create_job(paths)
    assert len(jobs) == 3  # type: ignore[arg-type]
    posts = server.sent("POST")
    assert len(posts) == 2
    assert posts[0].headers["Idempotency-Key"] == posts[1].headers["Idempotency-Key"]
    assert [p.data for p in uploaded_files(posts[1])] == [b"doc0.txt", b"doc1.txt", b"doc2.txt"]


def test_create_job_for_a_single_item_list_returns_a_list(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, created())
    jobs = client.create_job([pdf_file])
    assert isinstance(jobs, list)
    assert [job.id for job in jobs] == ["job-1"]


def test_empty_list_is_refused(client: ByteITClient, server: FakeServer) -> None:
    with pytest.raises(ValidationError, match="empty"):
        client.create_job([])
    assert server.requests == []


@pytest.mark.parametrize("workers", [0, -1])
def test_bad_max_workers_is_refused(
    client: ByteITClient, server: FakeServer, pdf_file: Path, workers: int
) -> None:
    with pytest.raises(ValidationError, match="max_workers"):
        client.create_job([pdf_file], max_workers=workers)
    assert server.requests == []


def test_non_string_nickname_is_refused(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    with pytest.raises(ValidationError, match="nickname"):
        client.create_job(pdf_file, nickname=42)  # type: ignore[arg-type]
    assert server.requests == []


# --- batch --------------------------------------------------------------------------------


def _refusing(bad: str) -> Callable[[httpx.Request], httpx.Response]:
    """A several-file creation that refuses the file named `bad`, as the service does."""

    def create(request: httpx.Request) -> httpx.Response:
        names = [part.filename or "" for part in uploaded_files(request)]
        jobs = [job_json(f"job-{n}", "pending", metadata={"original_filename": n}) for n in names]
        refused = [{"file_name": bad, "error": f"cannot parse {bad}"}]
        body = {"parse_jobs": [j for j in jobs if j["id"] != f"job-{bad}"], "failed_files": refused}
        return json_reply(body, status=201)

    return create


def test_batch_with_one_failure_raises_batch_error_holding_every_result(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    paths = [tmp_path / name for name in ("a.txt", "bad.txt", "c.txt")]
    for path in paths:
        path.write_text(path.name)
    server.add("POST", CREATE_PATH, _refusing("bad.txt"))
    with pytest.raises(BatchError) as caught:
        client.create_job(paths)
    results = caught.value.results
    assert [r.index for r in results] == [0, 1, 2]
    assert [r.ok for r in results] == [True, False, True]
    assert results[0].value.id == "job-a.txt"
    assert results[2].value.id == "job-c.txt"
    assert isinstance(results[1].error, ValidationError)
    assert "cannot parse bad.txt" in str(results[1].error)
    assert [f.index for f in caught.value.failures] == [1]
    assert "1 of 3" in str(caught.value)


def test_batch_failure_keeps_the_input_as_given(
    client: ByteITClient, server: FakeServer, tmp_path: Path
) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("ok")
    bad.write_text("no")
    server.add("POST", CREATE_PATH, _refusing("bad.txt"))
    with pytest.raises(BatchError) as caught:
        client.create_job([good, bad])
    assert [r.input for r in caught.value.results] == [good, bad]


def test_batch_with_a_missing_file_sends_nothing(
    client: ByteITClient, server: FakeServer, pdf_file: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match=r"missing\.pdf"):
        client.create_job([pdf_file, tmp_path / "missing.pdf", pdf_file])
    assert server.requests == []


# --- reading jobs ---------------------------------------------------------------------------

FULL_JOB = {
    "id": "job-1",
    "processing_status": "completed",
    "result_format": "md",
    "nickname": "q3",
    "processing_error": None,
    "processing_time_seconds": 3.5,
    "credits_cost": 2,
    "input_connector": "localfile",
    "output_connector": "localfile",
    "processing_options": {"languages": ["en"]},
    "created_at": "2025-01-02T03:04:05Z",
    "updated_at": "2025-01-02T03:04:09.250000+00:00",
    "started_processing_at": "2025-01-02T03:04:06Z",
    "finished_processing_at": None,
    "metadata": {
        "original_filename": "report.pdf",
        "document_type": "pdf",
        "page_count": 12,
        "language": "en",
        "encoding": None,
    },
}


def test_get_job_parses_every_field(client: ByteITClient, server: FakeServer) -> None:
    server.add("GET", JOB, json_reply({"parse_job": FULL_JOB}))
    job = client.get_job("job-1")
    assert job.created_at == datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert job.updated_at == datetime(2025, 1, 2, 3, 4, 9, 250000, tzinfo=timezone.utc)
    assert job.finished_processing_at is None
    assert job.metadata == JobMetadata(
        original_filename="report.pdf", document_type="pdf", page_count=12, language="en"
    )
    assert (job.result_format, job.nickname, job.processing_time_seconds, job.credits_cost) == (
        "md",
        "q3",
        3.5,
        2.0,
    )
    assert job.processing_options == {"languages": ["en"]}
    assert job.extra == {}


def test_get_job_keeps_unknown_fields_in_extra(client: ByteITClient, server: FakeServer) -> None:
    payload = {**FULL_JOB, "priority": "high", "region": {"name": "eu"}}
    server.add("GET", JOB, json_reply({"parse_job": payload, "server_version": "9"}))
    job = client.get_job("job-1")
    assert job.extra == {"priority": "high", "region": {"name": "eu"}}
    assert job.is_completed


def test_get_job_tolerates_unknown_metadata_fields(
    client: ByteITClient, server: FakeServer
) -> None:
    payload = {**FULL_JOB, "metadata": {"original_filename": "a.pdf", "dpi": 300}}
    server.add("GET", JOB, json_reply({"parse_job": payload}))
    assert client.get_job("job-1").metadata.original_filename == "a.pdf"  # type: ignore[union-attr]


def test_get_job_percent_encodes_the_id(client: ByteITClient, server: FakeServer) -> None:
    server.add("GET", r"/v1/jobs/parse-jobs/.+/", json_reply({"parse_job": job_json("a/b?c")}))
    client.get_job("a/b?c")
    assert server.requests[0].url.raw_path == b"/v1/jobs/parse-jobs/a%2Fb%3Fc/"


@pytest.mark.parametrize("job_id", ["", "   "])
def test_empty_job_id_is_refused_before_any_request(
    client: ByteITClient, server: FakeServer, job_id: str
) -> None:
    for call in (client.get_job, client.get_job_status, client.get_job_result, client.wait_for_job):
        with pytest.raises(ValidationError, match="job_id"):
            call(job_id)
    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "completed", "failed", "processing"),
    [
        ("pending", False, False, True),
        ("processing", False, False, True),
        ("completed", True, False, False),
        ("failed", False, True, False),
        ("ocr_queued", False, False, True),
    ],
)
def test_status_properties(status: str, completed: bool, failed: bool, processing: bool) -> None:
    for thing in (Job(id="j", processing_status=status), JobStatus("j", status)):
        assert (thing.is_completed, thing.is_failed, thing.is_processing) == (
            completed,
            failed,
            processing,
        )


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, content=b"<html>oops</html>"),
        httpx.Response(200, json=[{"parse_job": job_json()}]),
        httpx.Response(200, json={"parse_job": {"processing_status": "pending"}}),
        httpx.Response(200, json={"parse_job": {"id": "", "processing_status": "pending"}}),
        httpx.Response(200, json={"parse_job": {"id": "job-1"}}),
        httpx.Response(200, json={"parse_job": job_json(created_at="yesterday at noon")}),
        httpx.Response(200, json={"parse_job": "job-1"}),
        httpx.Response(200, json={"job": job_json()}),
    ],
    ids=[
        "not-json",
        "json-array",
        "missing-id",
        "empty-id",
        "missing-status",
        "bad-timestamp",
        "job-not-object",
        "wrong-envelope",
    ],
)
def test_malformed_job_answer_is_unexpected_response(
    client: ByteITClient, server: FakeServer, answer: httpx.Response
) -> None:
    server.add("GET", JOB, answer)
    with pytest.raises(UnexpectedResponseError):
        client.get_job("job-1")


def test_list_jobs_returns_a_job_list(client: ByteITClient, server: FakeServer) -> None:
    server.add(
        "GET",
        CREATE_PATH,
        json_reply(
            {
                "parse_jobs": [job_json("job-2", "pending"), job_json("job-1")],
                "count": 7,
                "detail": "Jobs retrieved",
            }
        ),
    )
    jobs = client.list_jobs()
    assert isinstance(jobs, JobList)
    assert (jobs.count, jobs.detail, len(jobs)) == (7, "Jobs retrieved", 2)
    assert [job.id for job in jobs] == ["job-2", "job-1"]
    assert [job.id for job in jobs.jobs] == ["job-2", "job-1"]


def test_list_jobs_without_count_counts_the_jobs(client: ByteITClient, server: FakeServer) -> None:
    server.add("GET", CREATE_PATH, json_reply({"parse_jobs": [job_json("a"), job_json("b")]}))
    jobs = client.list_jobs()
    assert (jobs.count, jobs.detail) == (2, None)


def test_list_jobs_without_a_list_is_unexpected(client: ByteITClient, server: FakeServer) -> None:
    server.add("GET", CREATE_PATH, json_reply({"jobs": []}))
    with pytest.raises(UnexpectedResponseError):
        client.list_jobs()


def test_get_job_status_reads_the_light_status(client: ByteITClient, server: FakeServer) -> None:
    server.add(
        "GET",
        r"/v1/jobs/job-1/status/",
        json_reply({"processing_status": "processing", "progress": 40, "message": "page 4 of 10"}),
    )
    status = client.get_job_status("job-1")
    assert status == JobStatus("job-1", "processing", progress=40, message="page 4 of 10")
    assert status.is_processing


def test_get_job_status_without_status_is_unexpected(
    client: ByteITClient, server: FakeServer
) -> None:
    server.add("GET", r"/v1/jobs/job-1/status/", json_reply({"progress": 40}))
    with pytest.raises(UnexpectedResponseError):
        client.get_job_status("job-1")


# --- output connectors at creation -------------------------------------------------------


def test_default_output_connector_is_byteit_storage(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    server.add("POST", CREATE_PATH, created())
    client.create_job(pdf_file, output_connector=ByteITStorageOutputConnector())
    client.create_job(pdf_file)
    first, second = (multipart(r) for r in server.requests)
    for form in (first, second):
        assert form["output_connector"].data == b"localfile"
        assert json.loads(form["output_connection_data"].data) == {"type": "localfile"}


def test_output_connector_that_is_not_a_connector_is_refused(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    with pytest.raises(ValidationError, match="output_connector"):
        client.create_job(pdf_file, output_connector="out.txt")  # type: ignore[arg-type]
    assert server.requests == []


def test_custom_output_connector_fields_are_sent(
    client: ByteITClient, server: FakeServer, pdf_file: Path
) -> None:
    class ToBucket(OutputConnector):
        def wire_fields(self) -> tuple[str, str]:
            return "s3", '{"type":"s3","bucket":"b","path":"p/"}'

        def sink(self, job: Job, output_format: str) -> ResultSink | None:
            return None

    server.add("POST", CREATE_PATH, created())
    client.create_job(pdf_file, output_connector=ToBucket())
    form = multipart(server.requests[0])
    assert form["output_connector"].data == b"s3"
    assert json.loads(form["output_connection_data"].data)["bucket"] == "b"


# --- lifecycle --------------------------------------------------------------------------


def test_close_leaves_a_passed_http_client_open(server: FakeServer) -> None:
    with httpx.Client(transport=httpx.MockTransport(server.handle)) as http:
        ByteITClient(API_KEY, base_url=BASE_URL, http_client=http).close()
        assert not http.is_closed
        with ByteITClient(API_KEY, base_url=BASE_URL, http_client=http):
            pass
        assert not http.is_closed


@pytest.fixture
def own_http_clients(monkeypatch: pytest.MonkeyPatch, server: FakeServer) -> list[httpx.Client]:
    """The httpx clients ByteITClient makes for itself (sent to the fake server)."""
    made: list[httpx.Client] = []
    real = httpx.Client

    def make(**kwargs: object) -> httpx.Client:
        http = real(transport=httpx.MockTransport(server.handle), **kwargs)  # type: ignore[arg-type]
        made.append(http)
        return http

    monkeypatch.setattr(byteit._clients._sync_client.httpx, "Client", make)
    yield made
    for http in made:
        http.close()


def test_close_closes_the_clients_own_http_client(own_http_clients: list[httpx.Client]) -> None:
    client = ByteITClient(API_KEY, base_url=BASE_URL)
    assert len(own_http_clients) == 1
    assert not own_http_clients[0].is_closed
    client.close()
    assert own_http_clients[0].is_closed


def test_context_manager_closes_the_clients_own_http_client(
    own_http_clients: list[httpx.Client], server: FakeServer
) -> None:
    server.add("GET", JOB, json_reply({"parse_job": job_json()}))
    with ByteITClient(API_KEY, base_url=BASE_URL) as client:
        assert client.get_job("job-1").id == "job-1"
    assert own_http_clients[0].is_closed


def test_repr_shows_the_base_url(client: ByteITClient) -> None:
    assert repr(client).endswith(f"ByteITClient(base_url={BASE_URL!r})")


def test_async_aclose_leaves_a_passed_http_client_open(server: FakeServer) -> None:
    async def scenario() -> bool:
        async with httpx.AsyncClient(transport=httpx.MockTransport(server.handle)) as http:
            async with AsyncByteITClient(API_KEY, base_url=BASE_URL, http_client=http):
                pass
            return http.is_closed

    assert asyncio.run(scenario()) is False


def test_async_client_closes_its_own_http_client(
    monkeypatch: pytest.MonkeyPatch, server: FakeServer
) -> None:
    made: list[httpx.AsyncClient] = []
    real = httpx.AsyncClient

    def make(**kwargs: object) -> httpx.AsyncClient:
        http = real(transport=httpx.MockTransport(server.handle), **kwargs)  # type: ignore[arg-type]
        made.append(http)
        return http

    monkeypatch.setattr(byteit._clients._async_client.httpx, "AsyncClient", make)
    server.add("GET", JOB, json_reply({"parse_job": job_json()}))

    async def scenario() -> str:
        async with AsyncByteITClient(API_KEY, base_url=BASE_URL) as client:
            return (await client.get_job("job-1")).id

    assert asyncio.run(scenario()) == "job-1"
    assert len(made) == 1
    assert made[0].is_closed
