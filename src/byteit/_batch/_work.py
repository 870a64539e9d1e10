"""The requests a batch asks its client to make, and what each one brings back.

Each kind of work has its own outcome record, so the scheduler reads typed
answers: a creation gives one job (or error) per document, a job list the jobs
it found, a status poll a status or the finished job, a delivery the value
written. A request that raised carries its error instead, in the same record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from byteit._batch._items import Item
from byteit._delivery._sinks import Result
from byteit.exceptions import ByteITError
from byteit.models import ExtractJob, Job, JobStatus

AnyJob = Job | ExtractJob  # the jobs a batch runs: parse jobs, or extract jobs


@attrs.frozen
class CreateWork:
    """Documents created together (repeated ``files`` parts) under one idempotency key."""

    items: tuple[Item, ...]
    key: str

    def failed(self, error: BaseException) -> Created:
        return Created(self, error=error)


@attrs.frozen
class ListPollWork:
    """One job list, read for every job in flight."""

    job_ids: frozenset[str]
    kind: str = "parse"  # which jobs: "parse" or "extract"

    def failed(self, error: BaseException) -> Listed:
        return Listed(self, error=error)


@attrs.frozen
class StatusPollWork:
    """One job's status (and the job itself once it has finished)."""

    job_id: str
    kind: str = "parse"

    def failed(self, error: BaseException) -> Polled:
        return Polled(self, error=error)


@attrs.frozen
class DeliverWork:
    """A finished job's result, to its document's destination; a `probe` asks for the
    result of a job not yet seen to finish (see `_probes`)."""

    item: Item
    job: AnyJob
    probe: bool = False

    def failed(self, error: BaseException) -> Delivered:
        return Delivered(self, error=error)


Work = CreateWork | ListPollWork | StatusPollWork | DeliverWork


def is_poll(work: Work) -> bool:
    """Whether `work` is a poll, which is sent once, never retried: a failed poll is a
    missed one and the next comes a poll gap later, whereas retrying it (after a
    second's ``Retry-After``, say) would hold up the next poll of every job."""
    return isinstance(work, (ListPollWork, StatusPollWork)) or (
        isinstance(work, DeliverWork) and work.probe
    )


@attrs.frozen
class Created:
    """Each document's job, or why it has none, in the work's order."""

    work: CreateWork
    jobs: Sequence[AnyJob | ByteITError] = ()
    error: BaseException | None = None


@attrs.frozen
class Listed:
    """The jobs of the list that the batch asked about, and how long the list was."""

    work: ListPollWork
    found: Mapping[str, AnyJob] = attrs.Factory(dict)
    size: int = 0
    error: BaseException | None = None


@attrs.frozen
class Polled:
    """A running job's status, or the job once it has finished."""

    work: StatusPollWork
    answer: AnyJob | JobStatus | None = None
    error: BaseException | None = None


@attrs.frozen
class Delivered:
    """Where the result went (or its bytes)."""

    work: DeliverWork
    value: Result | Any = b""  # an extract-stage item's: its Extraction, or the file written
    error: BaseException | None = None


Outcome = Created | Listed | Polled | Delivered
