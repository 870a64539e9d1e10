"""`AsyncByteITClient`: the asyncio client, the same API as `ByteITClient`, awaitable."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx
from typing_extensions import Self

from byteit._batch import _setup as _batch_setup
from byteit._batch._pressure import BatchPressure
from byteit._batch._progress import ProgressReporter
from byteit._batch._results import ItemResult, values_or_raise
from byteit._batch._scheduler import BatchScheduler, CreateWork, ListPollWork, StatusPollWork, Work
from byteit._batch._setup import BatchProgressCallback, OnError
from byteit._batch._tasks import run_batch
from byteit._checks import check_job_id, check_result_format, check_wait
from byteit._clients._config import ClientConfig
from byteit._clients._offload import ThreadedBody, entered, writer
from byteit._clients._sync_client import DEFAULT_TIMEOUT, Options, ProgressCallback, Result
from byteit._clock import SYSTEM_CLOCK, Clock
from byteit._delivery._sinks import MemorySink, PathSink, SinkOpener, connector_opener
from byteit._http._operations import (
    Operation,
    build_request,
    get_job,
    get_status,
    list_jobs,
    list_jobs_among,
    needs_body,
    raise_for_result,
    result_operation,
)
from byteit._jobs._create import CreateRequest, InputLike, create_operation, match_created
from byteit._jobs._failures import failed_job_error, timeout_error
from byteit._jobs._plan import Plan, make_plan
from byteit.connectors import OutputConnector
from byteit.exceptions import ResourceNotFoundError
from byteit.models import Job, JobList, JobStatus
from byteit.polling import PollSchedule
from byteit.retry import RetryPolicy, RetryState, parse_retry_after

__all__ = ["AsyncByteITClient"]

T = TypeVar("T")
_CHUNK = 1 << 16


class AsyncByteITClient:
    """The asyncio ByteIT client: `ByteITClient`'s methods, awaitable.

    It runs inside any event loop (Jupyter's included) and never blocks it on
    network I/O.

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
        self._config = ClientConfig.create(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            poll_schedule=poll_schedule,
            clock=clock,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=self._config.timeout)

    def __repr__(self) -> str:
        return f"AsyncByteITClient(base_url={self.base_url!r})"

    @property
    def base_url(self) -> str:
        """The service this client talks to."""
        return self._config.settings.base_url

    @property
    def _secret(self) -> str:
        return self._config.settings.api_key

    # --- jobs -------------------------------------------------------------------------

    async def create_job(
        self,
        input_connector: InputLike | list[InputLike],
        output_connector: OutputConnector | None = None,
        processing_options: Options = None,
        *,
        nickname: str | None = None,
        idempotency_key: str | None = None,
        max_workers: int = 5,
    ) -> Job | list[Job]:
        """Create a parse job for a document, or one per document of a list.

        Every document and option is checked before the first request. Creation
        is retried with the same ``Idempotency-Key``, so a retry never makes a
        second job on a server that honours it.

        Args:
            input_connector: A connector or a file path, or a list of them.
            output_connector: Where the result goes; ByteIT storage by default.
            processing_options: `ProcessingOptions` or a dict of them.
            nickname: A label for the job.
            idempotency_key: Your own key for a single document (one is made otherwise).
            max_workers: For a list, how many jobs are created at once.

        Returns:
            The `Job`, or for a list a `list[Job]` in input order.

        Raises:
            ValidationError: A bad document or option (nothing was sent).
            BatchError: For a list, some creations failed; it holds every result.

        Example:
            >>> job = client.create_job("scan.png", processing_options={"languages": ["de"]})
        """
        # Checking the documents may touch S3 (a HEAD per object): off the event loop.
        plan = await asyncio.to_thread(
            make_plan,
            input_connector,
            output_connector,
            processing_options,
            nickname=nickname,
            idempotency_key=idempotency_key,
            max_workers=max_workers,
        )
        if not plan.many:
            return await self._create(plan.requests[0])
        results = await self._run_plan(plan, max_workers, None, None)
        return values_or_raise(results, "job creations")

    async def get_job(self, job_id: str) -> Job:
        """Read a job.

        Raises:
            ResourceNotFoundError: No such job for this key.
        """
        return await self._call(get_job(job_id))

    async def list_jobs(self) -> JobList:
        """List your jobs, newest first, as `JobList(jobs, count, detail)`."""
        return await self._call(list_jobs())

    async def get_job_status(self, job_id: str) -> JobStatus:
        """The light status of a job: ``processing_status``, ``progress`` and ``message``."""
        return await self._call(get_status(job_id))

    async def get_job_result(
        self,
        job_id: str,
        output_path: str | os.PathLike[str] | None = None,
        output_format: str | None = None,
    ) -> bytes | Path:
        """Download a finished job's result.

        The download streams: with `output_path` it goes to disk chunk by chunk
        and appears there whole or not at all.

        Args:
            job_id: The job.
            output_path: A file to write, or a folder to write the server's file name
                into. Without it the bytes are returned.
            output_format: ``txt``, ``md``, ``json``, ``html`` or ``zip``; by default
                the format the job was created with.

        Returns:
            The result's bytes, or the path written.

        Raises:
            ResultNotReadyError: The job has not finished.
            ValidationError: The format is unknown, or the service cannot convert to it.
        """
        check_job_id(job_id)
        fmt = check_result_format(output_format)
        sink = MemorySink() if output_path is None else PathSink(output_path, job_id)
        await self._download(job_id, fmt, sink.open)
        return sink.value if isinstance(sink, MemorySink) else sink.path

    async def wait_for_job(
        self,
        job_id: str,
        poll_interval: float | None = None,
        max_wait_time: float | None = 600,
        on_progress: ProgressCallback | None = None,
    ) -> Job:
        """Wait until a job finishes, polling its light status.

        Polls start at half a second and back off to ten (or every `poll_interval`
        seconds), and honour a server's ``Retry-After``.

        Args:
            job_id: The job.
            poll_interval: Fixed seconds between polls, instead of the backoff.
            max_wait_time: Seconds to wait at most (None: no limit).
            on_progress: Called with each `JobStatus` polled.

        Returns:
            The completed `Job`.

        Raises:
            JobProcessingError: The job failed; ``processing_error`` says why.
            JobTimeoutError: `max_wait_time` passed first.
        """
        check_job_id(job_id)
        check_wait(poll_interval, max_wait_time)
        timer = self._config.poll_timer(poll_interval, max_wait_time)
        use_status = True
        while True:
            within = timer.remaining(self._config.clock.monotonic())
            status, retry_after, use_status = await self._poll(job_id, use_status, within)
            if on_progress is not None:
                on_progress(status)
            if not status.is_processing:
                job = await self.get_job(job_id)
                if job.is_failed:
                    raise failed_job_error(job)
                return job
            delay = timer.next_delay(self._config.clock.monotonic(), retry_after=retry_after)
            if delay is None:
                raise timeout_error(job_id, timer.waited(self._config.clock.monotonic()))
            await self._config.clock.asleep(delay)

    async def process_document(
        self,
        input_connector: InputLike | list[InputLike],
        output_connector: OutputConnector | None = None,
        processing_options: Options = None,
        output_path: str | os.PathLike[str] | list[str | os.PathLike[str] | None] | None = None,
        *,
        nickname: str | None = None,
        max_wait_time: float | None = 600,
        on_progress: ProgressCallback | None = None,
        max_workers: int = 5,
    ) -> Result | list[Result]:
        """Create a job, wait for it and fetch its result: the whole run in one call.

        Args:
            input_connector: A connector or a file path, or a list of them.
            output_connector: Where results go; by default they come back as bytes.
            processing_options: `ProcessingOptions` or a dict of them.
            output_path: Where to write the result (a list, one per document, for a list).
            nickname: A label for the job(s).
            max_wait_time: Seconds to wait for each job at most.
            on_progress: Called with each `JobStatus` polled.
            max_workers: For a list, how many documents are processed at once.

        Returns:
            The result's bytes, or the path (or location) it was written to; for a
            list, one such per document, in input order.

        Raises:
            ValidationError: A bad document or option (nothing was sent).
            JobProcessingError: The job failed.
            BatchError: For a list, some documents failed; it holds every result.

        Example:
            >>> client.process_document("report.docx", processing_options={"output_format": "md"})
        """
        check_wait(None, max_wait_time)
        # Checking the documents may touch S3 (a HEAD per object): off the event loop.
        plan = await asyncio.to_thread(
            make_plan,
            input_connector,
            output_connector,
            processing_options,
            output_path=output_path,
            nickname=nickname,
            max_workers=max_workers,
        )

        if not plan.many:
            job = await self._create(plan.requests[0])
            done = await self.wait_for_job(
                job.id, max_wait_time=max_wait_time, on_progress=on_progress
            )
            return await self._deliver(done, plan.output, plan.options.output_format, plan.paths[0])
        results = await self._run_plan(
            plan, max_workers, max_wait_time, on_progress, create_only=False
        )
        return values_or_raise(results, "documents")

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
        max_concurrency: int = 16,
        poll_interval: float | None = None,
        max_wait_time: float | None = 600,
        on_progress: BatchProgressCallback | None = None,
        progress_bar: bool = False,
    ) -> list[ItemResult[Result]]:
        """Process many documents; see `ByteITClient.process_documents`.

        Example:
            >>> results = await client.process_documents(["inbox/"], output_dir="out/")
        """
        policy = _batch_setup.check_on_error(on_error)
        results = self.process_documents_as_completed(
            inputs,
            output_connector,
            processing_options,
            output_dir,
            state_file=state_file,
            nickname=nickname,
            max_concurrency=max_concurrency,
            poll_interval=poll_interval,
            max_wait_time=max_wait_time,
            on_progress=on_progress,
            progress_bar=progress_bar,
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
        max_concurrency: int = 16,
        poll_interval: float | None = None,
        max_wait_time: float | None = 600,
        on_progress: BatchProgressCallback | None = None,
        progress_bar: bool = False,
    ) -> AsyncIterator[ItemResult[Result]]:
        """`process_documents`, yielding each result as it finishes (``async for``).

        The arguments are checked at once; the batch runs as the iterator is
        consumed. To stop early, close it (``contextlib.aclosing``) so that the
        requests in flight are settled and the state file records them.

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
            max_concurrency=max_concurrency,
            poll_interval=poll_interval,
            max_wait_time=max_wait_time,
            on_progress=on_progress,
            progress_bar=progress_bar,
            polls=self._config.polls,
        )
        return self._run_call(call)

    # --- lifecycle ----------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connections this client opened (not an `http_client` you passed)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # --- batches ------------------------------------------------------------------------

    async def _run_call(self, call: _batch_setup.BatchCall) -> AsyncIterator[ItemResult[Result]]:
        # Reading the documents (stat, hashing, S3 lookups) blocks: keep it off the loop.
        now = self._config.clock.monotonic()
        starting = asyncio.ensure_future(asyncio.to_thread(_batch_setup.start, call, now))
        try:
            scheduler, journal = await asyncio.shield(starting)
        except asyncio.CancelledError:
            # The thread goes on; wait for it so that its state file is closed.
            _scheduler, opened = await starting
            if opened is not None:
                opened.close()
            raise
        reporter = ProgressReporter(
            len(scheduler.items), callback=call.on_progress, bar=call.progress_bar
        )
        try:
            async with contextlib.aclosing(self._drive(scheduler, reporter)) as results:
                async for result in results:
                    yield result
        finally:
            reporter.close()
            if journal is not None:
                journal.close()

    async def _run_plan(
        self,
        plan: Plan,
        max_workers: int,
        max_wait_time: float | None,
        on_status: ProgressCallback | None,
        *,
        create_only: bool = True,
    ) -> list[ItemResult[Any]]:
        scheduler = _batch_setup.from_plan(
            plan,
            max_workers=max_workers,
            polls=self._config.polls,
            max_wait_time=max_wait_time,
            create_only=create_only,
            on_status=on_status,
            now=self._config.clock.monotonic(),
        )
        reporter = ProgressReporter(len(plan.requests), callback=None, bar=False)
        with contextlib.closing(reporter):
            async with contextlib.aclosing(self._drive(scheduler, reporter)) as running:
                results = [result async for result in running]
        return sorted(results, key=lambda result: result.index)

    def _drive(
        self, scheduler: BatchScheduler, reporter: ProgressReporter
    ) -> AsyncGenerator[ItemResult[Any], None]:
        return run_batch(
            scheduler, lambda work: self._perform(work, scheduler), self._config.clock, reporter
        )

    async def _perform(self, work: Work, scheduler: BatchScheduler) -> Any:
        pressure = scheduler.pressure
        if isinstance(work, CreateWork):
            return await self._create_group(work, pressure)
        if isinstance(work, ListPollWork):
            return await self._call(list_jobs_among(work.job_ids), pressure)
        if isinstance(work, StatusPollWork):
            return await self._poll_job(work.job_id, pressure)
        fmt = scheduler.settings.output_format
        return await self._deliver(work.job, work.item.output, fmt, work.item.path, pressure)

    async def _create_group(self, work: CreateWork, pressure: BatchPressure) -> list[Any]:
        requests = [item.request for item in work.items if item.request is not None]
        created = await self._call(create_operation(requests, work.key), pressure)
        if isinstance(created, str):
            created = await self._call(get_job(created), pressure)
        return match_created(requests, created)

    async def _poll_job(self, job_id: str, pressure: BatchPressure) -> Job | JobStatus:
        """A job's status, or the whole job once it has finished."""
        status, _retry_after, _uses_status = await self._poll(job_id, True, None, pressure)
        if status.is_processing:
            return status
        return await self._call(get_job(job_id), pressure)

    # --- I/O ----------------------------------------------------------------------------

    async def _create(self, request: CreateRequest) -> Job:
        created = await self._call(request.operation())
        return created if isinstance(created, Job) else await self.get_job(created)

    async def _poll(
        self,
        job_id: str,
        use_status: bool,
        within: float | None,
        pressure: BatchPressure | None = None,
    ) -> tuple[JobStatus, float | None, bool]:
        """One poll: the status, any ``Retry-After``, and whether the status endpoint works."""
        if use_status:
            try:
                operation = get_status(job_id)
                status, headers = await self._call_with_headers(operation, within, pressure)
                return (
                    status,
                    parse_retry_after(headers.get("Retry-After"), now=None),
                    True,
                )
            except ResourceNotFoundError:
                pass  # older servers lack the status endpoint: read the job instead
        job, _headers = await self._call_with_headers(get_job(job_id), within, pressure)
        status = JobStatus(job_id=job.id, processing_status=job.processing_status)
        return status, None, False

    async def _deliver(
        self,
        job: Job,
        output: OutputConnector,
        output_format: str,
        output_path: str | os.PathLike[str] | None,
        pressure: BatchPressure | None = None,
    ) -> Result:
        location = (
            None if output_path is not None else output.delivered_by_service(job, output_format)
        )
        if location is not None:
            return location
        sink = None if output_path is not None else output.sink(job, output_format)
        if sink is not None:
            opener = connector_opener(sink)
            await self._download(job.id, output_format, opener, pressure, blocking=sink.blocking)
            return sink.location
        kept = MemorySink() if output_path is None else PathSink(output_path, job.id)
        await self._download(job.id, output_format, kept.open, pressure)
        return kept.value if isinstance(kept, MemorySink) else kept.path

    async def _call(self, operation: Operation[T], pressure: BatchPressure | None = None) -> T:
        return (await self._call_with_headers(operation, None, pressure))[0]

    async def _call_with_headers(
        self,
        operation: Operation[T],
        within: float | None = None,
        pressure: BatchPressure | None = None,
    ) -> tuple[T, httpx.Headers]:
        state = self._config.start_retries(operation, within=within, pressure=pressure)
        async with self._attempts(operation, state) as response:
            body = await response.aread()
            return operation.finish(response, body, self._secret), response.headers

    @contextlib.asynccontextmanager
    async def _attempts(
        self,
        operation: Operation[Any],
        state: RetryState,
    ) -> AsyncIterator[httpx.Response]:
        """Send `operation` until it succeeds or may not be retried; yield the open answer."""
        while True:
            async with entered(operation.build(), blocking=operation.blocking) as kwargs:
                try:
                    response = await self._send(kwargs, blocking=operation.blocking)
                except httpx.TransportError as exc:
                    wait = self._config.retry_delay_or_raise(state, exc, operation)
                    await self._config.clock.asleep(wait)
                    continue
            try:
                delay = state.after_response(response, self._config.clock.monotonic())
                if delay is None:
                    yield response
                    return
            finally:
                await response.aclose()
            await self._config.clock.asleep(delay)

    async def _send(self, kwargs: dict[str, Any], *, blocking: bool = False) -> httpx.Response:
        request = build_request(self._http, self.base_url, kwargs, self._config.timeout)
        if blocking and isinstance(request.stream, httpx.SyncByteStream):
            request.stream = ThreadedBody(request.stream)
        return await self._http.send(request, auth=self._config.auth, stream=True)

    async def _download(
        self,
        job_id: str,
        output_format: str | None,
        open_sink: SinkOpener,
        pressure: BatchPressure | None = None,
        *,
        blocking: bool = False,
    ) -> None:
        """Stream a result into a sink, starting over (in a fresh sink) if it breaks off.
        A `blocking` sink (S3) is opened, written and closed in worker threads."""
        operation = result_operation(job_id, output_format)
        state = self._config.start_retries(operation, pressure=pressure)
        while True:
            try:
                async with self._attempts(operation, state) as response:
                    if needs_body(response):
                        body = await response.aread()
                        raise_for_result(job_id, operation, response, body, self._secret)
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
                await self._config.clock.asleep(delay)
