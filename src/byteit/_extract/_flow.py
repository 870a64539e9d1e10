"""The sequences of structured extraction, written once for both clients as step
generators (see `_steps`): what to send, in which order, and what the answers mean.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from byteit._checks import (
    check_complexity,
    check_flag,
    check_job_id,
    check_nickname,
    check_wait,
)
from byteit._contract import DOCUMENT_TYPES, TYPE_ALIASES
from byteit._extract._schema import SchemaSpec, check_json_schema
from byteit._extract._steps import Call, Download, Flow, Wait
from byteit._extract._validate import checked_result, validated_data
from byteit._http import _extract_operations as xops
from byteit._http import _extract_wire as _xwire
from byteit._http import _operations as ops
from byteit._jobs._create import CreateRequest, InputLike, as_input, prepare_create
from byteit._jobs._failures import failed_job_error
from byteit._log import get_logger
from byteit.connectors import ByteITStorageOutputConnector, InputConnector
from byteit.exceptions import ResourceNotFoundError, ResultNotReadyError, ValidationError
from byteit.models import CustomJob, Extraction, ExtractJob, Job, SavedSchema
from byteit.options import ProcessingOptions

logger = get_logger("extract")

ParseSource = CreateRequest | Job | str
AnyJob = Job | ExtractJob | CustomJob


@attrs.frozen
class ExtractSettings:
    """The checked keyword arguments of an extraction."""

    complexity: str = "medium"
    nickname: str | None = None
    poll_interval: float | None = None
    max_wait_time: float | None = 600
    idempotency_key: str | None = None
    validate: bool = True


def extract_settings(
    *,
    complexity: str = "medium",
    nickname: str | None = None,
    poll_interval: float | None = None,
    max_wait_time: float | None = 600,
    idempotency_key: str | None = None,
    validate: bool = True,
) -> ExtractSettings:
    """The settings, each checked before any request."""
    check_wait(poll_interval, max_wait_time)
    if idempotency_key is not None and (
        not isinstance(idempotency_key, str) or not idempotency_key
    ):
        raise ValidationError(
            f"idempotency_key must be a non-empty string, not {idempotency_key!r}"
        )
    return ExtractSettings(
        complexity=check_complexity(complexity),
        nickname=check_nickname(nickname),
        poll_interval=poll_interval,
        max_wait_time=max_wait_time,
        idempotency_key=idempotency_key,
        validate=check_flag(validate, "validate"),
    )


def parse_source(source: object, settings: ExtractSettings) -> ParseSource:
    """What `extract` was given: a document to parse (its creation, checked now), a
    parse `Job`, or a parse job's id (a `str` that names no file and has no document
    extension)."""
    if isinstance(source, Job):
        if source.is_failed:
            raise failed_job_error(source)
        return source
    if isinstance(source, str) and not _names_a_file(source):
        return check_job_id(source)
    if not isinstance(source, (str, os.PathLike, InputConnector)):
        raise ValidationError(
            "source must be a document (a path or an InputConnector), a parse Job or a "
            f"parse job id, not {type(source).__name__}"
        )
    return prepare_create(
        source,
        ByteITStorageOutputConnector(),
        ProcessingOptions(output_format="txt"),  # the text is all an extraction reads
        nickname=settings.nickname,
        idempotency_key=_key(settings.idempotency_key, "parse"),
    )


def _names_a_file(text: str) -> bool:
    path = Path(text)
    suffix = path.suffix.lower().lstrip(".")
    known = suffix in DOCUMENT_TYPES or suffix in TYPE_ALIASES
    return path.exists() or known or os.sep in text or "/" in text


def custom_sources(inputs: InputLike | Sequence[InputLike]) -> list[InputConnector]:
    """A custom job's documents, each checked (local uploads only, as the service says)."""
    given: list[InputLike] = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]  # type: ignore[list-item]
    if not given:
        raise ValidationError("a custom job needs at least one document; the list is empty")
    sources = [as_input(item) for item in given]
    for source in sources:
        source.validate()
        if source.wire_fields()[0] != "localfile":
            raise ValidationError(f"{source.name}: a custom job takes uploaded documents only")
    return sources


def extract_flow(
    source: ParseSource, spec: SchemaSpec, settings: ExtractSettings
) -> Flow[Extraction[Any]]:
    """Parse (or reuse a parse), then extract, wait, read and validate."""
    parse_job, parse_credits = yield from _parsed(source, settings)
    created, spec = yield from create_extract_flow(parse_job.id, spec, settings)
    job: ExtractJob = yield from _finished(created, xops.get_extract_job, settings)
    raw = yield from extract_result_flow(job.id)
    data = validated_data(spec, raw, job.id) if settings.validate else raw
    credits = parse_credits + (job.credits_cost or 0.0)
    return Extraction(data=data, raw=raw, job=job, parse_job_id=parse_job.id, credits=credits)


def create_extract_flow(
    parse_job_id: str, spec: SchemaSpec, settings: ExtractSettings
) -> Flow[tuple[ExtractJob, SchemaSpec]]:
    """The extract job created, and the schema it was given (a saved one read first)."""
    spec = yield from resolved(spec)
    assert spec.wire is not None
    key = _key(settings.idempotency_key, "extract")
    operation = xops.create_extract_job(
        parse_job_id, spec.wire, settings.complexity, settings.nickname, key
    )
    return (yield Call(operation)), spec


def extract_result_flow(job_id: str) -> Flow[dict[str, Any]]:
    """A finished extract job's data, or why there is none."""
    answer: _xwire.ExtractResult = yield Call(xops.get_extract_result(job_id))
    if not answer.ready:
        if answer.processing_status == "failed":
            raise failed_job_error((yield Call(xops.get_extract_job(job_id))))
        raise ResultNotReadyError(
            f"The result of extract job {job_id} is not ready (status "
            f"{answer.processing_status!r}): wait_for_extract_job first, or use extract",
            job_id=job_id,
        )
    return checked_result(answer.result, job_id)


def custom_flow(
    sources: Sequence[InputConnector],
    spec: SchemaSpec | None,
    user_prompt: str | None,
    settings: ExtractSettings,
) -> Flow[Extraction[Any] | str]:
    """Create a custom job, wait, and read its result: data with a schema, text without."""
    if spec is not None:
        spec = yield from resolved(spec)
    schema = _xwire.encode_schema(spec.wire if spec is not None else None)
    fields = _xwire.CustomFields(schema, user_prompt, settings.nickname)
    key = _key(settings.idempotency_key, "custom")
    created = yield Call(xops.create_custom_job(sources, fields, key))
    job: CustomJob = yield from _finished(created, xops.get_custom_job, settings)
    body: bytes = yield Download(xops.custom_result(job.id), job.id)
    if spec is None:
        return body.decode("utf-8", errors="replace")
    raw = checked_result(ops.decode_json(body, f"the result of custom job {job.id}"), job.id)
    data = validated_data(spec, raw, job.id) if settings.validate else raw
    return Extraction(data=data, raw=raw, job=job, credits=job.credits_cost or 0.0)


def resolved(spec: SchemaSpec) -> Flow[SchemaSpec]:
    """`spec` with its JSON Schema, read from the service when only a name was given."""
    if spec.wire is not None or spec.saved_name is None:
        return spec
    saved: SavedSchema = yield Call(xops.get_schema(spec.saved_name))
    wire = check_json_schema(saved.schema_json, f"saved schema {saved.name!r}")
    return SchemaSpec(wire, saved_name=saved.name)


def save_schema_flow(name: str, schema: Mapping[str, Any]) -> Flow[SavedSchema]:
    """Save, or find the same content already saved under `name` (a retried save
    meets its own first attempt this way too)."""
    try:
        saved: SavedSchema = yield Call(xops.save_schema(name, schema))
    except ValidationError as refused:
        logger.debug(
            "saving schema %r was refused (%s): comparing with what is saved", name, refused
        )
        try:
            existing: SavedSchema = yield Call(xops.get_schema(name))
        except ResourceNotFoundError:
            raise refused from None
        if dict(existing.schema_json) != dict(schema):
            raise ValidationError(
                f"a schema named {name!r} is already saved with other content; "
                f"delete_schema({name!r}) first, or save under another name"
            ) from None
        return existing
    return saved


def _parsed(source: ParseSource, settings: ExtractSettings) -> Flow[tuple[Job, float]]:
    """The completed parse job, and the credits this call spent on it."""
    if isinstance(source, CreateRequest):
        created = yield Call(source.operation())
        if isinstance(created, str):  # an older server answers with the id alone
            created = yield Call(ops.get_job(created))
        job: Job = yield from _finished(created, ops.get_job, settings)
        return job, job.credits_cost or 0.0
    if isinstance(source, Job) and source.is_completed:
        return source, 0.0
    job_id = source.id if isinstance(source, Job) else source
    try:
        found: Job = yield Call(ops.get_job(job_id))
    except ResourceNotFoundError as exc:
        raise ResourceNotFoundError(
            f"No parse job {job_id!r} for this key (a source that names no file is read "
            "as a parse job id)",
            status_code=exc.status_code,
            body=exc.body,
            request_id=exc.request_id,
        ) from None
    return (yield from _finished(found, ops.get_job, settings)), 0.0


def _finished(job: Any, read: Any, settings: ExtractSettings) -> Flow[Any]:
    if job.is_failed:
        raise failed_job_error(job)
    if job.is_completed:
        return job
    return (yield Wait(job.id, read, settings.poll_interval, settings.max_wait_time))


def _key(given: str | None, step: str) -> str:
    """One key per request a call creates: the caller's with the step's name, or new."""
    return f"{given}:{step}" if given else f"byteit-{uuid.uuid4()}"
