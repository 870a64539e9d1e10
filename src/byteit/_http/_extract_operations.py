"""Extract jobs, custom jobs and saved schemas as `Operation`s (see `_operations`)."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from byteit._checks import check_job_id, check_schema_name
from byteit._http import _extract_wire as _xwire
from byteit._http._operations import Operation, fixed
from byteit._http._wire import RequestKwargs
from byteit.connectors import InputConnector
from byteit.models import CustomJob, ExtractJob, SavedSchema


def create_extract_job(
    parse_job_id: str,
    schema: Mapping[str, Any],
    complexity: str,
    nickname: str | None,
    idempotency_key: str,
) -> Operation[ExtractJob]:
    """Retried with the same ``Idempotency-Key``, so a retry makes no second job."""
    request = _xwire.create_extract_request(
        parse_job_id, schema, complexity, nickname, idempotency_key
    )
    return Operation(
        f"POST extract job for parse job {parse_job_id}", fixed(request), _xwire.read_extract_job
    )


def get_extract_job(job_id: str) -> Operation[ExtractJob]:
    request = _xwire.get_extract_request(check_job_id(job_id))
    return Operation(f"GET extract job {job_id}", fixed(request), _xwire.read_extract_job)


def list_extract_jobs() -> Operation[list[ExtractJob]]:
    request = _xwire.list_extract_request()
    return Operation("GET extract jobs", fixed(request), _xwire.read_extract_jobs)


def list_extract_jobs_among(
    job_ids: Collection[str],
) -> Operation[tuple[dict[str, ExtractJob], int]]:
    """The extract-job list, read for `job_ids` (a batch's poll of its jobs in flight)."""

    def read(payload: Any) -> tuple[dict[str, ExtractJob], int]:
        jobs = _xwire.read_extract_jobs(payload)
        return {job.id: job for job in jobs if job.id in job_ids}, len(jobs)

    return Operation("GET extract jobs", fixed(_xwire.list_extract_request()), read)


def get_extract_result(job_id: str) -> Operation[_xwire.ExtractResult]:
    request = _xwire.extract_result_request(check_job_id(job_id))
    return Operation(
        f"GET result of extract job {job_id}", fixed(request), _xwire.read_extract_result
    )


def create_custom_job(
    sources: Sequence[InputConnector], fields: _xwire.CustomFields, idempotency_key: str
) -> Operation[CustomJob]:
    """One request, a ``files`` part per document, each opened afresh for every attempt."""

    @contextlib.contextmanager
    def build() -> Iterator[RequestKwargs]:
        with contextlib.ExitStack() as stack:
            uploads = [stack.enter_context(source.open_upload()) for source in sources]
            parts = [upload for upload in uploads if upload is not None]
            yield _xwire.create_custom_request(fields, parts, idempotency_key)

    return Operation(
        f"POST custom job for {len(sources)} document(s)",
        build,
        _xwire.read_custom_job,
        replay_safe=all(source.replayable for source in sources),
        blocking=any(source.blocking for source in sources),
    )


def get_custom_job(job_id: str) -> Operation[CustomJob]:
    request = _xwire.get_custom_request(check_job_id(job_id))
    return Operation(f"GET custom job {job_id}", fixed(request), _xwire.read_custom_job)


def list_custom_jobs(before: datetime | None) -> Operation[list[CustomJob]]:
    request = _xwire.list_custom_request(before)
    return Operation("GET custom jobs", fixed(request), _xwire.read_custom_jobs)


def custom_result(job_id: str) -> Operation[None]:
    """A download: the client streams the answer (`_operations.raise_for_result` reads
    a not-ready answer or an error)."""
    request = _xwire.custom_result_request(check_job_id(job_id))
    return Operation(f"GET result of custom job {job_id}", fixed(request), lambda _: None)


def save_schema(name: str, schema: Mapping[str, Any]) -> Operation[SavedSchema]:
    request = _xwire.save_schema_request(check_schema_name(name), schema)
    # A replay after a lost answer meets "name in use": the caller compares contents.
    return Operation(f"POST schema {name!r}", fixed(request), _xwire.read_saved_schema)


def list_schemas() -> Operation[list[SavedSchema]]:
    request = _xwire.list_schemas_request()
    return Operation("GET schemas", fixed(request), _xwire.read_saved_schemas)


def get_schema(name: str) -> Operation[SavedSchema]:
    request = _xwire.get_schema_request(check_schema_name(name))
    return Operation(f"GET schema {name!r}", fixed(request), _xwire.read_saved_schema)


def delete_schema(name: str) -> Operation[None]:
    request = _xwire.delete_schema_request(check_schema_name(name))
    return Operation(f"DELETE schema {name!r}", fixed(request), lambda _: None, no_content=True)
