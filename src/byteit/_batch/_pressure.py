"""How many documents a batch keeps in flight: shrinks when the server pushes back.

Additive increase, multiplicative decrease (as TCP does): a 429 or 503 halves
the limit and pauses new work until the server's ``Retry-After``; every success
adds ``1/limit``, so the limit grows back by one per round of successes.
"""

from __future__ import annotations

import threading

import attrs

from byteit.retry import RetryBudget

__all__ = ["AdaptiveLimit"]

_DEFAULT_PAUSE = 1.0  # seconds, when a 429/503 says nothing about when to come back


class AdaptiveLimit:
    """A concurrency limit between 1 and `ceiling` that adapts to the server's answers.

    Thread-safe: the sync client's worker threads report to it directly.
    """

    def __init__(self, ceiling: int) -> None:
        self.ceiling = ceiling
        self._current = float(ceiling)
        self._not_before = float("-inf")
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"AdaptiveLimit(value={self.value}, ceiling={self.ceiling})"

    @property
    def value(self) -> int:
        """How many documents may be in flight now."""
        return max(1, int(self._current))

    @property
    def not_before(self) -> float:
        """The clock time before which no new work should start."""
        return self._not_before

    def throttled(self, now: float, retry_after: float | None) -> None:
        """The server answered 429 or 503: halve the limit and pause.

        Answers to requests that were already in flight when the first one came
        back belong to the same episode: they extend the pause but do not halve
        the limit again.
        """
        with self._lock:
            if now >= self._not_before:
                self._current = max(1.0, self._current / 2)
            pause = _DEFAULT_PAUSE if retry_after is None else retry_after
            self._not_before = max(self._not_before, now + pause)

    def succeeded(self) -> None:
        """A request went through: grow back towards the ceiling."""
        with self._lock:
            self._current = min(float(self.ceiling), self._current + 1 / self._current)


@attrs.frozen
class BatchPressure:
    """What a batch's requests report to as they retry: its limit and its retry budget."""

    limit: AdaptiveLimit
    budget: RetryBudget
