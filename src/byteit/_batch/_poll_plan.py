"""When a batch polls its jobs: each job when it is due, several in one poll.

A job is first due when jobs like it have usually finished: the batch learns
that from the jobs it has seen finish (the server's ``created_at`` to
``finished_processing_at``; the quicker quarter of the last few). Until it
knows, a job is first due one poll interval after it was created. A job found
still running is due again after the poll schedule's next delay. One poll
answers for every job in flight (a job list), so polls come when the earliest
job is due, but never closer together than the poll gap, so that jobs
finishing at different moments are seen at different moments, and their
downloads and the creations that follow do not all reach the server at once.

The pace depends on whether the caller chose one (`byteit.polling.given`):
- a ``poll_interval`` or a client's own schedule: due times follow it, and the
  gap is half its first interval, as the caller asked;
- the default: a job is first due at `EARLY` of the expected duration, then
  at the fresh-job pace (`FRESH_JOB_POLLS`: 50 ms, growing by a tenth per
  miss), and polls are `LIST_GAP` apart, longer for a long list (`LIST_READ_COST`
  per job listed), so that reading the list stays a small share of the time.
  A job's result is then fetched within a few tens of milliseconds of its end.
"""

from __future__ import annotations

import collections

from byteit.models import ExtractJob, Job
from byteit.polling import FIRST_POLL, FRESH_JOB_POLLS, PollSchedule, given

_REMEMBERED = 32  # durations the estimate is drawn from
_LONGEST = 24 * 3600.0  # a duration beyond this is a clock problem, not a job
LIST_GAP = 0.03  # seconds between polls at the default pace, at least
LIST_READ_COST = 100e-6  # seconds of gap per job in the list, at the default pace
# At the default pace a job is first due at this share of the expected duration:
# durations spread, and a job seen late costs more than a list read.
EARLY = 0.5


class PollPlan:
    """Due times of the jobs in flight, and when the next poll should go."""

    def __init__(self, schedule: PollSchedule) -> None:
        chosen = given(schedule)
        self._schedule = chosen or FRESH_JOB_POLLS
        self._first = schedule.delay(0) if chosen else FIRST_POLL
        self._least_gap = schedule.delay(0) / 2 if chosen else LIST_GAP
        self._gap = self._least_gap
        self._per_job = 0.0 if chosen else LIST_READ_COST
        self._early = 1.0 if chosen else EARLY
        self._due: dict[str, float] = {}
        self._misses: dict[str, int] = {}
        self._durations: collections.deque[float] = collections.deque(maxlen=_REMEMBERED)
        self._last_poll = float("-inf")

    def add(self, job_id: str, now: float, *, at: float | None = None) -> None:
        """A job is in flight from `now`; first due `at`, or when such jobs finish."""
        self._due[job_id] = at if at is not None else now + self._first_wait()
        self._misses[job_id] = 0

    def remove(self, job_id: str) -> None:
        self._due.pop(job_id, None)
        self._misses.pop(job_id, None)

    def _first_wait(self) -> float:
        expected = self.expected()
        return self._first if expected is None else expected * self._early

    def expected(self) -> float | None:
        """How long jobs take, by the quicker quarter of those seen to finish."""
        if not self._durations:
            return None
        return sorted(self._durations)[len(self._durations) // 4]

    def next_poll(self) -> float | None:
        """When to poll next, or None with no job in flight."""
        if not self._due:
            return None
        return max(min(self._due.values()), self._last_poll + self._gap)

    def due(self, now: float) -> list[str]:
        """The jobs due by `now`."""
        return [job_id for job_id, due in self._due.items() if due <= now]

    def polling(self, now: float) -> None:
        """A poll goes out at `now`."""
        self._last_poll = now

    def listed(self, size: int) -> None:
        """A job list of `size` jobs came back: a longer list is read less often."""
        self._gap = max(self._least_gap, size * self._per_job)

    def still_running(self, job_id: str, polled_at: float) -> None:
        """A poll sent at `polled_at` found the job running: if it was due, it is due
        again after the schedule's next delay; if not, it keeps its time."""
        if job_id not in self._due or self._due[job_id] > polled_at:
            return
        misses = self._misses[job_id]
        self._misses[job_id] = misses + 1
        self._due[job_id] = polled_at + self._schedule.delay(misses)

    def finished(self, job: Job | ExtractJob) -> None:
        """The job is done: learn how long it took (an extract job does not say)."""
        took = None
        ended = job.finished_processing_at if isinstance(job, Job) else None
        if job.created_at is not None and ended is not None:
            took = (ended - job.created_at).total_seconds()
        self.finished_after(job.id, took)

    def finished_after(self, job_id: str, took: float | None) -> None:
        """The job is done, `took` seconds after it was created (if known)."""
        self.remove(job_id)
        if took is not None and 0 < took < _LONGEST:
            self._durations.append(took)
