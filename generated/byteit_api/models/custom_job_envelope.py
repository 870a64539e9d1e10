from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

if TYPE_CHECKING:
    from ..models.custom_job import CustomJob


T = TypeVar("T", bound="CustomJobEnvelope")


@_attrs_define
class CustomJobEnvelope:
    """
    Attributes:
        custom_job (CustomJob): A custom job; `processing_status` reads as a parse job's does.
    """

    custom_job: CustomJob
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        custom_job = self.custom_job.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "custom_job": custom_job,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.custom_job import CustomJob

        d = dict(src_dict)
        custom_job = CustomJob.from_dict(d.pop("custom_job"))

        custom_job_envelope = cls(
            custom_job=custom_job,
        )

        custom_job_envelope.additional_properties = d
        return custom_job_envelope

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
