"""`AsyncByteITClient`: the asyncio client, the same API as `ByteITClient`, awaitable."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx
from typing_extensions import Self

from byteit import _core
from byteit._batch import run_in_tasks, values_or_raise
from byteit._clock import SYSTEM_CLOCK, Clock
from byteit._core import InputLike, Operation, SinkOpener
from byteit._sinks import MemorySink, PathSink, guard_sink
from byteit.client import DEFAULT_TIMEOUT, Options, ProgressCallback, Result
from byteit.connectors import OutputConnector
from byteit.exceptions import ResourceNotFoundError
from byteit.models import Job, JobList, JobStatus
from byteit.options import ProcessingOptions
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
        self._config = _core.ClientConfig.create(
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
        plan = _core.plan(
            input_connector,
            output_connector,
            processing_options,
            nickname=nickname,
            idempotency_key=idempotency_key,
            max_workers=max_workers,
        )
        if not plan.many:
            return await self._create(plan.requests[0])
        results = await run_in_tasks(
            plan.inputs, lambda i: self._create(plan.requests[i]), max_workers
        )
        return values_or_raise(results, "job creations")

    async def get_job(self, job_id: str) -> Job:
        """Read a job.

        Raises:
            ResourceNotFoundError: No such job for this key.
        """
        return await self._call(_core.get_job(job_id))

    async def list_jobs(self) -> JobList:
        """List your jobs, newest first, as `JobList(jobs, count, detail)`."""
        return await self._call(_core.list_jobs())

    async def get_job_status(self, job_id: str) -> JobStatus:
        """The light status of a job: ``processing_status``, ``progress`` and ``message``."""
        return await self._call(_core.get_status(job_id))

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
        _core.check_job_id(job_id)
        fmt = _core.check_result_format(output_format)
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
        _core.check_job_id(job_id)
        _core.check_wait(poll_interval, max_wait_time)
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
                    raise _core.failed_job_error(job)
                return job
            delay = timer.next_delay(self._config.clock.monotonic(), retry_after=retry_after)
            if delay is None:
                raise _core.timeout_error(job_id, timer.waited(self._config.clock.monotonic()))
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
        _core.check_wait(None, max_wait_time)
        plan = _core.plan(
            input_connector,
            output_connector,
            processing_options,
            output_path=output_path,
            nickname=nickname,
            max_workers=max_workers,
        )

        async def run(index: int) -> Result:
            job = await self._create(plan.requests[index])
            done = await self.wait_for_job(
                job.id, max_wait_time=max_wait_time, on_progress=on_progress
            )
            return await self._deliver(done, plan.output, plan.options, plan.paths[index])

        if not plan.many:
            return await run(0)
        results = await run_in_tasks(plan.inputs, run, max_workers)
        return values_or_raise(results, "documents")

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

    # --- I/O ----------------------------------------------------------------------------

    async def _create(self, request: _core.CreateRequest) -> Job:
        created = await self._call(request.operation())
        return created if isinstance(created, Job) else await self.get_job(created)

    async def _poll(
        self, job_id: str, use_status: bool, within: float | None
    ) -> tuple[JobStatus, float | None, bool]:
        """One poll: the status, any ``Retry-After``, and whether the status endpoint works."""
        if use_status:
            try:
                status, headers = await self._call_with_headers(_core.get_status(job_id), within)
                return (
                    status,
                    parse_retry_after(headers.get("Retry-After"), now=None),
                    True,
                )
            except ResourceNotFoundError:
                pass  # older servers lack the status endpoint: read the job instead
        job, _headers = await self._call_with_headers(_core.get_job(job_id), within)
        status = JobStatus(job_id=job.id, processing_status=job.processing_status)
        return status, None, False

    async def _deliver(
        self,
        job: Job,
        output: OutputConnector,
        options: ProcessingOptions,
        output_path: str | os.PathLike[str] | None,
    ) -> Result:
        fmt = options.output_format
        if output_path is not None:
            return await self.get_job_result(job.id, output_path, fmt)
        location = output.delivered_by_service(job)
        if location is not None:
            return location
        sink = output.sink(job, fmt)
        if sink is None:
            return await self.get_job_result(job.id, None, fmt)
        await self._download(job.id, fmt, lambda _response: guard_sink(sink.open(), sink.location))
        return sink.location

    async def _call(self, operation: Operation[T]) -> T:
        return (await self._call_with_headers(operation))[0]

    async def _call_with_headers(
        self, operation: Operation[T], within: float | None = None
    ) -> tuple[T, httpx.Headers]:
        async with self._attempts(operation, within=within) as response:
            body = await response.aread()
            return operation.finish(response, body, self._secret), response.headers

    @contextlib.asynccontextmanager
    async def _attempts(
        self,
        operation: Operation[Any],
        state: RetryState | None = None,
        *,
        within: float | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """Send `operation` until it succeeds or may not be retried; yield the open answer."""
        state = state or self._config.start_retries(operation, within=within)
        while True:
            with operation.build() as kwargs:
                try:
                    response = await self._send(kwargs)
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

    async def _send(self, kwargs: dict[str, Any]) -> httpx.Response:
        request = _core.build_request(self._http, self.base_url, kwargs, self._config.timeout)
        return await self._http.send(request, auth=self._config.auth, stream=True)

    async def _download(
        self, job_id: str, output_format: str | None, open_sink: SinkOpener
    ) -> None:
        """Stream a result into a sink, starting over (in a fresh sink) if it breaks off."""
        operation = _core.result_operation(job_id, output_format)
        state = self._config.start_retries(operation)
        while True:
            try:
                async with self._attempts(operation, state) as response:
                    if _core.needs_body(response):
                        body = await response.aread()
                        _core.raise_for_result(job_id, operation, response, body, self._secret)
                        with open_sink(response) as sink:
                            sink.write(body)
                        return
                    with open_sink(response) as sink:
                        async for chunk in response.aiter_bytes(_CHUNK):
                            sink.write(chunk)
                return
            except httpx.TransportError as exc:
                delay = self._config.retry_delay_or_raise(state, exc, operation)
                await self._config.clock.asleep(delay)
