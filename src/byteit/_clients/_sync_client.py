"""`ByteITClient`: the synchronous client."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
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
from byteit._batch._threads import run_batch
from byteit._checks import check_job_id, check_result_format, check_wait
from byteit._clients._config import ClientConfig
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
from byteit.options import ProcessingOptions
from byteit.polling import PollSchedule
from byteit.retry import RetryPolicy, RetryState, parse_retry_after

__all__ = ["ByteITClient"]

T = TypeVar("T")
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
_CHUNK = 1 << 16

Options = ProcessingOptions | Mapping[str, Any] | None
ProgressCallback = Callable[[JobStatus], None]
Result = bytes | Path | str


class ByteITClient:
    """The synchronous ByteIT client.

    Args:
        api_key: Your key; defaults to the ``BYTEIT_API_KEY`` environment variable.
        base_url: The service; defaults to ``BYTEIT_BASE_URL``, else https://byteit.ai.
        timeout: Seconds (or an `httpx.Timeout`) for each network operation.
        max_retries: Retries of a failed request (429, 5xx, network errors).
        http_client: An `httpx.Client` to send with; the caller closes it.
        retry_policy: Full control of retries; overrides `max_retries`.
        poll_schedule: How `wait_for_job` spaces its polls.
        clock: Where waiting happens; tests pass a fake one.

    Raises:
        APIKeyError: No key was given or found, or it is malformed.
        ValidationError: `base_url` is not https (plain http is allowed to loopback only).

    Example:
        >>> with ByteITClient() as client:
        ...     text = client.process_document("invoice.pdf")
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        http_client: httpx.Client | None = None,
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
        self._http = http_client or httpx.Client(timeout=self._config.timeout)

    def __repr__(self) -> str:
        return f"ByteITClient(base_url={self.base_url!r})"

    @property
    def base_url(self) -> str:
        """The service this client talks to."""
        return self._config.settings.base_url

    @property
    def _secret(self) -> str:
        return self._config.settings.api_key

    # --- jobs -------------------------------------------------------------------------

    def create_job(
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
        plan = make_plan(
            input_connector,
            output_connector,
            processing_options,
            nickname=nickname,
            idempotency_key=idempotency_key,
            max_workers=max_workers,
        )
        if not plan.many:
            return self._create(plan.requests[0])
        return values_or_raise(self._run_plan(plan, max_workers, None, None), "job creations")

    def get_job(self, job_id: str) -> Job:
        """Read a job.

        Raises:
            ResourceNotFoundError: No such job for this key.
        """
        return self._call(get_job(job_id))

    def list_jobs(self) -> JobList:
        """List your jobs, newest first, as `JobList(jobs, count, detail)`."""
        return self._call(list_jobs())

    def get_job_status(self, job_id: str) -> JobStatus:
        """The light status of a job: ``processing_status``, ``progress`` and ``message``."""
        return self._call(get_status(job_id))

    def get_job_result(
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
        self._download(job_id, fmt, sink.open)
        return sink.value if isinstance(sink, MemorySink) else sink.path

    def wait_for_job(
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
            status, retry_after, use_status = self._poll(job_id, use_status, within)
            if on_progress is not None:
                on_progress(status)
            if not status.is_processing:
                job = self.get_job(job_id)
                if job.is_failed:
                    raise failed_job_error(job)
                return job
            delay = timer.next_delay(self._config.clock.monotonic(), retry_after=retry_after)
            if delay is None:
                raise timeout_error(job_id, timer.waited(self._config.clock.monotonic()))
            self._config.clock.sleep(delay)

    def process_document(
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
        plan = make_plan(
            input_connector,
            output_connector,
            processing_options,
            output_path=output_path,
            nickname=nickname,
            max_workers=max_workers,
        )

        if not plan.many:
            job = self._create(plan.requests[0])
            done = self.wait_for_job(job.id, max_wait_time=max_wait_time, on_progress=on_progress)
            return self._deliver(done, plan.output, plan.options.output_format, plan.paths[0])
        results = self._run_plan(plan, max_workers, max_wait_time, on_progress, create_only=False)
        return values_or_raise(results, "documents")

    def process_documents(
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
        """Process many documents: files, folders (walked recursively) and connectors.

        Documents are created several to a request, polled together (one job list
        answers for all, each job asked about when jobs like it have been
        finishing), and downloaded as they finish, with at most `max_concurrency`
        in flight; that limit halves when the server answers 429 or 503 and grows
        back as requests succeed. A document that cannot be sent
        (missing, empty, an unsupported type) gets its error in its result.

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
            max_concurrency: Documents in flight at most.
            poll_interval: Fixed seconds between polls of a job, instead of the backoff.
            max_wait_time: Seconds to wait for each document's job at most.
            on_progress: Called with `BatchStats` whenever the counts change.
            progress_bar: Draw a progress bar on stderr (on a terminal).

        Returns:
            One `ItemResult` per document, in input order (folders expanded in
            sorted order): its ``value`` (bytes, or the path or location written)
            or its ``error``.

        Raises:
            ValidationError: A bad argument or state file (nothing was sent).
            BatchError: With ``on_error="raise"``, some documents failed.

        Example:
            >>> results = client.process_documents(["inbox/"], output_dir="out/",
            ...                                    state_file="inbox.batch")
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
        return _batch_setup.by_input_order(list(results), policy)

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
    ) -> Iterator[ItemResult[Result]]:
        """`process_documents`, yielding each document's result as it finishes.

        The arguments are those of `process_documents` and are checked at once;
        the batch runs as the iterator is consumed. Each `ItemResult` carries its
        ``index`` in the input. Failures are yielded, never raised.

        Example:
            >>> for item in client.process_documents_as_completed(paths):
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

    def close(self) -> None:
        """Close the connections this client opened (not an `http_client` you passed)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- batches ------------------------------------------------------------------------

    def _run_call(self, call: _batch_setup.BatchCall) -> Iterator[ItemResult[Result]]:
        scheduler, journal = _batch_setup.start(call, self._config.clock.monotonic())
        reporter = ProgressReporter(
            len(scheduler.items), callback=call.on_progress, bar=call.progress_bar
        )
        try:
            yield from self._drive(scheduler, reporter)
        finally:
            reporter.close()
            if journal is not None:
                journal.close()

    def _run_plan(
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
            return sorted(self._drive(scheduler, reporter), key=lambda result: result.index)

    def _drive(
        self, scheduler: BatchScheduler, reporter: ProgressReporter
    ) -> Iterator[ItemResult[Any]]:
        return run_batch(
            scheduler, lambda work: self._perform(work, scheduler), self._config.clock, reporter
        )

    def _perform(self, work: Work, scheduler: BatchScheduler) -> Any:
        pressure = scheduler.pressure
        if isinstance(work, CreateWork):
            return self._create_group(work, pressure)
        if isinstance(work, ListPollWork):
            return self._call(list_jobs_among(work.job_ids), pressure)
        if isinstance(work, StatusPollWork):
            return self._poll_job(work.job_id, pressure)
        fmt = scheduler.settings.output_format
        return self._deliver(work.job, work.item.output, fmt, work.item.path, pressure)

    def _create_group(self, work: CreateWork, pressure: BatchPressure) -> list[Any]:
        requests = [item.request for item in work.items if item.request is not None]
        created = self._call(create_operation(requests, work.key), pressure)
        if isinstance(created, str):
            created = self._call(get_job(created), pressure)
        return match_created(requests, created)

    def _poll_job(self, job_id: str, pressure: BatchPressure) -> Job | JobStatus:
        """A job's status, or the whole job once it has finished."""
        status, _retry_after, _uses_status = self._poll(job_id, True, None, pressure)
        if status.is_processing:
            return status
        return self._call(get_job(job_id), pressure)

    # --- I/O ----------------------------------------------------------------------------

    def _create(self, request: CreateRequest) -> Job:
        created = self._call(request.operation())
        return created if isinstance(created, Job) else self.get_job(created)

    def _poll(
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
                status, headers = self._call_with_headers(operation, within, pressure)
                return (
                    status,
                    parse_retry_after(headers.get("Retry-After"), now=None),
                    True,
                )
            except ResourceNotFoundError:
                pass  # older servers lack the status endpoint: read the job instead
        job, _headers = self._call_with_headers(get_job(job_id), within, pressure)
        status = JobStatus(job_id=job.id, processing_status=job.processing_status)
        return status, None, False

    def _deliver(
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
            self._download(job.id, output_format, connector_opener(sink), pressure)
            return sink.location
        kept = MemorySink() if output_path is None else PathSink(output_path, job.id)
        self._download(job.id, output_format, kept.open, pressure)
        return kept.value if isinstance(kept, MemorySink) else kept.path

    def _call(self, operation: Operation[T], pressure: BatchPressure | None = None) -> T:
        return self._call_with_headers(operation, None, pressure)[0]

    def _call_with_headers(
        self,
        operation: Operation[T],
        within: float | None = None,
        pressure: BatchPressure | None = None,
    ) -> tuple[T, httpx.Headers]:
        state = self._config.start_retries(operation, within=within, pressure=pressure)
        with self._attempts(operation, state) as response:
            body = response.read()
            return operation.finish(response, body, self._secret), response.headers

    @contextlib.contextmanager
    def _attempts(
        self,
        operation: Operation[Any],
        state: RetryState,
    ) -> Iterator[httpx.Response]:
        """Send `operation` until it succeeds or may not be retried; yield the open answer."""
        while True:
            with operation.build() as kwargs:
                try:
                    response = self._send(kwargs)
                except httpx.TransportError as exc:
                    wait = self._config.retry_delay_or_raise(state, exc, operation)
                    self._config.clock.sleep(wait)
                    continue
            try:
                delay = state.after_response(response, self._config.clock.monotonic())
                if delay is None:
                    yield response
                    return
            finally:
                response.close()
            self._config.clock.sleep(delay)

    def _send(self, kwargs: dict[str, Any]) -> httpx.Response:
        request = build_request(self._http, self.base_url, kwargs, self._config.timeout)
        return self._http.send(request, auth=self._config.auth, stream=True)

    def _download(
        self,
        job_id: str,
        output_format: str | None,
        open_sink: SinkOpener,
        pressure: BatchPressure | None = None,
    ) -> None:
        """Stream a result into a sink, starting over (in a fresh sink) if it breaks off."""
        operation = result_operation(job_id, output_format)
        state = self._config.start_retries(operation, pressure=pressure)
        while True:
            try:
                with self._attempts(operation, state) as response:
                    if needs_body(response):
                        body = response.read()
                        raise_for_result(job_id, operation, response, body, self._secret)
                        with open_sink(response) as sink:
                            sink.write(body)
                        return
                    with open_sink(response) as sink:
                        for chunk in response.iter_bytes(_CHUNK):
                            sink.write(chunk)
                return
            except httpx.TransportError as exc:
                delay = self._config.retry_delay_or_raise(state, exc, operation)
                self._config.clock.sleep(delay)
