"""The single and list forms of ``create_job`` and ``process_document``, checked whole
before the first request."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

import attrs

from byteit._checks import check_workers
from byteit._delivery._places import Places, check_output_path, prepare_folders, result_file
from byteit._jobs._create import CreateRequest, InputLike, as_output, local_file, prepare_create
from byteit.connectors import (
    ByteITStorageOutputConnector,
    BytesInputConnector,
    LocalFileInputConnector,
    LocalFileOutputConnector,
    OutputConnector,
)
from byteit.exceptions import ValidationError
from byteit.options import ProcessingOptions


def split_inputs(value: InputLike | Sequence[InputLike]) -> tuple[list[InputLike], bool]:
    """The documents given, and whether the caller passed a list of them."""
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValidationError("the list of documents is empty")
        return list(value), True
    return [value], False  # type: ignore[list-item]


# The connectors whose checks never wait on the network: exactly these classes, since a
# subclass may well look somewhere remote in its `validate`.
_LOCAL_INPUTS = (BytesInputConnector, LocalFileInputConnector)
_LOCAL_OUTPUTS = (type(None), ByteITStorageOutputConnector, LocalFileOutputConnector)


def checked_locally(input_connector: object, output_connector: object) -> bool:
    """Whether `make_plan` on these reads nothing but memory and the local disk.

    The async client then plans on the event loop: a worker thread's round trip
    costs more than a few `stat` calls. S3 and user-written connectors may ask the
    network, so they are planned in a thread.
    """
    inputs = input_connector if isinstance(input_connector, (list, tuple)) else [input_connector]
    return type(output_connector) in _LOCAL_OUTPUTS and all(
        isinstance(value, (str, PurePath)) or type(value) in _LOCAL_INPUTS for value in inputs
    )


def paired_outputs(paths: Any, count: int) -> Sequence[str | os.PathLike[str] | None]:
    if paths is None:
        return [None] * count
    if not isinstance(paths, (list, tuple)) or len(paths) != count:
        raise ValidationError(
            f"output_path must be a list of {count} paths, one per document, when several "
            "documents are given"
        )
    return list(paths)


def check_sinks(output: OutputConnector, paths: Sequence[Any]) -> None:
    if any(p is not None for p in paths) and not isinstance(output, ByteITStorageOutputConnector):
        raise ValidationError(
            "give output_path or an output_connector that writes results, not both"
        )


def result_files(
    sources: Sequence[InputLike],
    requests: Sequence[CreateRequest],
    paths: Sequence[str | os.PathLike[str] | None],
    output: OutputConnector,
    output_format: str,
) -> list[Path | None]:
    """The file each document's result is written to (None: not to an ``output_path``),
    each checked, none shared and none a document of the call (see `_places`)."""
    documents = [file for file in map(local_file, sources) if file is not None]
    places = Places(documents, "list")
    files: list[Path | None] = []
    for source, request, given in zip(sources, requests, paths, strict=True):
        name = request.source.name
        file = None if given is None else result_file(given, name, output_format)
        if file is not None:
            check_output_path(file, folder=False, label="output_path")
        place = file if file is not None else output.planned_location(name, output_format)
        if place is not None and (refused := places.claim(place, source)) is not None:
            raise refused
        files.append(file)
    prepare_folders(file for file in files if file is not None)
    return files


@attrs.frozen
class Plan:
    """A checked batch of creations: one request per document, and the file each
    result is written to when an ``output_path`` was given."""

    inputs: list[InputLike]
    output: OutputConnector
    options: ProcessingOptions
    requests: list[CreateRequest]
    paths: list[Path | None]
    many: bool


def make_plan(
    input_connector: InputLike | Sequence[InputLike],
    output_connector: OutputConnector | None,
    processing_options: ProcessingOptions | Mapping[str, Any] | None,
    *,
    output_path: Any = None,
    nickname: str | None = None,
    idempotency_key: str | None = None,
    queue_for_batch: bool = False,
    max_workers: int = 1,
) -> Plan:
    """Check every document, option and destination before the first request."""
    output = as_output(output_connector)
    options = ProcessingOptions.coerce(processing_options)
    check_workers(max_workers)
    sources, many = split_inputs(input_connector)
    paths = list(paired_outputs(output_path, len(sources))) if many else [output_path]
    check_sinks(output, paths)
    if many and idempotency_key is not None:
        raise ValidationError("idempotency_key is for a single document, not a list")
    requests = [
        prepare_create(
            src,
            output,
            options,
            nickname=nickname,
            idempotency_key=idempotency_key,
            queue_for_batch=queue_for_batch,
        )
        for src in sources
    ]
    files = result_files(sources, requests, paths, output, options.output_format)
    return Plan(sources, output, options, requests, files, many)
