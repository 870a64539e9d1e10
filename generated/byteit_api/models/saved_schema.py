from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

if TYPE_CHECKING:
    from ..models.saved_schema_schema_json import SavedSchemaSchemaJson


T = TypeVar("T", bound="SavedSchema")


@_attrs_define
class SavedSchema:
    """
    Attributes:
        name (str):
        schema_json (SavedSchemaSchemaJson): A JSON Schema object.
    """

    name: str
    schema_json: SavedSchemaSchemaJson
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        schema_json = self.schema_json.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "schema_json": schema_json,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.saved_schema_schema_json import SavedSchemaSchemaJson

        d = dict(src_dict)
        name = d.pop("name")

        schema_json = SavedSchemaSchemaJson.from_dict(d.pop("schema_json"))

        saved_schema = cls(
            name=name,
            schema_json=schema_json,
        )

        saved_schema.additional_properties = d
        return saved_schema

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
