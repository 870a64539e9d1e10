"""How a batch tells its caller how it goes: a callback, a progress bar (tqdm, on stderr),
and one summary line at INFO on ``byteit.batch`` when it ends."""

from __future__ import annotations

from collections.abc import Callable

from tqdm import tqdm

from byteit._batch._scheduler import BatchStats
from byteit._log import get_logger

_logger = get_logger("batch")


class ProgressReporter:
    """Passes a batch's progress to `callback` when it changes, and draws it when `bar`
    is set: done, failed and in flight, with tqdm's rate and time left."""

    def __init__(
        self, total: int, *, callback: Callable[[BatchStats], None] | None, bar: bool
    ) -> None:
        self._callback = callback
        self._last: tuple[int, int, int] | None = None
        self._latest = BatchStats(total, 0, 0, 0, 0.0)
        self._closed = False
        # disable=None: tqdm draws only on a terminal, so logs and pipes stay clean
        self._bar = tqdm(total=total, unit="doc", disable=None if bar else True)

    def report(self, stats: BatchStats) -> None:
        self._latest = stats  # kept even when the counts stand still: elapsed moves on
        counts = (stats.done, stats.failed, stats.in_flight)
        if counts == self._last:
            return
        self._last = counts
        self._draw(stats)
        if self._callback is not None:
            self._callback(stats)

    def _draw(self, stats: BatchStats) -> None:
        # One frame, drawn by update, shows both: a drawing set_postfix would show the new
        # counts beside the old position. The lock keeps tqdm's monitor thread from
        # drawing between the two.
        with self._bar.get_lock():  # type: ignore[no-untyped-call]  # untyped in types-tqdm
            self._bar.set_postfix(
                done=stats.done, failed=stats.failed, in_flight=stats.in_flight, refresh=False
            )
            self._bar.update(stats.done + stats.failed - self._bar.n)

    def close(self, *, requests: int | None = None) -> None:
        """End the bar and log the summary, once however often called; `requests` is
        the number of HTTP requests the batch sent, when the caller counted them."""
        self._bar.close()
        if not self._closed:
            self._closed = True
            log_summary(self._latest, requests)


def log_summary(stats: BatchStats, requests: int | None = None) -> None:
    _logger.info("%s", summary(stats, requests))


def summary(stats: BatchStats, requests: int | None = None) -> str:
    """``batch finished: total=10 done=9 failed=1 elapsed=4.2s rate=2.38 doc/s``; ``stopped``,
    with ``unfinished=N``, when the caller left early; ``requests=N`` when counted."""
    unfinished = stats.total - stats.done - stats.failed
    fields = [f"total={stats.total}", f"done={stats.done}", f"failed={stats.failed}"]
    if unfinished:
        fields.append(f"unfinished={unfinished}")
    fields.append(f"elapsed={stats.elapsed:.1f}s")
    if requests is not None:
        fields.append(f"requests={requests}")
    fields.append(f"rate={stats.rate:.2f} doc/s")
    return f"batch {'stopped' if unfinished else 'finished'}: {' '.join(fields)}"
