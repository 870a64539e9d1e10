from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

from .. import types
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="CreateCustomJobForm")


@_attrs_define
class CreateCustomJobForm:
    """The form to create a custom job. `schema` is a JSON Schema object sent
    as a JSON-encoded string.

        Attributes:
            files (list[File]): The documents (at least one), each part named and typed as a parse job's `file` part.
            schema (str | Unset): A JSON-encoded JSON Schema object, e.g. {"type":"object","properties":{...}}.
            user_prompt (str | Unset): Instructions for the job, in plain words.
            nickname (str | Unset): An optional label.
    """

    files: list[File]
    schema: str | Unset = UNSET
    user_prompt: str | Unset = UNSET
    nickname: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_tuple()

            files.append(files_item)

        schema = self.schema

        user_prompt = self.user_prompt

        nickname = self.nickname

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "files": files,
            }
        )
        if schema is not UNSET:
            field_dict["schema"] = schema
        if user_prompt is not UNSET:
            field_dict["user_prompt"] = user_prompt
        if nickname is not UNSET:
            field_dict["nickname"] = nickname

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        for files_item_element in self.files:
            files.append(("files", files_item_element.to_tuple()))

        if not isinstance(self.schema, Unset):
            files.append(("schema", (None, str(self.schema).encode(), "text/plain")))

        if not isinstance(self.user_prompt, Unset):
            files.append(
                ("user_prompt", (None, str(self.user_prompt).encode(), "text/plain"))
            )

        if not isinstance(self.nickname, Unset):
            files.append(
                ("nickname", (None, str(self.nickname).encode(), "text/plain"))
            )

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = File(payload=BytesIO(files_item_data))

            files.append(files_item)

        schema = d.pop("schema", UNSET)

        user_prompt = d.pop("user_prompt", UNSET)

        nickname = d.pop("nickname", UNSET)

        create_custom_job_form = cls(
            files=files,
            schema=schema,
            user_prompt=user_prompt,
            nickname=nickname,
        )

        create_custom_job_form.additional_properties = d
        return create_custom_job_form

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
