"""The adapter to the generated layer for extract jobs, custom jobs and saved schemas.

`_wire` does the same for parse jobs and the status endpoint; these two modules
are the only ones that import `byteit_api`, and share its answer readers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from byteit._http._wire import RequestKwargs, Upload, _file, _maybe, _model, _number, _text, _time
from byteit.exceptions import UnexpectedResponseError
from byteit.models import CustomJob, ExtractJob, SavedSchema
from byteit_api.api.custom_jobs import (
    create_custom_job,
    get_custom_job,
    get_custom_job_result,
    list_custom_jobs,
)
from byteit_api.api.extract_jobs import (
    create_extract_job,
    get_extract_job,
    get_extract_job_result,
    list_extract_jobs,
)
from byteit_api.api.schemas import create_schema, delete_schema, get_schema, list_schemas
from byteit_api.models import (
    CreateCustomJobForm,
    CreateExtractJobRequest,
    CreateExtractJobRequestSchema,
    CustomJobEnvelope,
    ExtractionComplexity,
    ExtractJobEnvelope,
    ExtractJobResult,
    SavedSchemaSchemaJson,
)
from byteit_api.models import SavedSchema as WireSavedSchema
from byteit_api.types import UNSET

# --- requests --------------------------------------------------------------------------


def create_extract_request(
    parse_job_id: str,
    schema: Mapping[str, Any],
    complexity: str,
    nickname: str | None,
    idempotency_key: str,
) -> RequestKwargs:
    body = CreateExtractJobRequest(
        parse_job_id=parse_job_id,
        schema=CreateExtractJobRequestSchema.from_dict(schema),
        extraction_complexity=ExtractionComplexity(complexity),
        nickname=UNSET if nickname is None else nickname,
    )
    return create_extract_job._get_kwargs(body=body, idempotency_key=idempotency_key)


def get_extract_request(job_id: str) -> RequestKwargs:
    return get_extract_job._get_kwargs(job_id)


def list_extract_request() -> RequestKwargs:
    return list_extract_jobs._get_kwargs()


def extract_result_request(job_id: str) -> RequestKwargs:
    return get_extract_job_result._get_kwargs(job_id)


@attrs.frozen
class CustomFields:
    """The non-file fields of a custom job: the schema already JSON-encoded."""

    schema: str | None
    user_prompt: str | None
    nickname: str | None


def create_custom_request(
    fields: CustomFields, uploads: list[Upload], idempotency_key: str
) -> RequestKwargs:
    form = CreateCustomJobForm(
        files=[_file(upload) for upload in uploads],
        schema=UNSET if fields.schema is None else fields.schema,
        user_prompt=UNSET if fields.user_prompt is None else fields.user_prompt,
        nickname=UNSET if fields.nickname is None else fields.nickname,
    )
    kwargs = create_custom_job._get_kwargs(body=form, idempotency_key=idempotency_key)
    kwargs["headers"].pop("Content-Type", None)  # httpx picks a random boundary (see _wire)
    return kwargs


def get_custom_request(job_id: str) -> RequestKwargs:
    return get_custom_job._get_kwargs(job_id)


def list_custom_request(before: datetime | None) -> RequestKwargs:
    return list_custom_jobs._get_kwargs(before=UNSET if before is None else before)


def custom_result_request(job_id: str) -> RequestKwargs:
    return get_custom_job_result._get_kwargs(job_id)


def save_schema_request(name: str, schema: Mapping[str, Any]) -> RequestKwargs:
    body = WireSavedSchema(name=name, schema_json=SavedSchemaSchemaJson.from_dict(schema))
    return create_schema._get_kwargs(body=body)


def list_schemas_request() -> RequestKwargs:
    return list_schemas._get_kwargs()


def get_schema_request(name: str) -> RequestKwargs:
    return get_schema._get_kwargs(name)  # percent-encodes the name, "/" included


def delete_schema_request(name: str) -> RequestKwargs:
    return delete_schema._get_kwargs(name)


def encode_schema(schema: Mapping[str, Any] | None) -> str | None:
    return None if schema is None else json.dumps(schema, separators=(",", ":"))


# --- answers ---------------------------------------------------------------------------


def read_extract_job(payload: Any) -> ExtractJob:
    _model(ExtractJobEnvelope, payload, "an extract job")
    return to_extract_job(payload["extract_job"])


def read_extract_jobs(payload: Any) -> list[ExtractJob]:
    return [to_extract_job(entry) for entry in _entries(payload, "extract_jobs")]


@attrs.frozen
class ExtractResult:
    """An extract job's result answer; `result` as sent (checked by the caller)."""

    ready: bool
    processing_status: str | None
    result: Any


def read_extract_result(payload: Any) -> ExtractResult:
    answer = _model(ExtractJobResult, payload, "an extract job's result")
    status = _maybe(answer.processing_status, str)
    return ExtractResult(answer.ready is True, status, payload.get("result"))


def read_custom_job(payload: Any) -> CustomJob:
    _model(CustomJobEnvelope, payload, "a custom job")
    return to_custom_job(payload["custom_job"])


def read_custom_jobs(payload: Any) -> list[CustomJob]:
    return [to_custom_job(entry) for entry in _entries(payload, "custom_jobs")]


def read_saved_schema(payload: Any) -> SavedSchema:
    if not isinstance(payload, Mapping):
        raise UnexpectedResponseError("The server's answer is not a saved schema", body=payload)
    name, schema_json = payload.get("name"), payload.get("schema_json")
    if not isinstance(name, str) or not isinstance(schema_json, Mapping):
        raise UnexpectedResponseError(
            "The server sent a saved schema without a 'name' and a 'schema_json' object",
            body=dict(payload),
        )
    return SavedSchema(name=name, schema_json=schema_json)


def read_saved_schemas(payload: Any) -> list[SavedSchema]:
    return [read_saved_schema(entry) for entry in _entries(payload, "schemas")]


def _entries(payload: Any, key: str) -> list[Any]:
    entries = payload.get(key) if isinstance(payload, Mapping) else None
    if not isinstance(entries, list):
        raise UnexpectedResponseError(f"The server's list has no {key!r} list", body=payload)
    return entries


def to_extract_job(raw: Any) -> ExtractJob:
    known = _known(raw, ExtractJob)
    return ExtractJob(
        id=_text(raw.get("id"), "id", raw),
        processing_status=_text(raw.get("processing_status"), "processing_status", raw),
        input_job_id=_maybe(raw.get("input_job_id"), str),
        nickname=_maybe(raw.get("nickname"), str),
        extraction_schema=_maybe(raw.get("extraction_schema"), dict),
        extraction_complexity=_maybe(raw.get("extraction_complexity"), str),
        processing_error=_maybe(raw.get("processing_error"), str),
        processing_time_seconds=_number(raw.get("processing_time_seconds")),
        credits_cost=_number(raw.get("credits_cost")),
        created_at=_time(raw.get("created_at"), "created_at", raw),
        updated_at=_time(raw.get("updated_at"), "updated_at", raw),
        extra={key: value for key, value in raw.items() if key not in known},
    )


def to_custom_job(raw: Any) -> CustomJob:
    known = _known(raw, CustomJob)
    return CustomJob(
        id=_text(raw.get("id"), "id", raw),
        processing_status=_text(raw.get("processing_status"), "processing_status", raw),
        nickname=_maybe(raw.get("nickname"), str),
        processing_error=_maybe(raw.get("processing_error"), str),
        created_at=_time(raw.get("created_at"), "created_at", raw),
        updated_at=_time(raw.get("updated_at"), "updated_at", raw),
        processing_time_seconds=_number(raw.get("processing_time_seconds")),
        credits_cost=_number(raw.get("credits_cost")),
        extraction_schema=_maybe(raw.get("extraction_schema"), dict),
        user_prompt=_maybe(raw.get("user_prompt"), str),
        file_names=_strings(raw.get("file_names")),
        total_page_count=_count(raw.get("total_page_count")),
        document_types=_strings(raw.get("document_types")),
        extra={key: value for key, value in raw.items() if key not in known},
    )


def _known(raw: Any, kind: type) -> frozenset[str]:
    if not isinstance(raw, Mapping):
        raise UnexpectedResponseError("The server sent a job that is not an object", body=raw)
    return frozenset(field.name for field in attrs.fields(kind))


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
