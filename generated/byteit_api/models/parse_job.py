from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document_metadata import DocumentMetadata
    from ..models.parse_job_processing_options_type_0 import (
        ParseJobProcessingOptionsType0,
    )


T = TypeVar("T", bound="ParseJob")


@_attrs_define
class ParseJob:
    """A parse job. `processing_status` is `pending` or `processing` while in
    progress and `completed` or `failed` when done; any other value is to be
    read as still in progress. Timestamps are ISO 8601 and may end in `Z`.

        Attributes:
            id (str):
            processing_status (str):
            result_format (None | str | Unset):
            nickname (None | str | Unset):
            processing_error (None | str | Unset):
            processing_time_seconds (float | None | Unset):
            credits_cost (float | None | Unset):
            input_connector (None | str | Unset):
            output_connector (None | str | Unset):
            processing_options (None | ParseJobProcessingOptionsType0 | Unset):
            created_at (datetime.datetime | None | Unset):
            updated_at (datetime.datetime | None | Unset):
            started_processing_at (datetime.datetime | None | Unset):
            finished_processing_at (datetime.datetime | None | Unset):
            metadata (DocumentMetadata | Unset): What the service learned of the document.
    """

    id: str
    processing_status: str
    result_format: None | str | Unset = UNSET
    nickname: None | str | Unset = UNSET
    processing_error: None | str | Unset = UNSET
    processing_time_seconds: float | None | Unset = UNSET
    credits_cost: float | None | Unset = UNSET
    input_connector: None | str | Unset = UNSET
    output_connector: None | str | Unset = UNSET
    processing_options: None | ParseJobProcessingOptionsType0 | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    started_processing_at: datetime.datetime | None | Unset = UNSET
    finished_processing_at: datetime.datetime | None | Unset = UNSET
    metadata: DocumentMetadata | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.parse_job_processing_options_type_0 import (
            ParseJobProcessingOptionsType0,
        )

        id = self.id

        processing_status = self.processing_status

        result_format: None | str | Unset
        if isinstance(self.result_format, Unset):
            result_format = UNSET
        else:
            result_format = self.result_format

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

        input_connector: None | str | Unset
        if isinstance(self.input_connector, Unset):
            input_connector = UNSET
        else:
            input_connector = self.input_connector

        output_connector: None | str | Unset
        if isinstance(self.output_connector, Unset):
            output_connector = UNSET
        else:
            output_connector = self.output_connector

        processing_options: dict[str, Any] | None | Unset
        if isinstance(self.processing_options, Unset):
            processing_options = UNSET
        elif isinstance(self.processing_options, ParseJobProcessingOptionsType0):
            processing_options = self.processing_options.to_dict()
        else:
            processing_options = self.processing_options

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

        started_processing_at: None | str | Unset
        if isinstance(self.started_processing_at, Unset):
            started_processing_at = UNSET
        elif isinstance(self.started_processing_at, datetime.datetime):
            started_processing_at = self.started_processing_at.isoformat()
        else:
            started_processing_at = self.started_processing_at

        finished_processing_at: None | str | Unset
        if isinstance(self.finished_processing_at, Unset):
            finished_processing_at = UNSET
        elif isinstance(self.finished_processing_at, datetime.datetime):
            finished_processing_at = self.finished_processing_at.isoformat()
        else:
            finished_processing_at = self.finished_processing_at

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "processing_status": processing_status,
            }
        )
        if result_format is not UNSET:
            field_dict["result_format"] = result_format
        if nickname is not UNSET:
            field_dict["nickname"] = nickname
        if processing_error is not UNSET:
            field_dict["processing_error"] = processing_error
        if processing_time_seconds is not UNSET:
            field_dict["processing_time_seconds"] = processing_time_seconds
        if credits_cost is not UNSET:
            field_dict["credits_cost"] = credits_cost
        if input_connector is not UNSET:
            field_dict["input_connector"] = input_connector
        if output_connector is not UNSET:
            field_dict["output_connector"] = output_connector
        if processing_options is not UNSET:
            field_dict["processing_options"] = processing_options
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if started_processing_at is not UNSET:
            field_dict["started_processing_at"] = started_processing_at
        if finished_processing_at is not UNSET:
            field_dict["finished_processing_at"] = finished_processing_at
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.document_metadata import DocumentMetadata
        from ..models.parse_job_processing_options_type_0 import (
            ParseJobProcessingOptionsType0,
        )

        d = dict(src_dict)
        id = d.pop("id")

        processing_status = d.pop("processing_status")

        def _parse_result_format(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        result_format = _parse_result_format(d.pop("result_format", UNSET))

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

        def _parse_input_connector(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        input_connector = _parse_input_connector(d.pop("input_connector", UNSET))

        def _parse_output_connector(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        output_connector = _parse_output_connector(d.pop("output_connector", UNSET))

        def _parse_processing_options(
            data: object,
        ) -> None | ParseJobProcessingOptionsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                processing_options_type_0 = ParseJobProcessingOptionsType0.from_dict(
                    data
                )

                return processing_options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ParseJobProcessingOptionsType0 | Unset, data)

        processing_options = _parse_processing_options(
            d.pop("processing_options", UNSET)
        )

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

        def _parse_started_processing_at(
            data: object,
        ) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_processing_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_processing_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_processing_at = _parse_started_processing_at(
            d.pop("started_processing_at", UNSET)
        )

        def _parse_finished_processing_at(
            data: object,
        ) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_processing_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_processing_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_processing_at = _parse_finished_processing_at(
            d.pop("finished_processing_at", UNSET)
        )

        _metadata = d.pop("metadata", UNSET)
        metadata: DocumentMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = DocumentMetadata.from_dict(_metadata)

        parse_job = cls(
            id=id,
            processing_status=processing_status,
            result_format=result_format,
            nickname=nickname,
            processing_error=processing_error,
            processing_time_seconds=processing_time_seconds,
            credits_cost=credits_cost,
            input_connector=input_connector,
            output_connector=output_connector,
            processing_options=processing_options,
            created_at=created_at,
            updated_at=updated_at,
            started_processing_at=started_processing_at,
            finished_processing_at=finished_processing_at,
            metadata=metadata,
        )

        parse_job.additional_properties = d
        return parse_job

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
