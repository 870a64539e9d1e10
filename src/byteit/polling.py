"""How often to ask whether a job has finished."""

from __future__ import annotations

import attrs

__all__ = ["PollSchedule"]


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


@attrs.define
class PollTimer:
    """The polling of one job: the next delay, or None once `max_wait_time` has passed."""

    schedule: PollSchedule
    started: float
    max_wait_time: float | None
    polls: int = 0

    def next_delay(self, now: float, *, retry_after: float | None = None) -> float | None:
        delay = self.schedule.delay(self.polls, retry_after=retry_after)
        self.polls += 1
        if self.max_wait_time is None:
            return delay
        remaining = self.max_wait_time - (now - self.started)
        if remaining <= 0:
            return None
        return min(delay, remaining)

    def remaining(self, now: float) -> float | None:
        """Seconds left to wait, or None without a limit."""
        if self.max_wait_time is None:
            return None
        return max(0.0, self.max_wait_time - (now - self.started))

    def waited(self, now: float) -> float:
        return now - self.started
