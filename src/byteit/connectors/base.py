"""What every connector does: where a document comes from and where its result goes."""

from __future__ import annotations

import abc
import contextlib
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from byteit._contract import DOCUMENT_TYPES, normalize_type
from byteit._http._wire import Upload
from byteit.exceptions import ValidationError
from byteit.models import Job

__all__ = ["InputConnector", "OutputConnector", "ResultSink"]


class InputConnector(abc.ABC):
    """Where a document comes from.

    A connector either uploads the document from the client (``localfile`` on the
    wire) or names a place the service reads itself (``s3``).
    """

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """A short human name for messages and batch reports (a file name, a key)."""

    @property
    @abc.abstractmethod
    def document_type(self) -> str:
        """The document's type, as the service names it (``pdf``, ``docx``...)."""

    @abc.abstractmethod
    def validate(self) -> None:
        """Check the source before any request.

        Raises:
            ValidationError: The source is missing, empty or of an unsupported type.
        """

    def wire_fields(self) -> tuple[str, str | None]:
        """The ``input_connector`` and ``input_connection_data`` form fields."""
        return "localfile", None

    @property
    def replayable(self) -> bool:
        """Whether the upload can be sent again, so that a failed creation may be retried."""
        return True

    @property
    def size(self) -> int | None:
        """The upload's size in bytes, when known without reading it (batches group by it)."""
        return None

    @property
    def checked_size(self) -> int | None:
        """The upload's size as known once `validate` has run (an S3 object's HEAD gives
        it), for the upload limits to be checked before any byte is sent."""
        return self.size

    @property
    def blocking(self) -> bool:
        """Whether reading the document waits on the network; the async client then
        opens and reads it in worker threads, never on the event loop."""
        return False

    def fingerprint(self) -> str | None:
        """What identifies this document from one run of a batch to the next: its
        location and, where it can be read, a hash of its content. None when it
        cannot be known without consuming the document (it is then sent every run).
        """
        return None

    @contextlib.contextmanager
    def open_upload(self) -> Iterator[Upload | None]:
        """A fresh upload, positioned at its start; None when the service reads the source."""
        with self._open() as stream:
            yield Upload(self.name, stream, _content_type(self.document_type))

    @abc.abstractmethod
    def _open(self) -> contextlib.AbstractContextManager[BinaryIO]:
        """Open the document's bytes for one upload attempt."""


class ResultSink(abc.ABC):
    """Somewhere a result is written as it downloads."""

    @property
    @abc.abstractmethod
    def location(self) -> Path | str:
        """Where the result ends up: what `process_document` returns for it."""

    @abc.abstractmethod
    def open(self) -> contextlib.AbstractContextManager[BinaryIO]:
        """A writer that keeps the result only if the block finishes cleanly."""

    @property
    def blocking(self) -> bool:
        """Whether writing waits on the network; the async client then writes in threads."""
        return False


class OutputConnector(abc.ABC):
    """Where a job's result goes."""

    def wire_fields(self) -> tuple[str, str]:
        """The ``output_connector`` and ``output_connection_data`` form fields."""
        return "localfile", '{"type":"localfile"}'

    def validate(self) -> None:  # noqa: B027  (optional hook; most outputs check nothing)
        """Check the destination before any request."""

    def planned_location(self, document_name: str, output_format: str) -> str | None:
        """Where the result of a document called `document_name` will go, when that is
        known before its job exists (a batch refuses two documents sharing one);
        None when it is not known or nothing is written."""
        return None

    def delivered_by_service(self, job: Job, output_format: str) -> str | None:
        """Where the service itself wrote `job`'s result, or None when the client delivers it."""
        return None

    @abc.abstractmethod
    def sink(self, job: Job, output_format: str) -> ResultSink | None:
        """Where the client writes `job`'s result; None keeps it with the service."""


def content_digest(chunks: Iterable[bytes]) -> str:
    """``sha256:<hex>`` of a document's bytes."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def document_types(file_type: object, extension: str, where: str) -> tuple[str | None, str]:
    """The override `file_type` as the service names it (None when not given), and
    the document's type: the override, else the one `extension` names.

    Raises:
        ValidationError: Naming `where` and the type that is not accepted.
    """
    if file_type is not None and not isinstance(file_type, str):
        raise ValidationError(
            f"{where}: file_type must be a type such as 'pdf', not {type(file_type).__name__} "
            f"{file_type!r}"
        )
    try:
        override = normalize_type(file_type) if file_type else None
        return override, override or normalize_type(extension)
    except ValueError as exc:
        raise ValidationError(f"{where}: {exc}") from None


def _content_type(document_type: str) -> str:
    return DOCUMENT_TYPES.get(document_type, "application/octet-stream")
