"""The job runner: processes parse, extract and custom jobs in the background.

At most ``workers`` jobs run at once (an asyncio semaphore). A parse job waits
``processing_delay`` seconds on the event loop, then extracts in a process
pool, then waits ``page_delay`` seconds per extracted page (simulated work),
so a slow or crashing document never blocks or kills the server: a
crashed worker breaks the pool, which is replaced, and the job is tried once
more in the new pool before it fails. Jobs a previous run left unfinished are
queued again at start. Progress goes 0 (queued), 10 (processing), 100 (done).
A job using the s3 connectors reads its document before extraction and writes
its result after it, through the :class:`S3Bridge`, before it is completed.
A custom job extracts each of its documents the same way, one after another
in one slot (see :mod:`byteit_server.custom_jobs`). Each job's ``credits_cost``
follows :mod:`byteit_server.credits`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from .credits import custom_job_credits, extract_job_credits, parse_job_credits
from .custom_jobs import document_tasks, write_result
from .engine import ExtractionSummary, ExtractionTask, extract_to_file, read_stored_text
from .extract_heuristic import extract_fields
from .records import TERMINAL_STATUSES, CustomJobRecord, ParseJobRecord
from .s3_bridge import S3Bridge, S3TransferError
from .storage import Storage, utc_now

__all__ = ["ExtractFunction", "JobRunner"]

logger = logging.getLogger("byteit_server.runner")

ExtractFunction = Callable[[ExtractionTask], ExtractionSummary]

WORKER_CRASHED = (
    "the extraction worker crashed while reading this document (it may be malformed "
    "or too large to process); check the file and create the job again"
)
INTERNAL_FAILURE = "the document could not be processed because of an internal error"


class JobRunner:
    """Runs jobs stored in ``storage``; start it before submitting, stop it at shutdown."""

    def __init__(
        self,
        storage: Storage,
        *,
        workers: int,
        processing_delay: float,
        page_delay: float = 0.0,
        extract: ExtractFunction = extract_to_file,
        s3: S3Bridge | None = None,
        ocr_engine: str = "auto",
    ) -> None:
        self.storage = storage
        self.ocr_engine = ocr_engine
        self._s3 = s3 if s3 is not None else S3Bridge(None, max_object_bytes=0)
        self.processing_delay = processing_delay
        self.page_delay = page_delay
        self._extract_function = extract
        self._slots = asyncio.Semaphore(workers)
        self._pool_size = min(workers, os.cpu_count() or 1)
        self._executor: ProcessPoolExecutor | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._parse_done: dict[str, asyncio.Event] = {}

    async def start(self) -> None:
        """Queue again the jobs a previous run left pending or processing."""
        for job_id in self.storage.unfinished_job_ids("parse_jobs"):
            self._requeue("parse_jobs", job_id)
            self.submit_parse(job_id)
        for job_id in self.storage.unfinished_job_ids("extract_jobs"):
            self._requeue("extract_jobs", job_id)
            self.submit_extract(job_id)
        for job_id in self.storage.unfinished_job_ids("custom_jobs"):
            self._requeue("custom_jobs", job_id)
            self.submit_custom(job_id)

    async def stop(self) -> None:
        """Cancel running jobs (they are queued again at the next start) and stop the pool."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._executor is not None:
            executor, self._executor = self._executor, None
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)

    def submit_parse(self, job_id: str) -> None:
        """Process a stored parse job in the background."""
        self._parse_done.setdefault(job_id, asyncio.Event())
        self._spawn(self._run_parse(job_id))

    def submit_extract(self, job_id: str) -> None:
        """Process a stored extract job in the background, once its parse job is done."""
        self._spawn(self._run_extract(job_id))

    def submit_custom(self, job_id: str) -> None:
        """Process a stored custom job in the background."""
        self._spawn(self._run_custom(job_id))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _requeue(self, table: str, job_id: str) -> None:
        logger.info("queueing %s %s again after a restart", table, job_id)
        self.storage.update_job(
            table, job_id, {"status": "pending", "progress": 0, "message": "queued"}
        )

    # Parse jobs -----------------------------------------------------------

    async def _run_parse(self, job_id: str) -> None:
        try:
            async with self._slots:
                record = self.storage.get_parse_job(job_id)
                if record is not None:
                    await self._process_parse(record)
        finally:
            event = self._parse_done.pop(job_id, None)
            if event is not None:
                event.set()

    async def _process_parse(self, record: ParseJobRecord) -> None:
        started = time.monotonic()
        self._mark_processing("parse_jobs", record.id, "extracting text")
        await asyncio.sleep(self.processing_delay)
        try:
            await self._s3.fetch_input(record)
            summary = await self._extract(record)
            # Simulated per-page work holds the worker slot, as real extraction would.
            await asyncio.sleep(self.page_delay * summary.pages_extracted)
            await self._s3.deliver_result(record, self.storage.result_dir(record.id))
        except Exception as exc:
            self._finish("parse_jobs", record.id, started, error=_failure_message(exc))
            return
        metadata = {
            **record.metadata,
            "page_count": summary.page_count,
            "language": summary.language,
            "encoding": summary.encoding,
        }
        credits = parse_job_credits(summary.pages_extracted)
        self._finish("parse_jobs", record.id, started, metadata=metadata, credits_cost=credits)

    async def _extract(self, record: ParseJobRecord) -> ExtractionSummary:
        options = record.processing_options
        task = ExtractionTask(
            path=record.file_path,
            document_type=record.document_type,
            result_dir=str(self.storage.result_dir(record.id)),
            page_range=options.get("page_range") or None,
            languages=tuple(options.get("languages") or ["en"]),
            ocr_engine=self.ocr_engine,
        )
        return await self._run_task(task, record.id)

    async def _run_task(self, task: ExtractionTask, job_id: str) -> ExtractionSummary:
        """Extract in the pool; a crashed worker's pool is replaced and the task tried again."""
        for attempt in (1, 2):
            executor = self._current_executor()
            try:
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(executor, self._extract_function, task)
            except BrokenProcessPool:
                logger.warning("extraction worker crashed on job %s (attempt %d)", job_id, attempt)
                self._replace_executor(executor)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _current_executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn, not fork: the server has threads, and forking them is unsafe.
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(self._pool_size, mp_context=context)
        return self._executor

    def _replace_executor(self, broken: ProcessPoolExecutor) -> None:
        if self._executor is broken:
            self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    # Extract jobs ---------------------------------------------------------

    async def _run_extract(self, job_id: str) -> None:
        record = self.storage.get_extract_job(job_id)
        if record is None:
            return
        await self._wait_for_parse(record.input_job_id)
        async with self._slots:
            started = time.monotonic()
            self._mark_processing("extract_jobs", job_id, "extracting fields")
            await asyncio.sleep(self.processing_delay)
            parse_job = self.storage.get_parse_job(record.input_job_id)
            if parse_job is None or parse_job.status != "completed":
                reason = parse_job.processing_error if parse_job else "it no longer exists"
                error = f"parse job {record.input_job_id} failed: {reason}"
                self._finish("extract_jobs", job_id, started, error=error)
                return
            result_dir = self.storage.result_dir(parse_job.id)
            try:
                result = await asyncio.to_thread(_fill_schema, result_dir, record.extraction_schema)
            except Exception as exc:
                self._finish("extract_jobs", job_id, started, error=_failure_message(exc))
                return
            credits = extract_job_credits()
            self._finish("extract_jobs", job_id, started, result=result, credits_cost=credits)

    async def _wait_for_parse(self, parse_job_id: str) -> None:
        while True:
            parse_job = self.storage.get_parse_job(parse_job_id)
            if parse_job is None or parse_job.status in TERMINAL_STATUSES:
                return
            event = self._parse_done.setdefault(parse_job_id, asyncio.Event())
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=1.0)

    # Custom jobs ----------------------------------------------------------

    async def _run_custom(self, job_id: str) -> None:
        record = self.storage.get_custom_job(job_id)
        if record is None:
            return
        async with self._slots:
            started = time.monotonic()
            self._mark_processing("custom_jobs", job_id, "reading documents")
            await asyncio.sleep(self.processing_delay)
            try:
                summaries = await self._extract_documents(record)
                result_dir = self.storage.result_dir(job_id)
                name = await asyncio.to_thread(write_result, record, result_dir)
            except Exception as exc:
                error = str(exc) if isinstance(exc, _DocumentError) else _failure_message(exc)
                self._finish("custom_jobs", job_id, started, error=error)
                return
            pages = [summary.pages_extracted for summary in summaries]
            self._finish(
                "custom_jobs", job_id, started, result_name=name,
                total_page_count=sum(summary.page_count for summary in summaries),
                credits_cost=custom_job_credits(pages),
            )  # fmt: skip

    async def _extract_documents(self, record: CustomJobRecord) -> list[ExtractionSummary]:
        tasks = document_tasks(record, self.storage.result_dir(record.id), self.ocr_engine)
        summaries = []
        for task, name in zip(tasks, record.file_names, strict=True):
            try:
                summaries.append(await self._run_task(task, record.id))
            except Exception as exc:
                raise _DocumentError(f"{name!r}: {_failure_message(exc)}") from exc
        return summaries

    # Status changes -------------------------------------------------------

    def _mark_processing(self, table: str, job_id: str, message: str) -> None:
        changes = {
            "status": "processing",
            "progress": 10,
            "message": message,
            "started_processing_at": utc_now(),
        }
        self.storage.update_job(table, job_id, changes)

    def _finish(
        self,
        table: str,
        job_id: str,
        started: float,
        *,
        error: str | None = None,
        **changes: object,
    ) -> None:
        final = {
            **changes,
            "status": "failed" if error else "completed",
            "progress": 100,
            "message": error or "done",
            "processing_error": error,
            "finished_processing_at": utc_now(),
            "processing_time_seconds": round(time.monotonic() - started, 3),
        }
        self.storage.update_job(table, job_id, final)


class _DocumentError(Exception):
    """A custom job's document could not be read; the message names it."""


def _fill_schema(result_dir: Path, schema: dict[str, Any]) -> dict[str, Any]:
    stored = read_stored_text(result_dir)
    return extract_fields(stored.text, schema, stored.tables)


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, BrokenProcessPool):
        return WORKER_CRASHED
    if isinstance(exc, S3TransferError):
        return str(exc)
    from byteit_server.extraction import ExtractionError  # noqa: PLC0415 (heavy; loaded on use)

    if isinstance(exc, ExtractionError):
        return str(exc)
    logger.error("job failed with an unexpected error", exc_info=exc)
    return INTERNAL_FAILURE
