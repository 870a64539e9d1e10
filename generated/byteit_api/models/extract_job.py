from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_job_extraction_schema_type_0 import (
        ExtractJobExtractionSchemaType0,
    )


T = TypeVar("T", bound="ExtractJob")


@_attrs_define
class ExtractJob:
    """
    Attributes:
        id (str):
        processing_status (str):
        input_job_id (None | str | Unset):
        nickname (None | str | Unset):
        extraction_schema (ExtractJobExtractionSchemaType0 | None | Unset):
        extraction_complexity (None | str | Unset):
        processing_error (None | str | Unset):
        processing_time_seconds (float | None | Unset):
        credits_cost (float | None | Unset):
        created_at (datetime.datetime | None | Unset):
        updated_at (datetime.datetime | None | Unset):
    """

    id: str
    processing_status: str
    input_job_id: None | str | Unset = UNSET
    nickname: None | str | Unset = UNSET
    extraction_schema: ExtractJobExtractionSchemaType0 | None | Unset = UNSET
    extraction_complexity: None | str | Unset = UNSET
    processing_error: None | str | Unset = UNSET
    processing_time_seconds: float | None | Unset = UNSET
    credits_cost: float | None | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.extract_job_extraction_schema_type_0 import (
            ExtractJobExtractionSchemaType0,
        )

        id = self.id

        processing_status = self.processing_status

        input_job_id: None | str | Unset
        if isinstance(self.input_job_id, Unset):
            input_job_id = UNSET
        else:
            input_job_id = self.input_job_id

        nickname: None | str | Unset
        if isinstance(self.nickname, Unset):
            nickname = UNSET
        else:
            nickname = self.nickname

        extraction_schema: dict[str, Any] | None | Unset
        if isinstance(self.extraction_schema, Unset):
            extraction_schema = UNSET
        elif isinstance(self.extraction_schema, ExtractJobExtractionSchemaType0):
            extraction_schema = self.extraction_schema.to_dict()
        else:
            extraction_schema = self.extraction_schema

        extraction_complexity: None | str | Unset
        if isinstance(self.extraction_complexity, Unset):
            extraction_complexity = UNSET
        else:
            extraction_complexity = self.extraction_complexity

        processing_error: None | str | Unset
        if isinstance(self.processing_error, Unset):
            processing_error = UNSET
        else:
            processing_error = self.processing_error

        processing_time_seconds: float | None | Unset
        if isinstance(self.processing_time_seconds, Unset):
            processing_time_seconds = UNSET
        else:
            processing_time_seconds = self.processing_time_seconds

        credits_cost: float | None | Unset
        if isinstance(self.credits_cost, Unset):
            credits_cost = UNSET
        else:
            credits_cost = self.credits_cost

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "processing_status": processing_status,
            }
        )
        if input_job_id is not UNSET:
            field_dict["input_job_id"] = input_job_id
        if nickname is not UNSET:
            field_dict["nickname"] = nickname
        if extraction_schema is not UNSET:
            field_dict["extraction_schema"] = extraction_schema
        if extraction_complexity is not UNSET:
            field_dict["extraction_complexity"] = extraction_complexity
        if processing_error is not UNSET:
            field_dict["processing_error"] = processing_error
        if processing_time_seconds is not UNSET:
            field_dict["processing_time_seconds"] = processing_time_seconds
        if credits_cost is not UNSET:
            field_dict["credits_cost"] = credits_cost
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.extract_job_extraction_schema_type_0 import (
            ExtractJobExtractionSchemaType0,
        )

        d = dict(src_dict)
        id = d.pop("id")

        processing_status = d.pop("processing_status")

        def _parse_input_job_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        input_job_id = _parse_input_job_id(d.pop("input_job_id", UNSET))

        def _parse_nickname(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        nickname = _parse_nickname(d.pop("nickname", UNSET))

        def _parse_extraction_schema(
            data: object,
        ) -> ExtractJobExtractionSchemaType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                extraction_schema_type_0 = ExtractJobExtractionSchemaType0.from_dict(
                    data
                )

                return extraction_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractJobExtractionSchemaType0 | None | Unset, data)

        extraction_schema = _parse_extraction_schema(d.pop("extraction_schema", UNSET))

        def _parse_extraction_complexity(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        extraction_complexity = _parse_extraction_complexity(
            d.pop("extraction_complexity", UNSET)
        )

        def _parse_processing_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        processing_error = _parse_processing_error(d.pop("processing_error", UNSET))

        def _parse_processing_time_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        processing_time_seconds = _parse_processing_time_seconds(
            d.pop("processing_time_seconds", UNSET)
        )

        def _parse_credits_cost(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        credits_cost = _parse_credits_cost(d.pop("credits_cost", UNSET))

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        extract_job = cls(
            id=id,
            processing_status=processing_status,
            input_job_id=input_job_id,
            nickname=nickname,
            extraction_schema=extraction_schema,
            extraction_complexity=extraction_complexity,
            processing_error=processing_error,
            processing_time_seconds=processing_time_seconds,
            credits_cost=credits_cost,
            created_at=created_at,
            updated_at=updated_at,
        )

        extract_job.additional_properties = d
        return extract_job

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
