"""Extract-job endpoints: create from a parse job and a JSON Schema, list, get, result.

The fields are filled by :mod:`byteit_server.extract_heuristic`, a plain
heuristic: see its docstring for exactly what it does.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .errors import ApiError
from .listing import list_answer
from .records import ExtractJobRecord, IdempotencyRecord
from .state import check_replay, idempotency_key, owner_of, server_state
from .storage import utc_now
from .validation import check_choice, read_json_object

__all__ = ["create_extract_job", "get_extract_job", "get_extract_job_result", "list_extract_jobs"]

COMPLEXITIES = ("low", "medium", "high")
_OPERATION = "extract_job"


async def create_extract_job(request: Request) -> Response:
    """``POST /v1/jobs/extract-jobs/``: fill ``schema`` from a parse job's text."""
    state = server_state(request)
    owner, key = owner_of(request), idempotency_key(request)
    record = _new_job(owner, await read_json_object(request))
    if state.storage.get_parse_job(record.input_job_id, owner) is None:
        raise ApiError(404, f"no parse job with id {record.input_job_id!r}")
    async with state.idempotency.hold(owner, key) as previous:
        if previous is not None:
            check_replay(previous, _OPERATION)
            return _envelope(request, previous.job_ids[0], status_code=200)
        outcome = IdempotencyRecord(owner, key or "", _OPERATION, [record.id], [], utc_now())
        state.storage.insert_jobs(extract_jobs=[record], idempotency=outcome if key else None)
        state.runner.submit_extract(record.id)
        return JSONResponse({"extract_job": record.to_api()}, status_code=201)


def _new_job(owner: str, body: dict[str, Any]) -> ExtractJobRecord:
    parse_job_id, schema = body.get("parse_job_id"), body.get("schema")
    if not isinstance(parse_job_id, str) or not parse_job_id:
        raise ApiError(400, "parse_job_id must be the id of a parse job")
    if not isinstance(schema, dict):
        raise ApiError(400, "schema must be a JSON Schema object")
    complexity = body.get("extraction_complexity", "medium")
    if not isinstance(complexity, str):
        raise ApiError(400, "extraction_complexity must be a string")
    nickname = body.get("nickname")
    if nickname is not None and not isinstance(nickname, str):
        raise ApiError(400, "nickname must be a string")
    now = utc_now()
    return ExtractJobRecord(
        id=str(uuid.uuid4()), owner=owner, status="pending", progress=0, message="queued",
        input_job_id=parse_job_id, nickname=nickname or None, extraction_schema=schema,
        extraction_complexity=check_choice("extraction_complexity", complexity, COMPLEXITIES),
        processing_error=None, processing_time_seconds=None, credits_cost=None, result=None,
        created_at=now, updated_at=now, started_processing_at=None, finished_processing_at=None,
    )  # fmt: skip


def _envelope(request: Request, job_id: str, *, status_code: int = 200) -> JSONResponse:
    job = server_state(request).storage.get_extract_job(job_id)
    assert job is not None
    return JSONResponse({"extract_job": job.to_api()}, status_code=status_code)


async def list_extract_jobs(request: Request) -> Response:
    """``GET /v1/jobs/extract-jobs/``: the caller's extract jobs, newest first."""
    jobs = server_state(request).storage.list_extract_jobs(owner_of(request))
    return list_answer("extract_jobs", "extract job", jobs)


async def get_extract_job(request: Request) -> Response:
    """``GET /v1/jobs/extract-jobs/{job_id}/``."""
    return JSONResponse({"extract_job": _owned_job(request).to_api()})


async def get_extract_job_result(request: Request) -> Response:
    """``GET /v1/jobs/extract-jobs/{job_id}/result/``.

    ``ready`` is true once the job completed. A failed job answers
    ``ready: false`` with status ``failed`` and its ``processing_error``
    (the spec offers no 400 here).
    """
    job = _owned_job(request)
    body: dict[str, Any] = {
        "ready": job.status == "completed",
        "processing_status": job.status,
        "result": job.result if job.status == "completed" else None,
    }
    if job.status == "failed":
        body["processing_error"] = job.processing_error
    return JSONResponse(body)


def _owned_job(request: Request) -> ExtractJobRecord:
    job_id = request.path_params["job_id"]
    job = server_state(request).storage.get_extract_job(job_id, owner_of(request))
    if job is None:
        raise ApiError(404, f"no extract job with id {job_id!r}")
    return job
