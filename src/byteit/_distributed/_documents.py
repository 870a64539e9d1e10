"""A row's ``input`` as a document, and where its result goes.

A document is a local path (on a filesystem every worker shares), an ``s3://``
URI, or bytes (with the row's ``name``). Results go back in the row as text, to
a folder, or under an ``s3://`` prefix, each at a name that mirrors the
document's path (below `WorkerSettings.input_root`, else in full), so that
documents of one name in different folders never meet, whichever partition
each lands in.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from byteit._distributed._settings import WorkerSettings
from byteit.connectors import (
    ByteITStorageOutputConnector,
    BytesInputConnector,
    InputConnector,
    LocalFileInputConnector,
    OutputConnector,
    S3InputConnector,
    S3OutputConnector,
)
from byteit.exceptions import ByteITError, ValidationError

S3_SCHEME = "s3://"
Output = str | os.PathLike[str] | None


@attrs.frozen
class Document:
    """One row's document: its connector and destination, or why it has none."""

    source: InputConnector | None
    output: OutputConnector
    path: Path | None
    error: ByteITError | None = None


def check_output(output: Output, output_format: str) -> Output:
    """The partition's destination, refused before any row is read when it cannot work."""
    if output is None:
        if output_format == "zip":
            raise ValidationError("zip results are binary: give output= (a folder or s3:// prefix)")
        return None
    if not isinstance(output, (str, os.PathLike)):
        raise ValidationError(
            f"output must be a folder, an s3:// prefix or None, not {type(output).__name__}"
        )
    return output


class Documents:
    """Turns rows into documents for one partition; S3 outputs are shared per prefix."""

    def __init__(self, settings: WorkerSettings, output: Output, output_format: str) -> None:
        self._settings = settings
        self._output = output
        self._format = output_format
        self._s3_outputs: dict[tuple[str, str], S3OutputConnector] = {}

    def document(self, value: Any, name: Any = None) -> Document:
        try:
            source, where = self._source(value, name)
        except ByteITError as exc:
            return Document(None, ByteITStorageOutputConnector(), None, exc)
        if self._output is None:
            return Document(source, ByteITStorageOutputConnector(), None)
        destination = os.fspath(self._output)
        if destination.startswith(S3_SCHEME):
            return Document(source, self._s3_output(destination, where), None)
        relative = f"{where}.{self._format}"
        return Document(source, ByteITStorageOutputConnector(), Path(destination) / relative)

    def _source(self, value: Any, name: Any) -> tuple[InputConnector, str]:
        """The connector, and the document's path as its result mirrors it."""
        settings = self._settings
        if isinstance(value, (bytes, bytearray, memoryview)):
            if not isinstance(name, str) or not name:
                raise ValidationError(
                    "a document given as bytes needs its file name: give the row a "
                    "'name' column, e.g. 'scan.png'"
                )
            return BytesInputConnector(bytes(value), filename=name), PurePosixPath(name).name
        if isinstance(value, str) and value.startswith(S3_SCHEME):
            bucket, _, key = value[len(S3_SCHEME) :].partition("/")
            source = S3InputConnector(
                bucket,
                key,
                region=settings.s3_region,
                endpoint_url=settings.s3_endpoint_url,
                server_side=settings.s3_server_side,
            )
            return source, self._mirrored(f"{bucket}/{key}", value)
        if isinstance(value, (str, os.PathLike)) and os.fspath(value):
            path = Path(value).absolute()
            if path.is_dir():
                raise ValidationError(f"{path}: is a folder; give each of its files its own row")
            return LocalFileInputConnector(path), self._mirrored(path.as_posix().lstrip("/"), path)
        raise ValidationError(
            f"input must be a file path, an s3:// URI or bytes, not {type(value).__name__}"
        )

    def _mirrored(self, full: str, given: str | Path) -> str:
        """The document's path below `input_root` when it is there, else `full`."""
        root = self._settings.input_root
        if root is not None:
            below = _below(str(given), root)
            if below is not None:
                return below
        return full

    def _s3_output(self, destination: str, where: str) -> S3OutputConnector:
        bucket, _, prefix = destination[len(S3_SCHEME) :].partition("/")
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        folder = posixpath.dirname(where)
        prefix += f"{folder}/" if folder else ""
        found = self._s3_outputs.get((bucket, prefix))
        if found is None:
            settings = self._settings
            found = self._s3_outputs[(bucket, prefix)] = S3OutputConnector(
                bucket,
                prefix=prefix,
                region=settings.s3_region,
                endpoint_url=settings.s3_endpoint_url,
                server_side=settings.s3_server_side,
            )
        return found


def _below(given: str, root: str) -> str | None:
    if root.startswith(S3_SCHEME) or given.startswith(S3_SCHEME):
        prefix = root if root.endswith("/") else f"{root}/"
        return given[len(prefix) :] if given.startswith(prefix) else None
    try:
        return Path(given).absolute().relative_to(Path(root).absolute()).as_posix()
    except ValueError:
        return None
