"""Documents read from, and results written to, the local file system."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import BinaryIO

from byteit._contract import result_name
from byteit._delivery._atomic import atomic_write
from byteit._delivery._places import is_folder, prepare_output_path
from byteit.connectors.base import (
    InputConnector,
    OutputConnector,
    ResultSink,
    content_digest,
    document_types,
)
from byteit.exceptions import ValidationError
from byteit.models import Job

__all__ = ["LocalFileInputConnector", "LocalFileOutputConnector"]


class LocalFileInputConnector(InputConnector):
    """A document on the local disk, streamed from disk as it uploads.

    The upload keeps the file's own name (the job's ``metadata.original_filename``)
    and carries the type as the part's ``Content-Type``, so a `file_type` override
    reaches the service even when the name says otherwise or nothing.

    Args:
        file_path: The document.
        file_type: Its type when the extension does not say (``"pdf"``, ``"png"``...).

    Raises:
        ValidationError: `file_path` is not a path, or the type is not one the
            service accepts (checked at once; the file itself is checked by
            `validate`, before any request).

    Example:
        >>> LocalFileInputConnector("document.xyz", file_type="pdf").document_type
        'pdf'
    """

    def __init__(self, file_path: str | os.PathLike[str], file_type: str | None = None) -> None:
        if not isinstance(file_path, (str, os.PathLike)):
            raise ValidationError(
                f"file_path must be a path such as 'invoice.pdf', not {type(file_path).__name__} "
                f"{file_path!r}"
            )
        self._path = Path(file_path)
        self._file_type, self._type = document_types(file_type, self._path.suffix, str(self._path))

    def __repr__(self) -> str:
        return f"LocalFileInputConnector({str(self._path)!r}, file_type={self._type!r})"

    @property
    def file_path(self) -> str:
        """The document's path, as a ``str``."""
        return str(self._path)

    @property
    def file_type(self) -> str | None:
        """The `file_type` override as the service names it (``".PDF"`` gives ``"pdf"``),
        or None when none was given and the extension decides; `document_type` is
        the type in effect either way."""
        return self._file_type

    @property
    def name(self) -> str:
        return self._path.name

    @property
    def document_type(self) -> str:
        return self._type

    def validate(self) -> None:
        path = self._path
        if not path.exists():
            raise ValidationError(f"{path}: no such file")
        if not path.is_file():
            raise ValidationError(f"{path}: not a regular file (a directory?)")
        if path.stat().st_size == 0:
            raise ValidationError(f"{path}: the file is empty")
        if not os.access(path, os.R_OK):
            raise ValidationError(f"{path}: the file is not readable (permissions)")

    @property
    def size(self) -> int | None:
        try:
            return self._path.stat().st_size
        except OSError:
            return None

    def fingerprint(self) -> str | None:
        with self._path.open("rb") as stream:
            digest = content_digest(iter(lambda: stream.read(1 << 20), b""))
        return f"file:{self._path.resolve()}:{digest}"

    def _open(self) -> contextlib.AbstractContextManager[BinaryIO]:
        return self._path.open("rb")


class LocalFileOutputConnector(OutputConnector):
    """Write each result to a local file when its job finishes.

    The file appears whole or not at all: it is written under a temporary name
    and renamed when complete. The destination is checked before any request,
    a result never replaces a document of the same call, and temporary files
    that an interrupted run left in the folder are removed.

    Args:
        path: A file to write, or an existing folder (or one ending in ``/``) to
            write ``<document name>.<format>`` into.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._is_folder = is_folder(path)

    def __repr__(self) -> str:
        return f"LocalFileOutputConnector({str(self.path)!r})"

    def validate(self) -> None:
        """Check the destination, and clear what interrupted writes left in its folder.

        Raises:
            ValidationError: A folder is given where a file goes, a file where a
                folder goes, or the path lies below a file.
        """
        prepare_output_path(self.path, folder=self._is_folder, label="LocalFileOutputConnector")

    def planned_location(self, document_name: str, output_format: str) -> str | None:
        if self._is_folder:
            return str(self.path.absolute() / result_name(document_name, "", output_format))
        return str(self.path.absolute())

    def sink(self, job: Job, output_format: str) -> ResultSink:
        if self._is_folder:
            return LocalFileSink(self.path / result_filename(job, output_format))
        return LocalFileSink(self.path)


class LocalFileSink(ResultSink):
    """A local file written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def location(self) -> Path:
        return self.path

    def open(self) -> contextlib.AbstractContextManager[BinaryIO]:
        return atomic_write(self.path)


def result_filename(job: Job, output_format: str) -> str:
    """The file name of `job`'s result in a folder: see `result_name`."""
    original = job.metadata.original_filename if job.metadata else None
    return result_name(original, job.id, output_format)
