from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_job_extraction_schema_type_0 import (
        CustomJobExtractionSchemaType0,
    )


T = TypeVar("T", bound="CustomJob")


@_attrs_define
class CustomJob:
    """A custom job; `processing_status` reads as a parse job's does.

    Attributes:
        id (str):
        processing_status (str):
        nickname (None | str | Unset):
        processing_error (None | str | Unset):
        created_at (datetime.datetime | None | Unset):
        updated_at (datetime.datetime | None | Unset):
        processing_time_seconds (float | None | Unset):
        credits_cost (float | None | Unset):
        extraction_schema (CustomJobExtractionSchemaType0 | None | Unset):
        user_prompt (None | str | Unset):
        file_names (list[str] | None | Unset):
        total_page_count (int | None | Unset):
        document_types (list[str] | None | Unset):
    """

    id: str
    processing_status: str
    nickname: None | str | Unset = UNSET
    processing_error: None | str | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    processing_time_seconds: float | None | Unset = UNSET
    credits_cost: float | None | Unset = UNSET
    extraction_schema: CustomJobExtractionSchemaType0 | None | Unset = UNSET
    user_prompt: None | str | Unset = UNSET
    file_names: list[str] | None | Unset = UNSET
    total_page_count: int | None | Unset = UNSET
    document_types: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.custom_job_extraction_schema_type_0 import (
            CustomJobExtractionSchemaType0,
        )

        id = self.id

        processing_status = self.processing_status

        nickname: None | str | Unset
        if isinstance(self.nickname, Unset):
            nickname = UNSET
        else:
            nickname = self.nickname

        processing_error: None | str | Unset
        if isinstance(self.processing_error, Unset):
            processing_error = UNSET
        else:
            processing_error = self.processing_error

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

        extraction_schema: dict[str, Any] | None | Unset
        if isinstance(self.extraction_schema, Unset):
            extraction_schema = UNSET
        elif isinstance(self.extraction_schema, CustomJobExtractionSchemaType0):
            extraction_schema = self.extraction_schema.to_dict()
        else:
            extraction_schema = self.extraction_schema

        user_prompt: None | str | Unset
        if isinstance(self.user_prompt, Unset):
            user_prompt = UNSET
        else:
            user_prompt = self.user_prompt

        file_names: list[str] | None | Unset
        if isinstance(self.file_names, Unset):
            file_names = UNSET
        elif isinstance(self.file_names, list):
            file_names = self.file_names

        else:
            file_names = self.file_names

        total_page_count: int | None | Unset
        if isinstance(self.total_page_count, Unset):
            total_page_count = UNSET
        else:
            total_page_count = self.total_page_count

        document_types: list[str] | None | Unset
        if isinstance(self.document_types, Unset):
            document_types = UNSET
        elif isinstance(self.document_types, list):
            document_types = self.document_types

        else:
            document_types = self.document_types

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "processing_status": processing_status,
            }
        )
        if nickname is not UNSET:
            field_dict["nickname"] = nickname
        if processing_error is not UNSET:
            field_dict["processing_error"] = processing_error
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if processing_time_seconds is not UNSET:
            field_dict["processing_time_seconds"] = processing_time_seconds
        if credits_cost is not UNSET:
            field_dict["credits_cost"] = credits_cost
        if extraction_schema is not UNSET:
            field_dict["extraction_schema"] = extraction_schema
        if user_prompt is not UNSET:
            field_dict["user_prompt"] = user_prompt
        if file_names is not UNSET:
            field_dict["file_names"] = file_names
        if total_page_count is not UNSET:
            field_dict["total_page_count"] = total_page_count
        if document_types is not UNSET:
            field_dict["document_types"] = document_types

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.custom_job_extraction_schema_type_0 import (
            CustomJobExtractionSchemaType0,
        )

        d = dict(src_dict)
        id = d.pop("id")

        processing_status = d.pop("processing_status")

        def _parse_nickname(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        nickname = _parse_nickname(d.pop("nickname", UNSET))

        def _parse_processing_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        processing_error = _parse_processing_error(d.pop("processing_error", UNSET))

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

        def _parse_extraction_schema(
            data: object,
        ) -> CustomJobExtractionSchemaType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                extraction_schema_type_0 = CustomJobExtractionSchemaType0.from_dict(
                    data
                )

                return extraction_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomJobExtractionSchemaType0 | None | Unset, data)

        extraction_schema = _parse_extraction_schema(d.pop("extraction_schema", UNSET))

        def _parse_user_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_prompt = _parse_user_prompt(d.pop("user_prompt", UNSET))

        def _parse_file_names(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                file_names_type_0 = cast(list[str], data)

                return file_names_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        file_names = _parse_file_names(d.pop("file_names", UNSET))

        def _parse_total_page_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_page_count = _parse_total_page_count(d.pop("total_page_count", UNSET))

        def _parse_document_types(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                document_types_type_0 = cast(list[str], data)

                return document_types_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        document_types = _parse_document_types(d.pop("document_types", UNSET))

        custom_job = cls(
            id=id,
            processing_status=processing_status,
            nickname=nickname,
            processing_error=processing_error,
            created_at=created_at,
            updated_at=updated_at,
            processing_time_seconds=processing_time_seconds,
            credits_cost=credits_cost,
            extraction_schema=extraction_schema,
            user_prompt=user_prompt,
            file_names=file_names,
            total_page_count=total_page_count,
            document_types=document_types,
        )

        custom_job.additional_properties = d
        return custom_job

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
