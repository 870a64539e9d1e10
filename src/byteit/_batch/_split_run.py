"""Split documents in a batch: their chunks run as items, and each document's result
is assembled from them (see `_jobs._split` for what a chunk is).

A split document's chunks join the batch as items of their own, so they are
created, polled and downloaded at once like any document, within the batch's
concurrency. Each chunk's result is kept in memory with its job (`ChunkOutput`)
until every chunk of its document is in; the client then merges them and
writes the document's result where it was to go. A chunk whose job failed is
sent again alone, as a new job, in a round after the batch (at most
`CHUNK_ATTEMPTS` tries); its document's other chunks are not sent again.
"""

from __future__ import annotations

import contextlib
import io
import secrets
from collections.abc import Iterator
from typing import Any, BinaryIO

import attrs
import httpx

from byteit._batch._items import Item
from byteit._batch._results import ItemResult, values_or_raise
from byteit._batch._scheduler import BatchScheduler, BatchSettings
from byteit._batch._setup import PlanRun, from_plan
from byteit._contract import result_name
from byteit._jobs._merge import merge_results
from byteit._jobs._plan import Plan
from byteit._jobs._split import (
    Chunk,
    SplitPages,
    check_split_pages,
    chunk_request,
    page_spec,
    split_document,
)
from byteit._log import get_logger
from byteit.connectors import OutputConnector, ResultSink
from byteit.exceptions import JobProcessingError, ValidationError
from byteit.models import Job
from byteit.options import ProcessingOptions
from byteit.polling import PollSchedule

logger = get_logger("split")

CHUNK_ATTEMPTS = 3  # tries of one chunk: the first, and two retries alone


@attrs.define(eq=False)
class SplitDocument:
    """A document sent as chunks, and what has come back of them."""

    item: Item
    chunks: list[Chunk]
    done: dict[int, tuple[Job, bytes]] = attrs.field(factory=dict)
    errors: dict[int, BaseException] = attrs.field(factory=dict)
    in_flight: set[int] = attrs.field(factory=set)  # chunks whose batch result is awaited
    attempts: int = 1

    def merged(self, output_format: str) -> tuple[Job, bytes]:
        """The merged result, and the first chunk's job with every chunk's credits summed."""
        jobs = [self.done[n][0] for n in range(len(self.chunks))]
        body = merge_results(output_format, [self.done[n][1] for n in range(len(self.chunks))])
        credits = [job.credits_cost for job in jobs if job.credits_cost is not None]
        job = attrs.evolve(jobs[0], credits_cost=sum(credits) if credits else None)
        logger.debug(
            "%s: %d chunks merged, %s credits", self.item.given, len(jobs), job.credits_cost
        )
        return job, body

    def answer(self, job: Job, output_format: str) -> httpx.Response:
        """What a download of the merged result would have been answered with (its name)."""
        original = job.metadata.original_filename if job.metadata else None
        name = result_name(original, job.id, output_format)
        return httpx.Response(
            200, headers={"content-disposition": f'attachment; filename="{name}"'}
        )


class ChunkOutput(OutputConnector):
    """Keeps one chunk's result, with its job, for its document to be merged."""

    def __init__(self, document: SplitDocument, number: int) -> None:
        self._document = document
        self._number = number

    def sink(self, job: Job, output_format: str) -> ResultSink:
        return _ChunkSink(self._document, self._number, job)


class _ChunkSink(ResultSink):
    def __init__(self, document: SplitDocument, number: int, job: Job) -> None:
        self._document, self._number, self._job = document, number, job

    @property
    def location(self) -> str:
        return f"pages {page_spec(self._document.chunks[self._number].pages)}"

    @contextlib.contextmanager
    def open(self) -> Iterator[BinaryIO]:
        buffer = io.BytesIO()
        yield buffer
        self._document.done[self._number] = (self._job, buffer.getvalue())


@attrs.define(eq=False)
class SplitBatch:
    """A batch's items with its split documents replaced by their chunks."""

    options: ProcessingOptions
    items: list[Item]
    chunks: dict[int, tuple[SplitDocument, int]] = attrs.field(factory=dict)
    documents: list[SplitDocument] = attrs.field(factory=list)
    next_index: int = 0

    def add_chunks(self, document: SplitDocument, numbers: list[int]) -> None:
        item = document.item
        assert item.request is not None  # only documents with a request are split
        for number in numbers:
            pages = document.chunks[number].pages
            request = chunk_request(item.request, self.options, pages, document.attempts)
            key = f"{item.key}-chunk{number}-try{document.attempts}"
            chunk_item = Item(self.next_index, item.given, request, ChunkOutput(document, number),
                              None, key, size=item.size)  # fmt: skip
            self.chunks[self.next_index] = (document, number)
            document.in_flight.add(number)
            self.items.append(chunk_item)
            self.next_index += 1

    def absorb(self, result: ItemResult[Any]) -> ItemResult[Any] | SplitDocument | None:
        """A batch result: passed on when it is a whole document's; for a chunk, its
        document once every chunk is in (None until then, or while one failed)."""
        found = self.chunks.pop(result.index, None)
        if found is None:
            return result
        document, number = found
        document.in_flight.discard(number)
        if result.error is not None:
            logger.debug("%s: chunk %d failed: %s", document.item.given, number, result.error)
            document.errors[number] = result.error
        if not document.in_flight and not document.errors:
            return document
        return None

    def retry(self, settings: BatchSettings, now: float) -> BatchScheduler | None:
        """A batch of the failed chunks that may be tried again, alone; None when none may."""
        self.items = []
        for document in self.documents:
            if document.errors and _may_retry(document):
                failed = sorted(document.errors)
                document.errors.clear()
                document.attempts += 1
                logger.debug(
                    "%s: chunks %s failed: sent again alone (try %d of %d)",
                    document.item.given, failed, document.attempts, CHUNK_ATTEMPTS,
                )  # fmt: skip
                self.add_chunks(document, failed)
        if not self.items:
            return None
        return split_scheduler(self, settings, now)

    def failures(self) -> list[ItemResult[Any]]:
        """The documents a chunk of which failed for good, with that chunk's error."""
        return [
            ItemResult(d.item.index, d.item.given, error=d.errors[min(d.errors)])
            for d in self.documents
            if d.errors
        ]


def _may_retry(document: SplitDocument) -> bool:
    """Only chunks whose job failed go again: after any other error (a wait that timed
    out, a request the service kept refusing) a job may still be running, and a second
    one would be a duplicate."""
    failed = all(isinstance(e, JobProcessingError) for e in document.errors.values())
    return failed and document.attempts < CHUNK_ATTEMPTS


def split_items(items: list[Item], options: ProcessingOptions, split: SplitPages) -> SplitBatch:
    """`items` with each document `split` cuts replaced by its chunks' items.

    Raises:
        ImportError: pypdfium2 is needed to count pages and is missing.
    """
    batch = SplitBatch(options, [], next_index=max((i.index for i in items), default=-1) + 1)
    for item in items:
        chunks = _chunks_of(item, options, split)
        if chunks is None:
            batch.items.append(item)
            continue
        document = SplitDocument(item, chunks)
        batch.documents.append(document)
        batch.add_chunks(document, list(range(len(chunks))))
    return batch


def _chunks_of(item: Item, options: ProcessingOptions, split: SplitPages) -> list[Chunk] | None:
    if item.error is not None or item.request is None:
        return None
    try:
        return split_document(item.request, item.output, options, split)
    except OSError as exc:
        logger.debug("%s: cannot count its pages (%s): sent whole", item.given, exc)
        return None


def split_scheduler(batch: SplitBatch, settings: BatchSettings, now: float) -> BatchScheduler:
    """The batch that runs `batch`'s items (no state file: chunks are not journaled)."""
    return BatchScheduler(batch.items, settings, now=now, journal=None, run=secrets.token_hex(8))


def with_split(
    scheduler: BatchScheduler, options: ProcessingOptions, split: SplitPages, now: float
) -> tuple[BatchScheduler, SplitBatch | None]:
    """`scheduler`'s batch with its big PDFs split, or itself when none is. It counts
    pages: the async client runs it in a worker thread.

    Raises:
        ImportError: pypdfium2 is needed to count pages and is missing.
    """
    batch = split_items(scheduler.items, options, split)
    if not batch.documents:
        return scheduler, None
    return split_scheduler(batch, scheduler.settings, now), batch


def check_batch_split(split_pages: object, state_file: object) -> SplitPages:
    """``split_pages`` checked for a batch, which cannot journal chunks in a state file.

    Raises:
        ValidationError: A bad value, or one given with a state file.
    """
    split = check_split_pages(split_pages)
    if split is not None and state_file is not None:
        raise ValidationError(
            "split_pages cannot be combined with state_file: chunks of a split document "
            "are not recorded for a resumed run; give one or the other"
        )
    return split


def plan_split(
    plan: Plan, run: PlanRun, split: SplitPages, *, polls: PollSchedule, now: float
) -> tuple[BatchScheduler, SplitBatch] | None:
    """The batch behind ``process_document`` when some of its documents are split;
    None when none is. Counts pages: the async client runs it in a worker thread."""
    scheduler, batch = with_split(
        from_plan(plan, run, polls=polls, now=now), plan.options, split, now
    )
    return None if batch is None else (scheduler, batch)


def split_values(results: list[ItemResult[Any]], *, many: bool) -> bytes | str | list[bytes | str]:
    """``process_document``'s answer: the values in input order; for one document, its
    value or its error raised as is.

    Raises:
        BatchError: For a list, some documents failed.
    """
    ordered = sorted(results, key=lambda result: result.index)
    if not many and ordered[0].error is not None:
        raise ordered[0].error
    values: list[bytes | str] = values_or_raise(ordered, "documents")
    return values if many else values[0]
