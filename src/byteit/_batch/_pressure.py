"""How many documents a batch keeps in flight: deep enough to keep the service's
queue fed, shallower when the server pushes back.

The depth starts at `START` (or the caller's ``max_concurrency`` if lower) and
grows while it pays: each round of ``depth`` finished documents measures the
throughput, and the depth doubles (`GROWTH`) only when that round was at least
`GAIN` faster than the best before it and no more than `GROWTH_TOLERANCE` of
its answers were 429/503 (a share random faults stay under, an overloaded
server does not). Once a round is no faster, the depth holds: more documents
queued on the server would only wait there. ``max_concurrency`` stays a hard
cap; its default, `CEILING`, lets the depth pass the service's parallelism
(jobs queued while others run).

Pushback is a share, not a single answer: a random 503 is one failed request,
retried on its own (after its own ``Retry-After``), not a sign of overload. The
depth halves only when 429s and 503s make up more than `OVERLOAD_SHARE` of the
last answers (a window of at least ``depth`` answers, and `_WINDOW_FLOOR`), and
the window starts afresh after each decrease, so it decreases at most once per
round trip, as TCP does. Nothing pauses the whole batch. Each change is logged
at DEBUG on ``byteit.batch``.
"""

from __future__ import annotations

import collections
import threading

import attrs

from byteit._log import get_logger
from byteit.retry import RetryBudget

__all__ = ["CEILING", "GROWTH", "START", "AdaptiveLimit", "BatchPressure"]

START = 16  # documents in flight at first: the old default, safe for any service
CEILING = 64  # the default max_concurrency: how deep the depth may grow
OVERLOAD_SHARE = 0.4  # of answers being 429/503: random failures stay well under it
GROWTH_TOLERANCE = 0.3  # a round with more throttled answers than this does not grow
GAIN = 1.05  # throughput must grow by 5% for the depth to grow again
GROWTH = 2.0  # the depth after a round that paid, for each document before it
# The fewest answers a decision rests on: with 15% of answers throttled at random,
# 40 answers pass the overload share about once in 100,000 windows.
_WINDOW_FLOOR = 40
_logger = get_logger("batch")


class AdaptiveLimit:
    """A concurrency limit between 1 and `ceiling` that adapts to the server's answers.

    Thread-safe: the sync client's worker threads report to it directly.
    """

    def __init__(self, ceiling: int, *, start: int = START) -> None:
        self.ceiling = ceiling
        self._current = float(max(1, min(ceiling, start)))
        self._lock = threading.Lock()
        self._answers = self._window()
        self._round = _Round()
        self._best = 0.0  # documents per second of the fastest round since the last change

    def __repr__(self) -> str:
        return f"AdaptiveLimit(value={self.value}, ceiling={self.ceiling})"

    @property
    def value(self) -> int:
        """How many documents may be in flight now."""
        return max(1, int(self._current))

    def _window(self) -> collections.deque[bool]:
        return collections.deque(maxlen=max(_WINDOW_FLOOR, int(self._current)))

    def throttled(self, now: float, retry_after: float | None) -> None:
        """The server answered 429 or 503 (the request itself waits its ``Retry-After``)."""
        del retry_after  # the request that got it honours it; the batch goes on
        with self._lock:
            self._answers.append(True)
            self._round.throttled += 1
            window = self._answers
            full = len(window) == window.maxlen
            share = sum(window) / len(window)
            if not (full and share > OVERLOAD_SHARE):
                return
            before = self.value
            self._current = max(1.0, self._current / 2)
            self._answers, self._best, self._round = self._window(), 0.0, _Round(now)
            after = self.value
        # Logged outside the lock: a slow handler must not hold up the other workers.
        _logger.debug(
            "concurrency halved from %d to %d: %.0f%% of the last %d answers were 429/503",
            before, after, 100 * share, len(window),
        )  # fmt: skip

    def answered(self) -> None:
        """A request got its answer without being throttled."""
        with self._lock:
            self._answers.append(False)
            self._round.answered += 1

    def finished(self, now: float) -> None:
        """A document finished: at the end of a round, grow if throughput grew."""
        with self._lock:
            done = self._round.finish(now)
            if done < self.value:
                return
            rate, share = self._round.rate(), self._round.throttled_share()
            self._round = _Round(started=now)
            if rate <= self._best * GAIN or share > GROWTH_TOLERANCE:
                self._best = max(self._best, rate)
                return
            self._best, before = rate, self.value
            self._current = min(float(self.ceiling), self._current * GROWTH)
            self._answers = self._window()
            after = self.value
        if after > before:
            _logger.debug(
                "concurrency grown from %d to %d of %d: %.1f documents/s",
                before, after, self.ceiling, rate,
            )  # fmt: skip


@attrs.define
class _Round:
    """The documents finished and answers heard since a round began."""

    started: float | None = None
    last: float = 0.0
    done: int = 0
    throttled: int = 0
    answered: int = 0

    def finish(self, now: float) -> int:
        """Count a finished document; the first one only starts the clock."""
        if self.started is None:
            self.started = now
            return 0
        self.done, self.last = self.done + 1, now
        return self.done

    def rate(self) -> float:
        elapsed = self.last - (self.started or 0.0)
        return self.done / elapsed if elapsed > 0 else 0.0

    def throttled_share(self) -> float:
        heard = self.throttled + self.answered
        return self.throttled / heard if heard else 0.0


@attrs.frozen
class BatchPressure:
    """What a batch's requests report to as they retry: its limit and its retry budget."""

    limit: AdaptiveLimit
    budget: RetryBudget
