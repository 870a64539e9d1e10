"""How often to ask whether a job has finished.

`PollSchedule` is the pace of `wait_for_job` and of a batch's polls. A job that
was only just created is waited for differently (`fresh_job_timer`): nothing
finishes at once, so the first poll comes after `FIRST_POLL` rather than
straight away, and the polls after it start 50 ms apart and grow by a tenth
each (`FRESH_JOB_POLLS`), so they come at between a tenth and a fifth of the
time waited: a half-second job is seen within some 80 ms of finishing, a
one-minute job within some six to ten seconds.
"""

from __future__ import annotations

import attrs

__all__ = ["PollSchedule"]

FIRST_POLL = 0.1  # seconds from creation to a fresh job's first poll


@attrs.frozen
class PollSchedule:
    """Poll delays that start short and back off geometrically to a cap.

    The vendor's client polls at ``min(1.5^(n-1), 10)`` seconds with no overall
    limit; this starts at half a second, so short jobs finish sooner, and every
    wait is bounded by the caller's ``max_wait_time``.

    Args:
        initial: The first delay in seconds.
        factor: How much each delay grows.
        maximum: The largest delay in seconds.
    """

    initial: float = attrs.field(default=0.5, validator=attrs.validators.gt(0))
    factor: float = attrs.field(default=1.5, validator=attrs.validators.ge(1))
    maximum: float = attrs.field(default=10.0, validator=attrs.validators.gt(0))

    @classmethod
    def fixed(cls, interval: float) -> PollSchedule:
        """Poll every `interval` seconds."""
        return cls(initial=interval, factor=1.0, maximum=interval)

    def delay(self, poll: int, *, retry_after: float | None = None) -> float:
        """The wait after poll number `poll` (0-based); at least `retry_after` if the
        server asked for it."""
        growth = self.factor ** min(poll, 200)  # the cap is reached long before; no overflow
        planned = min(self.maximum, self.initial * growth)
        return max(planned, retry_after or 0.0)


FRESH_JOB_POLLS = PollSchedule(initial=0.05, factor=1.1, maximum=10.0)
DEFAULT = PollSchedule()


def given(schedule: PollSchedule) -> PollSchedule | None:
    """`schedule` if the caller chose it (a fixed interval, a client's own schedule),
    None if it is the default: fresh jobs are then polled at the fresh-job pace."""
    return None if schedule == DEFAULT else schedule


@attrs.define
class PollTimer:
    """The polling of one job: the next delay, or None once `max_wait_time` has passed.

    With `first`, the first delay is that (a fresh job's wait before its first poll)
    and the schedule's delays follow it."""

    schedule: PollSchedule
    started: float
    max_wait_time: float | None
    polls: int = 0
    first: float | None = None

    def next_delay(self, now: float, *, retry_after: float | None = None) -> float | None:
        delay = self._planned(retry_after)
        self.polls += 1
        if self.max_wait_time is None:
            return delay
        remaining = self.max_wait_time - (now - self.started)
        if remaining <= 0:
            return None
        return min(delay, remaining)

    def _planned(self, retry_after: float | None) -> float:
        if self.first is None:
            return self.schedule.delay(self.polls, retry_after=retry_after)
        if self.polls == 0:
            return max(self.first, retry_after or 0.0)
        return self.schedule.delay(self.polls - 1, retry_after=retry_after)

    def remaining(self, now: float) -> float | None:
        """Seconds left to wait, or None without a limit."""
        if self.max_wait_time is None:
            return None
        return max(0.0, self.max_wait_time - (now - self.started))

    def waited(self, now: float) -> float:
        return now - self.started


def fresh_job_timer(
    schedule: PollSchedule | None, started: float, max_wait_time: float | None
) -> PollTimer:
    """The polling of a job created at `started`, whose first delay comes before its
    first poll: `schedule`'s (the caller's fixed interval, or the client's own schedule),
    or with None, `FIRST_POLL` and then `FRESH_JOB_POLLS`."""
    if schedule is None:
        return PollTimer(FRESH_JOB_POLLS, started, max_wait_time, first=FIRST_POLL)
    return PollTimer(schedule, started, max_wait_time)
