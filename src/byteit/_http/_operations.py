"""Each API call as an `Operation`: how to build its request (fresh for every
attempt, so uploads restart at their first byte), whether it may be sent twice,
and how to read its answer. The clients only send, wait and stream.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Collection
from typing import Any, Generic, TypeVar

import attrs
import httpx

from byteit._batch._pressure import BatchPressure
from byteit._checks import check_job_id
from byteit._http import _wire
from byteit._http._body import CoalescedBody
from byteit._http._errors import error_from_response
from byteit._secret import Secret
from byteit.exceptions import ResultNotReadyError, UnexpectedResponseError
from byteit.models import Job, JobList, JobStatus

T = TypeVar("T")


@attrs.frozen
class CallContext:
    """How the requests of one call are sent: `within` caps their retries' deadline
    (seconds from the start: a poll must not outlast its wait), and a batch's
    `pressure` shares its retry budget and hears of 429s."""

    within: float | None = None
    pressure: BatchPressure | None = None
    timeout: httpx.Timeout | None = None  # each request's; None: the client's


ALONE = CallContext()  # a call of its own: the client's deadline, no batch


@attrs.frozen
class Poll:
    """One poll's answer: the status, the server's ``Retry-After``, and whether the
    status endpoint answered (an older server lacks it: the job itself is read instead)."""

    status: JobStatus
    retry_after: float | None = None
    status_endpoint: bool = True


OK_STATUSES = frozenset({200, 201})


@attrs.frozen
class Operation(Generic[T]):
    """One API call: its request, its retry safety and how to read its answer."""

    description: str
    build: Callable[[], contextlib.AbstractContextManager[_wire.RequestKwargs]]
    read: Callable[[Any], T]
    replay_safe: bool = True
    blocking: bool = False  # building it reads over the network (S3): async clients use threads
    no_content: bool = False  # a 204 (no body) answers it: `read` gets None

    def finish(self, response: httpx.Response, body: bytes, secret: Secret) -> T:
        """The answer's value, or the error it stands for."""
        if self.no_content and response.status_code == 204:
            return self.read(None)
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


def fixed(
    kwargs: _wire.RequestKwargs,
) -> Callable[[], contextlib.AbstractContextManager[Any]]:
    return lambda: contextlib.nullcontext(kwargs)


def get_job(job_id: str) -> Operation[Job]:
    request = _wire.get_job_request(check_job_id(job_id))
    return Operation(f"GET job {job_id}", fixed(request), _wire.read_job)


def list_jobs() -> Operation[JobList]:
    return Operation("GET jobs", fixed(_wire.list_jobs_request()), _wire.read_job_list)


def list_jobs_among(job_ids: Collection[str]) -> Operation[tuple[dict[str, Job], int]]:
    """The job list, read only for `job_ids` (a batch's poll of its jobs in flight)."""
    return Operation(
        "GET jobs",
        fixed(_wire.list_jobs_request()),
        lambda payload: _wire.read_listed_jobs(payload, job_ids),
    )


def get_status(job_id: str) -> Operation[JobStatus]:
    request = _wire.job_status_request(check_job_id(job_id))
    return Operation(
        f"GET status of job {job_id}",
        fixed(request),
        lambda payload: _wire.read_status(job_id, payload),
    )


def result_operation(job_id: str, output_format: str | None) -> Operation[None]:
    request = _wire.job_result_request(job_id, output_format)
    return Operation(f"GET result of job {job_id}", fixed(request), lambda _payload: None)


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
        processing_status=status,
    )


def needs_body(response: httpx.Response) -> bool:
    """Whether a result answer must be read whole: an error, or maybe "not ready"."""
    return response.status_code not in OK_STATUSES or is_not_ready_answer(response)


def raise_for_result(
    job_id: str, operation: Operation[Any], response: httpx.Response, body: bytes, secret: Secret
) -> None:
    """Raise the error a result answer stands for; return if `body` is the result itself."""
    if response.status_code not in OK_STATUSES:
        raise error_from_response(response, body, operation=operation.description, secret=secret)
    not_ready = not_ready_error(job_id, body)
    if not_ready is not None:
        raise not_ready


def build_request(
    http: httpx.Client | httpx.AsyncClient,
    base_url: str,
    kwargs: _wire.RequestKwargs,
    timeout: httpx.Timeout,
) -> httpx.Request:
    request = http.build_request(
        kwargs["method"],
        base_url + kwargs["url"],
        params=kwargs.get("params"),
        headers=kwargs.get("headers"),
        files=kwargs.get("files"),
        json=kwargs.get("json"),
        timeout=timeout,
    )
    if kwargs.get("files"):  # a multipart upload: its many small pieces, in few writes
        request.stream = CoalescedBody(request.stream)
    return request
