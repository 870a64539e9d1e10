"""The objects the client returns: jobs, their status, and lists of jobs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import attrs

__all__ = ["Job", "JobList", "JobMetadata", "JobStatus"]

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
