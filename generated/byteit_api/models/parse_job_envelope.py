from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

if TYPE_CHECKING:
    from ..models.parse_job import ParseJob


T = TypeVar("T", bound="ParseJobEnvelope")


@_attrs_define
class ParseJobEnvelope:
    """
    Attributes:
        parse_job (ParseJob): A parse job. `processing_status` is `pending` or `processing` while in
            progress and `completed` or `failed` when done; any other value is to be
            read as still in progress. Timestamps are ISO 8601 and may end in `Z`.
    """

    parse_job: ParseJob
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parse_job = self.parse_job.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parse_job": parse_job,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.parse_job import ParseJob

        d = dict(src_dict)
        parse_job = ParseJob.from_dict(d.pop("parse_job"))

        parse_job_envelope = cls(
            parse_job=parse_job,
        )

        parse_job_envelope.additional_properties = d
        return parse_job_envelope

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
