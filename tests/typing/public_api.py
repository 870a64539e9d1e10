"""Exercises the public API for mypy --strict (make typecheck). Never run by pytest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pydantic
from typing_extensions import assert_type

import byteit
from byteit import (
    AsyncByteITClient,
    BatchStats,
    BudgetExceededError,
    ByteITClient,
    ByteITError,
    CustomJob,
    Extraction,
    ExtractionValidationError,
    ExtractJob,
    ItemResult,
    Job,
    JobList,
    JobStatus,
    LocalFileInputConnector,
    LocalFileOutputConnector,
    ProcessingOptions,
    RateLimitError,
    RetryPolicy,
    S3InputConnector,
    S3OutputConnector,
    SavedSchema,
)
from byteit.distributed import WorkerSettings, process_partition, process_partitions


def sync_usage() -> None:
    with ByteITClient("id.secret", retry_policy=RetryPolicy(max_retries=5)) as client:
        job = client.create_job(LocalFileInputConnector("a.pdf"), nickname="a")
        assert isinstance(job, Job)
        assert_type(client.get_job("j"), Job)
        assert_type(client.list_jobs(), JobList)
        assert_type(client.get_job_status("j"), JobStatus)
        assert_type(client.get_job_result("j"), bytes | str)
        done = client.wait_for_job("j", max_wait_time=30, on_progress=lambda s: print(s.progress))
        assert_type(done.is_completed, bool)
        client.process_document(
            ["a.pdf", Path("b.docx")],
            LocalFileOutputConnector("out/"),
            ProcessingOptions(output_format="md", languages=["eng"]),
        )
        seen: list[BatchStats] = []
        results = client.process_documents(
            ["inbox/", Path("c.pdf")],
            output_dir="out/",
            on_error="return",
            state_file="inbox.batch",
            on_progress=seen.append,
        )
        assert_type(results, list[ItemResult[bytes | str]])
        patient = client.with_options(timeout=httpx.Timeout(120.0), max_retries=5)
        assert_type(patient, ByteITClient)
        written = patient.process_document(
            input_connector=LocalFileInputConnector("a.pdf"),
            timeout=60,
            max_wait_time=1200,
            poll_interval=5,
            queue_for_batch=True,
        )
        assert_type(written, bytes | str | list[bytes | str])
        for item in client.process_documents_as_completed("inbox/", max_concurrency=4):
            assert_type(item.index, int)


async def async_usage() -> None:
    async with AsyncByteITClient("id.secret") as client:
        assert_type(await client.get_job("j"), Job)
        assert_type(await client.list_jobs(), JobList)
        await client.process_document("a.pdf", processing_options={"page_range": "1-2"})
        await client.process_document("big.pdf", split_pages=50)
        await client.process_documents(["scans/"], split_pages="auto")
        assert_type(await client.process_documents(["a.pdf"]), list[ItemResult[bytes | str]])
        async for item in client.process_documents_as_completed(["a.pdf"]):
            assert_type(item.ok, bool)


def connector_properties() -> None:
    local = LocalFileInputConnector("document.xyz", file_type="pdf")
    assert_type(local.file_path, str)
    assert_type(local.file_type, str | None)
    source = S3InputConnector("docs", "in/a.pdf", region="us-east-1")
    assert_type(source.bucket, str)
    assert_type(source.key, str)
    assert_type(source.aws_access_key_id, str | None)
    assert_type(source.aws_secret_access_key, str | None)
    assert_type(source.region, str | None)
    assert_type(source.file_type, str | None)
    output = S3OutputConnector("results", key="out/a.txt")
    assert_type(output.bucket, str)
    assert_type(output.key, str | None)
    assert_type(output.aws_access_key_id, str | None)
    assert_type(output.aws_secret_access_key, str | None)
    assert_type(output.region, str | None)


def errors() -> None:
    try:
        sync_usage()
    except RateLimitError as exc:
        assert_type(exc.retry_after, float | None)
    except ByteITError as exc:
        assert_type(exc.status_code, int | None)
    assert_type(byteit.__version__, str)


class _Invoice(pydantic.BaseModel):
    total: float


def extraction_usage(client: ByteITClient) -> None:
    typed = client.extract("invoice.pdf", _Invoice, complexity="high")
    assert_type(typed, Extraction[_Invoice])
    assert_type(typed.data, _Invoice)
    assert_type(typed.job, ExtractJob | CustomJob)
    as_dict = client.extract(typed.parse_job_id or "p-1", {"type": "object"})
    assert_type(as_dict.data, dict[str, Any])
    assert_type(client.extract("p-1", "invoice").data, dict[str, Any])
    assert_type(client.custom_job(["a.pdf", "b.pdf"], user_prompt="sum"), str)
    assert_type(client.custom_job("a.pdf", _Invoice).data, _Invoice)
    assert_type(client.list_custom_jobs(), list[CustomJob])
    assert_type(client.save_schema("invoice", _Invoice), SavedSchema)
    assert_type(client.list_schemas(), list[SavedSchema])
    assert_type(client.delete_schema("invoice"), None)
    assert_type(client.wait_for_extract_job("x-1"), ExtractJob)
    results = client.extract_documents(["inbox/"], _Invoice, max_credits=50)
    assert_type(results, list[ItemResult[Any]])


async def async_extraction_usage(client: AsyncByteITClient) -> None:
    typed = await client.extract("invoice.pdf", _Invoice)
    assert_type(typed.data, _Invoice)
    async for item in client.extract_documents_as_completed(["inbox/"], _Invoice):
        assert_type(item, ItemResult[Any])
    try:
        await client.extract("p-1", _Invoice)
    except ExtractionValidationError as exc:
        assert_type(exc.raw, Any)
    except BudgetExceededError as exc:
        assert_type(exc.max_credits, float)


def distributed_usage() -> None:
    settings = WorkerSettings(base_url="https://byteit.ai", s3_server_side=True)
    rows = process_partition([{"input": "s3://docs/a.pdf"}], settings=settings, run_name="r")
    assert_type(rows, list[dict[str, str]])
    frames = process_partitions(iter([rows]), settings=settings, run_name="r")
    assert_type(next(frames), list[dict[str, str]])
