"""Parse-job endpoints: create (from files or an S3 object), list, get, result, status."""

from __future__ import annotations

import asyncio
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from byteit._contract import CREATION_FORMATS, OUTPUT_FORMATS

from .connector_fields import JobConnectors, read_connectors
from .engine import media_type, render_to_file
from .errors import ApiError
from .listing import list_answer
from .records import IdempotencyRecord, ParseJobRecord
from .state import ServerState, check_replay, idempotency_key, owner_of, server_state
from .storage import utc_now
from .uploads import close_form, read_upload_form, safe_filename, save_upload
from .validation import check_choice, document_type_of, parse_processing_options

__all__ = [
    "create_parse_job",
    "get_job_status",
    "get_parse_job",
    "get_parse_job_result",
    "list_parse_jobs",
]

_HEADER_UNSAFE = re.compile(r'["\\\x00-\x1f\x7f]')


@dataclass(frozen=True)
class _JobSettings:
    """The form fields shared by every file of a create request."""

    result_format: str
    processing_options: dict[str, Any]
    nickname: str | None
    connectors: JobConnectors


async def create_parse_job(request: Request) -> Response:
    """``POST /v1/jobs/parse-jobs/``: one ``file`` → ``parse_job``; ``files`` → ``parse_jobs``.

    With ``input_connector=s3`` no file is sent: the job reads the object when it runs.
    """
    state = server_state(request)
    owner, key = owner_of(request), idempotency_key(request)
    form = await read_upload_form(request, state.upload_limits)
    try:
        settings = _read_settings(form, s3_enabled=state.s3.enabled)
        uploads, several = _uploads_of(form, settings.connectors)
        operation = "parse_jobs" if several else "parse_job"
        async with state.idempotency.hold(owner, key) as previous:
            if previous is not None:
                check_replay(previous, operation)
                return _answer(state, previous, status_code=200)
            outcome = IdempotencyRecord(owner, key or "", operation, [], [], utc_now())
            await _create_jobs(state, uploads, settings, outcome)
            return _answer(state, outcome, status_code=201)
    finally:
        close_form(form)


def _read_settings(form: FormData, *, s3_enabled: bool) -> _JobSettings:
    fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
    connectors = read_connectors(fields, s3_enabled=s3_enabled)
    batch = (fields.get("queue_for_batch") or "false").lower()
    check_choice("queue_for_batch", batch, ("true", "false"))
    output_format = fields.get("output_format") or "txt"
    return _JobSettings(
        result_format=check_choice("output_format", output_format, CREATION_FORMATS),
        processing_options=parse_processing_options(fields.get("processing_options")),
        nickname=fields.get("nickname") or None,
        connectors=connectors,
    )


def _uploads_of(form: FormData, connectors: JobConnectors) -> tuple[list[UploadFile], bool]:
    parts = [*form.getlist("file"), *form.getlist("files")]
    if connectors.s3_filename is not None:
        if parts:
            raise ApiError(400, "input_connector=s3 reads the document from S3: send no file part")
        return [], False
    if any(not isinstance(part, UploadFile) for part in parts):
        raise ApiError(400, "'file' and 'files' must be file parts with a filename")
    if not parts:
        raise ApiError(400, "no document sent: add a 'file' part (or repeated 'files' parts)")
    uploads = [part for part in parts if isinstance(part, UploadFile)]
    return uploads, bool(form.getlist("files"))


async def _create_jobs(
    state: ServerState,
    uploads: list[UploadFile],
    settings: _JobSettings,
    outcome: IdempotencyRecord,
) -> None:
    """Store a job per acceptable upload (or the S3 object); fill ``outcome`` with the results."""
    s3_filename = settings.connectors.s3_filename
    if s3_filename is not None:
        document_type = document_type_of(s3_filename)
        records = [_new_record(state, outcome.owner, s3_filename, document_type, settings)]
    else:
        records = await _store_uploads(state, uploads, settings, outcome)
    outcome.job_ids.extend(record.id for record in records)
    state.storage.insert_jobs(parse_jobs=records, idempotency=outcome if outcome.key else None)
    for record in records:
        state.runner.submit_parse(record.id)


async def _store_uploads(
    state: ServerState,
    uploads: list[UploadFile],
    settings: _JobSettings,
    outcome: IdempotencyRecord,
) -> list[ParseJobRecord]:
    records: list[ParseJobRecord] = []
    for upload in uploads:
        try:
            records.append(await _store_upload(state, outcome.owner, upload, settings))
        except ApiError as exc:
            if outcome.operation == "parse_job":
                raise
            outcome.failed_files.append({"file_name": upload.filename or "", "error": exc.detail})
    return records


async def _store_upload(
    state: ServerState, owner: str, upload: UploadFile, settings: _JobSettings
) -> ParseJobRecord:
    filename = upload.filename or ""
    document_type = document_type_of(filename, upload.content_type)
    record = _new_record(state, owner, filename, document_type, settings)
    if not upload.size:
        raise ApiError(400, f"{filename!r} is empty")
    await save_upload(upload, Path(record.file_path))
    return record


def _new_record(
    state: ServerState, owner: str, filename: str, document_type: str, settings: _JobSettings
) -> ParseJobRecord:
    """A pending job for ``filename``, whose document is to be found at its ``file_path``."""
    job_id = str(uuid.uuid4())
    path = state.storage.upload_dir(job_id) / safe_filename(filename, document_type)
    connectors, now = settings.connectors, utc_now()
    metadata = {
        "original_filename": filename,
        "document_type": document_type,
        "page_count": None,
        "language": None,
        "encoding": None,
    }
    return ParseJobRecord(
        id=job_id, owner=owner, status="pending", progress=0, message="queued",
        nickname=settings.nickname, result_format=settings.result_format, processing_error=None,
        processing_options=settings.processing_options,
        input_connector=connectors.input_connector, output_connector=connectors.output_connector,
        metadata=metadata, created_at=now, updated_at=now, started_processing_at=None,
        finished_processing_at=None, processing_time_seconds=None, credits_cost=None,
        file_path=str(path), original_filename=filename, document_type=document_type,
        input_connection_data=connectors.input_connection_data,
        output_connection_data=connectors.output_connection_data,
    )  # fmt: skip


def _answer(state: ServerState, outcome: IdempotencyRecord, *, status_code: int) -> JSONResponse:
    jobs = [state.storage.get_parse_job(job_id) for job_id in outcome.job_ids]
    shown = [job.to_api() for job in jobs if job is not None]
    if outcome.operation == "parse_job":
        return JSONResponse({"parse_job": shown[0]}, status_code=status_code)
    body = {"parse_jobs": shown, "failed_files": outcome.failed_files}
    return JSONResponse(body, status_code=status_code)


async def list_parse_jobs(request: Request) -> Response:
    """``GET /v1/jobs/parse-jobs/``: the caller's parse jobs, newest first."""
    jobs = server_state(request).storage.list_parse_jobs(owner_of(request))
    return list_answer("parse_jobs", "parse job", jobs)


async def get_parse_job(request: Request) -> Response:
    """``GET /v1/jobs/parse-jobs/{job_id}/``."""
    return JSONResponse({"parse_job": _owned_job(request).to_api()})


async def get_parse_job_result(request: Request) -> Response:
    """``GET /v1/jobs/parse-jobs/{job_id}/result/``: the result bytes, or not-ready JSON."""
    job = _owned_job(request)
    requested = request.query_params.get("output_format") or job.result_format
    output_format = check_choice("output_format", requested, OUTPUT_FORMATS)
    if job.status == "failed":
        raise ApiError(400, f"job failed: {job.processing_error}")
    if job.status != "completed":
        return JSONResponse({"ready": False, "processing_status": job.status})
    from byteit_server.extraction import ExtractionError  # noqa: PLC0415 (heavy; loaded on use)

    result_dir = server_state(request).storage.result_dir(job.id)
    try:
        path = await asyncio.to_thread(
            render_to_file, result_dir, output_format, job.original_filename
        )
    except ExtractionError as exc:
        raise ApiError(400, str(exc)) from None
    headers = {"Content-Disposition": attachment(f"{job.stem}.{output_format}")}
    return FileResponse(path, media_type=media_type(output_format), headers=headers)


def attachment(filename: str) -> str:
    """``attachment; filename="..."``, plus ``filename*`` (RFC 6266) for non-ASCII names."""
    plain = _HEADER_UNSAFE.sub("_", filename)
    fallback = plain.encode("ascii", "replace").decode("ascii")
    header = f'attachment; filename="{fallback}"'
    if fallback != plain:
        header += f"; filename*=UTF-8''{quote(plain, safe='')}"
    return header


async def get_job_status(request: Request) -> Response:
    """``GET /v1/jobs/{job_id}/status/``: light status of a parse, extract or custom job."""
    storage = server_state(request).storage
    job_id, owner = request.path_params["job_id"], owner_of(request)
    job = (
        storage.get_parse_job(job_id, owner)
        or storage.get_extract_job(job_id, owner)
        or storage.get_custom_job(job_id, owner)
    )
    if job is None:
        raise ApiError(404, f"no job with id {job_id!r}")
    body = {"processing_status": job.status, "progress": job.progress, "message": job.message}
    return JSONResponse(body)


def _owned_job(request: Request) -> ParseJobRecord:
    job_id = request.path_params["job_id"]
    job = server_state(request).storage.get_parse_job(job_id, owner_of(request))
    if job is None:
        raise ApiError(404, f"no parse job with id {job_id!r}")
    return job
