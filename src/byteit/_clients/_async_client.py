"""`AsyncByteITClient`, the client written once: `ByteITClient` is generated from it.

`scripts/unasync.py` turns this file into `_sync_client.py` (``await`` dropped,
``async`` names made sync, `_io._async` swapped for `_io._sync`); CI fails when
the generated file is stale. Edit this file, then run ``make generate``.
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar, overload

import attrs
import httpx
import pydantic
from typing_extensions import Self

from byteit._batch import _setup as _batch_setup
from byteit._batch import _work
from byteit._batch._driven import Driven
from byteit._batch._pipeline import ExtractItem, is_extract
from byteit._batch._progress import ProgressReporter
from byteit._batch._results import ItemResult, values_or_raise
from byteit._batch._scheduler import BatchScheduler
from byteit._batch._setup import BatchProgressCallback, OnError, PlanRun
from byteit._batch._split_run import (
    SplitBatch,
    SplitDocument,
    check_batch_split,
    plan_split,
    split_values,
)
from byteit._batch._split_run import with_split as split_batch
from byteit._checks import (
    check_job_id,
    check_result_format,
    check_schema_name,
    check_timeout,
    check_wait,
)
from byteit._clients._config import (
    DEFAULT_TIMEOUT,
    LIMITS,
    ClientConfig,
    Options,
    ProgressCallback,
)
from byteit._clock import SYSTEM_CLOCK, Clock
from byteit._delivery._destination import Destination, destination, kept
from byteit._delivery._sinks import Result, returned
from byteit._extract._flow import (
    create_extract_flow,
    custom_flow,
    custom_sources,
    extract_flow,
    extract_result_flow,
    extract_settings,
    parse_source,
    resolved,
    save_schema_flow,
)
from byteit._extract._listing import CursorPages, check_before, check_prompt
from byteit._extract._many import ManyExtractions, write_extraction
from byteit._extract._schema import SchemaLike, schema_spec
from byteit._extract._steps import Call, Download, Flow, Step, Wait
from byteit._http import _extract_operations as xops
from byteit._http import _operations as ops
from byteit._http._operations import ALONE, CallContext, Operation, Poll
from byteit._io._async import (
    entered,
    new_http_client,
    offload,
    offload_if,
    run_batch,
    send,
    start_batch,
    writer,
)
from byteit._jobs._create import CreateRequest, InputLike, create_operation, match_created
from byteit._jobs._failures import failed_job_error, timeout_error
from byteit._jobs._fresh import FreshJob
from byteit._jobs._plan import Plan, checked_locally, make_plan
from byteit._jobs._split import SPLIT_CONCURRENCY, SplitPages, check_split_pages
from byteit._log import get_logger
from byteit._secret import Secret
from byteit.connectors import OutputConnector
from byteit.exceptions import (
    ByteITError,
    ResourceNotFoundError,
    ResultNotReadyError,
    ValidationError,
)
from byteit.models import CustomJob, Extraction, ExtractJob, Job, JobList, JobStatus, SavedSchema
from byteit.polling import PollSchedule
from byteit.retry import RetryPolicy, RetryState, parse_retry_after

__all__ = ["AsyncByteITClient"]

logger = get_logger("client")

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)
_CHUNK = 1 << 16


class AsyncByteITClient:
    """The asyncio ByteIT client.

    Args:
        api_key: Your key; defaults to the ``BYTEIT_API_KEY`` environment variable.
        base_url: The service; defaults to ``BYTEIT_BASE_URL``, else https://byteit.ai.
        timeout: Seconds (or an `httpx.Timeout`) for each network operation.
        max_retries: Retries of a failed request (429, 5xx, network errors).
        http_client: An `httpx.AsyncClient` to send with; the caller closes it.
        retry_policy: Full control of retries; overrides `max_retries`.
        poll_schedule: How `wait_for_job` spaces its polls.
        clock: Where waiting happens; tests pass a fake one.

    Raises:
        APIKeyError: No key was given or found, or it is malformed.
        ValidationError: `base_url` is not https (plain http is allowed to loopback only).

    Example:
        >>> async with AsyncByteITClient() as client:
        ...     text = await client.process_document("invoice.pdf")
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        http_client: httpx.AsyncClient | None = None,
        retry_policy: RetryPolicy | None = None,
        poll_schedule: PollSchedule | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        secret = Secret.of(api_key)
        del api_key  # from here on the key is held only by a Secret, which never shows it
        self._config = ClientConfig.create(
            api_key=secret,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            poll_schedule=poll_schedule,
            clock=clock,
        )
        self._owns_http = http_client is None
        self._http = http_client or new_http_client(self._config.timeout, LIMITS)

    def __repr__(self) -> str:
        config = getattr(self, "_config", None)  # never raises, even after a failed __init__
        shown = f"base_url={config.settings.base_url!r}" if config else "not configured"
        return f"AsyncByteITClient({shown})"

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        poll_schedule: PollSchedule | None = None,
    ) -> Self:
        """This client with some settings changed, sharing its connections.

        Closing the copy leaves the connections open: they belong to this client.

        Example:
            >>> patient = client.with_options(timeout=120, max_retries=5)
        """
        changed = copy.copy(self)
        changed._config = self._config.with_options(
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            poll_schedule=poll_schedule,
        )
        changed._owns_http = False
        return changed

    @property
    def base_url(self) -> str:
        """The service this client talks to."""
        return self._config.settings.base_url

    async def create_job(
        self,
        input_connector: InputLike | list[InputLike],
        output_connector: OutputConnector | None = None,
        processing_options: Options = None,
        timeout: float | httpx.Timeout | None = None,
        max_workers: int = 5,
        *,
        nickname: str | None = None,
        idempotency_key: str | None = None,
        queue_for_batch: bool = False,
    ) -> Job | list[Job]:
        """Create a parse job for a document, or one per document of a list.

        Every document and option is checked before the first request. Creation
        is retried with the same ``Idempotency-Key``, so a retry never makes a
        second job on a server that honours it.

        Args:
            input_connector: A connector or a file path, or a list of them.
            output_connector: Where the result goes; ByteIT storage by default.
            processing_options: `ProcessingOptions` or a dict of them.
            timeout: Seconds (or an `httpx.Timeout`) for each request; the client's by default.
            max_workers: For a list, how many jobs are created at once.
            nickname: A label for the job.
            idempotency_key: Your own key for a single document (one is made otherwise).
            queue_for_batch: Use the service's cheaper, slower batch queue.

        Returns:
            The `Job`, or for a list a `list[Job]` in input order.

        Raises:
            ValidationError: A bad document or option (nothing was sent).
            BatchError: For a list, some creations failed; it holds every result.

        Example:
            >>> job = await client.create_job("scan.png", processing_options={"languages": ["de"]})
        """
        # Checking the documents may touch S3 (a HEAD per object).
        plan = await offload_if(
            not checked_locally(input_connector, output_connector),
            make_plan,
            input_connector,
            output_connector,
            processing_options,
            nickname=nickname,
            idempotency_key=idempotency_key,
            queue_for_batch=queue_for_batch,
            max_workers=max_workers,
        )
        context = CallContext(timeout=check_timeout(timeout))
        if not plan.many:
            return await self._create(plan.requests[0], context)
        results = await self._run_plan(plan, PlanRun(max_workers, context.timeout))
        return values_or_raise(results, "job creations")

    async def get_job(self, job_id: str, timeout: float | httpx.Timeout | None = None) -> Job:
        """Read a job (`timeout`: the request's, as for every method).

        Raises:
            ResourceNotFoundError: No such job for this key.
        """
        return await self._call(ops.get_job(job_id), CallContext(timeout=check_timeout(timeout)))

    async def list_jobs(self, timeout: float | httpx.Timeout | None = None) -> JobList:
        """List your jobs, newest first, as `JobList(jobs, count, detail)`."""
        return await self._call(ops.list_jobs(), CallContext(timeout=check_timeout(timeout)))

    async def get_job_status(
        self, job_id: str, timeout: float | httpx.Timeout | None = None
    ) -> JobStatus:
        """The light status of a job: ``processing_status``, ``progress`` and ``message``."""
        context = CallContext(timeout=check_timeout(timeout))
        return await self._call(ops.get_status(job_id), context)

    async def get_job_result(
        self,
        job_id: str,
        output_path: str | os.PathLike[str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        *,
        output_format: str | None = None,
    ) -> bytes | str:
        """Download a finished job's result.

        The download streams: with `output_path` it goes to disk chunk by chunk
        and appears there whole or not at all.

        Args:
            job_id: The job.
            output_path: A file to write, or a folder to write the server's file name
                into. Without it the bytes are returned.
            timeout: Seconds (or an `httpx.Timeout`) for each request.
            output_format: ``txt``, ``md``, ``json``, ``html`` or ``zip``; by default
                the format the job was created with.

        Returns:
            The result's bytes, or the path written (a `str`).

        Raises:
            JobProcessingError: The job failed; ``processing_error`` says why.
            ResultNotReadyError: The job has not finished.
            ValidationError: The format is unknown, or the service cannot convert to it.
        """
        check_job_id(job_id)
        fmt = check_result_format(output_format)
        context = CallContext(timeout=check_timeout(timeout))
        target = kept(output_path, job_id)
        try:
            await self._download(job_id, fmt, target, context)
        except ValidationError as refused:
            # A failed job has no result: say why it failed, rather than that it was refused.
            job = await self._call(ops.get_job(job_id), context)
            if job.is_failed:
                raise failed_job_error(job) from None
            raise refused
        return returned(target.result())

    async def wait_for_job(
        self,
        job_id: str,
        poll_interval: float | None = None,
        max_wait_time: float | None = 600,
        timeout: float | httpx.Timeout | None = None,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> Job:
        """Wait until a job finishes, polling its light status.

        Polls start at half a second and back off to ten (or every `poll_interval`
        seconds), and honour a server's ``Retry-After``.

        Args:
            job_id: The job.
            poll_interval: Fixed seconds between polls, instead of the backoff.
            max_wait_time: Seconds to wait at most (None: no limit).
            timeout: Seconds (or an `httpx.Timeout`) for each request.
            on_progress: Called with each `JobStatus` polled.

        Returns:
            The completed `Job`.

        Raises:
            JobProcessingError: The job failed; ``processing_error`` says why.
            JobTimeoutError: `max_wait_time` passed first.
        """
        check_job_id(job_id)
        check_wait(poll_interval, max_wait_time)
        wait = Wait(job_id, ops.get_job, poll_interval, max_wait_time)
        job: Job = await self._wait(wait, check_timeout(timeout), on_progress)
        return job

    async def process_document(  # noqa: PLR0917  (the earlier client's documented order)
        self,
        input_connector: InputLike | list[InputLike],
        output_connector: OutputConnector | None = None,
        processing_options: Options = None,
        output_path: str | os.PathLike[str] | list[str | os.PathLike[str] | None] | None = None,
        poll_interval: float | None = None,
        max_wait_time: float | None = 600,
        timeout: float | httpx.Timeout | None = None,
        max_workers: int = 5,
        *,
        nickname: str | None = None,
        on_progress: ProgressCallback | None = None,
        queue_for_batch: bool = False,
        split_pages: SplitPages = None,
    ) -> bytes | str | list[bytes | str]:
        """Create a job, wait for it and fetch its result: the whole run in one call.

        Args:
            input_connector: A connector or a file path, or a list of them.
            output_connector: Where results go; by default they come back as bytes.
            processing_options: `ProcessingOptions` or a dict of them.
            output_path: Where to write the result: a file, or a folder (an existing one,
                or a path ending in ``/``) to write ``<document name>.<format>`` into;
                for a list, one per document. Checked before anything is sent.
            poll_interval: Fixed seconds between polls, instead of the backoff.
            max_wait_time: Seconds to wait for each job at most.
            timeout: Seconds (or an `httpx.Timeout`) for each request.
            max_workers: For a list, how many documents are processed at once.
            nickname: A label for the job(s).
            on_progress: Called with each `JobStatus` polled.
            queue_for_batch: Use the service's cheaper, slower batch queue.
            split_pages: Send a PDF of more than this many pages as jobs of this many
                pages each, run at once, their results merged into the one a single job
                gives; ``"auto"`` splits PDFs over 10 MB in jobs of 50 pages. See the
                README's "Big PDFs"; needs ``pip install "byteit[pdf]"``.

        Returns:
            The result's bytes, or the path (or location) it was written to, as a
            `str`; for a list, one such per document, in input order.

        Raises:
            ValidationError: A bad document or option (nothing was sent).
            JobProcessingError: The job failed.
            BatchError: For a list, some documents failed; it holds every result.

        Example:
            >>> await client.process_document("report.docx", output_path="out/")
        """
        check_wait(poll_interval, max_wait_time)
        split = check_split_pages(split_pages)
        context = CallContext(timeout=check_timeout(timeout))
        # Checking the documents may touch S3 (a HEAD per object).
        plan = await offload_if(
            not checked_locally(input_connector, output_connector),
            make_plan,
            input_connector,
            output_connector,
            processing_options,
            output_path=output_path,
            nickname=nickname,
            queue_for_batch=queue_for_batch,
            max_workers=max_workers,
        )
        polls = PollSchedule.fixed(poll_interval) if poll_interval else None
        run = PlanRun(
            max_workers if plan.many else SPLIT_CONCURRENCY,
            context.timeout,
            polls=polls,
            max_wait_time=max_wait_time,
            on_status=on_progress,
            create_only=False,
        )
        if split is not None:
            now = self._config.clock.monotonic()
            found = await offload(plan_split, plan, run, split, polls=self._config.polls, now=now)
            if found is not None:
                return split_values([r async for r in self._run_split(*found)], many=plan.many)
        if not plan.many:
            job = await self._create(plan.requests[0], context)
            fmt = plan.options.output_format
            target = destination(job, plan.output, fmt, plan.paths[0])
            fresh = FreshJob(job, self._config.fresh_job_timer(poll_interval, max_wait_time))
            if target.open is None:
                await self._wait_fresh(fresh, context, on_progress)
            else:
                await self._fetch_when_ready(fresh, fmt, target, context, on_progress)
            return returned(target.result())
        return values_or_raise(await self._run_plan(plan, run), "documents")

    async def process_documents(
        self,
        inputs: InputLike | Sequence[InputLike],
        output_connector: OutputConnector | Sequence[OutputConnector] | None = None,
        processing_options: Options = None,
        output_dir: str | os.PathLike[str] | None = None,
        *,
        on_error: OnError = "raise",
        state_file: str | os.PathLike[str] | None = None,
        nickname: str | None = None,
        queue_for_batch: bool = False,
        max_concurrency: int = 64,
        poll_interval: float | None = None,
        max_wait_time: float | None = 600,
        timeout: float | httpx.Timeout | None = None,
        on_progress: BatchProgressCallback | None = None,
        progress_bar: bool = False,
        split_pages: SplitPages = None,
        max_credits: float | None = None,
    ) -> list[ItemResult[bytes | str]]:
        """Process many documents: files, folders (walked recursively) and connectors.

        Documents are created several to a request, polled together and downloaded
        as they finish. The depth in flight starts at 16 and grows while throughput
        grows, up to `max_concurrency`; it shrinks while the server pushes back. A
        document that cannot be sent (missing, empty, an unsupported
        type) gets its error in its result; see the README's "Batches".

        Args:
            inputs: A file, a folder or a connector, or a list of them.
            output_connector: Where results go: one for all, or one per input.
                By default each result comes back as bytes.
            processing_options: `ProcessingOptions` or a dict of them, for all.
            output_dir: A folder to write results into, mirroring the inputs:
                ``docs/a/b.pdf`` given as ``docs`` becomes ``<output_dir>/a/b.pdf.txt``.
            on_error: ``"raise"``: a `BatchError` holding every result if any
                document failed; ``"return"``: return the results, failures included.
            state_file: A file recording the batch as it goes. Run the same call again
                after a crash or Ctrl-C and finished documents are not sent again,
                jobs in flight are picked up by id, and none is created twice.
            nickname: A label for the jobs.
            queue_for_batch: Use the service's cheaper, slower batch queue.
            max_concurrency: Documents in flight at most (a hard cap).
            poll_interval: Fixed seconds between polls of a job, instead of the backoff.
            max_wait_time: Seconds to wait for each document's job at most.
            timeout: Seconds (or an `httpx.Timeout`) for each request.
            on_progress: Called with `BatchStats` whenever the counts change.
            progress_bar: Draw a progress bar on stderr (on a terminal).
            split_pages: Split big PDFs into page-range jobs, as `process_document`
                does; not with `state_file`. Progress then counts each chunk.
            max_credits: Create no new job once the credits spent, plus those of the
                jobs in flight (each at the highest cost seen), reach this; documents
                not started get a `BudgetExceededError`. Run the same call with its
                `state_file` and a higher cap to process only those.

        Returns:
            One `ItemResult` per document, in input order (folders expanded in
            sorted order): its ``value`` (bytes, or the path or location written, as a
            `str`) or its ``error``.

        Raises:
            ValidationError: A bad argument or state file (nothing was sent).
            BatchError: With ``on_error="raise"``, some documents failed.

        Example:
            >>> results = await client.process_documents(["inbox/"], state_file="inbox.batch")
        """
        policy = _batch_setup.check_on_error(on_error)
        results = self.process_documents_as_completed(
            inputs,
            output_connector,
            processing_options,
            output_dir,
            state_file=state_file,
            nickname=nickname,
            queue_for_batch=queue_for_batch,
            max_concurrency=max_concurrency,
            poll_interval=poll_interval,
            max_wait_time=max_wait_time,
            timeout=timeout,
            on_progress=on_progress,
            progress_bar=progress_bar,
            split_pages=split_pages,
            max_credits=max_credits,
        )
        return _batch_setup.by_input_order([item async for item in results], policy)

    def process_documents_as_completed(
        self,
        inputs: InputLike | Sequence[InputLike],
        output_connector: OutputConnector | Sequence[OutputConnector] | None = None,
        processing_options: Options = None,
        output_dir: str | os.PathLike[str] | None = None,
        *,
        state_file: str | os.PathLike[str] | None = None,
        nickname: str | None = None,
        queue_for_batch: bool = False,
        max_concurrency: int = 64,
        poll_interval: float | None = None,
        max_wait_time: float | None = 600,
        timeout: float | httpx.Timeout | None = None,
        on_progress: BatchProgressCallback | None = None,
        progress_bar: bool = False,
        split_pages: SplitPages = None,
        max_credits: float | None = None,
    ) -> AsyncIterator[ItemResult[bytes | str]]:
        """`process_documents`, yielding each document's result as it finishes.

        The arguments are those of `process_documents` and are checked at once;
        the batch runs as the iterator is consumed. Each `ItemResult` carries its
        ``index`` in the input. Failures are yielded, never raised. To stop early,
        close the iterator, so that the requests in flight are settled and the
        state file records them.

        Example:
            >>> async for item in client.process_documents_as_completed(paths):
            ...     print(item.input, "ok" if item.ok else item.error)
        """
        call = _batch_setup.check_call(
            inputs,
            output_connector,
            processing_options,
            output_dir,
            state_file=state_file,
            nickname=nickname,
            queue_for_batch=queue_for_batch,
            max_concurrency=max_concurrency,
            poll_interval=poll_interval,
            max_wait_time=max_wait_time,
            timeout=timeout,
            on_progress=on_progress,
            progress_bar=progress_bar,
            polls=self._config.polls,
            max_credits=max_credits,
        )
        return self._run_call(call, split=check_batch_split(split_pages, state_file))

    @overload
    async def extract(
        self,
        source: InputLike | Job,
        schema: type[M],
        *,
        complexity: str = "medium",
        nickname: str | None = None,
        max_wait_time: float | None = 600,
        poll_interval: float | None = None,
        timeout: float | httpx.Timeout | None = None,
        idempotency_key: str | None = None,
        validate: bool = True,
    ) -> Extraction[M]: ...

    @overload
    async def extract(
        self,
        source: InputLike | Job,
        schema: Mapping[str, Any] | SavedSchema | str,
        *,
        complexity: str = "medium",
        nickname: str | None = None,
        max_wait_time: float | None = 600,
        poll_interval: float | None = None,
        timeout: float | httpx.Timeout | None = None,
        idempotency_key: str | None = None,
        validate: bool = True,
    ) -> Extraction[dict[str, Any]]: ...

    async def extract(
        self,
        source: InputLike | Job,
        schema: SchemaLike,
        *,
        complexity: str = "medium",
        nickname: str | None = None,
        max_wait_time: float | None = 600,
        poll_interval: float | None = None,
        timeout: float | httpx.Timeout | None = None,
        idempotency_key: str | None = None,
        validate: bool = True,
    ) -> Extraction[Any]:
        """Extract structured data from a document into a pydantic model or a JSON Schema.

        A document is parsed first (to text); a parse `Job` or job id is reused, so
        extracting several schemas from one document parses it once.

        Args:
            source: A document (a path or an `InputConnector`), a parse `Job`, or a parse
                job's id (a `str` that names no file).
            schema: A pydantic model class, a JSON Schema dict, a `SavedSchema`, or a
                saved schema's name.
            complexity: ``low``, ``medium`` or ``high``.
            nickname: A label for the jobs.
            max_wait_time: Seconds to wait for each job at most (None: no limit).
            poll_interval: Fixed seconds between polls, instead of the backoff.
            timeout: Seconds (or an `httpx.Timeout`) for each request.
            idempotency_key: Your own key; each job this call creates gets it with a suffix.
            validate: Check the data against the schema (False: `data` is the raw dict).

        Returns:
            An `Extraction`: ``data`` (a model instance, or a dict), ``raw``, ``job``,
            ``parse_job_id`` and the ``credits`` this call spent.

        Raises:
            ValidationError: A bad argument (nothing was sent).
            ResourceNotFoundError: No such parse job or saved schema.
            JobProcessingError: The parse or the extract job failed.
            JobTimeoutError: A job ran longer than `max_wait_time`.
            ExtractionValidationError: The data does not match the schema.

        Example:
            >>> invoice = (await client.extract("invoice.pdf", Invoice)).data
        """
        settings = extract_settings(
            complexity=complexity,
            nickname=nickname,
            poll_interval=poll_interval,
            max_wait_time=max_wait_time,
            idempotency_key=idempotency_key,
            validate=validate,
        )
        spec = schema_spec(schema)
        request_timeout = check_timeout(timeout)
        parse = await offload(parse_source, source, settings)  # may ask S3 about the document
        return await self._run_flow(extract_flow(parse, spec, settings), request_timeout)

    async def create_extract_job(
        self,
        parse_job_id: str,
        schema: SchemaLike,
        *,
        complexity: str = "medium",
        nickname: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        idempotency_key: str | None = None,
    ) -> ExtractJob:
        """Start extracting `schema` (as for `extract`) from a completed parse job.

        Example:
            >>> job = await client.create_extract_job(parse_job.id, Invoice)
        """
        check_job_id(parse_job_id)
        settings = extract_settings(
            complexity=complexity, nickname=nickname, idempotency_key=idempotency_key
        )
        flow = create_extract_flow(parse_job_id, schema_spec(schema), settings)
        job, _spec = await self._run_flow(flow, check_timeout(timeout))
        return job

    async def get_extract_job(
        self, job_id: str, timeout: float | httpx.Timeout | None = None
    ) -> ExtractJob:
        """Read an extract job.

        Raises:
            ResourceNotFoundError: No such extract job for this key.
        """
        context = CallContext(timeout=check_timeout(timeout))
        return await self._call(xops.get_extract_job(job_id), context)

    async def list_extract_jobs(
        self, timeout: float | httpx.Timeout | None = None
    ) -> list[ExtractJob]:
        """Your extract jobs, newest first."""
        context = CallContext(timeout=check_timeout(timeout))
        return await self._call(xops.list_extract_jobs(), context)

    async def get_extract_result(
        self, job_id: str, timeout: float | httpx.Timeout | None = None
    ) -> dict[str, Any]:
        """A finished extract job's data, as the service sent it (not validated).

        Raises:
            ResultNotReadyError: The job has not finished.
            JobProcessingError: The job failed.
        """
        check_job_id(job_id)
        return await self._run_flow(extract_result_flow(job_id), check_timeout(timeout))

    async def wait_for_extract_job(
        self,
        job_id: str,
        poll_interval: float | None = None,
        max_wait_time: float | None = 600,
        timeout: float | httpx.Timeout | None = None,
    ) -> ExtractJob:
        """Wait until an extract job finishes, as `wait_for_job` waits for a parse job.

        Raises:
            JobProcessingError: The job failed; ``processing_error`` says why.
            JobTimeoutError: `max_wait_time` passed first.
        """
        check_job_id(job_id)
        check_wait(poll_interval, max_wait_time)
        wait = Wait(job_id, xops.get_extract_job, poll_interval, max_wait_time)
        job: ExtractJob = await self._wait(wait, check_timeout(timeout))
        return job

    async def extract_documents(
        self,
        inputs: InputLike | Sequence[InputLike],
        schema: SchemaLike,
        *,
        output_dir: str | os.PathLike[str] | None = None,
        on_error: OnError = "raise",
        state_file: str | os.PathLike[str] | None = None,
        complexity: str = "medium",
        nickname: str | None = None,
        validate: bool = True,
        max_concurrency: int = 16,
        poll_interval: float | None = None,
        max_wait_time: float | None = 600,
        timeout: float | httpx.Timeout | None = None,
        on_progress: BatchProgressCallback | None = None,
        progress_bar: bool = False,
        max_credits: float | None = None,
    ) -> list[ItemResult[Any]]:
        """Extract `schema` from many documents: each parsed (to text), then extracted.

        It runs on the batch engine, as `process_documents` does: input order,
        per-document errors, adaptive concurrency, list polling of both job kinds,
        and a `state_file` to resume from after a crash without creating any job twice.

        Args:
            inputs: A file, a folder or a connector, or a list of them.
            schema: As for `extract`: a pydantic model class, a JSON Schema dict, a
                `SavedSchema` or a saved schema's name (read once, before the batch).
            output_dir: A folder to write each document's data into as JSON, mirroring
                the inputs: ``docs/a.pdf`` becomes ``<output_dir>/a.pdf.extract.json``
                (beside where its parse result, ``a.pdf.json``, would go).
            on_error: ``"raise"`` (a `BatchError` holding every result) or ``"return"``.
            state_file: A file recording the batch, to resume it by running it again.
            complexity: As for `extract`.
            nickname: A label for the jobs.
            validate: As for `extract`.
            max_concurrency: Jobs in flight at most, in each stage.
            poll_interval: As for `process_documents`.
            max_wait_time: Seconds to wait for each job at most.
            timeout: Seconds (or an `httpx.Timeout`) for each request.
            on_progress: Called with `BatchStats` whenever the counts change.
            progress_bar: Draw a progress bar on stderr (on a terminal).
            max_credits: As for `process_documents`; the cap counts both job kinds.

        Returns:
            One `ItemResult` per document, in input order: its ``value`` is the
            `Extraction`, or with `output_dir` the path written (a `str`).

        Raises:
            ValidationError: A bad argument (nothing was sent).
            BatchError: With ``on_error="raise"``, some documents failed.

        Example:
            >>> results = await client.extract_documents("inbox/", Invoice, output_dir="out/")
        """
        policy = _batch_setup.check_on_error(on_error)
        results = self.extract_documents_as_completed(
            inputs,
            schema,
            output_dir=output_dir,
            state_file=state_file,
            complexity=complexity,
            nickname=nickname,
            validate=validate,
            max_concurrency=max_concurrency,
            poll_interval=poll_interval,
            max_wait_time=max_wait_time,
            timeout=timeout,
            on_progress=on_progress,
            progress_bar=progress_bar,
            max_credits=max_credits,
        )
        return _batch_setup.by_input_order([item async for item in results], policy)

    def extract_documents_as_completed(
        self,
        inputs: InputLike | Sequence[InputLike],
        schema: SchemaLike,
        *,
        output_dir: str | os.PathLike[str] | None = None,
        state_file: str | os.PathLike[str] | None = None,
        complexity: str = "medium",
        nickname: str | None = None,
        validate: bool = True,
        max_concurrency: int = 16,
        poll_interval: float | None = None,
        max_wait_time: float | None = 600,
        timeout: float | httpx.Timeout | None = None,
        on_progress: BatchProgressCallback | None = None,
        progress_bar: bool = False,
        max_credits: float | None = None,
    ) -> AsyncIterator[ItemResult[Any]]:
        """`extract_documents`, yielding each document's result as it finishes.

        The arguments are checked at once; the batch runs as the iterator is consumed.

        Example:
            >>> async for item in client.extract_documents_as_completed(paths, Invoice):
            ...     print(item.input, item.value.data if item.ok else item.error)
        """
        spec = schema_spec(schema)
        settings = extract_settings(
            complexity=complexity,
            nickname=nickname,
            poll_interval=poll_interval,
            max_wait_time=max_wait_time,
            validate=validate,
        )
        call = _batch_setup.check_call(
            inputs,
            None,
            {"output_format": "txt"},  # the text is all an extraction reads
            output_dir,
            state_file=state_file,
            nickname=nickname,
            queue_for_batch=False,
            max_concurrency=max_concurrency,
            poll_interval=poll_interval,
            max_wait_time=max_wait_time,
            timeout=timeout,
            on_progress=on_progress,
            progress_bar=progress_bar,
            polls=self._config.polls,
            max_credits=max_credits,
        )
        return self._run_call(attrs.evolve(call, extract=True), ManyExtractions(spec, settings))

    @overload
    async def custom_job(
        self,
        inputs: InputLike | Sequence[InputLike],
        schema: None = None,
        *,
        user_prompt: str | None = None,
        nickname: str | None = None,
        max_wait_time: float | None = 600,
        poll_interval: float | None = None,
        timeout: float | httpx.Timeout | None = None,
        idempotency_key: str | None = None,
        validate: bool = True,
    ) -> str: ...

    @overload
    async def custom_job(
        self,
        inputs: InputLike | Sequence[InputLike],
        schema: type[M],
        *,
        user_prompt: str | None = None,
        nickname: str | None = None,
        max_wait_time: float | None = 600,
        poll_interval: float | None = None,
        timeout: float | httpx.Timeout | None = None,
        idempotency_key: str | None = None,
        validate: bool = True,
    ) -> Extraction[M]: ...

    @overload
    async def custom_job(
        self,
        inputs: InputLike | Sequence[InputLike],
        schema: Mapping[str, Any] | SavedSchema | str,
        *,
        user_prompt: str | None = None,
        nickname: str | None = None,
        max_wait_time: float | None = 600,
        poll_interval: float | None = None,
        timeout: float | httpx.Timeout | None = None,
        idempotency_key: str | None = None,
        validate: bool = True,
    ) -> Extraction[dict[str, Any]]: ...

    async def custom_job(
        self,
        inputs: InputLike | Sequence[InputLike],
        schema: SchemaLike | None = None,
        *,
        user_prompt: str | None = None,
        nickname: str | None = None,
        max_wait_time: float | None = 600,
        poll_interval: float | None = None,
        timeout: float | httpx.Timeout | None = None,
        idempotency_key: str | None = None,
        validate: bool = True,
    ) -> Extraction[Any] | str:
        """One job over several documents, with an optional schema and a prompt.

        Args:
            inputs: A document or a list of them (local files or in-memory documents).
            schema: As for `extract`; without one the result is text (e.g. Markdown).
            user_prompt: Instructions for the job, in plain words.
            The others: as for `extract`.

        Returns:
            An `Extraction` (``parse_job_id`` None) with a schema, else the text.

        Raises:
            As `extract` does.

        Example:
            >>> summary = await client.custom_job(["a.pdf", "b.pdf"], user_prompt="Compare")
        """
        settings = extract_settings(
            nickname=nickname,
            poll_interval=poll_interval,
            max_wait_time=max_wait_time,
            idempotency_key=idempotency_key,
            validate=validate,
        )
        spec = None if schema is None else schema_spec(schema)
        prompt = check_prompt(user_prompt)
        request_timeout = check_timeout(timeout)
        sources = await offload(custom_sources, inputs)
        return await self._run_flow(custom_flow(sources, spec, prompt, settings), request_timeout)

    async def get_custom_job(
        self, job_id: str, timeout: float | httpx.Timeout | None = None
    ) -> CustomJob:
        """Read a custom job.

        Raises:
            ResourceNotFoundError: No such custom job for this key.
        """
        context = CallContext(timeout=check_timeout(timeout))
        return await self._call(xops.get_custom_job(job_id), context)

    async def list_custom_jobs(
        self, before: datetime | None = None, timeout: float | httpx.Timeout | None = None
    ) -> list[CustomJob]:
        """Your custom jobs created before `before` (all of them by default), newest
        first, reading every page of the service's ``before`` cursor."""
        context = CallContext(timeout=check_timeout(timeout))
        pages = CursorPages(check_before(before))
        while True:
            page = await self._call(xops.list_custom_jobs(pages.cursor), context)
            if not pages.add(page):
                return pages.jobs

    async def get_custom_job_result(
        self, job_id: str, timeout: float | httpx.Timeout | None = None
    ) -> bytes:
        """A finished custom job's result: JSON bytes with a schema, text without.

        Raises:
            ResultNotReadyError: The job has not finished.
            JobProcessingError: The job failed.
        """
        check_job_id(job_id)
        step = Download(xops.custom_result(job_id), job_id)
        context = CallContext(timeout=check_timeout(timeout))
        try:
            result: bytes = await self._step(step, context)
        except ValidationError as refused:
            job = await self._call(xops.get_custom_job(job_id), context)
            if job.is_failed:
                raise failed_job_error(job) from None
            raise refused
        return result

    async def save_schema(
        self,
        name: str,
        schema: type[pydantic.BaseModel] | Mapping[str, Any],
        timeout: float | httpx.Timeout | None = None,
    ) -> SavedSchema:
        """Save a JSON Schema (or a pydantic model's, as `extract` sends it) under `name`.

        Saving the same content under the same name again is a no-op.

        Raises:
            ValidationError: `name` holds another schema already, or a bad schema.

        Example:
            >>> await client.save_schema("invoice", Invoice)
        """
        check_schema_name(name)
        spec = schema_spec(schema) if not isinstance(schema, str) else None
        if spec is None or spec.wire is None or spec.saved_name is not None:
            raise ValidationError(
                f"save_schema takes a pydantic model class or a JSON Schema dict, not {schema!r}"
            )
        return await self._run_flow(save_schema_flow(name, spec.wire), check_timeout(timeout))

    async def list_schemas(self, timeout: float | httpx.Timeout | None = None) -> list[SavedSchema]:
        """Your saved schemas."""
        return await self._call(xops.list_schemas(), CallContext(timeout=check_timeout(timeout)))

    async def get_schema(
        self, name: str, timeout: float | httpx.Timeout | None = None
    ) -> SavedSchema:
        """A saved schema.

        Raises:
            ResourceNotFoundError: No schema of that name.
        """
        context = CallContext(timeout=check_timeout(timeout))
        return await self._call(xops.get_schema(name), context)

    async def delete_schema(self, name: str, timeout: float | httpx.Timeout | None = None) -> None:
        """Delete a saved schema.

        Raises:
            ResourceNotFoundError: No schema of that name.
        """
        context = CallContext(timeout=check_timeout(timeout))
        await self._call(xops.delete_schema(name), context)

    async def aclose(self) -> None:
        """Close the connections this client opened (not an `http_client` you passed)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _run_call(
        self,
        call: _batch_setup.BatchCall,
        many: ManyExtractions | None = None,
        *,
        split: SplitPages = None,
    ) -> AsyncIterator[ItemResult[Any]]:
        if many is not None and many.spec.wire is None:  # a saved schema's name: read it once
            spec = await self._run_flow(resolved(many.spec), call.settings.timeout)
            many = attrs.evolve(many, spec=spec)
        now = self._config.clock.monotonic()
        scheduler, journal = await start_batch(call, now)
        split_run: tuple[BatchScheduler, SplitBatch] | None = None
        if split is not None and isinstance(scheduler, BatchScheduler):  # never a pipeline
            parsing, batch = await offload(split_batch, scheduler, call.options, split, now)
            scheduler, split_run = parsing, None if batch is None else (parsing, batch)
        reporter = ProgressReporter(
            len(scheduler.items), callback=call.on_progress, bar=call.progress_bar
        )
        running = (
            self._drive(scheduler, reporter, many)
            if split_run is None
            else self._run_split(*split_run, reporter)
        )
        try:
            async with contextlib.aclosing(running) as results:
                async for result in results:
                    yield result
        finally:
            reporter.close()
            if journal is not None:
                journal.close()

    async def _run_plan(self, plan: Plan, run: PlanRun) -> list[ItemResult[Any]]:
        now = self._config.clock.monotonic()
        scheduler = _batch_setup.from_plan(plan, run, polls=self._config.polls, now=now)
        reporter = ProgressReporter(len(plan.requests), callback=None, bar=False)
        with contextlib.closing(reporter):
            async with contextlib.aclosing(self._drive(scheduler, reporter)) as running:
                results = [result async for result in running]
        return sorted(results, key=lambda result: result.index)

    def _drive(
        self,
        scheduler: Driven,
        reporter: ProgressReporter,
        many: ManyExtractions | None = None,
    ) -> AsyncGenerator[ItemResult[Any], None]:
        context = CallContext(pressure=scheduler.pressure, timeout=scheduler.settings.timeout)
        fmt = scheduler.settings.output_format

        async def perform(work: _work.Work) -> _work.Outcome:
            if many is not None and is_extract(work):
                return await self._perform_extract(work, context, many)
            return await self._perform(work, context, fmt)

        return run_batch(scheduler, perform, self._config.clock, reporter)

    async def _perform_extract(
        self, work: _work.Work, context: CallContext, many: ManyExtractions
    ) -> _work.Outcome:
        """One request of a batch's extract stage (`_batch._pipeline`)."""
        settings = many.settings
        match work:
            case _work.CreateWork():
                item = work.items[0]
                assert isinstance(item, ExtractItem)
                assert many.spec.wire is not None
                operation = xops.create_extract_job(
                    item.parse_job_id,
                    many.spec.wire,
                    settings.complexity,
                    settings.nickname,
                    work.key,
                )
                created: ExtractJob = await self._call(operation, context)
                return _work.Created(work, [created])
            case _work.ListPollWork():
                found, size = await self._call(xops.list_extract_jobs_among(work.job_ids), context)
                return _work.Listed(work, found, size)
            case _work.StatusPollWork():
                poll = await self._poll(work.job_id, context, read=xops.get_extract_job)
                if poll.status.is_processing:
                    return _work.Polled(work, poll.status)
                finished: ExtractJob = await self._call(xops.get_extract_job(work.job_id), context)
                return _work.Polled(work, finished)
            case _work.DeliverWork():
                item, job = work.item, work.job
                assert isinstance(item, ExtractItem)
                assert isinstance(job, ExtractJob)
                answer = await self._call(xops.get_extract_result(job.id), context)
                extraction = many.extraction(answer, job, item.parse_job_id)
                if item.path is None:
                    return _work.Delivered(work, extraction)
                return _work.Delivered(work, await offload(write_extraction, item.path, extraction))

    async def _run_split(
        self,
        scheduler: BatchScheduler,
        batch: SplitBatch,
        reporter: ProgressReporter | None = None,
    ) -> AsyncGenerator[ItemResult[Any], None]:
        """Run a batch holding split documents' chunks: each document's result is merged
        and written once its chunks are in; failed chunks are sent again alone."""
        settings = scheduler.settings
        current: BatchScheduler | None = scheduler
        while current is not None:
            owned = reporter is None  # rounds of retries run without the caller's progress
            progress = reporter or ProgressReporter(len(current.items), callback=None, bar=False)
            reporter = None
            try:
                async with contextlib.aclosing(self._drive(current, progress)) as running:
                    async for result in running:
                        taken = batch.absorb(result)
                        if isinstance(taken, SplitDocument):
                            taken = await self._write_merged(taken, settings.output_format)
                        if taken is not None:
                            yield taken
            finally:
                if owned:
                    progress.close()
            current = batch.retry(settings, self._config.clock.monotonic())
        for failed in batch.failures():
            yield failed

    async def _write_merged(self, document: SplitDocument, output_format: str) -> ItemResult[Any]:
        """Merge a split document's chunks and write the result where it was to go."""
        item = document.item
        try:
            job, body = document.merged(output_format)
            target = destination(job, item.output, output_format, item.path)
            assert target.open is not None  # documents are split only where the client writes
            answer = document.answer(job, output_format)
            async with entered(target.open(answer), blocking=target.blocking) as sink:
                await writer(sink, blocking=target.blocking)(body)
        except ByteITError as exc:
            return ItemResult(item.index, item.given, error=exc)
        return ItemResult(item.index, item.given, returned(target.result()))

    async def _perform(
        self, work: _work.Work, context: CallContext, output_format: str
    ) -> _work.Outcome:
        """Make one request the batch asked for; its errors are the driver's to catch."""
        if _work.is_poll(work):
            context = attrs.evolve(context, within=0.0)  # no time for retries: sent once
        match work:
            case _work.CreateWork():
                return _work.Created(work, await self._create_group(work, context))
            case _work.ListPollWork():
                found, size = await self._call(ops.list_jobs_among(work.job_ids), context)
                return _work.Listed(work, found, size)
            case _work.StatusPollWork():
                return _work.Polled(work, await self._poll_job(work.job_id, context))
            case _work.DeliverWork():
                item = work.item
                assert isinstance(work.job, Job)
                value = await self._deliver(
                    work.job, item.output, output_format, item.path, context
                )
                return _work.Delivered(work, value)

    async def _create_group(
        self, work: _work.CreateWork, context: CallContext
    ) -> list[Job | ByteITError]:
        requests = [item.request for item in work.items if item.request is not None]
        created = await self._call(create_operation(requests, work.key), context)
        if isinstance(created, str):
            created = await self._call(ops.get_job(created), context)
        return match_created(requests, created)

    async def _poll_job(self, job_id: str, context: CallContext) -> Job | JobStatus:
        """A job's status, or the whole job once it has finished."""
        poll = await self._poll(job_id, context)
        if poll.status.is_processing:
            return poll.status
        return await self._call(ops.get_job(job_id), context)

    async def _create(self, request: CreateRequest, context: CallContext) -> Job:
        created = await self._call(request.operation(), context)
        if isinstance(created, str):  # an older server answers with the id alone
            return await self._call(ops.get_job(created), context)
        return created

    async def _wait(
        self,
        wait: Wait,
        request_timeout: httpx.Timeout | None,
        on_progress: ProgressCallback | None = None,
    ) -> Any:
        """Poll a job of any kind (``wait.read`` reads it) until it finishes; raise if it
        failed."""
        clock = self._config.clock
        job_id, read = wait.job_id, wait.read
        timer = self._config.poll_timer(wait.poll_interval, wait.max_wait_time)
        status_endpoint = True
        while True:
            within = timer.remaining(clock.monotonic())
            context = CallContext(within=within, timeout=request_timeout)
            poll = await self._poll(job_id, context, status_endpoint=status_endpoint, read=read)
            status_endpoint = poll.status_endpoint
            if on_progress is not None:
                on_progress(poll.status)
            if not poll.status.is_processing:
                job = await self._call(read(job_id), context)
                if job.is_failed:
                    raise failed_job_error(job)
                return job
            delay = timer.next_delay(clock.monotonic(), retry_after=poll.retry_after)
            if delay is None:
                raise timeout_error(job_id, timer.waited(clock.monotonic()))
            logger.debug(
                "job %s is %s: next poll in %.2f s", job_id, poll.status.processing_status, delay
            )
            await clock.asleep(delay)

    async def _poll(
        self,
        job_id: str,
        context: CallContext,
        *,
        status_endpoint: bool = True,
        read: Callable[[str], Operation[Any]] = ops.get_job,
    ) -> Poll:
        """One poll, of the light status endpoint while the server has it."""
        if status_endpoint:
            try:
                status, headers = await self._call_with_headers(ops.get_status(job_id), context)
                return Poll(status, parse_retry_after(headers.get("Retry-After"), now=None))
            except ResourceNotFoundError:
                logger.debug("no status endpoint for job %s: reading the job instead", job_id)
        job, _headers = await self._call_with_headers(read(job_id), context)
        status = JobStatus(job_id=job.id, processing_status=job.processing_status)
        return Poll(status, status_endpoint=False)

    async def _fetch_when_ready(
        self,
        fresh: FreshJob,
        output_format: str,
        target: Destination[Result],
        context: CallContext,
        on_progress: ProgressCallback | None,
    ) -> None:
        """Poll a fresh job by asking for its result: the answer that finds it done is
        the result itself, so neither a status call nor a second GET follows."""
        while True:
            polling = await self._pause(fresh, context)
            try:
                await self._download(fresh.job.id, output_format, target, polling)
            except ResultNotReadyError as exc:
                status = fresh.status(exc.processing_status)
            except ValidationError:  # a failed job's result is refused: say why it failed
                await self._raise_if_failed(fresh.job.id, polling)
                raise
            else:
                if on_progress is not None:
                    on_progress(fresh.status("completed"))
                return
            if on_progress is not None:
                on_progress(status)
            if status.is_failed:
                await self._raise_if_failed(fresh.job.id, polling)

    async def _wait_fresh(
        self, fresh: FreshJob, context: CallContext, on_progress: ProgressCallback | None
    ) -> None:
        """Wait for a fresh job whose result the service delivers itself."""
        while True:
            polling = await self._pause(fresh, context)
            poll = await self._poll(fresh.job.id, polling)
            if on_progress is not None:
                on_progress(poll.status)
            if poll.status.is_failed:
                await self._raise_if_failed(fresh.job.id, polling)
            if not poll.status.is_processing:
                return

    async def _pause(self, fresh: FreshJob, context: CallContext) -> CallContext:
        """Wait until the fresh job's next poll; the poll's context, bounded by what is
        left of `max_wait_time`."""
        clock = self._config.clock
        delay = fresh.next_delay(clock.monotonic())
        if delay is None:
            raise timeout_error(fresh.job.id, fresh.timer.waited(clock.monotonic()))
        if delay:
            await clock.asleep(delay)
        return attrs.evolve(context, within=fresh.timer.remaining(clock.monotonic()))

    async def _raise_if_failed(self, job_id: str, context: CallContext) -> None:
        job = await self._call(ops.get_job(job_id), context)
        if job.is_failed:
            raise failed_job_error(job)

    async def _deliver(
        self,
        job: Job,
        output: OutputConnector,
        output_format: str,
        output_path: str | os.PathLike[str] | None,
        context: CallContext,
    ) -> Result:
        target = destination(job, output, output_format, output_path)
        if target.open is not None:
            await self._download(job.id, output_format, target, context)
        return target.result()

    async def _run_flow(self, flow: Flow[T], request_timeout: httpx.Timeout | None) -> T:
        """Take a flow's steps one by one, sending each answer (or error) back into it."""
        context = CallContext(timeout=request_timeout)
        answer: Any = None
        error: ByteITError | None = None
        while True:
            try:
                step = flow.send(answer) if error is None else flow.throw(error)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
            answer, error = None, None
            try:
                answer = await self._step(step, context)
            except ByteITError as exc:
                error = exc

    async def _step(self, step: Step, context: CallContext) -> Any:
        match step:
            case Call():
                return await self._call(step.operation, context)
            case Wait():
                return await self._wait(step, context.timeout)
            case Download():
                target = kept(None, step.job_id)
                await self._download(step.job_id, None, target, context, step.operation)
                return target.result()

    async def _call(self, operation: Operation[T], context: CallContext = ALONE) -> T:
        return (await self._call_with_headers(operation, context))[0]

    async def _call_with_headers(
        self, operation: Operation[T], context: CallContext
    ) -> tuple[T, httpx.Headers]:
        state = self._config.start_retries(operation, context)
        while True:
            try:
                async with self._attempts(operation, state, context) as response:
                    body = await response.aread()
            except httpx.TransportError as exc:  # the answer broke off: sent again, if safe
                delay = self._config.retry_delay_or_raise(state, exc, operation)
                await self._config.clock.asleep(delay)
                continue
            return operation.finish(response, body, self._config.settings.api_key), response.headers

    @contextlib.asynccontextmanager
    async def _attempts(
        self, operation: Operation[Any], state: RetryState, context: CallContext
    ) -> AsyncIterator[httpx.Response]:
        """Send `operation` until it succeeds or may not be retried; yield the open answer."""
        clock = self._config.clock
        while True:
            async with entered(operation.build(), blocking=operation.blocking) as kwargs:
                timeout = self._config.request_timeout(context)
                request = ops.build_request(self._http, self.base_url, kwargs, timeout)
                try:
                    response = await send(
                        self._http, request, auth=self._config.auth, blocking=operation.blocking
                    )
                except httpx.TransportError as exc:
                    await clock.asleep(self._config.retry_delay_or_raise(state, exc, operation))
                    continue
            try:
                delay = state.after_response(response, clock.monotonic())
                if delay is None:
                    yield response
                    return
            finally:
                await response.aclose()
            await clock.asleep(delay)

    async def _download(
        self,
        job_id: str,
        output_format: str | None,
        target: Destination[Result],
        context: CallContext,
        operation: Operation[None] | None = None,
    ) -> None:
        """Stream a result into a sink, starting over (in a fresh sink) if it breaks off.
        A `blocking` sink (S3) is opened, written and closed off the event loop.
        `operation`: another job kind's download (a parse job's by default)."""
        operation = operation or ops.result_operation(job_id, output_format)
        state = self._config.start_retries(operation, context)
        open_sink, blocking = target.open, target.blocking
        assert open_sink is not None
        while True:
            try:
                async with self._attempts(operation, state, context) as response:
                    if ops.needs_body(response):
                        body = await response.aread()
                        ops.raise_for_result(
                            job_id, operation, response, body, self._config.settings.api_key
                        )
                        async with entered(open_sink(response), blocking=blocking) as sink:
                            await writer(sink, blocking=blocking)(body)
                        return
                    async with entered(open_sink(response), blocking=blocking) as sink:
                        write = writer(sink, blocking=blocking)
                        async for chunk in response.aiter_bytes(_CHUNK):
                            await write(chunk)
                return
            except httpx.TransportError as exc:
                delay = self._config.retry_delay_or_raise(state, exc, operation)
                logger.debug("result of job %s broke off (%r): starting over", job_id, exc)
                await self._config.clock.asleep(delay)
