"""A document checked and encoded into a creation request, and the jobs an answer names."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from byteit._checks import check_flag, check_nickname
from byteit._contract import CREATION_FORMATS
from byteit._http import _wire
from byteit._http._operations import Operation
from byteit._jobs._limits import check_file_size
from byteit._log import redact
from byteit.connectors import (
    ByteITStorageOutputConnector,
    InputConnector,
    LocalFileInputConnector,
    OutputConnector,
)
from byteit.exceptions import ByteITError, UnexpectedResponseError, ValidationError
from byteit.models import Job
from byteit.options import ProcessingOptions

InputLike = InputConnector | str | os.PathLike[str]


@attrs.frozen
class CreateRequest:
    """A checked creation: what to send for one document."""

    source: InputConnector
    fields: _wire.CreateFields
    idempotency_key: str

    def operation(self) -> Operation[Job | str]:
        @contextlib.contextmanager
        def build() -> Iterator[_wire.RequestKwargs]:
            with self.source.open_upload() as upload:
                yield _wire.create_job_request(self.fields, upload, self.idempotency_key)

        return Operation(
            f"POST job for {self.source.name}",
            build,
            _wire.read_created,
            replay_safe=self.source.replayable,
            blocking=self.source.blocking,
        )


def create_operation(requests: Sequence[CreateRequest], key: str) -> Operation[Any]:
    """One creation for one document, or for several as repeated ``files`` parts."""
    if len(requests) == 1:
        return attrs.evolve(requests[0], idempotency_key=key).operation()

    @contextlib.contextmanager
    def build() -> Iterator[_wire.RequestKwargs]:
        with contextlib.ExitStack() as stack:
            uploads = [stack.enter_context(r.source.open_upload()) for r in requests]
            parts = [upload for upload in uploads if upload is not None]
            yield _wire.create_jobs_request(requests[0].fields, parts, key)

    return Operation(
        f"POST jobs for {len(requests)} documents",
        build,
        _wire.read_created_many,
        replay_safe=all(r.source.replayable for r in requests),
        blocking=any(r.source.blocking for r in requests),
    )


def match_created(
    requests: Sequence[CreateRequest], created: Job | _wire.CreatedJobs
) -> list[Job | ByteITError]:
    """Each document's job from a creation answer, or why it has none.

    Jobs are matched by file name; those left over (a server that renamed a file, or
    recorded no name) go in upload order to the documents left over, when as many of
    each remain: the jobs exist, and a document reported without one would be sent
    again.
    """
    if isinstance(created, Job):
        return [created]
    refused = dict(created.failed_files)
    by_name = _jobs_by_name(requests, created.jobs, refused)
    outcomes: list[Job | ByteITError] = []
    for request in requests:
        name = request.source.name
        if name in by_name:
            outcomes.append(by_name[name])
        elif name in refused:
            reason = redact(refused[name])  # the server's text may quote the key
            outcomes.append(ValidationError(f"{name}: the service refused it: {reason}"))
        else:
            outcomes.append(UnexpectedResponseError(f"The server's answer named no job for {name}"))
    return outcomes


def _jobs_by_name(
    requests: Sequence[CreateRequest], jobs: Sequence[Job], refused: Mapping[str, str]
) -> dict[str, Job]:
    names = {r.source.name for r in requests}
    by_name: dict[str, Job] = {}
    leftover: list[Job] = []
    for job in jobs:
        name = job.metadata.original_filename if job.metadata else None
        if name in names and name not in by_name:
            by_name[name] = job
        else:
            leftover.append(job)
    unmatched = [r.source.name for r in requests if r.source.name not in by_name]
    unmatched = [name for name in unmatched if name not in refused]
    if len(unmatched) == len(leftover):
        by_name.update(zip(unmatched, leftover, strict=True))
    return by_name


def as_input(value: InputLike) -> InputConnector:
    """The connector for a document given as one or as a path (a folder is refused)."""
    if isinstance(value, InputConnector):
        return value
    if isinstance(value, (str, os.PathLike)):
        if Path(value).is_dir():
            raise ValidationError(
                f"{os.fspath(value)}: is a folder, not a document; process_documents walks folders"
            )
        return LocalFileInputConnector(value)
    raise ValidationError(
        f"input_connector must be an InputConnector or a file path, not {type(value).__name__}"
    )


def local_file(source: object) -> Path | None:
    """The file a document given as `source` is read from, when it is on the local disk."""
    if isinstance(source, LocalFileInputConnector):
        return Path(source.file_path)
    return Path(source) if isinstance(source, (str, os.PathLike)) else None


def as_output(value: OutputConnector | None, *, check: bool = True) -> OutputConnector:
    """The output to use; `check` also validates it (which may ask S3 about its bucket)."""
    if value is None:
        return ByteITStorageOutputConnector()
    if not isinstance(value, OutputConnector):
        raise ValidationError(
            f"output_connector must be an OutputConnector, not {type(value).__name__}"
        )
    if check:
        value.validate()
    return value


def prepare_create(
    source: InputLike,
    output: OutputConnector,
    options: ProcessingOptions,
    *,
    nickname: str | None,
    idempotency_key: str | None,
    queue_for_batch: bool = False,
) -> CreateRequest:
    """Check one document and its options and encode the form, before any request."""
    connector = as_input(source)
    connector.validate()
    check_file_size(connector)
    check_nickname(nickname)
    input_kind, input_data = connector.wire_fields()
    output_kind, output_data = output.wire_fields()
    fields = _wire.CreateFields(
        processing_options=options.to_wire(),
        output_format=options.output_format if options.output_format in CREATION_FORMATS else None,
        input_connector=input_kind,
        input_connection_data=input_data,
        output_connector=output_kind,
        output_connection_data=output_data,
        nickname=nickname,
        queue_for_batch=check_flag(queue_for_batch, "queue_for_batch"),
    )
    key = idempotency_key or f"byteit-{uuid.uuid4()}"
    return CreateRequest(connector, fields, key)
