from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.failed_file import FailedFile
    from ..models.parse_job import ParseJob


T = TypeVar("T", bound="CreateParseJobResponse")


@_attrs_define
class CreateParseJobResponse:
    """One of three shapes, decided by the server: `parse_job` (one file),
    `parse_jobs` with `failed_files` (several files), or `job_id` only
    (older servers; read the job with GET).

        Attributes:
            parse_job (ParseJob | Unset): A parse job. `processing_status` is `pending` or `processing` while in
                progress and `completed` or `failed` when done; any other value is to be
                read as still in progress. Timestamps are ISO 8601 and may end in `Z`.
            parse_jobs (list[ParseJob] | Unset):
            failed_files (list[FailedFile] | Unset):
            job_id (str | Unset):
            detail (str | Unset):
    """

    parse_job: ParseJob | Unset = UNSET
    parse_jobs: list[ParseJob] | Unset = UNSET
    failed_files: list[FailedFile] | Unset = UNSET
    job_id: str | Unset = UNSET
    detail: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parse_job: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parse_job, Unset):
            parse_job = self.parse_job.to_dict()

        parse_jobs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.parse_jobs, Unset):
            parse_jobs = []
            for parse_jobs_item_data in self.parse_jobs:
                parse_jobs_item = parse_jobs_item_data.to_dict()
                parse_jobs.append(parse_jobs_item)

        failed_files: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.failed_files, Unset):
            failed_files = []
            for failed_files_item_data in self.failed_files:
                failed_files_item = failed_files_item_data.to_dict()
                failed_files.append(failed_files_item)

        job_id = self.job_id

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if parse_job is not UNSET:
            field_dict["parse_job"] = parse_job
        if parse_jobs is not UNSET:
            field_dict["parse_jobs"] = parse_jobs
        if failed_files is not UNSET:
            field_dict["failed_files"] = failed_files
        if job_id is not UNSET:
            field_dict["job_id"] = job_id
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.failed_file import FailedFile
        from ..models.parse_job import ParseJob

        d = dict(src_dict)
        _parse_job = d.pop("parse_job", UNSET)
        parse_job: ParseJob | Unset
        if isinstance(_parse_job, Unset):
            parse_job = UNSET
        else:
            parse_job = ParseJob.from_dict(_parse_job)

        _parse_jobs = d.pop("parse_jobs", UNSET)
        parse_jobs: list[ParseJob] | Unset = UNSET
        if _parse_jobs is not UNSET:
            parse_jobs = []
            for parse_jobs_item_data in _parse_jobs:
                parse_jobs_item = ParseJob.from_dict(parse_jobs_item_data)

                parse_jobs.append(parse_jobs_item)

        _failed_files = d.pop("failed_files", UNSET)
        failed_files: list[FailedFile] | Unset = UNSET
        if _failed_files is not UNSET:
            failed_files = []
            for failed_files_item_data in _failed_files:
                failed_files_item = FailedFile.from_dict(failed_files_item_data)

                failed_files.append(failed_files_item)

        job_id = d.pop("job_id", UNSET)

        detail = d.pop("detail", UNSET)

        create_parse_job_response = cls(
            parse_job=parse_job,
            parse_jobs=parse_jobs,
            failed_files=failed_files,
            job_id=job_id,
            detail=detail,
        )

        create_parse_job_response.additional_properties = d
        return create_parse_job_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
