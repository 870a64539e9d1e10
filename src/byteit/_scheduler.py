"""The batch engine's decisions, with no I/O: what to send next, and what each answer means.

The sync and async clients each drive a `BatchScheduler` the same way: ask
`next_work` for requests to make, make them (threads or tasks), hand every
outcome back to `apply`, and sleep until `next_wake` or the next outcome.
Only the driving thread or task touches the scheduler.

The requests it asks for:
- `CreateWork`: documents created together (repeated ``files`` parts) while the
  adaptive limit has room for them;
- `ListPollWork`: one job list per tick for every job in flight, or, when the
  server's list does not show them all, one `StatusPollWork` per job;
- `DeliverWork`: a finished job's result, to its destination.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

from byteit import _core
from byteit._batch import ItemResult
from byteit._batch_items import Item, Phase
from byteit._concurrency import AdaptiveLimit, BatchPressure
from byteit._grouping import GroupLimits, group_key, take_group
from byteit._journal import Journal
from byteit.exceptions import (
    ByteITError,
    NetworkError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)
from byteit.models import Job, JobStatus
from byteit.polling import PollSchedule
from byteit.retry import RetryBudget

# Errors that end one document, not the batch: reported in its result.
ITEM_ERRORS = (ByteITError, OSError)
# Errors a later poll may not meet again (the request itself was retried already).
_PASSING = (NetworkError, ServerError, RateLimitError, UnexpectedResponseError)

# A list this many times longer than the jobs in flight costs more to read every
# tick than asking for each job's status.
_LIST_SIZE_FACTOR = 50
_LIST_SIZE_FLOOR = 1000


@attrs.frozen
class CreateWork:
    items: tuple[Item, ...]
    key: str


@attrs.frozen
class ListPollWork:
    job_ids: frozenset[str]


@attrs.frozen
class StatusPollWork:
    job_id: str


@attrs.frozen
class DeliverWork:
    item: Item
    job: Job


Work = CreateWork | ListPollWork | StatusPollWork | DeliverWork


@attrs.frozen
class BatchStats:
    """A batch's progress, as the ``on_progress`` callback sees it.

    Attributes:
        total: Documents in the batch.
        done: Documents delivered.
        failed: Documents that failed (their errors are in the results).
        in_flight: Documents being created, processed or downloaded.
        elapsed: Seconds since the batch started.
    """

    total: int
    done: int
    failed: int
    in_flight: int
    elapsed: float

    @property
    def rate(self) -> float:
        """Documents finished per second so far."""
        return (self.done + self.failed) / self.elapsed if self.elapsed > 0 else 0.0


@attrs.frozen
class BatchSettings:
    """How a batch runs; checked by the clients before it starts."""

    max_concurrency: int
    polls: PollSchedule
    max_wait_time: float | None
    output_format: str = "txt"
    create_only: bool = False
    on_status: Callable[[JobStatus], None] | None = None
    limits: GroupLimits = attrs.field(factory=GroupLimits)
    budget: RetryBudget = attrs.field(factory=RetryBudget)


class BatchScheduler:
    """The state of one batch run; see the module docstring."""

    def __init__(
        self,
        items: list[Item],
        settings: BatchSettings,
        *,
        now: float,
        journal: Journal | None,
        run: str,
    ) -> None:
        self.items = items
        self.settings = settings
        self.pressure = BatchPressure(AdaptiveLimit(settings.max_concurrency), settings.budget)
        self._journal = journal
        self._run = run
        self._started = now
        self._pending: collections.deque[Item] = collections.deque()
        self._resend: collections.deque[CreateWork] = collections.deque()
        self._running: dict[str, list[Item]] = {}  # by job id (a list: never lose one)
        self._ready: collections.deque[DeliverWork] = collections.deque()
        self._finished: collections.deque[ItemResult[Any]] = collections.deque()
        self._active = self._done = self._failed = 0
        self._polls_out = 0
        self._poll_started = now
        self._idle_polls = 0
        self._next_poll = now
        self._use_list = True
        self._together = True
        self._waiting: dict[str, list[Item]] = {}
        for item in items:
            self._place(item, now)
        self._release_partial_groups()

    # --- the driver's side ----------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self._done + self._failed == len(self.items)

    def stats(self, now: float) -> BatchStats:
        return BatchStats(
            len(self.items), self._done, self._failed, self._active, now - self._started
        )

    def take_finished(self) -> list[ItemResult[Any]]:
        """Results finished since the last call, in the order they finished."""
        taken = list(self._finished)
        self._finished.clear()
        return taken

    def next_work(self, now: float) -> list[Work]:
        work: list[Work] = [*self._creates(now)]
        if self._running and not self._polls_out and now >= self._next_poll:
            work.extend(self._polls())
        while self._ready:
            work.append(self._ready.popleft())
        return work

    def next_wake(self, now: float) -> float | None:
        """When `next_work` may have something new without any outcome arriving."""
        wakes = []
        if self._running and not self._polls_out:
            wakes.append(self._next_poll)
        if (self._pending or self._resend) and self._active < self.pressure.limit.value:
            wakes.append(max(now, self.pressure.limit.not_before))
        return min(wakes) if wakes else None

    def apply(self, work: Work, outcome: Any, now: float) -> None:
        """Take in what a piece of work returned, or the exception it raised."""
        if isinstance(work, CreateWork):
            self._created(work, outcome, now)
        elif isinstance(work, ListPollWork):
            self._listed(work, outcome, now)
        elif isinstance(work, StatusPollWork):
            self._status(work, outcome, now)
        else:
            self._delivered(work, outcome)

    # --- creating -------------------------------------------------------------------------

    def _creates(self, now: float) -> list[CreateWork]:
        limit = self.pressure.limit
        if now < limit.not_before:
            return []
        work = []
        while (self._resend or self._pending) and self._active < limit.value:
            group = self._resend.popleft() if self._resend else self._new_group(limit.value)
            for item in group.items:
                item.phase = Phase.CREATING
            self._active += len(group.items)
            work.append(group)
        return work

    def _new_group(self, limit: int) -> CreateWork:
        room = limit - self._active
        members = take_group(self._pending, room, self.settings.limits, together=self._together)
        key = group_key(self._run, [(item.key, item.attempt) for item in members])
        if self._journal is not None:
            self._journal.submitted(key, [item.key for item in members])
        return CreateWork(tuple(members), key)

    def _created(self, work: CreateWork, outcome: Any, now: float) -> None:
        if isinstance(outcome, BaseException):
            self._creation_failed(work, outcome)
            return
        self.pressure.limit.succeeded()
        if not self._running:
            self._next_poll = now + self.settings.polls.initial
        self._next_poll = min(self._next_poll, now + self.settings.polls.initial)
        self._idle_polls = 0
        made: list[tuple[str, str]] = []
        for item, result in zip(work.items, outcome, strict=True):
            if isinstance(result, Job) and self.settings.create_only:
                made.append((item.key, result.id))
                self._finish(item, value=result)
            elif isinstance(result, Job):
                made.append((item.key, result.id))
                self._start_running(item, result.id, now)
            else:
                self._finish(item, error=result)
        if self._journal is not None and made:
            self._journal.created(made)

    def _creation_failed(self, work: CreateWork, error: BaseException) -> None:
        several = len(work.items) > 1
        if several and self._together and isinstance(error, ValidationError):
            # A server without several-file creation refuses the form: nothing was
            # created, so each document is sent again on its own (with its own key).
            self._together = False
            self._active -= len(work.items)
            for item in reversed(work.items):
                item.phase = Phase.PENDING
                self._pending.appendleft(item)
            return
        for item in work.items:
            self._finish(item, error=error)

    def _start_running(self, item: Item, job_id: str, now: float) -> None:
        item.phase, item.job_id, item.started = Phase.RUNNING, job_id, now
        self._running.setdefault(job_id, []).append(item)

    # --- polling --------------------------------------------------------------------------

    def _polls(self) -> list[Work]:
        ids = list(self._running)
        polls: list[Work]
        if self._use_list and len(ids) > 1:
            polls = [ListPollWork(frozenset(ids))]
        else:
            polls = [StatusPollWork(job_id) for job_id in ids]
        self._polls_out = len(polls)
        self._poll_started = self._next_poll
        return polls

    def _listed(self, work: ListPollWork, outcome: Any, now: float) -> None:
        self._polls_out -= 1
        if isinstance(outcome, BaseException):
            if not isinstance(outcome, _PASSING):
                self._use_list = False  # no usable list here: ask each job instead
            self._poll_done(now, progressed=False)
            return
        found, size = outcome
        if len(found) < len(work.job_ids):
            self._use_list = False  # the list leaves jobs out (paged, say): ask each one
        if size > max(_LIST_SIZE_FLOOR, _LIST_SIZE_FACTOR * len(self._running)):
            self._use_list = False
        progressed = self._observe(found.values(), now)
        self._poll_done(now, progressed=progressed or len(found) < len(work.job_ids))

    def _status(self, work: StatusPollWork, outcome: Any, now: float) -> None:
        self._polls_out -= 1
        progressed = False
        if isinstance(outcome, JobStatus) and self.settings.on_status is not None:
            self.settings.on_status(outcome)
        if isinstance(outcome, Job):
            progressed = self._observe([outcome], now)
        elif isinstance(outcome, BaseException) and not isinstance(outcome, _PASSING):
            # No such job, a rejected key: asking again will not help.
            for item in self._running.pop(work.job_id, []):
                self._finish(item, error=outcome)
                progressed = True
        elif not isinstance(outcome, (BaseException, JobStatus)):
            raise TypeError(f"unexpected poll outcome {outcome!r}")
        if not self._polls_out:
            self._poll_done(now, progressed=progressed)

    def _observe(self, jobs: Iterable[Job], now: float) -> bool:
        """Move finished jobs on; True if any finished."""
        progressed = False
        for job in jobs:
            if job.id in self._running and self.settings.on_status is not None:
                self.settings.on_status(
                    JobStatus(job_id=job.id, processing_status=job.processing_status)
                )
            if job.id not in self._running or job.is_processing:
                continue
            progressed = True
            for item in self._running.pop(job.id):
                self._job_finished(item, job)
        self._expire(now)
        return progressed

    def _job_finished(self, item: Item, job: Job) -> None:
        if not job.is_failed:
            item.phase = Phase.DELIVERING
            self._ready.append(DeliverWork(item, job))
            return
        if self._journal is not None:
            self._journal.failed(item.key, job.id, job.processing_error or "")
        self._finish(item, error=_core.failed_job_error(job))

    def _expire(self, now: float) -> None:
        limit = self.settings.max_wait_time
        if limit is None:
            return
        for job_id, items in list(self._running.items()):
            if now - items[0].started > limit:
                # The job goes on: the journal keeps its id, so a later run picks it up.
                del self._running[job_id]
                for item in items:
                    self._finish(item, error=_core.timeout_error(job_id, now - item.started))

    def _poll_done(self, now: float, *, progressed: bool) -> None:
        """Ticks keep their rate (counted from when each poll was due, not from when its
        answer came), but never follow one another closer than a quarter of a tick."""
        self._idle_polls = 0 if progressed else self._idle_polls + 1
        delay = self.settings.polls.delay(self._idle_polls)
        self._next_poll = max(self._poll_started + delay, now + delay / 4)

    # --- delivering -----------------------------------------------------------------------

    def _delivered(self, work: DeliverWork, outcome: Any) -> None:
        item = work.item
        if isinstance(outcome, BaseException):
            self._finish(item, error=outcome)  # the job stays done: a later run fetches it
            return
        if self._journal is not None:
            self._journal.done(item.key, work.job.id, _describe(outcome))
        self._finish(item, value=outcome)

    def _finish(self, item: Item, *, value: Any = None, error: BaseException | None = None) -> None:
        if item.phase in (Phase.CREATING, Phase.RUNNING, Phase.DELIVERING):
            self._active -= 1
        item.phase = Phase.FAILED if error is not None else Phase.DONE
        if error is None:
            self._done += 1
        else:
            self._failed += 1
        self._finished.append(ItemResult(item.index, item.given, value=value, error=error))

    # --- starting (and resuming) ------------------------------------------------------------

    def _place(self, item: Item, now: float) -> None:
        if item.error is not None:
            self._finish(item, error=item.error)
            return
        record = self._journal.items.get(item.key) if self._journal else None
        if record is None:
            self._pending.append(item)
            return
        item.attempt = record.attempt
        restored = _restored_value(record.done)
        if restored is not None:
            self._finish(item, value=restored)
        elif record.job_id is not None:
            self._active += 1
            self._start_running(item, record.job_id, now)
        elif record.group is not None:
            self._rejoin(item, record.group, record.members)
        else:
            self._pending.append(item)

    def _rejoin(self, item: Item, group: str, members: tuple[str, ...]) -> None:
        """Gather an interrupted group's documents, to send it again exactly as it was."""
        gathered = self._waiting.setdefault(group, [])
        gathered.append(item)
        if len(gathered) == len(members) and {m.key for m in gathered} == set(members):
            by_key = {member.key: member for member in self._waiting.pop(group)}
            self._resend.append(CreateWork(tuple(by_key[key] for key in members), group))

    def _release_partial_groups(self) -> None:
        """Documents of a group only partly in this batch go out in new groups (new keys)."""
        for gathered in self._waiting.values():
            self._pending.extend(gathered)
        self._waiting.clear()


def _describe(value: Any) -> dict[str, Any]:
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, str):
        return {"location": value}
    return {"bytes": True}


def _restored_value(done: dict[str, Any] | None) -> Path | str | None:
    """A delivered result that needs no new download: a file still there, or a location."""
    if not done:
        return None
    if "path" in done:
        path = Path(done["path"])
        return path if path.is_file() else None
    location = done.get("location")
    return location if isinstance(location, str) else None
