"""split_pages: a big PDF sent as page-range jobs run at once, merged into one result."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from byteit import ByteITClient, ValidationError
from byteit._batch._items import Item
from byteit._batch._split_run import SplitDocument
from byteit._jobs import _split
from byteit._jobs._create import prepare_create
from byteit._jobs._merge import merge_results
from byteit._jobs._split import (
    check_split_pages,
    page_spec,
    selected_pages,
    split_document,
)
from byteit.connectors import (
    ByteITStorageOutputConnector,
    BytesInputConnector,
    LocalFileOutputConnector,
)
from byteit.exceptions import JobProcessingError, JobTimeoutError
from byteit.models import Job
from byteit.options import ProcessingOptions

from .conftest import CREATE_PATH, FakeServer, json_reply, multipart, result_reply


def pdf_of(pages: int) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    for number in range(1, pages + 1):
        canvas.drawString(72, 720, f"page {number}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture
def big_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "big.pdf"
    path.write_bytes(pdf_of(12))
    return path


def chunks_of(source: Any, split: Any, **options: Any) -> list[str] | None:
    opts = ProcessingOptions(**options)
    output = ByteITStorageOutputConnector()
    request = prepare_create(source, output, opts, nickname=None, idempotency_key=None)
    chunks = split_document(request, output, opts, split)
    return None if chunks is None else [page_spec(chunk.pages) for chunk in chunks]


def serve_chunks(
    server: FakeServer, fail: dict[str, int] | None = None, hold_until: int = 0
) -> list[str]:
    """A service that runs each creation's page range as a job whose txt result is one
    line per page, and fails the first `fail[range]` jobs of a range; no job finishes
    before `hold_until` jobs exist. Returns the page ranges created, in order."""
    failures = dict(fail or {})
    created: list[str] = []
    jobs: dict[str, dict[str, Any]] = {}

    def create(request: httpx.Request) -> httpx.Response:
        spec = json.loads(multipart(request)["processing_options"].data)["page_range"]
        created.append(spec)
        failed = failures.get(spec, 0) > 0
        failures[spec] = failures.get(spec, 0) - 1
        job = {
            "id": f"job-{len(created)}", "credits_cost": float(len(selected_pages(spec, 99))),
            "processing_status": "failed" if failed else "completed",
            "processing_error": "pages broke" if failed else None,
            "processing_options": {"page_range": spec},
            "metadata": {"original_filename": multipart(request)["file"].filename},
        }  # fmt: skip
        jobs[job["id"]] = job
        return json_reply({"parse_job": seen(job)}, status=201)

    def seen(job: dict[str, Any]) -> dict[str, Any]:
        held = len(created) < hold_until
        return {**job, "processing_status": "processing"} if held else job

    def listing(request: httpx.Request) -> httpx.Response:
        shown = [seen(job) for job in jobs.values()]
        return json_reply({"parse_jobs": shown, "count": len(jobs), "detail": ""})

    def get(request: httpx.Request) -> httpx.Response:
        return json_reply({"parse_job": seen(jobs[request.url.path.split("/")[-2]])})

    def status(request: httpx.Request) -> httpx.Response:
        job = seen(jobs[request.url.path.split("/")[-3]])
        return json_reply({"processing_status": job["processing_status"]})

    def result(request: httpx.Request) -> httpx.Response:
        spec = jobs[request.url.path.split("/")[-3]]["processing_options"]["page_range"]
        return result_reply(text_of(selected_pages(spec, 12)))

    server.add("POST", CREATE_PATH, create)
    server.add("GET", CREATE_PATH, listing)
    server.add("GET", r"/v1/jobs/[^/]+/status/", status)
    server.add("GET", r"/v1/jobs/parse-jobs/[^/]+/result/", result)
    server.add("GET", r"/v1/jobs/parse-jobs/[^/]+/", get)
    return created


def text_of(pages: list[int]) -> bytes:
    return ("\n\n".join(f"page {n}" for n in pages) + "\n").encode()


# --- planning -------------------------------------------------------------------------------


def test_a_pdf_over_the_page_count_goes_as_chunks_of_that_many_pages(big_pdf: Path) -> None:
    assert chunks_of(big_pdf, 5) == ["1-5", "6-10", "11-12"]


def test_a_pdf_within_the_page_count_goes_as_one_job(big_pdf: Path) -> None:
    assert chunks_of(big_pdf, 12) is None


def test_the_users_page_range_is_split_and_kept(big_pdf: Path) -> None:
    assert chunks_of(big_pdf, 3, page_range="2-4,7,9-20") == ["2-4", "7,9-10", "11-12"]


def test_bytes_are_split_too() -> None:
    assert chunks_of(BytesInputConnector(pdf_of(4), filename="a.pdf"), 2) == ["1-2", "3-4"]


@pytest.mark.parametrize(
    ("name", "options"), [("notes.txt", {}), ("big.pdf", {"output_format": "zip"})]
)
def test_other_documents_and_zip_results_go_whole(
    tmp_path: Path, name: str, options: dict[str, Any]
) -> None:
    path = tmp_path / name
    path.write_bytes(pdf_of(6))
    assert chunks_of(path, 2, **options) is None


def test_auto_splits_pdfs_over_the_documented_size(
    big_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert chunks_of(big_pdf, "auto") is None  # a few kilobytes: under 10 MB
    monkeypatch.setattr(_split, "AUTO_SPLIT_BYTES", big_pdf.stat().st_size - 1)
    monkeypatch.setattr(_split, "AUTO_CHUNK_PAGES", 5)
    assert chunks_of(big_pdf, "auto") == ["1-5", "6-10", "11-12"]


def test_a_pdf_pdfium_cannot_read_goes_whole_for_the_service_to_judge(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    assert chunks_of(broken, 2) is None


@pytest.mark.parametrize("value", [0, -3, True, 2.5, "all", "10"])
def test_a_bad_split_pages_is_refused(value: object) -> None:
    with pytest.raises(ValidationError, match="split_pages must be"):
        check_split_pages(value)


def test_splitting_without_pypdfium2_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    with pytest.raises(ImportError, match=r'pip install "byteit\[pdf\]"'):
        check_split_pages(50)
    assert check_split_pages(None) is None  # not asked for: not needed


def test_page_specs_compress_runs() -> None:
    assert page_spec([1, 2, 3, 7, 9, 10]) == "1-3,7,9-10"
    assert selected_pages("3,1-2,10-99", 12) == [1, 2, 3, 10, 11, 12]


# --- merging --------------------------------------------------------------------------------


def test_txt_and_md_chunks_merge_into_the_one_job_text() -> None:
    whole = b"page 1\n\npage 2\n\n\n\npage 4\n"  # page 3 is blank
    parts = [b"page 1\n\npage 2\n", b"\n\npage 4\n"]
    assert merge_results("txt", parts) == whole
    assert merge_results("md", [b"<!-- page 1 -->\n\nA\n", b"<!-- page 2 -->\n\nB\n"]) == (
        b"<!-- page 1 -->\n\nA\n\n<!-- page 2 -->\n\nB\n"
    )


def test_json_chunks_merge_their_page_lists_in_order() -> None:
    def part(*pages: int) -> bytes:
        data = {
            "document": {"page_count": 4, "filename": "é.pdf"},
            "pages": [{"page_number": n, "text": f"p{n}"} for n in pages],
            "tables": [{"page_number": n, "rows": [["x"]]} for n in pages if n % 2],
        }
        return json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"

    assert merge_results("json", [part(1, 2), part(3), part(4)]) == part(1, 2, 3, 4)


def test_html_chunks_merge_their_sections() -> None:
    def part(*pages: int) -> bytes:
        sections = "\n".join(f'<section data-page="{n}">\n<p>{n}</p>\n</section>' for n in pages)
        return f"<html>\n<head></head>\n<body>\n{sections}\n</body>\n</html>\n".encode()

    assert merge_results("html", [part(1), part(2, 3)]) == part(1, 2, 3)


def test_credits_of_the_chunks_are_summed(big_pdf: Path) -> None:
    request = prepare_create(
        big_pdf, ByteITStorageOutputConnector(), ProcessingOptions(), nickname=None,
        idempotency_key=None,
    )  # fmt: skip
    item = Item(0, big_pdf, request, ByteITStorageOutputConnector(), None, "k")
    chunks = split_document(request, item.output, ProcessingOptions(), 5)
    assert chunks is not None
    document = SplitDocument(item, chunks)
    for number, credits in enumerate([5.0, 5.0, 2.0]):
        document.done[number] = (Job(f"j{number}", "completed", credits_cost=credits), b"x\n")
    job, body = document.merged("txt")
    assert (job.id, job.credits_cost, body) == ("j0", 12.0, b"x\n\nx\n\nx\n")


# --- through the clients --------------------------------------------------------------------


def test_process_document_sends_chunks_and_returns_the_merged_text(
    client: ByteITClient, server: FakeServer, big_pdf: Path
) -> None:
    created = serve_chunks(server)
    assert client.process_document(big_pdf, split_pages=5) == text_of(list(range(1, 13)))
    assert sorted(created) == ["1-5", "11-12", "6-10"]


def test_the_chunks_run_at_once(client: ByteITClient, server: FakeServer, big_pdf: Path) -> None:
    """No chunk finishes before all three exist: waiting for one before sending the next
    would time out."""
    serve_chunks(server, hold_until=3)
    result = client.process_document(big_pdf, split_pages=4, max_wait_time=60)
    assert result == text_of(list(range(1, 13)))


def test_a_failed_chunk_is_retried_alone(
    client: ByteITClient, server: FakeServer, big_pdf: Path
) -> None:
    created = serve_chunks(server, fail={"6-10": 1})
    assert client.process_document(big_pdf, split_pages=5) == text_of(list(range(1, 13)))
    assert sorted(created[:3]) == ["1-5", "11-12", "6-10"]
    assert created[3:] == ["6-10"]


def test_a_chunk_failing_every_try_fails_the_document(
    client: ByteITClient, server: FakeServer, big_pdf: Path
) -> None:
    created = serve_chunks(server, fail={"6-10": 99})
    with pytest.raises(JobProcessingError, match="pages broke"):
        client.process_document(big_pdf, split_pages=5)
    assert created.count("6-10") == 3
    assert created.count("1-5") == 1


def test_a_chunk_that_timed_out_is_not_sent_again(
    client: ByteITClient, server: FakeServer, big_pdf: Path
) -> None:
    """Its job may still be running: a second one would be a duplicate."""
    created = serve_chunks(server, hold_until=99)
    with pytest.raises(JobTimeoutError):
        client.process_document(big_pdf, split_pages=5, max_wait_time=30)
    assert sorted(created) == ["1-5", "11-12", "6-10"]


def test_the_merged_result_is_written_to_output_path(
    client: ByteITClient, server: FakeServer, big_pdf: Path, tmp_path: Path
) -> None:
    serve_chunks(server)
    written = client.process_document(big_pdf, output_path=f"{tmp_path}/out/", split_pages=5)
    assert written == str(tmp_path / "out" / "big.pdf.txt")
    assert Path(written).read_bytes() == text_of(list(range(1, 13)))


def test_process_documents_splits_big_pdfs_and_sends_the_rest_whole(
    client: ByteITClient, server: FakeServer, big_pdf: Path, tmp_path: Path
) -> None:
    created = serve_chunks(server)
    small = tmp_path / "small.pdf"
    small.write_bytes(pdf_of(3))
    out = tmp_path / "results"
    results = client.process_documents(
        [small, big_pdf], LocalFileOutputConnector(f"{out}/"), split_pages=5
    )
    assert [r.index for r in results] == [0, 1]
    assert sorted(created) == ["", "1-5", "11-12", "6-10"]
    assert (out / "big.pdf.txt").read_bytes() == text_of(list(range(1, 13)))
    assert (out / "small.pdf.txt").exists()  # sent whole: page_range "" above
    assert results[1].value == str(out / "big.pdf.txt")


def test_split_pages_with_a_state_file_is_refused(
    client: ByteITClient, big_pdf: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="split_pages cannot be combined with state_file"):
        client.process_documents([big_pdf], split_pages=5, state_file=tmp_path / "state")
