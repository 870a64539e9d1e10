from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

from ..models.extraction_complexity import ExtractionComplexity
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_extract_job_request_schema import CreateExtractJobRequestSchema


T = TypeVar("T", bound="CreateExtractJobRequest")


@_attrs_define
class CreateExtractJobRequest:
    """
    Attributes:
        parse_job_id (str):
        schema (CreateExtractJobRequestSchema): A JSON Schema object; the vendor's client makes every field optional
            with a `description`.
        extraction_complexity (ExtractionComplexity | Unset):
        nickname (str | Unset):
    """

    parse_job_id: str
    schema: CreateExtractJobRequestSchema
    extraction_complexity: ExtractionComplexity | Unset = UNSET
    nickname: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parse_job_id = self.parse_job_id

        schema = self.schema.to_dict()

        extraction_complexity: str | Unset = UNSET
        if not isinstance(self.extraction_complexity, Unset):
            extraction_complexity = self.extraction_complexity.value

        nickname = self.nickname

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parse_job_id": parse_job_id,
                "schema": schema,
            }
        )
        if extraction_complexity is not UNSET:
            field_dict["extraction_complexity"] = extraction_complexity
        if nickname is not UNSET:
            field_dict["nickname"] = nickname

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.create_extract_job_request_schema import (
            CreateExtractJobRequestSchema,
        )

        d = dict(src_dict)
        parse_job_id = d.pop("parse_job_id")

        schema = CreateExtractJobRequestSchema.from_dict(d.pop("schema"))

        _extraction_complexity = d.pop("extraction_complexity", UNSET)
        extraction_complexity: ExtractionComplexity | Unset
        if isinstance(_extraction_complexity, Unset):
            extraction_complexity = UNSET
        else:
            extraction_complexity = ExtractionComplexity(_extraction_complexity)

        nickname = d.pop("nickname", UNSET)

        create_extract_job_request = cls(
            parse_job_id=parse_job_id,
            schema=schema,
            extraction_complexity=extraction_complexity,
            nickname=nickname,
        )

        create_extract_job_request.additional_properties = d
        return create_extract_job_request

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
