"""The stored records, and how each is shown on the wire.

Each record converts to a database row (``to_row``/``from_row``) and to the
object the spec describes (``to_api``). Owner ids, file paths and S3
connection data stay inside.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, TypeVar

__all__ = [
    "TERMINAL_STATUSES",
    "CustomJobRecord",
    "ExtractJobRecord",
    "IdempotencyRecord",
    "ParseJobRecord",
    "SavedSchemaRecord",
]

TERMINAL_STATUSES = frozenset({"completed", "failed"})
# The fields every job kind shows as they are stored, after its own.
_LIFECYCLE = (
    "processing_error",
    "processing_time_seconds",
    "credits_cost",
    "created_at",
    "updated_at",
    "started_processing_at",
    "finished_processing_at",
)
_R = TypeVar("_R", bound="_Row")


@dataclass
class _Row:
    """Row conversion shared by the records: columns are the dataclass fields."""

    def to_row(self) -> dict[str, Any]:
        """The record as a database row."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_row(cls: type[_R], row: dict[str, Any]) -> _R:  # noqa: PYI019 (typing.Self needs 3.11)
        """The record read back from a database row (unknown columns ignored)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{name: value for name, value in row.items() if name in names})

    def _job_fields(self, *names: str) -> dict[str, Any]:
        """A job's ``id`` and status, the fields ``names``, then the lifecycle fields."""
        shown = {name: getattr(self, name) for name in ("id", "status", *names, *_LIFECYCLE)}
        shown["processing_status"] = shown.pop("status")
        return shown


@dataclass
class ParseJobRecord(_Row):
    """A parse job as stored."""

    id: str
    owner: str
    status: str
    progress: int
    message: str | None
    nickname: str | None
    result_format: str
    processing_error: str | None
    processing_options: dict[str, Any]
    input_connector: str
    output_connector: str
    metadata: dict[str, Any]
    created_at: str
    updated_at: str
    started_processing_at: str | None
    finished_processing_at: str | None
    processing_time_seconds: float | None
    credits_cost: float | None
    file_path: str
    original_filename: str
    document_type: str
    # The S3 object read, and the bucket and path written, for the s3 connectors.
    input_connection_data: dict[str, Any] | None = None
    output_connection_data: dict[str, Any] | None = None

    @property
    def stem(self) -> str:
        """The original file name without its extension, for result file names."""
        return PurePath(self.original_filename.replace("\\", "/")).stem or "result"

    def to_api(self) -> dict[str, Any]:
        """The ``ParseJob`` object of the spec."""
        return {
            "id": self.id,
            "processing_status": self.status,
            "result_format": self.result_format,
            "nickname": self.nickname,
            "processing_error": self.processing_error,
            "processing_time_seconds": self.processing_time_seconds,
            "credits_cost": self.credits_cost,
            "input_connector": self.input_connector,
            "output_connector": self.output_connector,
            "processing_options": self.processing_options,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "started_processing_at": self.started_processing_at,
            "finished_processing_at": self.finished_processing_at,
            "metadata": self.metadata,
        }


@dataclass
class ExtractJobRecord(_Row):
    """An extract job as stored."""

    id: str
    owner: str
    status: str
    progress: int
    message: str | None
    input_job_id: str
    nickname: str | None
    extraction_schema: dict[str, Any]
    extraction_complexity: str
    processing_error: str | None
    processing_time_seconds: float | None
    credits_cost: float | None
    result: dict[str, Any] | None
    created_at: str
    updated_at: str
    started_processing_at: str | None
    finished_processing_at: str | None

    def to_api(self) -> dict[str, Any]:
        """The ``ExtractJob`` object of the spec."""
        return self._job_fields(
            "input_job_id", "nickname", "extraction_schema", "extraction_complexity"
        )


@dataclass
class CustomJobRecord(_Row):
    """A custom job as stored: several documents, an optional schema and prompt.

    ``file_paths`` are where the uploads are kept, in the order sent; the
    result is a file in the job's result folder, named by ``result_name``.
    """

    id: str
    owner: str
    status: str
    progress: int
    message: str | None
    nickname: str | None
    extraction_schema: dict[str, Any] | None
    user_prompt: str | None
    file_names: list[str]
    document_types: list[str]
    file_paths: list[str]
    total_page_count: int | None
    processing_error: str | None
    processing_time_seconds: float | None
    credits_cost: float | None
    result_name: str | None
    created_at: str
    updated_at: str
    started_processing_at: str | None
    finished_processing_at: str | None

    def to_api(self) -> dict[str, Any]:
        """The ``CustomJob`` object of the wire contract."""
        return self._job_fields(
            "nickname", "extraction_schema", "user_prompt", "file_names", "total_page_count",
            "document_types",
        )  # fmt: skip


@dataclass
class IdempotencyRecord(_Row):
    """What the first request carrying an ``Idempotency-Key`` created."""

    owner: str
    key: str
    operation: str
    job_ids: list[str]
    failed_files: list[dict[str, str]] = field(default_factory=list)
    created_at: str = ""


@dataclass
class SavedSchemaRecord(_Row):
    """A saved extraction schema."""

    owner: str
    name: str
    schema_json: dict[str, Any]
    created_at: str

    def to_api(self) -> dict[str, Any]:
        """The ``SavedSchema`` object of the spec."""
        return {"name": self.name, "schema_json": self.schema_json}
