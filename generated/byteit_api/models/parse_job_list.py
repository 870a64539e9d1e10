from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.parse_job import ParseJob


T = TypeVar("T", bound="ParseJobList")


@_attrs_define
class ParseJobList:
    """
    Attributes:
        parse_jobs (list[ParseJob]):
        count (int | Unset):
        detail (str | Unset):
    """

    parse_jobs: list[ParseJob]
    count: int | Unset = UNSET
    detail: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parse_jobs = []
        for parse_jobs_item_data in self.parse_jobs:
            parse_jobs_item = parse_jobs_item_data.to_dict()
            parse_jobs.append(parse_jobs_item)

        count = self.count

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parse_jobs": parse_jobs,
            }
        )
        if count is not UNSET:
            field_dict["count"] = count
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.parse_job import ParseJob

        d = dict(src_dict)
        parse_jobs = []
        _parse_jobs = d.pop("parse_jobs")
        for parse_jobs_item_data in _parse_jobs:
            parse_jobs_item = ParseJob.from_dict(parse_jobs_item_data)

            parse_jobs.append(parse_jobs_item)

        count = d.pop("count", UNSET)

        detail = d.pop("detail", UNSET)

        parse_job_list = cls(
            parse_jobs=parse_jobs,
            count=count,
            detail=detail,
        )

        parse_job_list.additional_properties = d
        return parse_job_list

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
