"""The objects the client returns: jobs of each kind, their status, lists of jobs,
saved schemas and structured extractions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs

__all__ = [
    "CustomJob",
    "ExtractJob",
    "Extraction",
    "Job",
    "JobList",
    "JobMetadata",
    "JobStatus",
    "SavedSchema",
]

T = TypeVar("T")

IN_PROGRESS = frozenset({"pending", "processing"})
COMPLETED = "completed"
FAILED = "failed"


def _frozen_dict(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return dict(value or {})


@attrs.frozen
class JobMetadata:
    """What the service learned of the document."""

    original_filename: str | None = None
    document_type: str | None = None
    page_count: int | None = None
    language: str | None = None
    encoding: str | None = None


class _StatusMixin:
    processing_status: str

    @property
    def is_completed(self) -> bool:
        """The job finished and its result can be downloaded."""
        return self.processing_status == COMPLETED

    @property
    def is_failed(self) -> bool:
        """The job failed; see ``processing_error``."""
        return self.processing_status == FAILED

    @property
    def is_processing(self) -> bool:
        """The job is still in progress (any status but completed and failed)."""
        return not (self.is_completed or self.is_failed)


@attrs.frozen
class Job(_StatusMixin):
    """A parse job.

    ``processing_status`` is ``pending`` or ``processing`` while in progress and
    ``completed`` or ``failed`` when done; any other value counts as in progress.
    Fields the client does not know are kept in ``extra``.
    """

    id: str
    processing_status: str
    processing_error: str | None = None
    result_format: str | None = None
    nickname: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    started_processing_at: datetime | None = None
    finished_processing_at: datetime | None = None
    processing_time_seconds: float | None = None
    credits_cost: float | None = None
    input_connector: str | None = None
    output_connector: str | None = None
    processing_options: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_dict)
    metadata: JobMetadata | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_dict, repr=False)


@attrs.frozen
class JobStatus(_StatusMixin):
    """The light status of a job: what `wait_for_job` reports to ``on_progress``."""

    job_id: str
    processing_status: str
    progress: int | None = None
    message: str | None = None


@attrs.frozen
class JobList:
    """A page of jobs, newest first, as the service lists them."""

    jobs: list[Job]
    count: int
    detail: str | None = None

    def __iter__(self) -> Iterator[Job]:
        return iter(self.jobs)

    def __len__(self) -> int:
        return len(self.jobs)


@attrs.frozen
class ExtractJob(_StatusMixin):
    """A structured-extraction job: a parse job's text filled into a JSON Schema.

    ``input_job_id`` is the parse job it read. Fields the client does not know are
    kept in ``extra``.
    """

    id: str
    processing_status: str
    input_job_id: str | None = None
    nickname: str | None = None
    extraction_schema: Mapping[str, Any] | None = None
    extraction_complexity: str | None = None
    processing_error: str | None = None
    processing_time_seconds: float | None = None
    credits_cost: float | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_dict, repr=False)


@attrs.frozen
class CustomJob(_StatusMixin):
    """A custom job: several documents, an optional JSON Schema and a prompt."""

    id: str
    processing_status: str
    nickname: str | None = None
    processing_error: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    processing_time_seconds: float | None = None
    credits_cost: float | None = None
    extraction_schema: Mapping[str, Any] | None = None
    user_prompt: str | None = None
    file_names: list[str] = attrs.field(factory=list)
    total_page_count: int | None = None
    document_types: list[str] = attrs.field(factory=list)
    extra: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_dict, repr=False)


@attrs.frozen
class SavedSchema:
    """A JSON Schema saved on the service under a name; pass it (or its name) as the
    ``schema`` of an extraction."""

    name: str
    schema_json: Mapping[str, Any] = attrs.field(converter=_frozen_dict)


@attrs.frozen
class Extraction(Generic[T]):
    """What an extraction produced.

    Attributes:
        data: The result checked against the schema: an instance of the pydantic
            model, or the dict for a JSON Schema (or a saved schema).
        raw: The service's data, as it sent it.
        job: The `ExtractJob` (or `CustomJob`) that produced it.
        parse_job_id: The parse job read (None for a custom job).
        credits: Credits this call spent: the extract (or custom) job's, plus the parse
            job's when this call created it. A cost the service did not report counts 0.
    """

    data: T
    raw: Mapping[str, Any] = attrs.field(converter=_frozen_dict)
    job: ExtractJob | CustomJob
    parse_job_id: str | None = None
    credits: float = 0.0
