"""A progress bar for batches: done, failed, in flight and rate (tqdm, on stderr)."""

from __future__ import annotations

import threading
from types import TracebackType

from tqdm import tqdm
from typing_extensions import Self


class BatchProgress:
    """Counts a batch's items as they start and finish, and draws them when enabled."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.in_flight = 0
        self._lock = threading.Lock()
        # disable=None: tqdm draws only on a terminal, so logs and pipes stay clean
        self._bar = tqdm(total=total, unit="doc", disable=True if not enabled else None)

    def started(self) -> None:
        with self._lock:
            self.in_flight += 1
            self._refresh()

    def finished(self, *, ok: bool) -> None:
        with self._lock:
            self.in_flight -= 1
            self.done += ok
            self.failed += not ok
            self._bar.update(1)
            self._refresh()

    def _refresh(self) -> None:
        self._bar.set_postfix(done=self.done, failed=self.failed, in_flight=self.in_flight)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._bar.close()
