from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from typing_extensions import Self

from .. import types
from ..models.boolean_string import BooleanString
from ..models.connector_kind import ConnectorKind
from ..models.creation_format import CreationFormat
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="CreateParseJobForm")


@_attrs_define
class CreateParseJobForm:
    """The form to create parse jobs. `processing_options`,
    `input_connection_data` and `output_connection_data` are JSON documents
    sent as strings. Known `processing_options` keys: `languages` (list of
    two-letter codes, default `["en"]`), `page_range` (`"1-5"`,
    `"1,3,5-10"`; empty means every page), `parse_type` (`auto`, `complex`,
    `handwritten`), `image_annotations`, `force_image_annotations`,
    `table_enrichment` (booleans, default false). Unknown keys are ignored.

        Attributes:
            file (File | Unset): The document. The part's filename is the original file name (the
                job's `metadata.original_filename`), sent as it is, never renamed.
                The part's `Content-Type` names the document type when it is the one
                a type is uploaded as: `application/pdf` (pdf),
                `application/vnd.openxmlformats-officedocument.wordprocessingml.document`
                (docx), `application/vnd.openxmlformats-officedocument.presentationml.presentation`
                (pptx), `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`
                (xlsx), `application/vnd.ms-excel` (xls), `text/plain` (txt),
                `text/markdown` (md), `text/html` (html), `application/json` (json),
                `application/xml` (xml), `image/jpeg` (jpeg, jpg), `image/png` (png),
                `image/tiff` (tiff), `image/bmp` (bmp). Any other `Content-Type` (such
                as `application/octet-stream`), or none, leaves the type to the
                filename's extension (`htm`, `tif`, `markdown` and `text` are read as
                html, tiff, md and txt). So a type the user gives travels with a file
                whose name says another or none: `document.xyz` sent as
                `application/pdf`, or `scan` sent as `text/plain`. When neither names
                an accepted type the creation is a 400 naming the extension. The
                vendor's documents do not say which of the two the hosted service
                reads; this is the decision of this spec, and a client sends both.
            files (list[File] | Unset): Several documents in one request (at most 25), each part named and
                typed as the `file` part is.
            processing_options (str | Unset): JSON, e.g. {"languages":["en"],"parse_type":"auto"}.
            output_format (CreationFormat | Unset): The result format named at creation (read by older servers; newer ones
                take it at download).
            input_connector (ConnectorKind | Unset): `localfile`: a file part is sent, or the result is kept in ByteIT
                storage. `s3`: the service reads or writes the bucket with the IAM role the customer registered with ByteIT; no
                AWS credentials are ever sent.
            input_connection_data (str | Unset): JSON for `s3`: {"source_bucket": "...", "source_path_inside_bucket":
                "..."}.
                No document type travels with it: the service types the object by
                its key's extension, so an object whose key does not say its type
                cannot be read server-side (read it client-side and upload it with
                its `Content-Type` instead).
            output_connector (ConnectorKind | Unset): `localfile`: a file part is sent, or the result is kept in ByteIT
                storage. `s3`: the service reads or writes the bucket with the IAM role the customer registered with ByteIT; no
                AWS credentials are ever sent.
            output_connection_data (str | Unset): JSON: {"type": "localfile"} or {"type": "s3", "bucket": "...", "path":
                "prefix/"}. A path ending in "/" is a folder that receives "<original file name>.<format>"; any other path is
                the key.
            nickname (str | Unset): An optional label.
            queue_for_batch (BooleanString | Unset): A form boolean.
    """

    file: File | Unset = UNSET
    files: list[File] | Unset = UNSET
    processing_options: str | Unset = UNSET
    output_format: CreationFormat | Unset = UNSET
    input_connector: ConnectorKind | Unset = UNSET
    input_connection_data: str | Unset = UNSET
    output_connector: ConnectorKind | Unset = UNSET
    output_connection_data: str | Unset = UNSET
    nickname: str | Unset = UNSET
    queue_for_batch: BooleanString | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file: FileTypes | Unset = UNSET
        if not isinstance(self.file, Unset):
            file = self.file.to_tuple()

        files: list[FileTypes] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = []
            for files_item_data in self.files:
                files_item = files_item_data.to_tuple()

                files.append(files_item)

        processing_options = self.processing_options

        output_format: str | Unset = UNSET
        if not isinstance(self.output_format, Unset):
            output_format = self.output_format.value

        input_connector: str | Unset = UNSET
        if not isinstance(self.input_connector, Unset):
            input_connector = self.input_connector.value

        input_connection_data = self.input_connection_data

        output_connector: str | Unset = UNSET
        if not isinstance(self.output_connector, Unset):
            output_connector = self.output_connector.value

        output_connection_data = self.output_connection_data

        nickname = self.nickname

        queue_for_batch: str | Unset = UNSET
        if not isinstance(self.queue_for_batch, Unset):
            queue_for_batch = self.queue_for_batch.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if file is not UNSET:
            field_dict["file"] = file
        if files is not UNSET:
            field_dict["files"] = files
        if processing_options is not UNSET:
            field_dict["processing_options"] = processing_options
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if input_connector is not UNSET:
            field_dict["input_connector"] = input_connector
        if input_connection_data is not UNSET:
            field_dict["input_connection_data"] = input_connection_data
        if output_connector is not UNSET:
            field_dict["output_connector"] = output_connector
        if output_connection_data is not UNSET:
            field_dict["output_connection_data"] = output_connection_data
        if nickname is not UNSET:
            field_dict["nickname"] = nickname
        if queue_for_batch is not UNSET:
            field_dict["queue_for_batch"] = queue_for_batch

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        if not isinstance(self.file, Unset):
            files.append(("file", self.file.to_tuple()))

        if not isinstance(self.files, Unset):
            for files_item_element in self.files:
                files.append(("files", files_item_element.to_tuple()))

        if not isinstance(self.processing_options, Unset):
            files.append(
                (
                    "processing_options",
                    (None, str(self.processing_options).encode(), "text/plain"),
                )
            )

        if not isinstance(self.output_format, Unset):
            files.append(
                (
                    "output_format",
                    (None, str(self.output_format.value).encode(), "text/plain"),
                )
            )

        if not isinstance(self.input_connector, Unset):
            files.append(
                (
                    "input_connector",
                    (None, str(self.input_connector.value).encode(), "text/plain"),
                )
            )

        if not isinstance(self.input_connection_data, Unset):
            files.append(
                (
                    "input_connection_data",
                    (None, str(self.input_connection_data).encode(), "text/plain"),
                )
            )

        if not isinstance(self.output_connector, Unset):
            files.append(
                (
                    "output_connector",
                    (None, str(self.output_connector.value).encode(), "text/plain"),
                )
            )

        if not isinstance(self.output_connection_data, Unset):
            files.append(
                (
                    "output_connection_data",
                    (None, str(self.output_connection_data).encode(), "text/plain"),
                )
            )

        if not isinstance(self.nickname, Unset):
            files.append(
                ("nickname", (None, str(self.nickname).encode(), "text/plain"))
            )

        if not isinstance(self.queue_for_batch, Unset):
            files.append(
                (
                    "queue_for_batch",
                    (None, str(self.queue_for_batch.value).encode(), "text/plain"),
                )
            )

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _file = d.pop("file", UNSET)
        file: File | Unset
        if isinstance(_file, Unset):
            file = UNSET
        else:
            file = File(payload=BytesIO(_file))

        _files = d.pop("files", UNSET)
        files: list[File] | Unset = UNSET
        if _files is not UNSET:
            files = []
            for files_item_data in _files:
                files_item = File(payload=BytesIO(files_item_data))

                files.append(files_item)

        processing_options = d.pop("processing_options", UNSET)

        _output_format = d.pop("output_format", UNSET)
        output_format: CreationFormat | Unset
        if isinstance(_output_format, Unset):
            output_format = UNSET
        else:
            output_format = CreationFormat(_output_format)

        _input_connector = d.pop("input_connector", UNSET)
        input_connector: ConnectorKind | Unset
        if isinstance(_input_connector, Unset):
            input_connector = UNSET
        else:
            input_connector = ConnectorKind(_input_connector)

        input_connection_data = d.pop("input_connection_data", UNSET)

        _output_connector = d.pop("output_connector", UNSET)
        output_connector: ConnectorKind | Unset
        if isinstance(_output_connector, Unset):
            output_connector = UNSET
        else:
            output_connector = ConnectorKind(_output_connector)

        output_connection_data = d.pop("output_connection_data", UNSET)

        nickname = d.pop("nickname", UNSET)

        _queue_for_batch = d.pop("queue_for_batch", UNSET)
        queue_for_batch: BooleanString | Unset
        if isinstance(_queue_for_batch, Unset):
            queue_for_batch = UNSET
        else:
            queue_for_batch = BooleanString(_queue_for_batch)

        create_parse_job_form = cls(
            file=file,
            files=files,
            processing_options=processing_options,
            output_format=output_format,
            input_connector=input_connector,
            input_connection_data=input_connection_data,
            output_connector=output_connector,
            output_connection_data=output_connection_data,
            nickname=nickname,
            queue_for_batch=queue_for_batch,
        )

        create_parse_job_form.additional_properties = d
        return create_parse_job_form

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
