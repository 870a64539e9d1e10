"""Where one finished job's result goes, decided before a byte is downloaded.

In order: an explicit ``output_path`` wins (the file the call's plan chose, see
`_places`); then an output connector that the service wrote to itself (nothing
to download); then a connector the client streams into (S3, a local folder);
else the bytes are kept in memory.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar

import attrs
import httpx

from byteit._delivery._places import is_folder, prepare_output_path
from byteit._delivery._sinks import MemorySink, PathSink, Result, SinkOpener, guard_sink
from byteit.connectors import OutputConnector
from byteit.models import Job

R_co = TypeVar("R_co", covariant=True)


@attrs.frozen
class Destination(Generic[R_co]):
    """A result's destination: `open` streams a download into it (None: the service
    wrote it already), and `result` says what the caller gets once it is there."""

    open: SinkOpener | None
    result: Callable[[], R_co]
    blocking: bool = False  # writing waits on the network: the async client uses threads


def destination(
    job: Job,
    output: OutputConnector,
    output_format: str,
    output_path: str | os.PathLike[str] | None,
) -> Destination[Result]:
    """Where `job`'s result goes (see the module docstring); `output_path` is the very
    file to write, checked already when the call was planned."""
    if output_path is not None:
        path_sink = PathSink(Path(output_path))
        return Destination(path_sink.open, lambda: path_sink.path)
    written = output.delivered_by_service(job, output_format)
    if written is not None:
        return Destination(None, lambda: written)
    sink = output.sink(job, output_format)
    if sink is None:
        return kept(None, job.id)

    def opener(_response: httpx.Response) -> contextlib.AbstractContextManager[BinaryIO]:
        return guard_sink(sink.open(), sink.location)

    return Destination(opener, lambda: sink.location, blocking=sink.blocking)


def kept(output_path: str | os.PathLike[str] | None, job_id: str) -> Destination[bytes | Path]:
    """The result's bytes in memory, or a file at (or in the folder) `output_path`,
    which is checked now, before any request, and cleared of interrupted writes.

    Raises:
        ValidationError: The result cannot be written at `output_path`.
    """
    if output_path is None:
        memory = MemorySink()
        return Destination(memory.open, lambda: memory.value)
    path, folder = Path(output_path), is_folder(output_path)
    prepare_output_path(path, folder=folder, label="output_path")
    path_sink = PathSink(path, folder=folder, job_id=job_id)
    return Destination(path_sink.open, lambda: path_sink.path)
