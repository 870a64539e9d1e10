"""Destinations a download streams into."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

import httpx

from byteit._delivery._atomic import atomic_write
from byteit.exceptions import ConnectorError

# What a delivered result is: its bytes, the file written, or the location (S3) written.
Result = bytes | Path | str


def returned(value: Result) -> bytes | str:
    """A result as the public API gives it: the bytes, or where it went as a `str`
    (a path or an S3 location alike, as the earlier client's README documents)."""
    return str(value) if isinstance(value, Path) else value


class MemorySink:
    """Collects a download in memory, keeping only a complete one."""

    def __init__(self) -> None:
        self.value = b""

    @contextlib.contextmanager
    def open(self, _response: httpx.Response) -> Iterator[BinaryIO]:
        buffer = io.BytesIO()
        yield buffer
        self.value = buffer.getvalue()


class PathSink:
    """Writes a download to a file, or into a folder under the server's file name.

    Whatever fails on the disk is a `ConnectorError` naming the file.
    """

    def __init__(self, path: Path, *, folder: bool = False, job_id: str = "") -> None:
        self.path = path
        self._folder = path if folder else None
        self._job_id = job_id

    def open(self, response: httpx.Response) -> contextlib.AbstractContextManager[BinaryIO]:
        if self._folder is not None:
            name = attachment_filename(response) or f"{self._job_id}.result"
            self.path = self._folder / name
        return guard_sink(atomic_write(self.path), self.path)


def attachment_filename(response: httpx.Response) -> str | None:
    """The file name in ``Content-Disposition`` (``filename*`` preferred, RFC 6266),
    stripped of any folder part."""
    names: dict[str, str] = {}
    for part in response.headers.get("content-disposition", "").split(";"):
        key, _, value = part.strip().partition("=")
        names[key.strip().lower()] = value.strip()
    if names.get("filename*"):
        _charset, _, encoded = names["filename*"].partition("''")
        name = unquote(encoded or names["filename*"], encoding="utf-8", errors="replace")
    else:
        name = names.get("filename", "").strip('"')
    return Path(name.replace("\\", "/")).name or None


@contextlib.contextmanager
def guard_sink(
    sink: contextlib.AbstractContextManager[BinaryIO], location: Path | str
) -> Iterator[BinaryIO]:
    """Report a failing destination as a `ConnectorError` that names it."""
    try:
        with sink as handle:
            yield handle
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConnectorError(f"Could not write the result to {location}: {reason}") from exc


SinkOpener = Callable[[httpx.Response], contextlib.AbstractContextManager[BinaryIO]]
