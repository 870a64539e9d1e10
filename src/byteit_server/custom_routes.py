"""Custom-job endpoints: create from several documents, list by cursor, get, result.

A custom job takes one or more ``files`` parts, an optional ``schema`` (a
JSON-encoded JSON Schema of an object), an optional ``user_prompt`` and
``nickname``. What the local server makes of them is described in
:mod:`byteit_server.custom_jobs`: a stand-in for the service's model.

The list is newest first, :data:`PAGE_SIZE` jobs a page; ``before=<ISO 8601>``
gives the jobs created strictly before that time, so passing the last job's
``created_at`` reads the next page. No two jobs of an owner share a
``created_at``, so the cursor never skips one.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from .errors import ApiError
from .listing import list_answer
from .parse_routes import attachment
from .records import CustomJobRecord, IdempotencyRecord
from .state import ServerState, check_replay, idempotency_key, owner_of, server_state
from .storage import utc_now, utc_stamp
from .uploads import close_form, read_upload_form, safe_filename, save_upload
from .validation import document_type_of, parse_json_object

__all__ = [
    "PAGE_SIZE",
    "create_custom_job",
    "get_custom_job",
    "get_custom_job_result",
    "list_custom_jobs",
]

PAGE_SIZE = 50
MAX_PROMPT_CHARACTERS = 10_000
MAX_NICKNAME_CHARACTERS = 255
_OPERATION = "custom_job"


async def create_custom_job(request: Request) -> Response:
    """``POST /v1/jobs/custom-jobs/``: store the documents, queue one job, answer it."""
    state = server_state(request)
    owner, key = owner_of(request), idempotency_key(request)
    form = await read_upload_form(request, state.upload_limits)
    try:
        record = _new_record(owner, form)
        uploads = _uploads_of(form)
        async with state.idempotency.hold(owner, key) as previous:
            if previous is not None:
                check_replay(previous, _OPERATION)
                return _envelope(state, previous.job_ids[0], status_code=200)
            await _store_uploads(state, record, uploads)
            outcome = IdempotencyRecord(owner, key or "", _OPERATION, [record.id], [], utc_now())
            state.storage.insert_jobs(custom_jobs=[record], idempotency=outcome if key else None)
            state.runner.submit_custom(record.id)
            return JSONResponse({"custom_job": record.to_api()}, status_code=201)
    finally:
        close_form(form)


def _uploads_of(form: FormData) -> list[UploadFile]:
    parts = form.getlist("files")
    if not parts:
        raise ApiError(400, "no document sent: add one or more 'files' parts")
    if any(not isinstance(part, UploadFile) for part in parts):
        raise ApiError(400, "'files' must be file parts with a filename")
    return [part for part in parts if isinstance(part, UploadFile)]


def _new_record(owner: str, form: FormData) -> CustomJobRecord:
    fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
    uploads = [part for part in form.getlist("files") if isinstance(part, UploadFile)]
    names = [upload.filename or "" for upload in uploads]
    types = [
        document_type_of(name, part.content_type) for name, part in zip(names, uploads, strict=True)
    ]
    now = utc_now("microseconds")
    return CustomJobRecord(
        id=str(uuid.uuid4()), owner=owner, status="pending", progress=0, message="queued",
        nickname=_text_field(fields, "nickname", MAX_NICKNAME_CHARACTERS),
        extraction_schema=_schema_field(fields.get("schema")),
        user_prompt=_text_field(fields, "user_prompt", MAX_PROMPT_CHARACTERS),
        file_names=names,
        document_types=types,
        file_paths=[], total_page_count=None, processing_error=None,
        processing_time_seconds=None, credits_cost=None, result_name=None,
        created_at=now, updated_at=now, started_processing_at=None, finished_processing_at=None,
    )  # fmt: skip


def _schema_field(text: str | None) -> dict[str, Any] | None:
    if text is None or not text.strip():
        return None
    schema = parse_json_object("schema", text)
    kind = schema.get("type", "object")
    if kind != "object" and not (isinstance(kind, list) and "object" in kind):
        raise ApiError(400, f"schema must describe a JSON object (type 'object'), not {kind!r}")
    return schema


def _text_field(fields: dict[str, str], name: str, limit: int) -> str | None:
    value = fields.get(name) or None
    if value is not None and len(value) > limit:
        raise ApiError(400, f"{name} has {len(value)} characters; at most {limit} are allowed")
    return value


async def _store_uploads(
    state: ServerState, record: CustomJobRecord, uploads: list[UploadFile]
) -> None:
    folder = state.storage.upload_dir(record.id)
    documents = list(zip(uploads, record.document_types, strict=True))
    for index, (upload, document_type) in enumerate(documents):
        if not upload.size:
            raise ApiError(400, f"{upload.filename or ''!r} is empty")
        name = safe_filename(upload.filename or "", document_type)
        record.file_paths.append(str(folder / str(index) / name))
    for upload, target in zip(uploads, record.file_paths, strict=True):
        await save_upload(upload, Path(target))


def _envelope(state: ServerState, job_id: str, *, status_code: int) -> JSONResponse:
    job = state.storage.get_custom_job(job_id)
    assert job is not None
    return JSONResponse({"custom_job": job.to_api()}, status_code=status_code)


async def list_custom_jobs(request: Request) -> Response:
    """``GET /v1/jobs/custom-jobs/?before=<ISO 8601>``: a page of jobs, newest first."""
    before = _cursor(request.query_params.get("before"))
    jobs = server_state(request).storage.list_custom_jobs(
        owner_of(request), before=before, limit=PAGE_SIZE
    )
    return list_answer("custom_jobs", "custom job", jobs)


def _cursor(value: str | None) -> str | None:
    """The ``before`` cursor as stored times are written; a time without zone is UTC."""
    if value is None or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        detail = f"invalid before {value!r}: expected an ISO 8601 time like 2024-03-15T09:30:00Z"
        raise ApiError(400, detail) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return utc_stamp(moment, "microseconds")


async def get_custom_job(request: Request) -> Response:
    """``GET /v1/jobs/custom-jobs/{job_id}/``."""
    return JSONResponse({"custom_job": _owned_job(request).to_api()})


async def get_custom_job_result(request: Request) -> Response:
    """``GET /v1/jobs/custom-jobs/{job_id}/result/``: the result bytes, or not-ready JSON.

    The bytes come as an attachment, JSON (with a schema) or Markdown (without);
    a failed job is a 400 with its reason, as for a parse job's result.
    """
    job = _owned_job(request)
    if job.status == "failed":
        raise ApiError(400, f"job failed: {job.processing_error}")
    if job.status != "completed" or job.result_name is None:
        return JSONResponse({"ready": False, "processing_status": job.status})
    path = server_state(request).storage.result_dir(job.id) / job.result_name
    is_json = path.suffix == ".json"
    media = "application/json" if is_json else "text/markdown; charset=utf-8"
    headers = {"Content-Disposition": attachment(f"custom-job-{job.id}{path.suffix}")}
    return FileResponse(path, media_type=media, headers=headers)


def _owned_job(request: Request) -> CustomJobRecord:
    job_id = request.path_params["job_id"]
    job = server_state(request).storage.get_custom_job(job_id, owner_of(request))
    if job is None:
        raise ApiError(404, f"no custom job with id {job_id!r}")
    return job
