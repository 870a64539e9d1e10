from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_job_result_result_type_0 import ExtractJobResultResultType0


T = TypeVar("T", bound="ExtractJobResult")


@_attrs_define
class ExtractJobResult:
    """
    Attributes:
        ready (bool):
        processing_status (str | Unset):
        result (ExtractJobResultResultType0 | None | Unset):
    """

    ready: bool
    processing_status: str | Unset = UNSET
    result: ExtractJobResultResultType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.extract_job_result_result_type_0 import (
            ExtractJobResultResultType0,
        )

        ready = self.ready

        processing_status = self.processing_status

        result: dict[str, Any] | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, ExtractJobResultResultType0):
            result = self.result.to_dict()
        else:
            result = self.result

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ready": ready,
            }
        )
        if processing_status is not UNSET:
            field_dict["processing_status"] = processing_status
        if result is not UNSET:
            field_dict["result"] = result

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.extract_job_result_result_type_0 import (
            ExtractJobResultResultType0,
        )

        d = dict(src_dict)
        ready = d.pop("ready")

        processing_status = d.pop("processing_status", UNSET)

        def _parse_result(data: object) -> ExtractJobResultResultType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = ExtractJobResultResultType0.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractJobResultResultType0 | None | Unset, data)

        result = _parse_result(d.pop("result", UNSET))

        extract_job_result = cls(
            ready=ready,
            processing_status=processing_status,
            result=result,
        )

        extract_job_result.additional_properties = d
        return extract_job_result

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
