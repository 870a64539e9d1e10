"""The connector fields of a create request: where the document comes from, where the result goes.

``localfile`` (the default) means a file part is sent and the result stays in
the server's storage; ``s3`` means the server reads the object, or writes the
result, itself (:mod:`byteit_server.s3_bridge`). Every inconsistency is a 400
that names the field, and any use of S3 on a server without S3 settings is the
400 :data:`~byteit_server.s3_bridge.S3_NOT_CONFIGURED`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ApiError
from .s3_bridge import S3_NOT_CONFIGURED
from .validation import check_choice, parse_json_object

__all__ = ["JobConnectors", "read_connectors"]

_KINDS = ("localfile", "s3")
_SOURCE_SHAPE = '{"source_bucket": "...", "source_path_inside_bucket": "..."}'
_TARGET_SHAPE = '{"type": "s3", "bucket": "...", "path": "prefix/"}'


@dataclass(frozen=True)
class JobConnectors:
    """The connectors of a job, with the S3 object read and the bucket and path written."""

    input_connector: str = "localfile"
    output_connector: str = "localfile"
    input_connection_data: dict[str, str] | None = None
    output_connection_data: dict[str, str] | None = None

    @property
    def s3_filename(self) -> str | None:
        """The document's name when it is read from S3: the key's last part."""
        if self.input_connection_data is None:
            return None
        return posixpath.basename(self.input_connection_data["source_path_inside_bucket"])


def read_connectors(fields: Mapping[str, str], *, s3_enabled: bool) -> JobConnectors:
    """The connectors the form ``fields`` ask for.

    Raises:
        ApiError: 400 for an unknown or inconsistent connector, missing or bad
            connection data, or S3 on a server without S3 settings.
    """
    input_kind = _kind(fields, "input_connector")
    output_kind = _kind(fields, "output_connector")
    target = _output_data(fields)
    if "s3" in (input_kind, output_kind, target.get("type")) and not s3_enabled:
        raise ApiError(400, S3_NOT_CONFIGURED)
    if target.get("type", output_kind) != output_kind:
        raise ApiError(
            400,
            f"output_connection_data has type {target['type']!r} but output_connector "
            f"is {output_kind!r}; make them agree",
        )
    return JobConnectors(
        input_connector=input_kind,
        output_connector=output_kind,
        input_connection_data=_s3_source(fields) if input_kind == "s3" else None,
        output_connection_data=_s3_target(target) if output_kind == "s3" else None,
    )


def _kind(fields: Mapping[str, str], name: str) -> str:
    return check_choice(name, fields.get(name) or "localfile", _KINDS)


def _output_data(fields: Mapping[str, str]) -> dict[str, Any]:
    text = fields.get("output_connection_data")
    data = parse_json_object("output_connection_data", text) if text else {}
    if "type" in data:
        kind = data["type"]
        check_choice("output_connection_data type", kind if isinstance(kind, str) else "", _KINDS)
    return data


def _s3_source(fields: Mapping[str, str]) -> dict[str, str]:
    text = fields.get("input_connection_data")
    if not text:
        raise ApiError(400, f"input_connector=s3 needs input_connection_data {_SOURCE_SHAPE}")
    data = parse_json_object("input_connection_data", text)
    bucket = _text(data, "source_bucket", "input_connection_data", _SOURCE_SHAPE)
    key = _text(data, "source_path_inside_bucket", "input_connection_data", _SOURCE_SHAPE)
    if key.endswith("/"):
        raise ApiError(400, f"input_connection_data names a folder, not an object: {key!r}")
    return {"source_bucket": bucket, "source_path_inside_bucket": key}


def _s3_target(data: dict[str, Any]) -> dict[str, str]:
    if not data:
        raise ApiError(400, f"output_connector=s3 needs output_connection_data {_TARGET_SHAPE}")
    bucket = _text(data, "bucket", "output_connection_data", _TARGET_SHAPE)
    path = data.get("path", "")
    if not isinstance(path, str):
        raise ApiError(400, f"output_connection_data path must be a string, not {path!r}")
    return {"type": "s3", "bucket": bucket, "path": path}


def _text(data: Mapping[str, Any], name: str, field: str, shape: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"{field} needs a non-empty {name!r}: {shape}")
    return value
