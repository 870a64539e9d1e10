from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_job import CustomJob


T = TypeVar("T", bound="CustomJobList")


@_attrs_define
class CustomJobList:
    """
    Attributes:
        custom_jobs (list[CustomJob]):
        count (int | Unset):
        detail (str | Unset):
    """

    custom_jobs: list[CustomJob]
    count: int | Unset = UNSET
    detail: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        custom_jobs = []
        for custom_jobs_item_data in self.custom_jobs:
            custom_jobs_item = custom_jobs_item_data.to_dict()
            custom_jobs.append(custom_jobs_item)

        count = self.count

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "custom_jobs": custom_jobs,
            }
        )
        if count is not UNSET:
            field_dict["count"] = count
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.custom_job import CustomJob

        d = dict(src_dict)
        custom_jobs = []
        _custom_jobs = d.pop("custom_jobs")
        for custom_jobs_item_data in _custom_jobs:
            custom_jobs_item = CustomJob.from_dict(custom_jobs_item_data)

            custom_jobs.append(custom_jobs_item)

        count = d.pop("count", UNSET)

        detail = d.pop("detail", UNSET)

        custom_job_list = cls(
            custom_jobs=custom_jobs,
            count=count,
            detail=detail,
        )

        custom_job_list.additional_properties = d
        return custom_job_list

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
