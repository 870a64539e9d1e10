"""One partition through the batch engine, with one job per document across task retries.

An engine may run a partition twice: after a worker died, on speculation, or
when the whole job is run again. No state file is shared between those runs;
what they share is the key. Each document is created alone (one per request)
under an ``Idempotency-Key`` made of the run's name and the document's key in
the batch engine (its content hash and location, the options and the
destination: `_batch._items`), so every run of every partition holding the
document sends the same key, and a service that honours it answers with the job
it made the first time. A finished job is then only read again, and written
over its earlier result whole (temporary name, then rename).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from byteit._batch._items import Item, prepare_items, validate_outputs
from byteit._batch._progress import ProgressReporter
from byteit._batch._results import ItemResult
from byteit._batch._scheduler import BatchScheduler, BatchSettings
from byteit._batch._threads import run_batch
from byteit._batch._work import AnyJob, DeliverWork, Outcome, Work
from byteit._clients._sync_client import ByteITClient
from byteit._contract import UploadLimits
from byteit._distributed._documents import Document, Documents, Output
from byteit._distributed._rows import Rows, read_rows, write_rows
from byteit._distributed._settings import WorkerSettings
from byteit._http._operations import CallContext
from byteit.exceptions import APIKeyError, AuthenticationError, ValidationError
from byteit.options import ProcessingOptions
from byteit.polling import PollSchedule

# One document per creation: a group's key would depend on which documents met in
# it, and a retried task may group them otherwise.
_ALONE = UploadLimits(max_files=1)
# Errors no row escapes: the partition raises them rather than fail every row.
_EVERY_ROW = (APIKeyError, AuthenticationError)


def check_run_name(run_name: object) -> str:
    if not isinstance(run_name, str) or not run_name.strip():
        raise ValidationError(
            f"run_name must be a non-empty string naming the run, not {run_name!r}: the "
            "same name on a rerun finds the jobs the first run made"
        )
    return run_name


def open_client(settings: WorkerSettings) -> ByteITClient:
    """A client for this worker: the key from its own ``BYTEIT_API_KEY``."""
    return ByteITClient(
        base_url=settings.base_url, timeout=settings.timeout, max_retries=settings.max_retries
    )


@attrs.frozen
class PartitionRun:
    """What every partition of a run shares: checked once, picklable."""

    settings: WorkerSettings
    options: ProcessingOptions
    output: Output
    run_name: str


def process_rows(rows: Any, run: PartitionRun, client: ByteITClient | None = None) -> Any:
    """`rows` (any kind of table) processed, as the same kind; with a client of its own
    unless given one."""
    read = read_rows(rows)
    if client is not None:
        return write_rows(read, run_partition(client, read, run))
    with open_client(run.settings) as own:
        return write_rows(read, run_partition(own, read, run))


def run_partition(client: ByteITClient, rows: Rows, run: PartitionRun) -> list[dict[str, Any]]:
    """One result row per input row, in order; raises only what every row would meet."""
    documents = Documents(run.settings, run.output, run.options.output_format)
    pairs = zip(rows.inputs, rows.names, strict=True)
    found = [documents.document(value, name) for value, name in pairs]
    sendable = [d for d in found if d.error is None]
    validate_outputs([d.output for d in sendable])
    scheduler = _scheduler(client, sendable, run)
    jobs: dict[int, AnyJob] = {}
    results = {r.index: r for r in _drive(client, scheduler, jobs)}
    for result in results.values():
        if isinstance(result.error, _EVERY_ROW):
            raise result.error
    sent = iter([(item, results[item.index]) for item in scheduler.items])
    return [
        _row_of(value, document, sent, jobs)
        for value, document in zip(rows.inputs, found, strict=True)
    ]


def _row_of(
    given: Any,
    document: Document,
    sent: Iterator[tuple[Item, ItemResult[Any]]],
    jobs: dict[int, AnyJob],
) -> dict[str, Any]:
    """A row's result: its document's error, else the next sent document's outcome."""
    if document.error is not None:
        return _row(given, None, document.error, None, None)
    item, result = next(sent)
    job = jobs.get(item.index)
    credits = job.credits_cost if job is not None else None
    return _row(given, result.value, result.error, item.job_id, credits)


def _scheduler(
    client: ByteITClient, documents: Sequence[Document], run: PartitionRun
) -> BatchScheduler:
    settings = run.settings
    items = prepare_items(
        [d.source for d in documents],  # type: ignore[misc]  # sendable: each has one
        [d.output for d in documents],
        [d.path for d in documents],
        run.options,
        output_dir=None,
        nickname=settings.nickname,
        run=run.run_name,
        queue_for_batch=settings.queue_for_batch,
    )
    polls = client._config.polls
    batch = BatchSettings(
        max_concurrency=settings.max_concurrency,
        polls=PollSchedule.fixed(settings.poll_interval) if settings.poll_interval else polls,
        max_wait_time=settings.max_wait_time,
        output_format=run.options.output_format,
        limits=_ALONE,
        job_list=settings.job_list,
    )
    now = client._config.clock.monotonic()
    return BatchScheduler(items, batch, now=now, journal=None, run=run.run_name)


def _drive(
    client: ByteITClient, scheduler: BatchScheduler, jobs: dict[int, AnyJob]
) -> list[ItemResult[Any]]:
    """Run the batch with the client's own requests, noting each delivered job."""
    context = CallContext(pressure=scheduler.pressure, timeout=scheduler.settings.timeout)
    output_format = scheduler.settings.output_format

    def perform(work: Work) -> Outcome:
        if isinstance(work, DeliverWork):
            jobs[work.item.index] = work.job
        return client._perform(work, context, output_format)

    reporter = ProgressReporter(len(scheduler.items), callback=None, bar=False)
    with contextlib.closing(reporter):
        return list(run_batch(scheduler, perform, client._config.clock, reporter))


def _row(
    given: Any, value: Any, error: BaseException | None, job_id: str | None, credits: float | None
) -> dict[str, Any]:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return {
        "input": given,
        "ok": error is None,
        "output": value,
        "error_type": type(error).__name__ if error is not None else None,
        "error": str(error) if error is not None else None,
        "job_id": job_id,
        "credits": credits,
    }
