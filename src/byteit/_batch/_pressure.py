"""How many documents a batch keeps in flight: shrinks when the server pushes back.

Additive increase, multiplicative decrease (as TCP does): a 429 or 503 halves
the limit and pauses new work until the server's ``Retry-After``; every success
adds ``1/limit``, so the limit grows back by one per round of successes. Each
change is logged at DEBUG on ``byteit.batch``.
"""

from __future__ import annotations

import threading

import attrs

from byteit._log import get_logger
from byteit.retry import RetryBudget

__all__ = ["AdaptiveLimit"]

_DEFAULT_PAUSE = 1.0  # seconds, when a 429/503 says nothing about when to come back
_logger = get_logger("batch")


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
        pause = _DEFAULT_PAUSE if retry_after is None else retry_after
        with self._lock:
            before, new_episode = self.value, now >= self._not_before
            if new_episode:
                self._current = max(1.0, self._current / 2)
            self._not_before = max(self._not_before, now + pause)
            after, wait = self.value, self._not_before - now
        # Logged outside the lock: a slow handler must not hold up the other workers.
        said = "no Retry-After" if retry_after is None else f"Retry-After {retry_after:g}"
        how = f"halved from {before} to {after} on a 429/503"
        if not new_episode:
            how = f"kept at {after} on a 429/503 of the same episode"
        _logger.debug("concurrency %s (%s); new documents wait %.2fs", how, said, wait)

    def succeeded(self) -> None:
        """A request went through: grow back towards the ceiling."""
        with self._lock:
            before = self.value
            self._current = min(float(self.ceiling), self._current + 1 / self._current)
            after = self.value
        if after > before:
            _logger.debug("concurrency grown from %d to %d of %d", before, after, self.ceiling)


@attrs.frozen
class BatchPressure:
    """What a batch's requests report to as they retry: its limit and its retry budget."""

    limit: AdaptiveLimit
    budget: RetryBudget
