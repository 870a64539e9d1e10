"""The batch engine's decisions, with no I/O: what to send next, and what each answer means.

The sync and async clients each drive a `BatchScheduler` the same way: ask
`next_work` for requests to make (`_work`), make them (threads or tasks), hand
each typed outcome back to `apply`, and sleep until `next_wake` or the next outcome.
Only the driving thread or task touches the scheduler.

The requests it asks for:
- `CreateWork`: documents created together (repeated ``files`` parts) while the
  adaptive limit has room for them;
- `ListPollWork`: one job list for every job in flight, whenever one is due
  (`PollPlan`), or, when the server's list does not show them all, one
  `StatusPollWork` per job due, or a probe of its result (`_probes`);
- `DeliverWork`: a finished job's result, to its destination.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import httpx

from byteit._batch._budget import CreditBudget, Credits
from byteit._batch._grouping import GroupLimits, group_key, take_group
from byteit._batch._items import Item, Phase
from byteit._batch._journal import Journal
from byteit._batch._poll_plan import PollPlan
from byteit._batch._pressure import AdaptiveLimit, BatchPressure
from byteit._batch._probes import ResultProbes
from byteit._batch._results import ItemResult
from byteit._batch._resume import describe, starting_points
from byteit._batch._work import (
    AnyJob,
    Created,
    CreateWork,
    Delivered,
    DeliverWork,
    Listed,
    ListPollWork,
    Outcome,
    Polled,
    StatusPollWork,
    Work,
)
from byteit._delivery._sinks import returned
from byteit._jobs._failures import failed_job_error, timeout_error
from byteit._log import get_logger
from byteit.exceptions import (
    ByteITError,
    NetworkError,
    RateLimitError,
    ResourceNotFoundError,
    ResultNotReadyError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)
from byteit.models import Job, JobStatus
from byteit.polling import PollSchedule
from byteit.retry import RetryBudget

logger = get_logger("batch")

# Errors that end one document, not the batch: reported in its result.
ITEM_ERRORS = (ByteITError, OSError, httpx.HTTPError)
# Errors a later poll may not meet again (the request itself was retried already).
_TRANSIENT = (NetworkError, ServerError, RateLimitError)
_PASSING = (*_TRANSIENT, UnexpectedResponseError)
_RESENDS = 3  # times a creation group goes back in line after its retries ran out
# Job-list failures in a row before polling job by job: polls are not retried, so
# a few in a row are to be expected from a server failing a share of requests.
_LIST_FAILURES = 10
_POLL_PATIENCE = 0.25  # seconds a job list may take before another goes out beside it
# Downloads out at once: a download takes a round trip, not the server's worker,
# so more at once only widen the connection pool, whose every request scans it.
_FETCHES = 16

# A list this many times longer than the jobs in flight costs more to read every
# tick than asking for each job's status.
_LIST_SIZE_FACTOR = 20
_LIST_SIZE_FLOOR = 1000


@attrs.frozen
class BatchStats:
    """A batch's progress, as the ``on_progress`` callback sees it.

    Attributes:
        total: Documents in the batch.
        done: Documents delivered.
        failed: Documents that failed (their errors are in the results).
        in_flight: Documents being created, processed or downloaded.
        elapsed: Seconds since the batch started.
        credits: Credits spent by this run's jobs so far, parse and extract apart.
    """

    total: int
    done: int
    failed: int
    in_flight: int
    elapsed: float
    credits: Credits = attrs.field(factory=Credits)

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
    timeout: httpx.Timeout | None = None  # each request's; None: the client's
    create_only: bool = False
    on_status: Callable[[JobStatus], None] | None = None
    max_credits: float | None = None
    job_kind: str = "parse"  # what the batch's jobs are: "parse" or "extract"
    deliver: bool = True  # False: a finished job is the item's value (a pipeline goes on)
    credit_budget: CreditBudget | None = None  # one shared by a pipeline's stages
    limits: GroupLimits = attrs.field(factory=GroupLimits)
    budget: RetryBudget = attrs.field(factory=RetryBudget)
    # False: poll job by job from the start, never reading the account's whole job list
    # (many batches against one account with many jobs: `byteit.distributed`).
    job_list: bool = True


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
        self.credits = settings.credit_budget or CreditBudget(settings.max_credits)
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
        self._fetching = 0  # downloads out
        self._plan = PollPlan(settings.polls)
        self._probes = ResultProbes(settings.output_format)
        self._probing = False  # once the list is too long to read: see `_probes`
        self._poll_started = now
        self._use_list = settings.job_list
        # Under a credit cap jobs start one document at a time, as the cap allows.
        self._together = self.credits.cap is None
        self._resent: dict[str, int] = {}
        self._recreated: set[str] = set()
        self._list_failures = 0
        self._start(items, now)

    def _start(self, items: list[Item], now: float) -> None:
        """Place every document where it starts: see `_resume`."""
        for item in items:
            if item.error is not None:
                self._finish(item, error=item.error)
        starts = starting_points([item for item in items if item.error is None], self._journal)
        for item, value in starts.done:
            self._finish(item, value=returned(value))
        for item, job_id in starts.running:
            self._active += 1
            if job_id not in self._running:
                self.credits.started()
            self._start_running(item, job_id, now, poll_at=now)  # ask about it at once
        for members, key in starts.resend:
            self._resend.append(CreateWork(members, key))
        self._pending.extend(starts.new)

    def add(self, items: list[Item], now: float) -> None:
        """More items, joining a running batch (a pipeline's next stage), each placed
        where its state file says it stands."""
        self.items.extend(items)
        self._start(items, now)

    # --- the driver's side ----------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self._done + self._failed == len(self.items)

    def stats(self, now: float) -> BatchStats:
        return BatchStats(
            len(self.items),
            self._done,
            self._failed,
            self._active,
            now - self._started,
            self.credits.credits(),
        )

    def take_finished(self) -> list[ItemResult[Any]]:
        """Results finished since the last call, in the order they finished."""
        taken = list(self._finished)
        self._finished.clear()
        return taken

    def next_work(self, now: float) -> list[Work]:
        work: list[Work] = [*self._creates(now)]
        poll_at = self._poll_at()
        if poll_at is not None and now >= poll_at:
            work.extend(self._polls(now))
        while self._ready and self._fetching < _FETCHES:
            work.append(self._ready.popleft())
            self._fetching += 1
        return work

    def next_wake(self, now: float) -> float | None:
        """When `next_work` may have something new without any outcome arriving (a
        download waiting for a free slot waits for an outcome)."""
        wakes = []
        poll_at = self._poll_at()
        if poll_at is not None:
            wakes.append(poll_at)
        if (
            (self._pending or self._resend)
            and self._active < self.pressure.limit.value
            and self.credits.room() != 0  # a full credit cap waits for a job to finish
        ):
            wakes.append(now)
        return min(wakes) if wakes else None

    def apply(self, outcome: Outcome, now: float) -> None:
        """Take in what a piece of work brought back, or the error it met."""
        if outcome.error is None:
            self.pressure.limit.answered()
        match outcome:
            case Created():
                self._created(outcome, now)
            case Listed():
                self._listed(outcome, now)
            case Polled():
                self._status(outcome, now)
            case Delivered():
                self._delivered(outcome, now)

    # --- creating -------------------------------------------------------------------------

    def _creates(self, now: float) -> list[CreateWork]:
        limit = self.pressure.limit
        work = []
        while (self._resend or self._pending) and self._active < limit.value:
            room = self._room(limit.value)
            if room <= 0:
                break
            group = self._resend.popleft() if self._resend else self._new_group(room)
            for item in group.items:
                item.phase = Phase.CREATING
            self._active += len(group.items)
            self.credits.started(len(group.items))
            work.append(group)
        return work

    def _room(self, limit: int) -> int:
        """Documents that may start now: the concurrency limit's room, within the credit cap
        (once the cap leaves none and no job is in flight, the rest are turned away)."""
        if self.credits.exhausted:
            self._turn_away()
            return 0
        budget = self.credits.room()
        return limit - self._active if budget is None else min(limit - self._active, budget)

    def _turn_away(self) -> None:
        if self._resend or self._pending:
            logger.debug(
                "max_credits=%g reached (%g spent): the documents not started are turned away",
                self.credits.cap or 0,
                self.credits.spent,
            )
        while self._resend:
            for item in self._resend.popleft().items:
                self._finish(item, error=self.credits.refusal())
        while self._pending:
            self._finish(self._pending.popleft(), error=self.credits.refusal())

    def _new_group(self, room: int) -> CreateWork:
        members = take_group(self._pending, room, self.settings.limits, together=self._together)
        key = group_key(self._run, [(item.key, item.attempt) for item in members])
        if self._journal is not None:
            self._journal.submitted(key, [item.key for item in members])
        return CreateWork(tuple(members), key)

    def _created(self, outcome: Created, now: float) -> None:
        work = outcome.work
        if outcome.error is not None:
            self._creation_failed(work, outcome.error)
            return
        made: list[tuple[str, str]] = []
        for item, result in zip(work.items, outcome.jobs, strict=True):
            if not isinstance(result, ByteITError) and self.settings.create_only:
                made.append((item.key, result.id))
                self.credits.released()  # nothing is waited for: its cost is not known
                self._finish(item, value=result)
                self.pressure.limit.finished(now)
            elif not isinstance(result, ByteITError):
                made.append((item.key, result.id))
                self._start_running(item, result.id, now)
                if isinstance(result, Job):  # an extract job's result is not a download
                    self._probes.created(result, self._running[result.id])
            else:
                self.credits.released()
                self._finish(item, error=result)
        if self._journal is not None and made:
            self._journal.created(made)
        finished = [
            r for r in outcome.jobs if not isinstance(r, ByteITError) and not r.is_processing
        ]
        if finished and not self.settings.create_only:
            self._observe(finished, now)  # done already: no need to wait for a poll

    def _creation_failed(self, work: CreateWork, error: BaseException) -> None:
        self.credits.released(len(work.items))  # no job was made (or it is asked for again)
        if len(work.items) > 1 and isinstance(error, ValidationError):
            # A server without several-file creation refuses the form: nothing was
            # created, so each document is sent again on its own (with its own key).
            self._together = False
            logger.debug(
                "the server refused %d files in one request (%s): one document per request",
                len(work.items),
                error,
            )
            self._requeue(work.items)
            return
        if isinstance(error, _PASSING) and self._may_resend(work):
            # Retries ran out on a busy or unreachable server: the group goes back in
            # line, under the same key (the server may have made its jobs already).
            logger.debug(
                "creating %d document(s) failed after retries (%s): back in line, same key",
                len(work.items),
                type(error).__name__,
            )
            self._resend.append(work)
            self._active -= len(work.items)
            for item in work.items:
                item.phase = Phase.PENDING
            return
        for item in work.items:
            self._finish(item, error=error)

    def _may_resend(self, work: CreateWork) -> bool:
        sent = self._resent.get(work.key, 0)
        self._resent[work.key] = sent + 1
        replayable = all(item.request is not None and item.request.source.replayable
                         for item in work.items)  # fmt: skip
        # A resend is a retry: it comes out of the batch's budget like any other.
        return replayable and sent < _RESENDS and self.pressure.budget.spend()

    def _may_fetch_again(self, work: DeliverWork) -> bool:
        """A download whose retries ran out goes back in line, like a creation (see
        `_may_resend`): on a server failing a share of requests, four failures in a
        row come to some document of a long batch."""
        key = f"result of {work.item.key}"
        sent = self._resent.get(key, 0)
        self._resent[key] = sent + 1
        if sent < _RESENDS and self.pressure.budget.spend():
            logger.debug("fetching job %s's result failed after retries: again", work.job.id)
            return True
        return False

    def _requeue(self, items: Iterable[Item]) -> None:
        """Documents back to the front of the line, to be created anew."""
        for item in reversed(list(items)):
            if item.phase in (Phase.CREATING, Phase.RUNNING, Phase.DELIVERING):
                self._active -= 1
            item.phase = Phase.PENDING
            self._pending.appendleft(item)

    def _start_running(
        self, item: Item, job_id: str, now: float, *, poll_at: float | None = None
    ) -> None:
        item.phase, item.job_id, item.started = Phase.RUNNING, job_id, now
        if job_id not in self._running:
            self._plan.add(job_id, now, at=poll_at)
        self._running.setdefault(job_id, []).append(item)

    # --- polling --------------------------------------------------------------------------

    def _poll_at(self) -> float | None:
        """When the next poll may go: at the plan's time once no poll is out, or beside
        a job list out for longer than `_POLL_PATIENCE` (one slow answer must not hold
        up the next poll of every job)."""
        poll_at = self._plan.next_poll()
        if poll_at is None or not self._polls_out:
            return poll_at
        if self._polls_out == 1 and self._use_list:
            return max(poll_at, self._poll_started + _POLL_PATIENCE)
        return None

    def _polls(self, now: float) -> list[Work]:
        """One job list for every job in flight, or a status call for each job due."""
        polls: list[Work]
        if self._use_list and len(self._running) > 1:
            polls = [ListPollWork(frozenset(self._running), self.settings.job_kind)]
        else:
            polls = [self._job_poll(job_id) for job_id in self._plan.due(now)]
        self._polls_out += len(polls)
        self._poll_started = now
        self._plan.polling(now)
        return polls

    def _job_poll(self, job_id: str) -> Work:
        probe = self._probes.work(job_id, self._running[job_id]) if self._probing else None
        return probe or StatusPollWork(job_id, self.settings.job_kind)

    def _listed(self, outcome: Listed, now: float) -> None:
        work = outcome.work
        self._polls_out -= 1
        if outcome.error is not None:
            self._list_failures += 1
            if not isinstance(outcome.error, _TRANSIENT) or self._list_failures >= _LIST_FAILURES:
                self._stop_listing(f"the job list failed ({type(outcome.error).__name__})")
            for job_id in work.job_ids:  # nothing learnt: each job waits its next turn
                self._plan.still_running(job_id, self._poll_started)
            self._expire(now)
            return
        self._list_failures = 0
        found, size = outcome.found, outcome.size
        self._plan.listed(size)
        if len(found) < len(work.job_ids):
            self._stop_listing("the job list leaves jobs out (paged, say)")
        if size > max(_LIST_SIZE_FLOOR, _LIST_SIZE_FACTOR * len(self._running)):
            self._stop_listing(f"the job list holds {size} jobs, too many to read per poll")
            self._probing = True
        self._observe(found.values(), now)

    def _stop_listing(self, reason: str) -> None:
        if self._use_list:
            logger.debug("%s: polling each job's status instead", reason)
        self._use_list = False

    def _status(self, outcome: Polled, now: float) -> None:
        job_id, answer, error = outcome.work.job_id, outcome.answer, outcome.error
        self._polls_out -= 1
        if isinstance(answer, JobStatus):
            if self.settings.on_status is not None:
                self.settings.on_status(answer)
            self._plan.still_running(job_id, self._poll_started)
        elif answer is not None:
            self._observe([answer], now)
        elif isinstance(error, ResourceNotFoundError):
            self._job_gone(job_id, error)
        elif error is not None and not isinstance(error, _PASSING):
            # A rejected key, say: asking again will not help.
            self._probes.forget(job_id)
            self._plan.remove(job_id)
            self.credits.released()
            for item in self._running.pop(job_id, []):
                self._finish(item, error=error)
        else:
            self._plan.still_running(job_id, self._poll_started)
        self._expire(now)

    def _job_gone(self, job_id: str, error: ResourceNotFoundError) -> None:
        """The server does not know the job (purged since an earlier run, say): nothing
        can be made twice, so its documents are created again, once per run."""
        self._probes.forget(job_id)
        self._plan.remove(job_id)
        self.credits.released()
        again = []
        for item in self._running.pop(job_id, []):
            if item.key in self._recreated:
                self._finish(item, error=error)
                continue
            self._recreated.add(item.key)
            logger.debug("the server no longer has job %s: creating its document again", job_id)
            if self._journal is not None:
                self._journal.failed(item.key, job_id, "the server no longer has this job")
            item.attempt += 1
            again.append(item)
        self._requeue(again)

    def _observe(self, jobs: Iterable[AnyJob], now: float) -> None:
        """Move finished jobs on; note when the others are due again."""
        for job in jobs:
            if job.id not in self._running:
                continue
            if self.settings.on_status is not None:
                self.settings.on_status(
                    JobStatus(job_id=job.id, processing_status=job.processing_status)
                )
            if job.is_processing:
                self._plan.still_running(job.id, self._poll_started)
                continue
            self._plan.finished(job)
            self._probes.forget(job.id)
            self.credits.settled(job.credits_cost, self.settings.job_kind)
            for item in self._running.pop(job.id):
                self._job_finished(item, job)
        self._expire(now)

    def _job_finished(self, item: Item, job: AnyJob) -> None:
        if not job.is_failed and not self.settings.deliver:
            self._finish(item, value=job)
            return
        if not job.is_failed:
            item.phase = Phase.DELIVERING
            self._ready.append(DeliverWork(item, job))
            return
        if self._journal is not None:
            self._journal.failed(item.key, job.id, job.processing_error or "")
        self._finish(item, error=failed_job_error(job))

    def _expire(self, now: float) -> None:
        limit = self.settings.max_wait_time
        if limit is None:
            return
        for job_id, items in list(self._running.items()):
            if now - items[0].started > limit:
                # The job goes on: the journal keeps its id, so a later run picks it up.
                logger.debug(
                    "job %s still running after max_wait_time=%ss: given up", job_id, limit
                )
                self._probes.forget(job_id)
                del self._running[job_id]
                self._plan.remove(job_id)
                self.credits.abandoned()
                for item in items:
                    self._finish(item, error=timeout_error(job_id, now - item.started))

    # --- delivering -----------------------------------------------------------------------

    def _delivered(self, outcome: Delivered, now: float) -> None:
        work = outcome.work
        if work.probe:
            self._probed(outcome, now)
            return
        self._fetching -= 1
        if outcome.error is not None:
            if isinstance(outcome.error, _PASSING) and self._may_fetch_again(work):
                self._ready.append(work)  # the job stays done: its result is asked for again
                return
            self._finish(work.item, error=outcome.error)  # a later run fetches it
            return
        self._kept(work, outcome.value, now)

    def _kept(self, work: DeliverWork, value: Any, now: float) -> None:
        """A result is where it goes: the document is done."""
        if self._journal is not None:
            self._journal.done(work.item.key, work.job.id, describe(value))
        self._finish(work.item, value=returned(value))
        self.pressure.limit.finished(now)

    def _probed(self, outcome: Delivered, now: float) -> None:
        """A probe's answer: the job still running, its result delivered, or (refused)
        the job back to status polls, which read a failure's reason."""
        self._polls_out -= 1
        job_id, error = outcome.work.job.id, outcome.error
        if job_id not in self._running:
            return  # given up meanwhile (max_wait_time)
        if isinstance(error, (ResultNotReadyError, *_PASSING)):
            self._plan.still_running(job_id, self._poll_started)
        elif error is not None:
            self._probes.forget(job_id)
            self._plan.add(job_id, now, at=now)
        else:
            self._plan.finished_after(job_id, now - outcome.work.item.started)
            self._probes.forget(job_id)
            del self._running[job_id]
            self._kept(outcome.work, outcome.value, now)
        self._expire(now)

    def _finish(self, item: Item, *, value: Any = None, error: BaseException | None = None) -> None:
        if item.phase in (Phase.CREATING, Phase.RUNNING, Phase.DELIVERING):
            self._active -= 1
        item.phase = Phase.FAILED if error is not None else Phase.DONE
        if error is None:
            self._done += 1
        else:
            self._failed += 1
        self._finished.append(ItemResult(item.index, item.given, value=value, error=error))
