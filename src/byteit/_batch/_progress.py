"""How a batch tells its caller how it goes: a callback, and a progress bar (tqdm, on stderr)."""

from __future__ import annotations

from collections.abc import Callable

from tqdm import tqdm

from byteit._batch._scheduler import BatchStats


class ProgressReporter:
    """Passes a batch's progress to `callback` when it changes, and draws it when `bar`
    is set: done, failed and in flight, with tqdm's rate and time left."""

    def __init__(
        self, total: int, *, callback: Callable[[BatchStats], None] | None, bar: bool
    ) -> None:
        self._callback = callback
        self._last: tuple[int, int, int] | None = None
        # disable=None: tqdm draws only on a terminal, so logs and pipes stay clean
        self._bar = tqdm(total=total, unit="doc", disable=None if bar else True)

    def report(self, stats: BatchStats) -> None:
        counts = (stats.done, stats.failed, stats.in_flight)
        if counts == self._last:
            return
        self._last = counts
        self._bar.set_postfix(done=stats.done, failed=stats.failed, in_flight=stats.in_flight)
        self._bar.update(stats.done + stats.failed - self._bar.n)
        if self._callback is not None:
            self._callback(stats)

    def close(self) -> None:
        self._bar.close()
