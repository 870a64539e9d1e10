"""What the batch drivers (`_threads`, `_tasks`) drive: a `BatchScheduler`, or a
pipeline of them (`_pipeline`), through the same few calls."""

from __future__ import annotations

from typing import Any, Protocol

from byteit._batch._items import Item
from byteit._batch._pressure import BatchPressure
from byteit._batch._results import ItemResult
from byteit._batch._scheduler import BatchSettings, BatchStats
from byteit._batch._work import Outcome, Work


class Driven(Protocol):
    """A batch as its driver sees it; see `_scheduler`'s docstring for the protocol."""

    @property
    def items(self) -> list[Item]: ...

    @property
    def settings(self) -> BatchSettings: ...

    @property
    def pressure(self) -> BatchPressure: ...

    @property
    def finished(self) -> bool: ...

    def stats(self, now: float) -> BatchStats: ...

    def take_finished(self) -> list[ItemResult[Any]]: ...

    def next_work(self, now: float) -> list[Work]: ...

    def next_wake(self, now: float) -> float | None: ...

    def apply(self, outcome: Outcome, now: float) -> None: ...
