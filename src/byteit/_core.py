"""Everything the sync and async clients share that does no I/O.

Each API call is an `Operation`: how to build its request (fresh for every
attempt, so uploads restart at their first byte), whether it may be sent twice,
and how to read its answer. The clients only send, wait and stream.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any, BinaryIO, Generic, TypeVar

import attrs
import httpx

from byteit import _wire
from byteit._auth import APIKeyAuth
from byteit._clock import Clock
from byteit._concurrency import BatchPressure
from byteit._errors import error_from_response, error_from_transport
from byteit._settings import Settings, resolve_settings
from byteit.connectors import (
    ByteITStorageOutputConnector,
    InputConnector,
    LocalFileInputConnector,
    OutputConnector,
)
from byteit.exceptions import (
    JobProcessingError,
    JobTimeoutError,
    ResultNotReadyError,
    UnexpectedResponseError,
    ValidationError,
)
from byteit.models import Job, JobList, JobStatus
from byteit.options import ProcessingOptions
from byteit.polling import PollSchedule, PollTimer
from byteit.retry import RetryPolicy, RetryState

T = TypeVar("T")

InputLike = InputConnector | str | os.PathLike[str]
OK_STATUSES = frozenset({200, 201})
_CREATION_FORMATS = frozenset({"txt", "md", "json", "html"})


@attrs.frozen
class Operation(Generic[T]):
    """One API call: its request, its retry safety and how to read its answer."""

    description: str
    build: Callable[[], contextlib.AbstractContextManager[_wire.RequestKwargs]]
    read: Callable[[Any], T]
    replay_safe: bool = True
    blocking: bool = False  # building it reads over the network (S3): async clients use threads

    def finish(self, response: httpx.Response, body: bytes, secret: str) -> T:
        """The answer's value, or the error it stands for."""
        if response.status_code not in OK_STATUSES:
            raise error_from_response(response, body, operation=self.description, secret=secret)
        return self.read(decode_json(body, self.description))


def decode_json(body: bytes, description: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise UnexpectedResponseError(
            f"The server's answer to {description} is not JSON: {body[:120]!r}"
        ) from None


def _fixed(
    kwargs: _wire.RequestKwargs,
) -> Callable[[], contextlib.AbstractContextManager[Any]]:
    return lambda: contextlib.nullcontext(kwargs)


def check_job_id(job_id: str) -> str:
    if not isinstance(job_id, str) or not job_id.strip():
        raise ValidationError(f"job_id must be a non-empty string, not {job_id!r}")
    return job_id


def get_job(job_id: str) -> Operation[Job]:
    request = _wire.get_job_request(check_job_id(job_id))
    return Operation(f"GET job {job_id}", _fixed(request), _wire.read_job)


def list_jobs() -> Operation[JobList]:
    return Operation("GET jobs", _fixed(_wire.list_jobs_request()), _wire.read_job_list)


def list_jobs_among(job_ids: Collection[str]) -> Operation[tuple[dict[str, Job], int]]:
    """The job list, read only for `job_ids` (a batch's poll of its jobs in flight)."""
    return Operation(
        "GET jobs",
        _fixed(_wire.list_jobs_request()),
        lambda payload: _wire.read_listed_jobs(payload, job_ids),
    )


def get_status(job_id: str) -> Operation[JobStatus]:
    request = _wire.job_status_request(check_job_id(job_id))
    return Operation(
        f"GET status of job {job_id}",
        _fixed(request),
        lambda payload: _wire.read_status(job_id, payload),
    )


# --- creating jobs --------------------------------------------------------------------


@attrs.frozen
class CreateRequest:
    """A checked creation: what to send for one document."""

    source: InputConnector
    fields: _wire.CreateFields
    idempotency_key: str

    def operation(self) -> Operation[Job | str]:
        @contextlib.contextmanager
        def build() -> Iterator[_wire.RequestKwargs]:
            with self.source.open_upload() as upload:
                yield _wire.create_job_request(self.fields, upload, self.idempotency_key)

        return Operation(
            f"POST job for {self.source.name}",
            build,
            _wire.read_created,
            replay_safe=self.source.replayable,
            blocking=self.source.blocking,
        )


def create_operation(requests: Sequence[CreateRequest], key: str) -> Operation[Any]:
    """One creation for one document, or for several as repeated ``files`` parts."""
    if len(requests) == 1:
        return attrs.evolve(requests[0], idempotency_key=key).operation()

    @contextlib.contextmanager
    def build() -> Iterator[_wire.RequestKwargs]:
        with contextlib.ExitStack() as stack:
            uploads = [stack.enter_context(r.source.open_upload()) for r in requests]
            parts = [upload for upload in uploads if upload is not None]
            yield _wire.create_jobs_request(requests[0].fields, parts, key)

    return Operation(
        f"POST jobs for {len(requests)} documents",
        build,
        _wire.read_created_many,
        replay_safe=all(r.source.replayable for r in requests),
        blocking=any(r.source.blocking for r in requests),
    )


def match_created(
    requests: Sequence[CreateRequest], created: Job | _wire.CreatedJobs
) -> list[Job | UnexpectedResponseError | ValidationError]:
    """Each document's job from a creation answer, or why it has none.

    Jobs are matched by file name; those left over (a server that renamed a file, or
    recorded no name) go in upload order to the documents left over, when as many of
    each remain: the jobs exist, and a document reported without one would be sent
    again.
    """
    if isinstance(created, Job):
        return [created]
    refused = dict(created.failed_files)
    by_name = _jobs_by_name(requests, created.jobs, refused)
    outcomes: list[Job | UnexpectedResponseError | ValidationError] = []
    for request in requests:
        name = request.source.name
        if name in by_name:
            outcomes.append(by_name[name])
        elif name in refused:
            outcomes.append(ValidationError(f"{name}: the service refused it: {refused[name]}"))
        else:
            outcomes.append(UnexpectedResponseError(f"The server's answer named no job for {name}"))
    return outcomes


def _jobs_by_name(
    requests: Sequence[CreateRequest], jobs: Sequence[Job], refused: Mapping[str, str]
) -> dict[str, Job]:
    names = {r.source.name for r in requests}
    by_name: dict[str, Job] = {}
    leftover: list[Job] = []
    for job in jobs:
        name = job.metadata.original_filename if job.metadata else None
        if name in names and name not in by_name:
            by_name[name] = job
        else:
            leftover.append(job)
    unmatched = [r.source.name for r in requests if r.source.name not in by_name]
    unmatched = [name for name in unmatched if name not in refused]
    if len(unmatched) == len(leftover):
        by_name.update(zip(unmatched, leftover, strict=True))
    return by_name


def as_input(value: InputLike) -> InputConnector:
    if isinstance(value, InputConnector):
        return value
    if isinstance(value, (str, os.PathLike)):
        return LocalFileInputConnector(value)
    raise ValidationError(
        f"input_connector must be an InputConnector or a file path, not {type(value).__name__}"
    )


def as_output(value: OutputConnector | None, *, check: bool = True) -> OutputConnector:
    """The output to use; `check` also validates it (which may ask S3 about its bucket)."""
    if value is None:
        return ByteITStorageOutputConnector()
    if not isinstance(value, OutputConnector):
        raise ValidationError(
            f"output_connector must be an OutputConnector, not {type(value).__name__}"
        )
    if check:
        value.validate()
    return value


def prepare_create(
    source: InputLike,
    output: OutputConnector,
    options: ProcessingOptions,
    *,
    nickname: str | None,
    idempotency_key: str | None,
) -> CreateRequest:
    """Check one document and its options and encode the form, before any request."""
    connector = as_input(source)
    connector.validate()
    check_nickname(nickname)
    input_kind, input_data = connector.wire_fields()
    output_kind, output_data = output.wire_fields()
    fields = _wire.CreateFields(
        processing_options=options.to_wire(),
        output_format=options.output_format if options.output_format in _CREATION_FORMATS else None,
        input_connector=input_kind,
        input_connection_data=input_data,
        output_connector=output_kind,
        output_connection_data=output_data,
        nickname=nickname,
    )
    key = idempotency_key or f"byteit-{uuid.uuid4()}"
    return CreateRequest(connector, fields, key)


def split_inputs(value: InputLike | Sequence[InputLike]) -> tuple[list[InputLike], bool]:
    """The documents given, and whether the caller passed a list of them."""
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValidationError("the list of documents is empty")
        return list(value), True
    return [value], False  # type: ignore[list-item]


def paired_outputs(paths: Any, count: int) -> Sequence[str | os.PathLike[str] | None]:
    if paths is None:
        return [None] * count
    if not isinstance(paths, (list, tuple)) or len(paths) != count:
        raise ValidationError(
            f"output_path must be a list of {count} paths, one per document, when several "
            "documents are given"
        )
    return list(paths)


# --- results --------------------------------------------------------------------------


def check_result_format(output_format: str | None) -> str | None:
    if output_format is None:
        return None
    allowed = ("txt", "md", "json", "html", "zip")
    if output_format not in allowed:
        raise ValidationError(f"output_format {output_format!r} is not one of {', '.join(allowed)}")
    return output_format


def is_not_ready_answer(response: httpx.Response) -> bool:
    """A 200 that may be the JSON "not ready" object rather than the result itself."""
    disposition = response.headers.get("content-disposition", "").lower()
    content_type = response.headers.get("content-type", "").lower()
    return "attachment" not in disposition and "json" in content_type


def not_ready_error(job_id: str, body: bytes) -> ResultNotReadyError | None:
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    status = _wire.read_not_ready(payload)
    if status is None:
        return None
    return ResultNotReadyError(
        f"The result of job {job_id} is not ready (status {status!r}): "
        "wait_for_job first, or use process_document",
        job_id=job_id,
    )


# --- waiting --------------------------------------------------------------------------


def failed_job_error(job: Job) -> JobProcessingError:
    reason = job.processing_error or "the server gave no reason"
    return JobProcessingError(
        f"Job {job.id} failed: {reason}",
        job_id=job.id,
        processing_error=job.processing_error,
    )


def check_wait(poll_interval: float | None, max_wait_time: float | None) -> None:
    if poll_interval is not None and not poll_interval > 0:
        raise ValidationError(
            f"poll_interval must be a positive number of seconds, not {poll_interval!r}"
        )
    if max_wait_time is not None and not max_wait_time > 0:
        raise ValidationError(
            f"max_wait_time must be a positive number of seconds, not {max_wait_time!r}"
        )


def check_workers(value: int, name: str = "max_workers") -> int:
    """A count of things at once (`name` says which argument): a positive integer."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(f"{name} must be a positive integer, not {value!r}")
    return value


def check_nickname(nickname: str | None) -> str | None:
    if nickname is not None and not isinstance(nickname, str):
        raise ValidationError(f"nickname must be a string, not {type(nickname).__name__}")
    return nickname


def timeout_error(job_id: str, waited: float) -> JobTimeoutError:
    return JobTimeoutError(
        f"Job {job_id} was still running after {waited:.0f} s; wait longer with "
        f"wait_for_job({job_id!r}, max_wait_time=...) or check it later with get_job",
        job_id=job_id,
        waited=waited,
    )


def check_sinks(output: OutputConnector, paths: Sequence[Any]) -> None:
    if any(p is not None for p in paths) and not isinstance(output, ByteITStorageOutputConnector):
        raise ValidationError(
            "give output_path or an output_connector that writes results, not both"
        )


def result_operation(job_id: str, output_format: str | None) -> Operation[None]:
    request = _wire.job_result_request(job_id, output_format)
    return Operation(f"GET result of job {job_id}", _fixed(request), lambda _payload: None)


SinkOpener = Callable[[httpx.Response], contextlib.AbstractContextManager[BinaryIO]]


def needs_body(response: httpx.Response) -> bool:
    """Whether a result answer must be read whole: an error, or maybe "not ready"."""
    return response.status_code not in OK_STATUSES or is_not_ready_answer(response)


def raise_for_result(
    job_id: str, operation: Operation[Any], response: httpx.Response, body: bytes, secret: str
) -> None:
    """Raise the error a result answer stands for; return if `body` is the result itself."""
    if response.status_code not in OK_STATUSES:
        raise error_from_response(response, body, operation=operation.description, secret=secret)
    not_ready = not_ready_error(job_id, body)
    if not_ready is not None:
        raise not_ready


@attrs.frozen
class Plan:
    """A checked batch of creations: one request per document, and any output paths."""

    inputs: list[InputLike]
    output: OutputConnector
    options: ProcessingOptions
    requests: list[CreateRequest]
    paths: list[str | os.PathLike[str] | None]
    many: bool


def plan(
    input_connector: InputLike | Sequence[InputLike],
    output_connector: OutputConnector | None,
    processing_options: ProcessingOptions | Mapping[str, Any] | None,
    *,
    output_path: Any = None,
    nickname: str | None = None,
    idempotency_key: str | None = None,
    max_workers: int = 1,
) -> Plan:
    """Check every document, option and destination before the first request."""
    output = as_output(output_connector)
    options = ProcessingOptions.coerce(processing_options)
    check_workers(max_workers)
    sources, many = split_inputs(input_connector)
    paths = list(paired_outputs(output_path, len(sources))) if many else [output_path]
    check_sinks(output, paths)
    if many and idempotency_key is not None:
        raise ValidationError("idempotency_key is for a single document, not a list")
    requests = [
        prepare_create(src, output, options, nickname=nickname, idempotency_key=idempotency_key)
        for src in sources
    ]
    return Plan(sources, output, options, requests, paths, many)


def build_request(
    http: httpx.Client | httpx.AsyncClient,
    base_url: str,
    kwargs: _wire.RequestKwargs,
    timeout: httpx.Timeout,
) -> httpx.Request:
    return http.build_request(
        kwargs["method"],
        base_url + kwargs["url"],
        params=kwargs.get("params"),
        headers=kwargs.get("headers"),
        files=kwargs.get("files"),
        json=kwargs.get("json"),
        timeout=timeout,
    )


@attrs.frozen
class ClientConfig:
    """What both clients are made of, resolved and checked once."""

    settings: Settings
    auth: APIKeyAuth
    timeout: httpx.Timeout
    retry: RetryPolicy
    polls: PollSchedule
    clock: Clock
    rng: random.Random

    @classmethod
    def create(
        cls,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        retry_policy: RetryPolicy | None,
        poll_schedule: PollSchedule | None,
        clock: Clock,
    ) -> ClientConfig:
        settings = resolve_settings(api_key, base_url)
        return cls(
            settings=settings,
            auth=APIKeyAuth(settings.api_key),
            timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            retry=retry_policy or RetryPolicy(max_retries=max_retries),
            polls=poll_schedule or PollSchedule(),
            clock=clock,
            rng=random.Random(),  # noqa: S311  (backoff jitter, not cryptography)
        )

    def start_retries(
        self,
        operation: Operation[Any],
        *,
        within: float | None = None,
        pressure: BatchPressure | None = None,
    ) -> RetryState:
        """Retry bookkeeping for one call; `within` caps its deadline (seconds from now),
        and a batch's `pressure` shares its retry budget and hears of 429s."""
        return self.retry.start(
            self.clock.monotonic(),
            rng=self.rng,
            replay_safe=operation.replay_safe,
            within=within,
            budget=pressure.budget if pressure else None,
            on_throttle=pressure.limit.throttled if pressure else None,
        )

    def retry_delay_or_raise(
        self, state: RetryState, error: httpx.TransportError, operation: Operation[Any]
    ) -> float:
        """How long to wait before retrying after `error`, or the `NetworkError` to raise."""
        delay = state.after_error(error, self.clock.monotonic())
        if delay is None:
            secret = self.settings.api_key
            failure = error_from_transport(error, operation=operation.description, secret=secret)
            # An httpx error may quote a header value: never chain one that holds the key.
            raise failure from (None if secret in str(error) else error)
        return delay

    def poll_timer(self, poll_interval: float | None, max_wait_time: float | None) -> PollTimer:
        schedule = PollSchedule.fixed(poll_interval) if poll_interval else self.polls
        return PollTimer(schedule, self.clock.monotonic(), max_wait_time)
