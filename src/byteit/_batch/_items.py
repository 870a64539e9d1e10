"""A batch's documents: folders walked, each document checked and keyed, and each
destination checked (see `_delivery._places`), before any request.

A document that cannot be sent (missing, empty, of an unsupported type, an
empty folder) becomes an item that already holds its error, so that the batch
reports it in its place instead of refusing the whole batch or skipping it.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from byteit._batch._folders import walk_folder
from byteit._delivery._places import Places, check_output_path, prepare_folders
from byteit._jobs._create import CreateRequest, InputLike, as_output, local_file, prepare_create
from byteit.connectors import ByteITStorageOutputConnector, OutputConnector
from byteit.exceptions import ByteITError, ValidationError
from byteit.options import ProcessingOptions

PathLike = str | os.PathLike[str]


class Phase(enum.Enum):
    PENDING = "pending"
    CREATING = "creating"
    RUNNING = "running"
    DELIVERING = "delivering"
    DONE = "done"
    FAILED = "failed"


@attrs.define(eq=False)
class Item:
    """One document of a batch and where it stands."""

    index: int
    given: Any
    request: CreateRequest | None
    output: OutputConnector
    path: Path | None
    key: str
    size: int | None = None
    error: ByteITError | None = None
    phase: Phase = Phase.PENDING
    attempt: int = 0
    job_id: str | None = None
    started: float = 0.0


@attrs.frozen
class _Entry:
    """A document as found: what the caller gave (or a file in a folder), and its root."""

    source: Any
    root: Path | None = None
    given_at: int = 0
    error: ByteITError | None = None


def prepare_items(
    inputs: Sequence[InputLike],
    outputs: Sequence[OutputConnector],
    paths: Sequence[PathLike | None],
    options: ProcessingOptions,
    *,
    output_dir: PathLike | None,
    nickname: str | None,
    run: str | None,
    queue_for_batch: bool = False,
    suffix: str | None = None,
) -> list[Item]:
    """One item per document, folders expanded; `outputs` and `paths` pair with `inputs`.

    A file under `output_dir` is named ``<document name>.<suffix>``; the suffix is the
    output format unless given (``extract.json`` for an extraction).

    `run` is the journal's run id when the batch can resume: items are then keyed
    by what they are (content, options, destination), else by position.
    """
    items: list[Item] = []
    seen_keys: dict[str, int] = {}
    entries = _expand(inputs)
    places = Places([file for e in entries if (file := local_file(e.source)) is not None], "batch")
    for entry in entries:
        index = len(items)
        output = outputs[entry.given_at]
        ending = suffix or options.output_format
        path = _destination(entry, paths[entry.given_at], output_dir, ending)
        item = _item(index, entry, output, path, _Settings(options, nickname, run, queue_for_batch))
        _check_path(item)
        place = _place_of(item, options.output_format)
        if place is not None:
            item.error = places.claim(place, entry.source)
        count = seen_keys.get(item.key, 0)
        seen_keys[item.key] = count + 1
        if count:
            item.key = f"{item.key}#{count}"
        items.append(item)
    prepare_folders(item.path for item in items if item.path is not None and item.error is None)
    return items


def _check_path(item: Item) -> None:
    """A file under ``output_dir`` that cannot be written is the item's error."""
    if item.error is None and item.path is not None:
        try:
            check_output_path(item.path, folder=False, label=f"{item.given}: result")
        except ValidationError as exc:
            item.error = exc


def _place_of(item: Item, output_format: str) -> Path | str | None:
    """Where the item's result will be written, when that is known now."""
    if item.error is not None or item.request is None:
        return None
    if item.path is not None:
        return item.path
    return item.output.planned_location(item.request.source.name, output_format)


def _expand(inputs: Sequence[InputLike]) -> list[_Entry]:
    entries: list[_Entry] = []
    for at, source in enumerate(inputs):
        if isinstance(source, (str, os.PathLike)) and Path(source).is_dir():
            folder = Path(source)
            found = walk_folder(folder)
            if not found:
                error = ValidationError(f"{folder}: the folder holds no file")
                entries.append(_Entry(source, given_at=at, error=error))
            entries.extend(_Entry(path, folder, at) for path in found)
        else:
            entries.append(_Entry(source, given_at=at))
    return entries


def _destination(
    entry: _Entry, path: PathLike | None, output_dir: PathLike | None, output_format: str
) -> Path | None:
    if path is not None:
        return Path(path)
    if output_dir is None or entry.error is not None:
        return None
    return Path(output_dir) / f"{_relative_name(entry)}.{output_format}"


def _relative_name(entry: _Entry) -> str:
    """The document's path below the folder it was found in, or its name."""
    source = entry.source
    if isinstance(source, (str, os.PathLike)):
        file = Path(source)
        return str(file.relative_to(entry.root)) if entry.root else file.name
    return str(getattr(source, "relative_key", None) or source.name)


@attrs.frozen
class _Settings:
    options: ProcessingOptions
    nickname: str | None
    run: str | None
    queue_for_batch: bool


def _item(
    index: int, entry: _Entry, output: OutputConnector, path: Path | None, settings: _Settings
) -> Item:
    key = f"item-{index}"
    if entry.error is not None:
        return Item(index, entry.source, None, output, path, key, error=entry.error)
    try:
        request = prepare_create(
            entry.source,
            output,
            settings.options,
            nickname=settings.nickname,
            idempotency_key=key,
            queue_for_batch=settings.queue_for_batch,
        )
        if settings.run is not None:
            key = _content_key(request, path, settings.run, index)
        return Item(index, entry.source, request, output, path, key, size=request.source.size)
    except ByteITError as exc:
        return Item(index, entry.source, None, output, path, key, error=exc)
    except OSError as exc:
        error = ValidationError(f"{entry.source}: cannot read it: {exc.strerror or exc}")
        return Item(index, entry.source, None, output, path, key, error=error)


def _content_key(request: CreateRequest, path: Path | None, run: str, index: int) -> str:
    """What the document is: its content and location, its options and its destination."""
    identity = request.source.fingerprint() or f"unkeyed:{run}:{index}"
    fields = attrs.asdict(request.fields)
    if not fields["queue_for_batch"]:
        # Fields added since state files were first written count only when set, so that
        # a state file from before them still resumes.
        del fields["queue_for_batch"]
    material = json.dumps([identity, fields, str(path) if path else None], sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def check_outputs(
    output_connector: OutputConnector | Sequence[OutputConnector] | None,
    output_dir: PathLike | None,
    count: int,
) -> list[OutputConnector]:
    """One output per input (a single one is shared by all), its type checked; each is
    validated when the batch starts (`validate_outputs`)."""
    if isinstance(output_connector, (list, tuple)):
        if len(output_connector) != count:
            raise ValidationError(
                f"output_connector must be one connector, or a list of {count} (one per "
                f"input), not a list of {len(output_connector)}"
            )
        outputs = [as_output(output, check=False) for output in output_connector]
    else:
        outputs = [as_output(output_connector, check=False)] * count  # type: ignore[arg-type]
    if output_dir is not None and not all(
        isinstance(output, ByteITStorageOutputConnector) for output in outputs
    ):
        raise ValidationError(
            "give output_dir or an output_connector that writes results, not both"
        )
    if output_dir is not None:
        check_output_path(Path(output_dir), folder=True, label="output_dir")
    return outputs


def validate_outputs(outputs: Sequence[OutputConnector]) -> None:
    """Validate each distinct output once (a HEAD on a bucket, say)."""
    seen: set[int] = set()
    for output in outputs:
        if id(output) not in seen:
            seen.add(id(output))
            output.validate()
