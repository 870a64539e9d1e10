"""The adapter between the facade and the generated layer (`byteit_api`).

With `_extract_wire`, the only modules that import `byteit_api`. Requests are built by the generated
endpoint modules' ``_get_kwargs`` and answers are read with the generated models;
the I/O stays with the clients, which need streaming, retries and one error
boundary that the generated ``sync_detailed`` functions cannot give (they parse
error bodies as JSON, which a proxy's HTML page is not).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, BinaryIO

import attrs
from dateutil.parser import isoparse

from byteit.exceptions import UnexpectedResponseError
from byteit.models import Job, JobList, JobMetadata, JobStatus
from byteit_api.api.parse_jobs import (
    create_parse_job,
    get_parse_job,
    get_parse_job_result,
    list_parse_jobs,
)
from byteit_api.api.status import get_job_status
from byteit_api.models import (
    BooleanString,
    ConnectorKind,
    CreateParseJobForm,
    CreateParseJobResponse,
    CreationFormat,
    DocumentMetadata,
    ParseJob,
    ParseJobEnvelope,
    ParseJobList,
    ResultFormat,
)
from byteit_api.models import (
    JobStatus as WireJobStatus,
)
from byteit_api.types import UNSET, File, Unset

RequestKwargs = dict[str, Any]


@attrs.frozen
class Upload:
    """One document part of a creation request."""

    filename: str
    stream: BinaryIO
    content_type: str


@attrs.frozen
class CreateFields:
    """The non-file fields of a creation request, already checked and encoded."""

    processing_options: str
    output_format: str | None
    input_connector: str
    input_connection_data: str | None
    output_connector: str
    output_connection_data: str
    nickname: str | None = None
    queue_for_batch: bool = False


def create_job_request(
    fields: CreateFields, upload: Upload | None, idempotency_key: str
) -> RequestKwargs:
    """One document: a ``file`` part (or none, when the service reads the source)."""
    return _create_request(fields, idempotency_key, file=_file(upload) if upload else UNSET)


def create_jobs_request(
    fields: CreateFields, uploads: list[Upload], idempotency_key: str
) -> RequestKwargs:
    """Several documents in one request: repeated ``files`` parts."""
    return _create_request(fields, idempotency_key, files=[_file(u) for u in uploads])


def _create_request(fields: CreateFields, idempotency_key: str, **documents: Any) -> RequestKwargs:
    form = CreateParseJobForm(
        processing_options=fields.processing_options,
        output_format=_opt(CreationFormat, fields.output_format),
        input_connector=ConnectorKind(fields.input_connector),
        input_connection_data=_opt(str, fields.input_connection_data),
        output_connector=ConnectorKind(fields.output_connector),
        output_connection_data=fields.output_connection_data,
        nickname=_opt(str, fields.nickname),
        queue_for_batch=BooleanString("true") if fields.queue_for_batch else UNSET,
        **documents,
    )
    kwargs = create_parse_job._get_kwargs(body=form, idempotency_key=idempotency_key)
    # The generated code fixes the multipart boundary to "+++", which a document's
    # bytes could contain; dropping the header lets httpx choose a random boundary.
    kwargs["headers"].pop("Content-Type", None)
    return kwargs


def _file(upload: Upload) -> File:
    return File(upload.stream, upload.filename, upload.content_type)


def get_job_request(job_id: str) -> RequestKwargs:
    return get_parse_job._get_kwargs(job_id)


def list_jobs_request() -> RequestKwargs:
    return list_parse_jobs._get_kwargs()


def job_status_request(job_id: str) -> RequestKwargs:
    return get_job_status._get_kwargs(job_id)


def job_result_request(job_id: str, output_format: str | None) -> RequestKwargs:
    return get_parse_job_result._get_kwargs(job_id, output_format=_opt(ResultFormat, output_format))


def _opt(kind: Any, value: str | None) -> Any:
    return UNSET if value is None else kind(value)


# --- answers --------------------------------------------------------------------------


def read_created(payload: Any) -> Job | str:
    """A creation answer: the new job, or (older servers) only its id."""
    answer = _model(CreateParseJobResponse, payload, "a created job")
    if isinstance(answer.parse_job, ParseJob):
        return to_job(answer.parse_job)
    if isinstance(answer.parse_jobs, list) and len(answer.parse_jobs) == 1:
        return to_job(answer.parse_jobs[0])
    if isinstance(answer.job_id, str) and answer.job_id:
        return answer.job_id
    raise UnexpectedResponseError(
        "The server's answer to a job creation held no job: expected 'parse_job' or 'job_id'",
        body=payload,
    )


@attrs.frozen
class CreatedJobs:
    """The answer to a several-file creation: the jobs made, and the files refused."""

    jobs: list[Job]
    failed_files: list[tuple[str, str]]


def read_created_many(payload: Any) -> CreatedJobs:
    answer = _model(CreateParseJobResponse, payload, "created jobs")
    if not isinstance(answer.parse_jobs, list):
        raise UnexpectedResponseError(
            "The server's answer to a several-file creation has no 'parse_jobs' list",
            body=payload,
        )
    refused = answer.failed_files if isinstance(answer.failed_files, list) else []
    return CreatedJobs(
        jobs=[to_job(item) for item in answer.parse_jobs],
        failed_files=[(item.file_name, item.error) for item in refused],
    )


def read_listed_jobs(payload: Any, wanted: Collection[str]) -> tuple[dict[str, Job], int]:
    """The `wanted` jobs of a list answer, and how many jobs it holds.

    Only the wanted entries are read into `Job`s: a batch reads the list on every
    poll, and an account's list can hold thousands of jobs.
    """
    entries = payload.get("parse_jobs") if isinstance(payload, Mapping) else None
    if not isinstance(entries, list):
        raise UnexpectedResponseError("The server's job list has no 'parse_jobs' list")
    found = {}
    for entry in entries:
        if isinstance(entry, Mapping) and entry.get("id") in wanted:
            job = to_job(_model(ParseJob, entry, "a job"))
            found[job.id] = job
    return found, len(entries)


def read_job(payload: Any) -> Job:
    return to_job(_model(ParseJobEnvelope, payload, "a job").parse_job)


def read_job_list(payload: Any) -> JobList:
    answer = _model(ParseJobList, payload, "a job list")
    if not isinstance(answer.parse_jobs, list):
        raise UnexpectedResponseError(
            "The server's job list has no 'parse_jobs' list", body=payload
        )
    jobs = [to_job(item) for item in answer.parse_jobs]
    count = answer.count if isinstance(answer.count, int) else len(jobs)
    detail = answer.detail if isinstance(answer.detail, str) else None
    return JobList(jobs=jobs, count=count, detail=detail)


def read_status(job_id: str, payload: Any) -> JobStatus:
    answer = _model(WireJobStatus, payload, "a job status")
    progress = answer.progress if isinstance(answer.progress, int) else None
    message = answer.message if isinstance(answer.message, str) else None
    return JobStatus(
        job_id=job_id,
        processing_status=_text(answer.processing_status, "processing_status", payload),
        progress=progress,
        message=message,
    )


def read_not_ready(payload: Any) -> str | None:
    """The status in a "result not ready" answer, or None when `payload` is not one."""
    if isinstance(payload, Mapping) and payload.get("ready") is False:
        status = payload.get("processing_status")
        return status if isinstance(status, str) else "processing"
    return None


def to_job(wire: Any) -> Job:
    if not isinstance(wire, ParseJob):
        raise UnexpectedResponseError("The server sent a job that is not an object", body=wire)
    raw = wire.to_dict()
    return Job(
        id=_text(wire.id, "id", raw),
        processing_status=_text(wire.processing_status, "processing_status", raw),
        processing_error=_maybe(wire.processing_error, str),
        result_format=_maybe(wire.result_format, str),
        nickname=_maybe(wire.nickname, str),
        created_at=_time(wire.created_at, "created_at", raw),
        updated_at=_time(wire.updated_at, "updated_at", raw),
        started_processing_at=_time(wire.started_processing_at, "started_processing_at", raw),
        finished_processing_at=_time(wire.finished_processing_at, "finished_processing_at", raw),
        processing_time_seconds=_number(wire.processing_time_seconds),
        credits_cost=_number(wire.credits_cost),
        input_connector=_maybe(wire.input_connector, str),
        output_connector=_maybe(wire.output_connector, str),
        processing_options=_maybe(raw.get("processing_options"), dict) or {},
        metadata=_metadata(wire.metadata),
        extra=dict(wire.additional_properties),
    )


def _metadata(wire: DocumentMetadata | Unset) -> JobMetadata | None:
    if not isinstance(wire, DocumentMetadata):
        return None
    page_count = wire.page_count
    return JobMetadata(
        original_filename=_maybe(wire.original_filename, str),
        document_type=_maybe(wire.document_type, str),
        page_count=page_count if isinstance(page_count, int) else None,
        language=_maybe(wire.language, str),
        encoding=_maybe(wire.encoding, str),
    )


def _model(kind: Any, payload: Any, what: str) -> Any:
    if not isinstance(payload, Mapping):
        raise UnexpectedResponseError(f"The server's answer is not {what} (not a JSON object)")
    try:
        return kind.from_dict(payload)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UnexpectedResponseError(
            f"The server's answer is not {what}: {type(exc).__name__} {exc}",
            body=dict(payload),
        ) from None


def _text(value: Any, field: str, raw: Any) -> str:
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
        return str(value)
    raise UnexpectedResponseError(f"The server sent a job without a valid {field!r}", body=raw)


def _maybe(value: Any, kind: type) -> Any:
    return value if isinstance(value, kind) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _time(value: Any, field: str, raw: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if value is None or isinstance(value, Unset):
        return None
    try:
        return isoparse(str(value))
    except (ValueError, OverflowError):
        raise UnexpectedResponseError(
            f"The server sent a job whose {field!r} is not an ISO 8601 time: {value!r}",
            body=raw,
        ) from None
