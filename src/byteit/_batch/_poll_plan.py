"""When a batch polls its jobs: each job when it is due, several in one poll.

A job is first due when jobs like it have usually finished: the batch learns
that from the jobs it has seen finish (the server's ``created_at`` to
``finished_processing_at``; the quicker quarter of the last few). Until it
knows, a job is first due one poll interval after it was created. A job found
still running is due again after the poll schedule's next delay (fixed, or
backing off). One poll answers for every job in flight (a job list), so polls
come when the earliest job is due, but never closer together than half the
first interval: jobs finishing at different moments are seen at different
moments, and their downloads and the creations that follow do not all arrive at
the server at once.
"""

from __future__ import annotations

import collections

from byteit.models import ExtractJob, Job
from byteit.polling import PollSchedule

_REMEMBERED = 32  # durations the estimate is drawn from
_LONGEST = 24 * 3600.0  # a duration beyond this is a clock problem, not a job


class PollPlan:
    """Due times of the jobs in flight, and when the next poll should go."""

    def __init__(self, schedule: PollSchedule) -> None:
        self._schedule = schedule
        self._gap = schedule.delay(0) / 2
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
        return self._schedule.delay(0) if expected is None else expected

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
        self.remove(job.id)
        ended = job.finished_processing_at if isinstance(job, Job) else None
        if job.created_at is not None and ended is not None:
            took = (ended - job.created_at).total_seconds()
            if 0 < took < _LONGEST:
                self._durations.append(took)
