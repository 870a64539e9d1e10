"""Documents given as bytes or as an open binary file."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any, BinaryIO, cast

from byteit.connectors.base import InputConnector, content_digest, document_types
from byteit.exceptions import ValidationError

__all__ = ["BytesInputConnector"]


class BytesInputConnector(InputConnector):
    """A document held in memory, or an open binary file object.

    A file object is read from its current position and streamed, never read
    whole; if it cannot seek, a failed creation cannot be retried.

    Args:
        data: The document's bytes, or a binary file object.
        filename: The name the service records, e.g. ``"scan.png"``.
        file_type: Its type when `filename`'s extension does not say.

    Example:
        >>> BytesInputConnector(b"hello", filename="note.txt")
    """

    def __init__(self, data: bytes | BinaryIO, filename: str, file_type: str | None = None) -> None:
        if not isinstance(data, (bytes, bytearray, memoryview)) and not hasattr(data, "read"):
            raise ValidationError(
                f"{filename}: data must be bytes or a binary file object, not {type(data).__name__}"
            )
        self._data = data
        self._filename = filename
        self._start = _position(data)
        _, self._type = document_types(file_type, _extension(filename), filename)

    def __repr__(self) -> str:
        return f"BytesInputConnector(filename={self._filename!r}, file_type={self._type!r})"

    @property
    def name(self) -> str:
        return self._filename

    @property
    def document_type(self) -> str:
        return self._type

    @property
    def replayable(self) -> bool:
        return self._start is not None

    @property
    def size(self) -> int | None:
        data = self._data
        return len(data) if isinstance(data, (bytes, bytearray, memoryview)) else None

    def fingerprint(self) -> str | None:
        data = self._data
        if not isinstance(data, (bytes, bytearray, memoryview)):
            return None  # reading a stream to hash it would consume it
        return f"bytes:{self._filename}:{content_digest([bytes(data)])}"

    def validate(self) -> None:
        if isinstance(self._data, (bytes, bytearray, memoryview)):
            if len(self._data) == 0:
                raise ValidationError(f"{self._filename}: the document is empty")
        elif getattr(self._data, "closed", False):
            raise ValidationError(f"{self._filename}: the file object is closed")

    @contextlib.contextmanager
    def _open(self) -> Iterator[BinaryIO]:
        if isinstance(self._data, (bytes, bytearray, memoryview)):
            yield io.BytesIO(self._data)
            return
        if self._start is not None:
            self._data.seek(self._start)
        yield cast(BinaryIO, _ForwardReader(self._data))


class _ForwardReader(io.RawIOBase):
    """Reads a file object onward from where it stands. It hides `fileno` and `seek`, so
    httpx neither rewinds it to byte 0 nor takes a pipe's size on disk (0) for its length:
    the upload goes out chunked, from the current position."""

    def __init__(self, source: BinaryIO) -> None:
        super().__init__()
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._source.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _position(data: bytes | BinaryIO) -> int | None:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return 0
    try:
        return data.tell() if data.seekable() else None
    except (OSError, AttributeError, ValueError):
        return None


def _extension(filename: str) -> str:
    return filename.rpartition(".")[2] if "." in filename else ""
